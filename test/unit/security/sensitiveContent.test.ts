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


});
