// Attacks on resources/read through the URI: every spelling an agent can send for a sensitive file or a file outside
// the workspace. The proof is what did not happen: no marker in the answer or the audit, exactly one audit record per
// read, no approval asked.
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { filesResources } from '../../../src/tools/files/resources';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { openRawSession, type RawSession } from '../helpers/rawMcp';
import { assertNoMarker, MARKERS, newRecords, plantSecrets } from './attack';

/** Every spelling of a sensitive or outside file that must come back refused. */
function hostileUris(outside: string): string[] {
	const app = 'workspace-file://app';
	return [
		// The files themselves.
		`${app}/.env`, `${app}/.env.local`, `${app}/.git/config`, `${app}/.vscode/settings.json`, `${app}/id_rsa`, `${app}/AGENTS.md`, `${app}/.mcp.json`,
		// Percent escapes: lower, upper, mixed, of letters that need none, double, of separators.
		`${app}/%2eenv`, `${app}/%2Eenv`, `${app}/%2E%65%6E%76`, `${app}/.%65nv`, `${app}/%2e%67it/config`, `${app}/.git%2fconfig`, `${app}/.git%2Fconfig`,
		`${app}/.vscode%2Fsettings.json`, `${app}/id%5frsa`, `${app}/AGENTS%2Emd`, `${app}/%41GENTS.md`,
		`${app}/%252eenv`, `${app}/%25%32%65env`, `${app}/.git%252fconfig`, `${app}/%252e%252e/outside/secret.txt`,
		// Overlong and broken UTF-8 escapes ('.' and '/' as two or three bytes), truncated escapes.
		`${app}/%c0%ae%c0%aeoutside/secret.txt`, `${app}/%c0%ae%c0%ae%c0%afoutside%c0%afsecret.txt`, `${app}/%e0%80%aeenv`, `${app}/%c0%2eenv`, `${app}/.env%`, `${app}/.env%2`, `${app}/%%32%65env`,
		// NUL and control characters, before and after the name.
		`${app}/.env%00`, `${app}/.env%00.txt`, `${app}/notes.txt%00/../.env`, `${app}/%0a.env`, `${app}/.env%0d%0a`, `${app}/.env%09`,
		// Trailing dots and spaces (Windows strips them), dot and slash runs.
		`${app}/.env.`, `${app}/.env%20`, `${app}/.env%2e`, `${app}/.env.%20.`, `${app}/AGENTS.md.`, `${app}/.git./config`, `${app}/.git%20/config`, `${app}/id_rsa%20`,
		`${app}/./.env`, `${app}/.//.env`, `${app}//.env`, `${app}///.env`, `${app}/.env/`, `${app}/.env/.`, `${app}/src/./../.env`, `${app}/.vscode/./settings.json`, `${app}/.vscode//settings.json`,
		`${app}/%2e/.env`, `${app}/%2f.env`, `${app}/%2F%2F.env`, `${app}/src%2f..%2f.env`, `${app}/src/%2e%2e/.env`, `${app}/src/%2E%2E/.env`,
		// Backslashes, raw and escaped.
		`${app}/src\\..\\.env`, `${app}/src%5c..%5c.env`, `${app}/src%5C%2e%2e%5C.env`, `${app}/.git%5cconfig`, `${app}/%5c%5c?%5cC:%5c.env`,
		// Outside the workspace: .., absolute paths in the path part, through the other folder, home.
		`${app}/../outside/secret.txt`, `${app}/%2e%2e/outside/secret.txt`, `${app}/..%2foutside%2fsecret.txt`, `${app}/%2e%2e%2foutside/secret.txt`,
		`${app}/${outside}/secret.txt`, `${app}/${encodeURIComponent(`${outside}/secret.txt`)}`, `${app}/%2F${encodeURIComponent(outside.slice(1))}%2Fsecret.txt`,
		`workspace-file://lib1/../app/.env`, `workspace-file://lib1/%2e%2e/app/.env`, `workspace-file://lib1/%2e%2e%2foutside%2fsecret.txt`,
		`${app}/~/.ssh/id_rsa`, `${app}/%7e/.ssh/id_rsa`, `${app}/file:${encodeURIComponent(`//${outside}/secret.txt`)}`,
		// The folder part: escaped slashes and dots, another case, other folders' names, empty, special names.
		'workspace-file://app%2f.env/x', 'workspace-file://app%2F..%2Foutside/secret.txt', 'workspace-file://%61pp/.env', 'workspace-file://APP/.env',
		'workspace-file://%2e%2e/outside/secret.txt', 'workspace-file://../outside/secret.txt', 'workspace-file://./app/.env', 'workspace-file://app%00/.env',
		'workspace-file://app,lib1/.env', 'workspace-file:///app/.env', 'workspace-file://outside/secret.txt', 'workspace-file://__proto__/x', 'workspace-file://constructor/x',
		'workspace-file://app:80/.env', 'workspace-file://user@app/.env', 'workspace-file://app%40/.env',
		// Query and fragment parts ({+path} takes them), escaped and not.
		`${app}/.env?`, `${app}/.env?x=1`, `${app}/notes.txt?/../.env`, `${app}/.env#x`, `${app}/notes.txt#/../../.env`, `${app}/.env%3F`, `${app}/.env%23`, `${app}/.git/config?raw`,
		// Case and Unicode spellings (folded, fullwidth, compatibility forms, invisible characters).
		`${app}/.ENV`, `${app}/.Env`, `${app}/.GIT/config`, `${app}/.VSCODE/settings.json`, `${app}/ID_RSA`, `${app}/agents.md`,
		`${app}/%EF%BC%8Eenv`, `${app}/.env%E2%80%8B`, `${app}/%E2%80%8B.env`, `${app}/.e%CC%81nv`, `${app}/%E2%80%AE.env`, `${app}/.%E2%84%AFnv`, `${app}/%EF%B8%8F.env`,
		// Existing links to sensitive files and outside.
		`${app}/env-link`, `${app}/gitdir-link/config`, `${app}/outside-link/secret.txt`, `${app}/src/deep-link`, `${app}/vscode-link/settings.json`,
		// Other schemes and shapes the template must not take.
		'WORKSPACE-FILE://app/.env', 'workspace-file:/app/.env', 'workspace-file:app/.env', ' workspace-file://app/.env', 'workspace-file://app/.env\n',
		'file:///etc/passwd', `file://${outside}/secret.txt`, 'workspace-file://app', 'workspace-file://app/', '',
	];
}

describe('security: resources/read URIs', () => {
	let wb: TestWorkbench;
	let session: RawSession;
	before(async () => {
		wb = await startWorkbench({ folderCount: 2, resources: filesResources });
		const [app] = wb.folders;
		await plantSecrets(app.path, wb.outside);
		await symlink(join(app.path, '.env'), join(app.path, 'env-link'));
		await symlink(join(app.path, '.git'), join(app.path, 'gitdir-link'));
		await symlink(wb.outside, join(app.path, 'outside-link'));
		await symlink('../.env', join(app.path, 'src/deep-link'));
		await symlink(join(app.path, '.vscode'), join(app.path, 'vscode-link'));
		session = await openRawSession(wb);
	});
	after(() => wb.close());

	test('a plain file still reads (the attacks below fail for their URI, not because reading is broken)', async () => {
		const answer = await session.request('resources/read', { uri: 'workspace-file://app/notes.txt' });
		assert.equal((answer.result?.contents as { text: string }[])[0].text, 'harmless notes\n');
	});

	test('every hostile spelling is refused: no content, no approval asked, exactly one audit record each', async () => {
		const uris = hostileUris(wb.outside);
		assert.ok(uris.length > 120, `${uris.length} URIs`);
		const outcomes = new Map<string, number>();
		for (const uri of uris) {
			const from = wb.records.length;
			const answer = await session.request('resources/read', { uri });
			assertNoMarker(JSON.stringify(answer), uri);
			assert.equal(answer.result, undefined, `${uri} must not be answered with contents: ${JSON.stringify(answer.result)}`);
			assert.ok(answer.error, uri);
			const records = newRecords(wb, from);
			assert.equal(records.length, 1, `exactly one record for ${JSON.stringify(uri)}`);
			assert.equal(records[0].tool, 'resources/read');
			assert.deepEqual(records[0].arguments, { uri }, 'the record shows the URI as sent');
			assert.notEqual(records[0].outcome, 'ok', uri);
			assert.equal(wb.approvals.pending().length, 0, `${uri} asked nobody`);
			outcomes.set(records[0].outcome, (outcomes.get(records[0].outcome) ?? 0) + 1);
		}
		// Nothing broke inside the gate: every refusal is a decision (denied) or a bad URI (invalid), none an internal error.
		assert.deepEqual([...outcomes.keys()].filter((outcome) => outcome !== 'denied' && outcome !== 'invalid'), [], JSON.stringify([...outcomes]));
	});

	test('a URI that is not valid UTF-8 once decoded is an invalid request, not an internal error', async () => {
		for (const uri of ['workspace-file://app/%c0%ae%c0%ae/x', 'workspace-file://app/%ff', 'workspace-file://app/.env%', 'workspace-file://%e0/x']) {
			const from = wb.records.length;
			const answer = await session.request('resources/read', { uri });
			assert.equal(answer.error?.code, -32602, `${uri}: ${JSON.stringify(answer.error)}`);
			assert.doesNotMatch(answer.error?.message ?? '', /Internal error/, uri);
			assert.equal(newRecords(wb, from)[0]?.outcome, 'invalid', uri);
		}
	});

	test('a very long URI is refused once, and neither the answer nor the record carries megabytes back', async () => {
		for (const length of [16 * 1024 - 40, 16 * 1024 + 1, 1024 * 1024]) {
			const uri = `workspace-file://app/${'a/'.repeat(length / 2)}.env`;
			const from = wb.records.length;
			const answer = await session.request('resources/read', { uri });
			assert.ok(answer.error, `length ${length}`);
			const records = newRecords(wb, from);
			assert.equal(records.length, 1, `one record at length ${length}`);
			assert.ok(JSON.stringify(answer).length < 64 * 1024, `the answer to a ${uri.length}-character URI is ${JSON.stringify(answer).length} characters`);
		}
	});

	test('params the hand validator refuses get one invalid-params answer and never reach a file', async () => {
		const bad: unknown[] = [
			{}, { uri: 1 }, { uri: null }, { uri: ['workspace-file://app/.env'] }, { uri: { toString: 'workspace-file://app/.env' } }, { uri: true },
			['workspace-file://app/.env'], { uri: 'workspace-file://app/notes.txt', _meta: 'x' }, { uri: 'workspace-file://app/notes.txt', _meta: { progressToken: { a: 1 } } },
			{ uri: 'workspace-file://app/notes.txt', _meta: { progressToken: null } }, { uri: 'workspace-file://app/notes.txt', _meta: [] },
		];
		for (const params of bad) {
			const from = wb.records.length;
			const response = await session.post({ jsonrpc: '2.0', id: 7, method: 'resources/read', params });
			assertNoMarker(response.body, JSON.stringify(params));
			const answers = [response.json].flat() as { id: number; error?: { code: number } }[];
			assert.equal(answers.length, 1, `one answer for ${JSON.stringify(params)}: ${response.body}`);
			assert.equal(answers[0].error?.code, response.status === 400 ? -32600 : -32602, `${JSON.stringify(params)}: ${response.body}`);
			assert.equal(wb.records.length, from, 'a request refused before the gate touches nothing');
		}
	});

	test('_meta cannot smuggle anything: an allowed read with odd _meta keys reads only that file, once', async () => {
		const metas = ['{"progressToken":1e308}', '{"progressToken":-0}', '{"progressToken":"__proto__"}', '{"__proto__":{"uri":"workspace-file://app/.env"}}', '{"uri":"workspace-file://app/.env"}', '{"progressToken":"x","related":{"uri":"workspace-file://app/.env"}}'];
		for (const meta of metas) {
			const from = wb.records.length;
			const response = await session.post(`{"jsonrpc":"2.0","id":8,"method":"resources/read","params":{"uri":"workspace-file://app/notes.txt","_meta":${meta}}}`);
			assertNoMarker(response.body, meta);
			const answers = [response.json].flat() as { result?: { contents: { text: string }[] } }[];
			assert.equal(answers.filter((a) => 'id' in a).length, 1, response.body);
			assert.equal(answers.find((a) => 'id' in a)?.result?.contents[0].text, 'harmless notes\n', response.body);
			assert.equal(newRecords(wb, from).length, 1);
		}
		// A literal "__proto__" key in params (JSON.parse makes it an own property) next to the real uri.
		const from = wb.records.length;
		const response = await session.post('{"jsonrpc":"2.0","id":9,"method":"resources/read","params":{"__proto__":{"uri":"workspace-file://app/.env"},"uri":"workspace-file://app/notes.txt"}}');
		assertNoMarker(response.body, '__proto__ params');
		assert.equal(newRecords(wb, from).length, 1);
		// And a __proto__ key with no own uri: the uri must not come from the prototype.
		const from2 = wb.records.length;
		const refused = await session.post('{"jsonrpc":"2.0","id":10,"method":"resources/read","params":{"__proto__":{"uri":"workspace-file://app/.env"}}}');
		assertNoMarker(refused.body, '__proto__ only');
		assert.equal((refused.json as { error?: { code: number } }).error?.code, -32602, refused.body);
		assert.equal(wb.records.length, from2);
	});

	test('a batch mixing allowed reads, refused reads, tool calls and junk: one answer per request, one record per gated request', async () => {
		const from = wb.records.length;
		const batch = [
			{ jsonrpc: '2.0', id: 'a', method: 'resources/read', params: { uri: 'workspace-file://app/notes.txt' } },
			{ jsonrpc: '2.0', id: 'b', method: 'resources/read', params: { uri: 'workspace-file://app/.env' } },
			{ jsonrpc: '2.0', id: 'c', method: 'resources/read', params: { uri: 42 } },
			{ jsonrpc: '2.0', id: 'd', method: 'tools/call', params: { name: 'workspace_info', arguments: {} } },
			{ jsonrpc: '2.0', id: 'e', method: 'resources/read', params: { uri: 'workspace-file://app/env-link' } },
			{ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'zz' } },
			{ jsonrpc: '2.0', id: 'f', method: 'resources/list' },
			{ jsonrpc: '2.0', id: 'g', method: 'resources/read', params: { uri: 'workspace-file://app/%2e%2e/outside/secret.txt' } },
		];
		const response = await session.post(batch);
		assertNoMarker(response.body, 'batch');
		const answers = response.json as { id: string; result?: unknown; error?: unknown }[];
		assert.deepEqual(answers.map((a) => a.id).sort(), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
		assert.ok(answers.find((a) => a.id === 'a')?.result);
		for (const id of ['b', 'c', 'e', 'g']) assert.ok(answers.find((a) => a.id === id)?.error, id);
		assert.equal(newRecords(wb, from).length, 5, 'a, b, d, e, g passed the gate; c was refused before it');
	});
});

describe('security: resources/read with folders whose names collide or hold special characters', () => {
	let wb: TestWorkbench;
	let session: RawSession;
	before(async () => {
		wb = await startWorkbench({ folderCount: 2, resources: filesResources });
		const [app, lib] = wb.folders;
		await plantSecrets(app.path, wb.outside);
		await writeFile(join(lib.path, 'plain.txt'), 'lib plain\n');
		// Give the second folder names an attacker would like: the first folder's, and ones full of URI syntax.
		await mkdir(join(lib.path, 'sub'));
		session = await openRawSession(wb);
	});
	after(() => wb.close());

	test('a second folder named like the first, or with URI syntax in its name, still only reads inside a folder', async () => {
		const lib = wb.folders[1];
		for (const name of ['app', '..', '.', 'app/.env', '%2e%2e', 'a%2Fb', '.env', 'x?y', 'x#y', '']) {
			(lib as { name: string }).name = name;
			for (const uri of [`workspace-file://${name}/.env`, `workspace-file://${encodeURIComponent(name)}/.env`, `workspace-file://${encodeURIComponent(name)}/../app/.env`, `workspace-file://${encodeURIComponent(name)}/%2e%2e/outside/secret.txt`]) {
				const from = wb.records.length;
				const answer = await session.request('resources/read', { uri });
				assertNoMarker(JSON.stringify(answer), `${name}: ${uri}`);
				assert.equal(answer.result, undefined, `${name}: ${uri}`);
				assert.equal(newRecords(wb, from).length, 1, `${name}: ${uri}`);
			}
		}
		(lib as { name: string }).name = 'lib1';
		const answer = await session.request('resources/read', { uri: 'workspace-file://lib1/plain.txt' });
		assert.equal((answer.result?.contents as { text: string }[])[0].text, 'lib plain\n');
		assert.equal(MARKERS.env.length > 0, true);
	});
});
