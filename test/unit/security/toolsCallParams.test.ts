// tools/call with params the transport's hand validator accepts but the gate or the SDK might mishandle, and request
// ids reused while a request is in flight. Every request must get exactly one answer, and every call that reaches the
// gate exactly one record.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { allTools } from '../../../src/tools/allTools';
import { filesResources } from '../../../src/tools/files/resources';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { openRawSession, type RawSession } from '../helpers/rawMcp';
import { assertNoMarker, newRecords, plantSecrets, waitUntil, within } from './attack';

describe('security: tools/call params', () => {
	let wb: TestWorkbench;
	let session: RawSession;
	before(async () => {
		wb = await startWorkbench({ tools: allTools, resources: filesResources });
		await plantSecrets(wb.folders[0].path, wb.outside);
		session = await openRawSession(wb);
	});
	after(() => wb.close());

	test('arguments that are not an object are refused at the transport with one answer and reach nothing', async () => {
		for (const args of [[], ['notes.txt'], null, 'notes.txt', 0, 1e308, true]) {
			const from = wb.records.length;
			const answer = await session.request('tools/call', { name: 'read_file', arguments: args });
			assert.equal(answer.error?.code, -32602, JSON.stringify(args));
			assert.equal(wb.records.length, from, JSON.stringify(args));
		}
	});

	test('tool names that are prototype keys, empty, huge or odd are unknown tools: one answer, one record each', async () => {
		const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype', '', ' read_file', 'read_file\u0000', 'READ_FILE', 'resources/read', 'x'.repeat(1_000_000)];
		for (const name of names) {
			const from = wb.records.length;
			const answer = await session.request('tools/call', { name, arguments: { path: '.env' } });
			const result = answer.result as { isError?: boolean; content: { text: string }[] } | undefined;
			assert.equal(result?.isError, true, JSON.stringify(name).slice(0, 40));
			assert.match(result.content[0].text, /Unknown tool/);
			assert.ok(JSON.stringify(answer).length < 4096, 'the answer does not repeat a huge name back');
			const records = newRecords(wb, from);
			assert.equal(records.length, 1, JSON.stringify(name).slice(0, 40));
			assert.equal(records[0].outcome, 'invalid');
		}
	});

	test('__proto__ and constructor keys in arguments change nothing: no pollution, and the call reads only what its own keys name', async () => {
		const bodies = [
			'{"path":"notes.txt","__proto__":{"path":".env","offset":1}}',
			'{"__proto__":{"path":".env"}}',
			'{"constructor":{"prototype":{"polluted":"yes"}},"path":"notes.txt"}',
			'{"path":"notes.txt","__proto__":{"polluted":"yes"},"toString":"x","hasOwnProperty":1}',
			'{"path":{"__proto__":".env","toString":".env"}}',
			'{"path":["notes.txt"]}',
			'{"path":"notes.txt","limit":1e308,"offset":-0}',
			'{"path":"notes.txt","limit":9007199254740993,"offset":1}',
			'{"path":"notes.txt","offset":1.5}',
		];
		for (const args of bodies) {
			const from = wb.records.length;
			const response = await session.post(`{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"read_file","arguments":${args}}}`);
			assertNoMarker(response.body, args);
			const answer = response.json as { id: number; result?: { isError?: boolean } };
			assert.equal(answer.id, 77);
			assert.equal(newRecords(wb, from).length, 1, args);
		}
		assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
		assert.equal(Object.getOwnPropertyNames(Object.prototype).includes('path'), false);
	});

	test('a __proto__ key in arguments is kept in the audit record as sent, not turned into the record\'s prototype', async () => {
		const from = wb.records.length;
		await session.post('{"jsonrpc":"2.0","id":78,"method":"tools/call","params":{"name":"no_such_tool","arguments":{"__proto__":{"path":".env"},"a":1}}}');
		const [record] = newRecords(wb, from);
		assert.deepEqual(JSON.parse(JSON.stringify(record.arguments)), JSON.parse('{"__proto__":{"path":".env"},"a":1}'), JSON.stringify(record.arguments));
		assert.equal((record.arguments as { path?: unknown }).path, undefined, 'the copy inherits nothing from it');
		const page = await wb.audit.query({ limit: 1 });
		assert.deepEqual(JSON.parse(JSON.stringify(page.rows[0].arguments)), JSON.parse('{"__proto__":{"path":".env"},"a":1}'), 'as stored');
		assert.equal((await wb.audit.verify()).ok, true, 'the chain still verifies');
	});

	test('progress tokens of every accepted shape: the call runs once and is answered once', async () => {
		for (const token of ['"t"', '0', '-1', '1e308', '"__proto__"', `"${'p'.repeat(100_000)}"`]) {
			const from = wb.records.length;
			const response = await session.post(`{"jsonrpc":"2.0","id":79,"method":"tools/call","params":{"name":"workspace_info","arguments":{},"_meta":{"progressToken":${token}}}}`);
			const answers = [response.json].flat() as { id?: number }[];
			assert.equal(answers.filter((a) => a.id === 79).length, 1, token.slice(0, 20));
			assert.equal(newRecords(wb, from).length, 1);
		}
	});
});

describe('security: request ids reused while in flight', () => {
	let wb: TestWorkbench;
	let session: RawSession;
	before(async () => {
		wb = await startWorkbench({ tools: allTools, resources: filesResources });
		await plantSecrets(wb.folders[0].path, wb.outside);
		session = await openRawSession(wb);
	});
	after(() => wb.close());

	test('a second POST with the id of a call still waiting for approval: each POST gets exactly its own answer', { timeout: 30_000 }, async () => {
		const from = wb.records.length;
		// A waits for a person; B reuses its id and is answered at once.
		const first = session.post({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'create_file', arguments: { path: 'made-by-a.txt', content: 'a' } } });
		await waitUntil(() => wb.approvals.pending().length === 1, 5000, 'the approval card');
		const second = await within(session.post({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'workspace_info', arguments: {} } }), 5000, 'the second POST');
		const [card] = wb.approvals.pending();
		wb.approvals.decide(card.id, { kind: 'deny' });
		const firstAnswer = await within(first, 5000, 'the first POST (its call was denied)');
		const a = [firstAnswer.json].flat() as { id: number; result?: { content: { text: string }[] }; error?: unknown }[];
		const b = [second.json].flat() as { id: number; result?: { content: { text: string }[] }; error?: unknown }[];
		assert.equal(a.length, 1, firstAnswer.body);
		assert.equal(b.length, 1, second.body);
		// Each POST carries its own request's answer (or a refusal of the duplicate), never the other's.
		assert.doesNotMatch(JSON.stringify(b), /Not run: the user denied it/, 'the second POST got the first call\'s answer');
		assert.doesNotMatch(JSON.stringify(a), /"folders"|workspace_info/, 'the first POST got the second call\'s answer');
		assert.ok(newRecords(wb, from).length <= 2);
	});

	test('a batch with one id twice: one answer per request (a refusal for the duplicate), and no call answered into the void', async () => {
		const from = wb.records.length;
		const response = await session.post([
			{ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'workspace_info', arguments: {} } },
			{ jsonrpc: '2.0', id: 9, method: 'resources/read', params: { uri: 'workspace-file://app/notes.txt' } },
		]);
		const answers = response.json as { id: number; result?: unknown; error?: { code: number } }[];
		assert.equal(answers.length, 2, response.body);
		// What ran is what was answered: a call that ran and whose answer was dropped would be work nobody saw.
		const ran = newRecords(wb, from).length;
		assert.equal(ran, answers.filter((answer) => answer.result !== undefined || answer.error?.code !== -32600).length, response.body);
	});
});
