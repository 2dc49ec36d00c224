// Issue 11, deliverable 2: sensitive-path rules cover content, not only the path a call names. Search results and
// git diffs of sensitive files are withheld unless the call names the file (and so is asked about). The user denies
// every approval, so anything asked never runs.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { allTools } from '../../../src/tools/allTools';
import { sh } from '../tools/git/gitFixtures';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { assertNoMarker, denyEveryApproval, MARKERS, plantSecrets } from './attack';

type CallResult = { isError?: boolean; content: { text: string }[]; structuredContent?: Record<string, unknown> };

function textOf(result: CallResult): string {
	return result.content.map((part) => part.text).join('\n') + JSON.stringify(result.structuredContent ?? {});
}

describe('security: sensitive content is withheld', () => {
	let wb: TestWorkbench;
	let client: Client;
	let app: string;
	let asked: string[];

	async function call(name: string, args: Record<string, unknown>): Promise<CallResult> {
		return await client.callTool({ name, arguments: args }) as CallResult;
	}

	before(async () => {
		// A user who allows every file tool everywhere: only the sensitive-path rules stand between an agent and the files.
		// No OS sandbox: with one, ripgrep would see the secrets empty and find nothing to withhold. This layer must
		// hold on its own (a host without a sandbox), so it is tested alone.
		wb = await startWorkbench({
			tools: allTools,
			policy: { rules: [{ tool: '*_file', paths: ['**'], action: 'allow' }] },
			sandbox: 'none',
		});
		app = wb.folders[0].path;
		await plantSecrets(app, wb.outside);
		asked = [];
		wb.approvals.onDidChange(() => {
			for (const request of wb.approvals.pending()) asked.push(request.summary);
		});
		denyEveryApproval(wb);
		client = await wb.connect();
	});
	after(() => wb.close());

	test('search_text returns no line of a sensitive file, and says how many it withheld and how to read them', async () => {
		const result = await call('search_text', { query: 'MARKER', regex: false });
		assertNoMarker(textOf(result), 'search_text');
		const withheld = (result.structuredContent as { withheld: string[] }).withheld;
		for (const name of ['.env', '.env.local', 'AGENTS.md', '.mcp.json', '.vscode/settings.json', 'id_rsa']) {
			assert.ok(withheld.includes(name), `${name} in ${withheld.join(', ')}`);
		}
		assert.match(result.content[0].text, /sensitive files? withheld: .*read_file/);
	});

	test('an include glob cannot re-open .git, and a sensitive name in any case is still withheld', async () => {
		await writeFile(join(app, 'Agents.MD'), `${MARKERS.agents}\n`);
		for (const include of [['.git/**'], ['**/.git/**'], ['.git/config'], ['**'], ['*.MD'], ['**/.env*']]) {
			const result = await call('search_text', { query: 'MARKER', include, includeIgnored: true });
			assertNoMarker(textOf(result), `search_text include ${include.join(',')}`);
		}
	});

	test('searching a sensitive path asks first; denied, nothing comes back', async () => {
		for (const path of ['.env', '.vscode', '.git']) {
			const result = await call('search_text', { query: 'MARKER', path });
			assert.equal(result.isError, true, path);
			assertNoMarker(textOf(result), `search_text in ${path}`);
		}
	});

	test('git_diff and git_show leave out a tracked sensitive file\'s hunks; naming it asks', async () => {
		const repo = join(app, 'repo');
		await mkdir(repo);
		sh(repo, ['init', '-q', '-b', 'main']);
		await writeFile(join(repo, '.env'), `API=${MARKERS.env}\n`);
		await mkdir(join(repo, '.VSCODE'));
		await writeFile(join(repo, '.VSCODE', 'tasks.json'), `{ "x": "${MARKERS.vscode}" }\n`);
		await writeFile(join(repo, 'readme.txt'), 'hello\n');
		sh(repo, ['add', '-A']);
		sh(repo, ['commit', '-qm', 'first']);
		await writeFile(join(repo, '.env'), `API=${MARKERS.env}\nMORE=${MARKERS.envLocal}\n`);
		await writeFile(join(repo, 'readme.txt'), 'hello\nworld\n');
		const diff = await call('git_diff', { repository: 'repo' });
		assertNoMarker(textOf(diff), 'git_diff');
		assert.match(diff.content[0].text, /\+world/);
		assert.match(diff.content[0].text, /1 sensitive file withheld: \.env\. Pass one in "paths"/);
		for (const args of [{ repository: 'repo' }, { repository: 'repo', paths: ['.'] }, { repository: 'repo', stat: false }]) {
			const show = await call('git_show', args);
			assertNoMarker(textOf(show), `git_show ${JSON.stringify(args)}`);
			assert.match(show.content[0].text, /readme\.txt/);
		}
		sh(repo, ['add', '-A']);
		const staged = await call('git_diff', { repository: 'repo', staged: true });
		assertNoMarker(textOf(staged), 'git_diff --cached');
		const before = asked.length;
		for (const [name, args] of [
			['git_diff', { repository: 'repo', paths: ['.env'] }], ['git_show', { repository: 'repo', paths: ['.env'] }],
			['git_blame', { repository: 'repo', path: '.env' }], ['git_blame', { repository: 'repo', path: '.VSCODE/tasks.json' }],
		] as const) {
			const result = await call(name, args);
			assert.equal(result.isError, true, `${name} ${JSON.stringify(args)}`);
			assertNoMarker(textOf(result), `${name} ${JSON.stringify(args)}`);
		}
		assert.equal(asked.length - before, 4, 'each call naming the sensitive file was asked about');
	});

	test('a commit that renamed .env to a harmless name does not show its content under the new name', async () => {
		const repo = join(app, 'renamed');
		await mkdir(repo);
		sh(repo, ['init', '-q', '-b', 'main']);
		await writeFile(join(repo, '.env'), `API=${MARKERS.env}\nDB=postgres://u:p@h/d\nMODE=prod\n`);
		await writeFile(join(repo, 'readme.txt'), 'hello\n');
		sh(repo, ['add', '-A']);
		sh(repo, ['commit', '-qm', 'first']);
		sh(repo, ['mv', '.env', 'settings.txt']);
		await writeFile(join(repo, 'settings.txt'), `API=${MARKERS.env}\nDB=postgres://u:p@h/d\nMODE=dev\n`);
		sh(repo, ['add', '-A']);
		sh(repo, ['commit', '-qm', 'rename']);
		// Whole commit, only the new name, the new name with rename detection off, and the range across both commits.
		for (const [name, args] of [
			['git_show', { repository: 'renamed' }],
			['git_show', { repository: 'renamed', paths: ['settings.txt'] }],
			['git_diff', { repository: 'renamed', from: 'HEAD~1', to: 'HEAD' }],
			['git_diff', { repository: 'renamed', from: 'HEAD~1', to: 'HEAD', paths: ['settings.txt'] }],
		] as const) {
			const result = await call(name, args);
			assertNoMarker(textOf(result), `${name} ${JSON.stringify(args)}`);
			assert.match(result.content[0].text, /withheld: .*settings\.txt/, `${name} ${JSON.stringify(args)}: ${result.content[0].text}`);
		}
	});
});

describe('security: the user\'s own sensitive globs withhold content too', () => {
	let wb: TestWorkbench;
	let client: Client;
	let app: string;
	const SECRET = 'MARKER-USERGLOB-7a7a';

	before(async () => {
		wb = await startWorkbench({ tools: allTools, policy: { sensitivePaths: ['**/secrets/**', '**/*.secret'] }, sandbox: 'none' });
		app = wb.folders[0].path;
		await mkdir(join(app, 'secrets'));
		await writeFile(join(app, 'secrets', 'prod.yaml'), `key: ${SECRET}\n`);
		await writeFile(join(app, 'db.secret'), `${SECRET}\n`);
		await writeFile(join(app, 'plain.txt'), `not ${SECRET.slice(0, 6)}\n`);
		denyEveryApproval(wb);
		client = await wb.connect();
	});
	after(() => wb.close());

	test('search_text and git_diff leave out files the user marked sensitive', async () => {
		const search = await client.callTool({ name: 'search_text', arguments: { query: 'MARKER' } }) as CallResult;
		assert.ok(!textOf(search).includes(SECRET), textOf(search));
		assert.deepEqual([...(search.structuredContent as { withheld: string[] }).withheld].sort(), ['db.secret', 'secrets/prod.yaml']);
		sh(app, ['init', '-q', '-b', 'main']);
		sh(app, ['add', '-A']);
		sh(app, ['commit', '-qm', 'first']);
		await writeFile(join(app, 'secrets', 'prod.yaml'), `key: ${SECRET}\nmore: ${SECRET}\n`);
		await writeFile(join(app, 'plain.txt'), 'changed\n');
		const diff = await client.callTool({ name: 'git_diff', arguments: { repository: '.' } }) as CallResult;
		assert.ok(!textOf(diff).includes(SECRET), textOf(diff));
		assert.match(diff.content[0].text, /\+changed/);
		const show = await client.callTool({ name: 'git_show', arguments: { repository: '.' } }) as CallResult;
		assert.ok(!textOf(show).includes(SECRET), textOf(show));
	});

});
