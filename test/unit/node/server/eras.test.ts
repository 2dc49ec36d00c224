import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { rawRequest, type RawResponse } from '../../helpers/rawHttp';
import { mcpHeaders, takeSseMessages } from '../../helpers/rawMcp';
import { slowEchoTool, waitForAbortTool } from '../../helpers/testTools';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';
import { waitFor } from '../../helpers/waitFor';

const MODERN = '2026-07-28';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const waits = waitForAbortTool();

/** A 2026-07-28 request as the spec writes it: the envelope in `_meta`, mirrored in the standard headers. */
function modern(wb: TestWorkbench, method: string, params: Record<string, unknown> = {}, headers: Record<string, string | undefined> = {}, id: number | null = 1): Promise<RawResponse> {
	const name = typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
	const base: Record<string, string | undefined> = {
		...mcpHeaders(wb.secret),
		'mcp-protocol-version': MODERN,
		'mcp-method': method,
		...(name !== undefined && (method === 'tools/call' || method === 'resources/read') ? { 'mcp-name': name } : {}),
		...headers,
	};
	const sent = Object.fromEntries(Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined));
	const envelope = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientInfo': { name: 'raw-modern', version: '7' }, 'io.modelcontextprotocol/clientCapabilities': {} };
	const meta = { ...envelope, ...(params._meta as object | undefined) };
	const body = { jsonrpc: '2.0', ...(id === null ? {} : { id }), method, params: { ...params, _meta: meta } };
	return rawRequest({ url: wb.url }, { headers: sent, body: JSON.stringify(body) });
}

function json(response: RawResponse): { result?: Record<string, unknown>; error?: { code: number; message: string; data?: Record<string, unknown> } } {
	return JSON.parse(response.body) as never;
}

/** The SDK v2 client pinned to 2026-07-28: no initialize, the envelope and headers on every request. */
async function modernClient(wb: TestWorkbench, name = 'sdk-v2'): Promise<ModernClient> {
	const { token } = wb.server.mintToken(name);
	const client = new ModernClient({ name, version: '2.4.0' }, { versionNegotiation: { mode: { pin: MODERN } } });
	await client.connect(new ModernTransport(new URL(wb.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
	return client;
}

describe('protocol eras: 2025-11-25 sessions and 2026-07-28 requests on one endpoint', () => {
	let wb: TestWorkbench;
	before(async () => {
		wb = await startWorkbench({ tools: [slowEchoTool, waits.tool] });
	});
	after(async () => {
		await wb.close();
	});

	test('the SDK v1 client (2025-11-25) and the SDK v2 client (2026-07-28) list and call the same tools on one running server', async () => {
		const legacy = await wb.connect('sdk-v1');
		const current = await modernClient(wb);
		try {
			const legacyTools = await legacy.listTools();
			const modernTools = await current.listTools();
			assert.deepEqual(modernTools.tools.map((tool) => tool.name), legacyTools.tools.map((tool) => tool.name));
			// Both eras name the server with its icons: a light and a dark one.
			assert.deepEqual(legacy.getServerVersion()?.icons?.map((icon) => icon.theme), ['light', 'dark']);
			assert.deepEqual(legacyTools.tools.map((tool) => tool.icons?.length), legacyTools.tools.map(() => 1));
			const legacyCall = await legacy.callTool({ name: 'slow_echo', arguments: { text: 'from 2025', steps: 0 } });
			const modernCall = await current.callTool({ name: 'slow_echo', arguments: { text: 'from 2026', steps: 0 } });
			assert.deepEqual(legacyCall.content, [{ type: 'text', text: 'from 2025' }]);
			assert.deepEqual(modernCall.content, [{ type: 'text', text: 'from 2026' }]);
			// No session was opened for the stateless client: only the 2025 one holds a session.
			assert.equal(wb.server.sessionCount, 1);
			const modernRecord = wb.records.find((record) => record.arguments !== null && JSON.stringify(record.arguments).includes('from 2026'));
			assert.ok(modernRecord, 'the 2026 call is audited');
			assert.equal(modernRecord.client.name, 'sdk-v2');
			assert.equal(modernRecord.sessionId, 'stateless:sdk-v2');
		} finally {
			await legacy.close();
			await current.close();
		}
	});

	test('the SDK v2 client streams progress and reads resource templates in 2026-07-28', async () => {
		const current = await modernClient(wb, 'sdk-v2-progress');
		try {
			const seen: number[] = [];
			const result = await current.callTool({ name: 'slow_echo', arguments: { text: 'done', steps: 3 } }, { onprogress: (progress) => seen.push(progress.progress) });
			assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
			assert.deepEqual(seen, [1, 2, 3]);
			const templates = await current.listResourceTemplates();
			assert.ok(Array.isArray(templates.resourceTemplates));
		} finally {
			await current.close();
		}
	});

	test('server/discover names the revision, the capabilities, the server with its icons, and cache hints', async () => {
		const response = await modern(wb, 'server/discover');
		assert.equal(response.status, 200, response.body);
		const { result } = json(response);
		assert.ok(result);
		assert.deepEqual(result.supportedVersions, [MODERN]);
		assert.deepEqual(result.capabilities, { tools: { listChanged: true }, resources: { listChanged: true }, prompts: { listChanged: true }, completions: {} });
		assert.equal(result.resultType, 'complete');
		assert.equal(result.cacheScope, 'private');
		assert.equal(typeof result.ttlMs, 'number');
		const info = (result._meta as Record<string, { name: string; icons: { src: string; theme: string }[] }>)['io.modelcontextprotocol/serverInfo'];
		assert.equal(info.name, 'mcp-workbench');
		assert.deepEqual(info.icons.map((icon) => icon.theme), ['light', 'dark']);
		assert.match(info.icons[0].src, /^data:image\/svg\+xml;base64,[A-Za-z0-9+\/]+=*$/);
	});

	test('tools/list carries cache hints, family icons and the same order every time', async () => {
		const first = json(await modern(wb, 'tools/list')).result as { tools: { name: string; icons: unknown[] }[]; ttlMs: number; cacheScope: string };
		const second = json(await modern(wb, 'tools/list')).result as typeof first;
		assert.deepEqual(first.tools, second.tools);
		assert.equal(first.cacheScope, 'private');
		assert.ok(first.ttlMs > 0);
		for (const tool of first.tools) assert.equal(tool.icons.length, 1, `${tool.name} has its family icon`);
	});

	test('the standard headers must be present and match the body; each mismatch is a -32020 with what differs', async () => {
		const cases: [string, Record<string, string | undefined>, RegExp][] = [
			['no Mcp-Method', { 'mcp-method': undefined }, /Mcp-Method header is required/],
			['another Mcp-Method', { 'mcp-method': 'tools/list' }, /Mcp-Method header 'tools\/list' does not match/],
			['no Mcp-Name', { 'mcp-name': undefined }, /Mcp-Name header is required/],
			['another Mcp-Name', { 'mcp-name': 'workspace_info' }, /Mcp-Name header value 'workspace_info' does not match params.name 'slow_echo'/],
			['another version header', { 'mcp-protocol-version': '2025-11-25' }, /does not match the body's protocol version/],
		];
		const before = wb.records.length;
		for (const [what, headers, message] of cases) {
			const response = await modern(wb, 'tools/call', { name: 'slow_echo', arguments: { text: 'x', steps: 0 } }, headers);
			assert.equal(response.status, 400, `${what}: ${response.body}`);
			const { error } = json(response);
			assert.equal(error?.code, -32020, what);
			assert.match(error?.message ?? '', message, what);
		}
		// None of them ran: a call whose headers disagree with its body never reaches the gate.
		assert.equal(wb.records.length, before);
		const encoded = await modern(wb, 'tools/call', { name: 'slow_echo', arguments: { text: 'b64', steps: 0 } }, { 'mcp-name': `=?base64?${Buffer.from('slow_echo').toString('base64')}?=` });
		assert.equal(encoded.status, 200, encoded.body);
	});

	test('an unsupported revision is answered with the revisions this endpoint serves', async () => {
		const response = await modern(wb, 'tools/list', { _meta: { 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } }, { 'mcp-protocol-version': '2099-01-01' });
		assert.equal(response.status, 400);
		const { error } = json(response);
		assert.equal(error?.code, -32022);
		assert.deepEqual(error?.data?.requested, '2099-01-01');
		// The revisions a request can name; the session era's are reached through initialize (the message says so).
		assert.deepEqual(error?.data?.supported, [MODERN]);
		assert.match(error?.message ?? '', /2025-11-25 and earlier in sessions opened by initialize/);
	});

	test('a request without its capabilities in _meta is invalid (400, -32602)', async () => {
		const response = await modern(wb, 'tools/list', { _meta: { 'io.modelcontextprotocol/clientCapabilities': undefined } });
		assert.equal(response.status, 400);
		assert.equal(json(response).error?.code, -32602);
		assert.match(json(response).error?.message ?? '', /clientCapabilities/);
	});

	test('methods 2026-07-28 removed get 404 with -32601 and what to do instead', async () => {
		for (const method of ['initialize', 'ping', 'logging/setLevel']) {
			const response = await modern(wb, method);
			assert.equal(response.status, 404, method);
			assert.equal(json(response).error?.code, -32601);
			assert.match(json(response).error?.message ?? '', /2026-07-28/);
		}
	});

	test('a request carrying a traceparent is audited with it', async () => {
		const tracestate = 'vendor=abc';
		const response = await modern(wb, 'tools/call', { name: 'slow_echo', arguments: { text: 'traced', steps: 0 }, _meta: { traceparent: TRACEPARENT, tracestate } });
		assert.equal(response.status, 200, response.body);
		const record = wb.records.find((candidate) => JSON.stringify(candidate.arguments).includes('traced'));
		assert.deepEqual(record?.trace, { traceparent: TRACEPARENT, tracestate });
		// A malformed one is not recorded as if it were a trace.
		await modern(wb, 'tools/call', { name: 'slow_echo', arguments: { text: 'badtrace', steps: 0 }, _meta: { traceparent: 'not-a-trace' } });
		assert.equal(wb.records.find((candidate) => JSON.stringify(candidate.arguments).includes('badtrace'))?.trace, undefined);
	});

	test('a 2025-11-25 session records a traceparent too', async () => {
		const legacy = await wb.connect('sdk-v1-traced');
		try {
			await legacy.callTool({ name: 'slow_echo', arguments: { text: 'legacy-traced', steps: 0 }, _meta: { traceparent: TRACEPARENT } });
			const record = wb.records.find((candidate) => JSON.stringify(candidate.arguments).includes('legacy-traced'));
			assert.deepEqual(record?.trace, { traceparent: TRACEPARENT });
		} finally {
			await legacy.close();
		}
	});

	test('closing the response cancels the call: the tool sees its signal abort', async () => {
		const before = waits.aborted;
		const startedBefore = waits.started;
		const body = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'wait_for_abort', arguments: {}, _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} } } });
		const req = request(wb.url, { method: 'POST', headers: mcpHeaders(wb.secret, { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'wait_for_abort' }) });
		req.on('error', () => undefined);
		req.end(body);
		// The call is running once the gate has it in flight; then the client goes away.
		await waitFor(() => waits.started > startedBefore, 'the call to start');
		req.destroy();
		await waitFor(() => waits.aborted > before, 'the tool to see the abort');
	});

	test('subscriptions/listen acknowledges what it honours and delivers list changes tagged with the subscription', async () => {
		const events: Record<string, unknown>[] = [];
		const body = JSON.stringify({ jsonrpc: '2.0', id: 'sub-1', method: 'subscriptions/listen', params: { notifications: { toolsListChanged: true, promptsListChanged: true }, _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} } } });
		const req = request(wb.url, { method: 'POST', headers: mcpHeaders(wb.secret, { 'mcp-protocol-version': MODERN, 'mcp-method': 'subscriptions/listen' }) });
		req.on('response', (res) => {
			let buffer = '';
			res.on('data', (chunk: Buffer) => {
				const { messages, rest } = takeSseMessages(buffer + chunk.toString('utf8'));
				buffer = rest;
				events.push(...(messages as Record<string, unknown>[]));
			});
		});
		req.end(body);
		try {
			await waitFor(() => events.length > 0, 'the acknowledgment');
			assert.deepEqual(events[0], {
				jsonrpc: '2.0',
				method: 'notifications/subscriptions/acknowledged',
				params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 'sub-1' }, notifications: { toolsListChanged: true, promptsListChanged: true } },
			});
			wb.server.notifyToolsChanged();
			await waitFor(() => events.length > 2, 'the list changes');
			// Asked for tools and prompts only: the resources change that fired with them is not sent.
			const tagged = { _meta: { 'io.modelcontextprotocol/subscriptionId': 'sub-1' } };
			assert.deepEqual(events.slice(1), [
				{ jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: tagged },
				{ jsonrpc: '2.0', method: 'notifications/prompts/list_changed', params: tagged },
			]);
		} finally {
			req.destroy();
		}
	});

	test('a GET or DELETE naming 2026-07-28 is told the revision has no sessions (405)', async () => {
		for (const method of ['GET', 'DELETE']) {
			const response = await rawRequest({ url: wb.url }, { method, headers: { authorization: `Bearer ${wb.secret}`, accept: 'text/event-stream', 'mcp-protocol-version': MODERN } });
			assert.equal(response.status, 405, method);
			assert.equal(response.headers.allow, 'POST');
		}
	});

	test('without credentials a 2026-07-28 request is refused like any other', async () => {
		const response = await modern(wb, 'tools/list', {}, { authorization: undefined });
		assert.equal(response.status, 401);
	});
});

