import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { initializeBody, rawRequest, type RawResponse } from '../../helpers/rawHttp';
import { initializeRaw, mcpHeaders, openRawSession, sseMessages } from '../../helpers/rawMcp';
import { slowEchoTool, waitForAbortTool } from '../../helpers/testTools';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';
import { waitFor } from '../../helpers/waitFor';

function assertJsonRpcError(response: RawResponse, status: number, code?: number): void {
	assert.equal(response.status, status, response.body);
	const body = JSON.parse(response.body) as { jsonrpc: string; error: { code: number; message: string } };
	assert.equal(body.jsonrpc, '2.0');
	assert.equal(typeof body.error.message, 'string');
	if (code !== undefined) assert.equal(body.error.code, code);
}

const waits = waitForAbortTool();

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms)));
	return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}


describe('transport: refusals', () => {
	let wb: TestWorkbench;
	before(async () => {
		wb = await startWorkbench({ settings: { maxBodyBytes: 64 * 1024 } });
	});
	after(() => wb.close());

	test('a missing secret gets 401 with a JSON-RPC body', async () => {
		const { authorization: _omit, ...headers } = mcpHeaders(wb.secret);
		assertJsonRpcError(await rawRequest(wb, { headers, body: initializeBody }), 401, -32001);
	});

	test('a wrong secret gets 401, also one differing only in length', async () => {
		assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(`${wb.secret}x`), body: initializeBody }), 401);
		assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(wb.secret.slice(0, -1)), body: initializeBody }), 401);
		assertJsonRpcError(await rawRequest(wb, { headers: { ...mcpHeaders(wb.secret), authorization: `Basic ${wb.secret}` }, body: initializeBody }), 401);
	});

	test('a wrong Host header gets 403 (DNS rebinding)', async () => {
		const port = new URL(wb.url).port;
		for (const host of ['evil.example:' + port, `127.0.0.1:${Number(port) + 1}`, '127.0.0.1', `127.0.0.1.nip.io:${port}`]) {
			assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(wb.secret, { host }), body: initializeBody }), 403);
		}
	});

	test('any Origin header gets 403, even a loopback one', async () => {
		for (const origin of ['https://evil.example', `http://127.0.0.1:${new URL(wb.url).port}`, 'null', 'vscode-webview://abc']) {
			assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(wb.secret, { origin }), body: initializeBody }), 403);
		}
	});

	test('/.well-known/* is 404 without asking for credentials', async () => {
		for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-authorization-server/mcp']) {
			assertJsonRpcError(await rawRequest(wb, { method: 'GET', path, headers: {} }), 404);
		}
	});

	test('an oversized body gets 413, and the server keeps serving', async () => {
		const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(100 * 1024) } });
		assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(wb.secret), body: big }), 413);
		const client = await wb.connect();
		assert.ok((await client.listTools()).tools.length > 0);
	});

	test('an unknown session gets 404, a missing one 400', async () => {
		const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
		assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(wb.secret, { 'mcp-session-id': 'not-a-session' }), body: ping }), 404);
		assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(wb.secret), body: ping }), 400);
	});

	test('malformed bodies get JSON-RPC errors', async () => {
		assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(wb.secret), body: '{not json' }), 400, -32700);
		assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(wb.secret), body: '{"hello":1}' }), 400, -32600);
		assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(wb.secret, { 'content-type': 'text/plain' }), body: initializeBody }), 415);
		assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(wb.secret, { accept: 'text/html' }), body: initializeBody }), 406);
		assertJsonRpcError(await rawRequest(wb, { method: 'PUT', headers: mcpHeaders(wb.secret), body: initializeBody }), 405);
		assertJsonRpcError(await rawRequest(wb, { headers: mcpHeaders(wb.secret, { 'mcp-protocol-version': '1999-01-01' }), body: initializeBody }), 400);
		assertJsonRpcError(await rawRequest(wb, { path: '/other', headers: mcpHeaders(wb.secret), body: initializeBody }), 404);
	});

	test('/metrics serves Prometheus text behind the same secret', async () => {
		const client = await wb.connect();
		await client.callTool({ name: 'workspace_info', arguments: {} });
		assertJsonRpcError(await rawRequest(wb, { method: 'GET', path: '/metrics', headers: {} }), 401);
		const metrics = await rawRequest(wb, { method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${wb.secret}` } });
		assert.equal(metrics.status, 200);
		assert.match(String(metrics.headers['content-type']), /text\/plain; version=0.0.4/);
		assert.match(metrics.body, /mcp_workbench_tool_calls_total\{tool="workspace_info",outcome="ok"\} [1-9]/);
	});

	test('refusals never echo the secret', async () => {
		const response = await rawRequest(wb, { headers: mcpHeaders(`${wb.secret}x`, { origin: 'x' }), body: initializeBody });
		assert.ok(!response.body.includes(wb.secret));
	});
});

describe('transport: sessions over the SDK client', () => {
	let wb: TestWorkbench;
	before(async () => {
		wb = await startWorkbench({ tools: [slowEchoTool, waits.tool], folderCount: 2, useSocket: true });
	});
	after(() => wb.close());

	test('initializes, lists and calls workspace_info over real HTTP', async () => {
		const client = await wb.connect();
		assert.equal(client.getServerVersion()?.name, 'mcp-workbench');
		const { tools } = await client.listTools();
		const info = tools.find((t) => t.name === 'workspace_info');
		assert.ok(info, 'workspace_info listed');
		assert.equal(info.annotations?.readOnlyHint, true);
		assert.ok(info.outputSchema, 'output schema listed');
		const result = await client.callTool({ name: 'workspace_info', arguments: {} });
		assert.equal(result.isError, undefined);
		const structured = result.structuredContent as { folders: { name: string; path: string }[]; trusted: boolean };
		assert.deepEqual(structured.folders.map((f) => f.path), wb.folders.map((f) => f.path));
		assert.equal(structured.trusted, true);
		assert.equal(wb.records.at(-1)?.tool, 'workspace_info');
		assert.equal(wb.records.at(-1)?.outcome, 'ok');
	});

	test('each client gets its own session; ending one leaves the other working', async () => {
		const a = await wb.connect('a');
		const b = await wb.connect('b');
		const transportA = (a as unknown as { transport: { sessionId?: string; terminateSession(): Promise<void> } }).transport;
		const transportB = (b as unknown as { transport: { sessionId?: string } }).transport;
		assert.ok(transportA.sessionId && transportB.sessionId);
		assert.notEqual(transportA.sessionId, transportB.sessionId);
		const before = wb.server.sessionCount;
		const endedId = transportA.sessionId;
		await transportA.terminateSession();
		assert.equal(wb.server.sessionCount, before - 1);
		const ping = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' });
		const ended = await rawRequest(wb, { headers: mcpHeaders(wb.secret, { 'mcp-session-id': endedId }), body: ping });
		assertJsonRpcError(ended, 404);
		assert.match(JSON.parse(ended.body).error.message, /^Session expired \(ended by DELETE\)/);
		assert.ok((await b.listTools()).tools.length > 0);
	});

	test('counts the open sessions of each credential: whether VS Code\'s own client is connected now', async () => {
		// Each connect() gets a token of its own, named after the client: the count is kept per credential name.
		const a = await wb.connect('sessions-a');
		const b = await wb.connect('sessions-b');
		assert.equal(wb.server.sessionsOf('sessions-a'), 1);
		assert.equal(wb.server.sessionsOf('sessions-b'), 1);
		assert.equal(wb.server.sessionsOf('nobody'), 0);
		await (a as unknown as { transport: { terminateSession(): Promise<void> } }).transport.terminateSession();
		assert.equal(wb.server.sessionsOf('sessions-a'), 0);
		assert.equal(wb.server.sessionsOf('sessions-b'), 1);
		await b.close();
	});

	test('answers plain JSON when the client accepts it, SSE when progress flows', async () => {
		const init = await rawRequest(wb, { headers: mcpHeaders(wb.secret), body: initializeBody });
		assert.equal(init.status, 200);
		assert.match(String(init.headers['content-type']), /application\/json/);
		const session = String(init.headers['mcp-session-id']);
		await rawRequest(wb, { headers: mcpHeaders(wb.secret, { 'mcp-session-id': session }), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
		const call = (id: number, steps: number, progressToken?: string) =>
			rawRequest(wb, {
				headers: mcpHeaders(wb.secret, { 'mcp-session-id': session }),
				body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'slow_echo', arguments: { text: 'hi', steps }, ...(progressToken ? { _meta: { progressToken } } : {}) } }),
			});
		const plain = await call(2, 2);
		assert.match(String(plain.headers['content-type']), /application\/json/);
		assert.equal(JSON.parse(plain.body).result.content[0].text, 'hi');
		const streamed = await call(3, 2, 'tok');
		assert.match(String(streamed.headers['content-type']), /text\/event-stream/);
		const events = sseMessages(streamed.body) as { id?: number; method?: string; params?: { progress: number } }[];
		assert.deepEqual(events.filter((e) => e.method === 'notifications/progress').map((e) => e.params?.progress), [1, 2]);
		assert.equal(events.at(-1)?.id, 3);
	});

	test('the SDK client receives progress notifications', async () => {
		const client = await wb.connect();
		const seen: number[] = [];
		const result = await client.callTool({ name: 'slow_echo', arguments: { text: 'x', steps: 3 } }, undefined, { onprogress: (p) => seen.push(p.progress) });
		assert.deepEqual(seen, [1, 2, 3]);
		assert.equal((result.content as { text: string }[])[0].text, 'x');
	});

	test('malformed tools/call params get an invalid-params error that says what to send, and the session goes on', async () => {
		const session = await openRawSession(wb);
		for (const params of [{}, { name: 7 }, { name: 'workspace_info', arguments: [1] }, { name: 'workspace_info', _meta: { progressToken: {} } }]) {
			const response = await session.post({ jsonrpc: '2.0', id: 5, method: 'tools/call', params });
			assert.equal(response.status, 200, response.body);
			const { error } = JSON.parse(response.body) as { error?: { code: number; message: string } };
			assert.equal(error?.code, -32602, `${JSON.stringify(params)}: ${response.body}`);
			assert.match(error.message, /^Invalid params: .*params\.(name|arguments|_meta)/);
		}
		const ok = await session.post({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'workspace_info' } });
		assert.equal(JSON.parse(ok.body).result.isError, undefined, ok.body);
	});

	test('a batch of calls is answered as one array, each by its id', async () => {
		const session = await openRawSession(wb);
		const response = await session.post([
			{ jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'slow_echo', arguments: { text: 'first', steps: 2 } } },
			{ jsonrpc: '2.0', id: 'b', method: 'tools/call', params: { name: 'slow_echo', arguments: { text: 'second', steps: 0 } } },
		]);
		const answers = JSON.parse(response.body) as { id: string; result: { content: { text: string }[] } }[];
		assert.deepEqual(answers.map((a) => [a.id, a.result.content[0].text]).sort(), [['a', 'first'], ['b', 'second']]);
	});

	test('notifications/cancelled stops the call it names, and only that one', async () => {
		const session = await openRawSession(wb);
		const waiting = session.post({ jsonrpc: '2.0', id: 41, method: 'tools/call', params: { name: 'wait_for_abort', arguments: {} } });
		await waitFor(() => waits.running > 0, 'the call to start');
		await session.post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 999, reason: 'not that one' } });
		await session.post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 41, reason: 'user pressed stop' } });
		await waitFor(() => wb.records.some((r) => r.tool === 'wait_for_abort' && r.outcome === 'cancelled'), 'the cancelled call\'s audit record');
		// No answer for a cancelled request, and its POST does not hang waiting for one.
		const ended = await within(waiting, 5000, 'the cancelled POST to end');
		assert.equal(ended.status, 202, ended.body);
		assert.equal(ended.body, '');
	});

	test('cancelling one call of a batch still delivers the others', async () => {
		const session = await openRawSession(wb);
		const before = waits.running;
		const batch = session.post([
			{ jsonrpc: '2.0', id: 'w', method: 'tools/call', params: { name: 'wait_for_abort', arguments: {} } },
			{ jsonrpc: '2.0', id: 'e', method: 'tools/call', params: { name: 'slow_echo', arguments: { text: 'kept', steps: 0 } } },
		]);
		await waitFor(() => waits.running > before, 'the call to start');
		await session.post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'w' } });
		const answers = JSON.parse((await within(batch, 5000, 'the batch answer')).body) as { id: string; result: { content: { text: string }[] } }[];
		assert.deepEqual(answers.map((a) => [a.id, a.result.content[0].text]), [['e', 'kept']]);
	});

	test('ending the session aborts the calls still running in it', async () => {
		const session = await openRawSession(wb);
		const before = wb.records.filter((r) => r.tool === 'wait_for_abort').length;
		const waiting = session.post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'wait_for_abort', arguments: {} } });
		await waitFor(() => waits.running > 0, 'the call to start');
		assert.equal((await session.end()).status, 200);
		await waitFor(() => wb.records.filter((r) => r.tool === 'wait_for_abort').length > before, 'the call\'s audit record');
		assert.equal(wb.records.at(-1)?.outcome, 'cancelled');
		await waiting;
	});

	test('the Unix socket serves the same protocol with the same secret', async () => {
		const socketPath = wb.server.current?.socketPath;
		assert.ok(socketPath);
		const refused = await rawRequest({ socketPath }, { headers: mcpHeaders('wrong'), body: initializeBody });
		assert.equal(refused.status, 401);
		const init = await rawRequest({ socketPath }, { headers: mcpHeaders(wb.secret, { host: 'localhost' }), body: initializeBody });
		assert.equal(init.status, 200, init.body);
		assert.equal(JSON.parse(init.body).result.serverInfo.name, 'mcp-workbench');
	});

	test('bad tool arguments come back as an isError result that says what to fix', async () => {
		const client = await wb.connect();
		const result = await client.callTool({ name: 'slow_echo', arguments: { text: 1, steps: 99 } });
		assert.equal(result.isError, true);
		const text = (result.content as { text: string }[])[0].text;
		assert.match(text, /Invalid arguments for slow_echo/);
		assert.match(text, /steps/);
		const unknown = await client.callTool({ name: 'no_such_tool', arguments: {} });
		assert.equal(unknown.isError, true);
		assert.match((unknown.content as { text: string }[])[0].text, /tools\/list/);
	});
});

describe('transport: lifecycle', () => {
	test('idle sessions expire and the client is told to start again', async () => {
		const wb = await startWorkbench({ settings: { idleTimeoutMs: 200 } });
		try {
			const session = await initializeRaw(wb);
			const ping = () => rawRequest(wb, { headers: mcpHeaders(wb.secret, { 'mcp-session-id': session }), body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'ping' }) });
			assert.equal((await ping()).status, 200);
			const deadline = Date.now() + 10_000;
			while (wb.server.sessionCount > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
			assert.equal(wb.server.sessionCount, 0);
			const expired = await ping();
			assertJsonRpcError(expired, 404);
			assert.match(JSON.parse(expired.body).error.message, /^Session expired \(idle for more than 200 ms\): send initialize/);
		} finally {
			await wb.close();
		}
	});

	test('stop closes sessions and the port; start issues a new secret', async () => {
		const wb = await startWorkbench();
		try {
			await wb.connect();
			const first = wb.server.current;
			assert.ok(first);
			await wb.server.stop();
			assert.equal(wb.server.state, 'stopped');
			await assert.rejects(rawRequest(first, { headers: mcpHeaders(first.secret), body: initializeBody }));
			await wb.server.start();
			const second = wb.server.current;
			assert.ok(second);
			assert.notEqual(second.secret, first.secret);
			assert.equal((await rawRequest(second, { headers: mcpHeaders(first.secret), body: initializeBody })).status, 401);
		} finally {
			await wb.close();
		}
	});
});
