/**
 * Which front end serves 2026-07-28: ours (statelessEndpoint.ts, on the node:http server that serves the sessions) or
 * the SDK v2's `createMcpHandler` (web Request/Response, a server built per request). Both run the same call through
 * the same gate (workspace_info, the cheapest real tool), so only the front end differs. Baselines in the same run:
 * the same call in a 2025-11-25 session, and a raw node:http keep-alive round trip (the floor).
 *
 * The SDK side gets the thinnest node glue there is (body read once, one Request, the Response copied out), lighter
 * than @modelcontextprotocol/node's adapter, so any gap is the SDK's own. It runs in its default response mode (an
 * SSE stream per request): its `responseMode: 'json'` waits about 14 ms per call (measured: p50 14.6 ms against
 * 0.9 ms in-process), which would be no fair comparison.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { startWorkbench } from '../test/unit/helpers/workbench';
import { sampleInterleaved } from './interleaved';
import { printTable } from './stats';

const RUNS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const MODERN = '2026-07-28';
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function post(port: number, headers: Record<string, string>, body: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString();
				if (res.statusCode !== 200 || !text.includes('"result"')) reject(new Error(`unexpected answer ${res.statusCode}: ${text.slice(0, 300)}`));
				else resolve(text);
			});
		});
		req.on('error', reject);
		req.end(body);
	});
}

function modernCall(id: number): string {
	const _meta = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' } };
	return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'workspace_info', arguments: {}, _meta } });
}

const modernHeaders = { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'workspace_info' };

async function listen(server: ReturnType<typeof createServer>): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

async function main(): Promise<void> {
	const wb = await startWorkbench();
	const port = Number(new URL(wb.url).port);
	const auth = { authorization: `Bearer ${wb.secret}` };

	// The SDK v2 handler, its one tool answered by our gate exactly as our front end answers it.
	const handler = createMcpHandler(() => {
		const server = new McpServer({ name: 'mcp-workbench', version: 'bench' });
		server.registerTool('workspace_info', { description: 'workspace_info through our gate' }, async (ctx) => {
			const answer = await wb.gate.call({ sessionId: 'stateless:bench', client: { name: 'bench', version: '1' }, signal: ctx.mcpReq.signal, tool: 'workspace_info', arguments: {} });
			return { content: [{ type: 'text' as const, text: answer.text }], ...(answer.isError ? { isError: true } : {}) };
		});
		return server;
	}, { legacy: 'reject' });
	const sdk = createServer((req: IncomingMessage, res: ServerResponse) => {
		void (async () => {
			const body = await readAll(req);
			const headers = new Headers();
			for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
			const answer = await handler.fetch(new Request(`http://127.0.0.1${req.url ?? '/'}`, { method: req.method, headers, body }));
			const text = Buffer.from(await answer.arrayBuffer());
			res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json', 'content-length': text.length }).end(text);
		})();
	});
	const sdkPort = await listen(sdk);

	const raw = createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			const reply = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'ok' }] } });
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) }).end(reply);
		});
	});
	const rawPort = await listen(raw);

	// A 2025-11-25 session on our server, for the era the extension serves today.
	const init = await new Promise<string>((resolve, reject) => {
		const body = JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } });
		const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', agent, headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (res) => {
			res.resume();
			res.on('end', () => resolve(String(res.headers['mcp-session-id'])));
		});
		req.on('error', reject);
		req.end(body);
	});
	const sessionHeaders = { ...auth, 'mcp-session-id': init, 'mcp-protocol-version': '2025-11-25' };

	let id = 1;
	const rows = await sampleInterleaved([
		['raw node:http round trip (floor)', () => post(rawPort, {}, '{}')],
		['2025-11-25 session, our transport', () => post(port, sessionHeaders, JSON.stringify({ jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name: 'workspace_info', arguments: {} } }))],
		['2026-07-28, our front end', () => post(port, { ...auth, ...modernHeaders }, modernCall(id++))],
		['2026-07-28, SDK v2 createMcpHandler', () => post(sdkPort, modernHeaders, modernCall(id++))],
	], RUNS);
	const ours = rows[2].p50;
	printTable(`workspace_info through the same gate, ${RUNS} calls each, interleaved (ratio: p50 against our 2026 front end)`, rows.map((row) => ({ ...row, ratio: row.p50 / ours })));

	agent.destroy();
	await handler.close?.();
	await new Promise<void>((resolve) => sdk.close(() => resolve()));
	await new Promise<void>((resolve) => raw.close(() => resolve()));
	await wb.close();
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
