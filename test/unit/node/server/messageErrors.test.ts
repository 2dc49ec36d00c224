import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { initializeBody, rawRequest, type RawResponse } from '../../helpers/rawHttp';
import { mcpHeaders, openRawSession } from '../../helpers/rawMcp';
import { waitForAbortTool } from '../../helpers/testTools';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';
import { waitFor } from '../../helpers/waitFor';

interface Answer {
	readonly id: string | number | null;
	readonly result?: { content?: { text: string }[] };
	readonly error?: { code: number; message: string };
}

/** Runs until its call is aborted: a call still in flight when the session ends. */
const waits = waitForAbortTool();

/** Every POST here must be answered well within this: a message the server drops would otherwise wait forever. */
const ANSWER_WITHIN_MS = 5000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms: ${what}`)), ANSWER_WITHIN_MS)));
	return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}


describe('transport: every message gets an answer', () => {
	let wb: TestWorkbench;
	before(async () => {
		wb = await startWorkbench({ tools: [waits.tool] });
	});
	after(() => wb.close());

	/** A raw session whose every answer, the handshake's too, must come within ANSWER_WITHIN_MS. */
	async function rawSession(): Promise<{ end: () => Promise<RawResponse>; send: (body: unknown) => Promise<RawResponse> }> {
		const session = await within(openRawSession(wb), 'the initialize handshake');
		const send = (body: unknown) => within(session.post(body), JSON.stringify(body).slice(0, 200));
		return { end: () => session.end(), send };
	}

	test('messages the SDK would drop unanswered get -32600 or -32602 at once, and the session goes on', async () => {
		const { send } = await rawSession();
		const cases: [unknown, number, RegExp][] = [
			[{ jsonrpc: '2.0', id: 1, method: 'ping', params: [1] }, -32602, /params: .*expected object/],
			[{ jsonrpc: '2.0', id: 2, method: 'ping', params: { _meta: null } }, -32602, /params\._meta/],
			[{ jsonrpc: '2.0', id: 0.5, method: 'ping' }, -32600, /"id" must be a string or an integer/],
			[{ jsonrpc: '2.0', id: null, method: 'ping' }, -32600, /"id"/],
			[{ jsonrpc: '2.0', id: 3, method: 'ping', extra: true }, -32600, /Unrecognized key/],
			[{ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'workspace_info', _meta: null } }, -32602, /params\._meta/],
			[{ jsonrpc: '2.0', id: 5, method: 'tools/list', params: { cursor: 5 } }, -32602, /tools\/list: params\.cursor/],
			[{ jsonrpc: '1.0', id: 6, method: 'ping' }, -32600, /"jsonrpc" must be "2.0"/],
			[{ jsonrpc: '2.0', id: 7 }, -32600, /needs "method"/],
		];
		for (const [body, code, message] of cases) {
			const response = await send(body);
			assert.ok(response.status === 400 || response.status === 200, `${JSON.stringify(body)}: ${response.status}`);
			const answer = JSON.parse(response.body) as Answer;
			assert.equal(answer.error?.code, code, `${JSON.stringify(body)}: ${response.body}`);
			assert.match(answer.error.message, message);
			const id = (body as { id?: unknown }).id;
			assert.equal(answer.id, typeof id === 'string' || Number.isInteger(id) ? id : null);
		}
		const ping = JSON.parse((await send({ jsonrpc: '2.0', id: 8, method: 'ping' })).body) as Answer;
		assert.deepEqual(ping, { jsonrpc: '2.0', id: 8, result: {} });
	});

	test('a batch mixing good and bad messages answers each one, by its id', async () => {
		const { send } = await rawSession();
		const response = await send([
			{ jsonrpc: '2.0', id: 'good', method: 'ping' },
			{ jsonrpc: '2.0', id: 'bad', method: 'ping', params: [1] },
			{ jsonrpc: '2.0', id: 1.5, method: 'ping' },
			{ jsonrpc: '2.0', id: 'call', method: 'tools/call', params: { name: 'workspace_info' } },
			{ jsonrpc: '2.0', method: 'notifications/progress', params: null },
		]);
		assert.equal(response.status, 200, response.body);
		const answers = JSON.parse(response.body) as Answer[];
		const byId = (id: string | null) => answers.filter((a) => a.id === id);
		assert.deepEqual(byId('good').map((a) => a.result), [{}]);
		assert.equal(byId('bad')[0]?.error?.code, -32602);
		assert.deepEqual(byId(null).map((a) => a.error?.code).sort(), [-32602, -32600].sort());
		assert.ok(byId('call')[0]?.result?.content?.[0].text, response.body);
		assert.equal(answers.length, 5);
	});

	test('a malformed initialize is refused with 400 and opens no session', async () => {
		const before = wb.server.sessionCount;
		const bodies = [
			{ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18' } },
			{ jsonrpc: '2.0', id: 1, method: 'initialize', params: [1] },
			{ jsonrpc: '2.0', id: 0.5, method: 'initialize', params: JSON.parse(initializeBody).params },
			{ jsonrpc: '2.0', method: 'initialize', params: JSON.parse(initializeBody).params },
		];
		for (const body of bodies) {
			const response = await within(rawRequest(wb, { headers: mcpHeaders(wb.secret), body: JSON.stringify(body) }), JSON.stringify(body));
			assert.equal(response.status, 400, response.body);
			const answer = JSON.parse(response.body) as Answer;
			assert.ok(answer.error && [-32600, -32602].includes(answer.error.code), response.body);
			assert.equal(response.headers['mcp-session-id'], undefined);
		}
		assert.equal(wb.server.sessionCount, before);
		const missing = JSON.parse((await rawRequest(wb, { headers: mcpHeaders(wb.secret), body: JSON.stringify(bodies[0]) })).body) as Answer;
		assert.match(missing.error?.message ?? '', /params\.capabilities.*params\.clientInfo/);
	});

	test('a client response too deep to format costs only itself; the rest of its batch is answered', async () => {
		const { send } = await rawSession();
		const depth = 100_000;
		const deep = `{"jsonrpc":"2.0","id":99,"result":{"nested":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
		const response = await send(`[${deep},{"jsonrpc":"2.0","id":"after","method":"ping"}]`);
		assert.equal(response.status, 200, response.body);
		assert.deepEqual(JSON.parse(response.body), { jsonrpc: '2.0', id: 'after', result: {} });
		const alone = await send(deep);
		assert.equal(alone.status, 202, alone.body);
		assert.deepEqual(JSON.parse((await send({ jsonrpc: '2.0', id: 'still', method: 'ping' })).body), { jsonrpc: '2.0', id: 'still', result: {} });
	});

	test('a session deleted mid-call ends the waiting POST with an answer that says why and what to do', async () => {
		const { end, send } = await rawSession();
		const before = waits.started;
		const waiting = send({ jsonrpc: '2.0', id: 'w', method: 'tools/call', params: { name: 'wait_for_abort', arguments: {} } });
		await waitFor(() => waits.started > before, 'the call to start');
		assert.equal((await end()).status, 200);
		const ended = await waiting;
		assert.equal(ended.status, 200);
		// The call is stopped with the session, and its answer (written before the session's POSTs end) says so.
		const answer = JSON.parse(ended.body) as { id: string; result: { isError: boolean; content: { text: string }[] } };
		assert.equal(answer.id, 'w');
		assert.equal(answer.result.isError, true);
		assert.match(answer.result.content[0].text, /wait_for_abort was stopped before it finished: the client's session ended \(ended by DELETE\); send initialize/);
	});
});
