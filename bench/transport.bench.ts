/**
 * A workspace_info call over our transport, against two baselines measured in the same run: the SDK's own
 * Streamable HTTP server transport serving a constant tool, and a raw node:http keep-alive round trip (the floor).
 * Every side is driven by the same keep-alive HTTP client sending the same JSON-RPC shapes.
 */
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileTool } from '../src/tools/files/read';
import { startWorkbench } from '../test/unit/helpers/workbench';
import { printTable, summarize, type Summary } from './stats';

const WARMUP = 300;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 3000);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Target {
	readonly port: number;
	readonly path: string;
	readonly headers: Record<string, string>;
}

function post(target: Target, body: string, extraHeaders: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port: target.port,
				path: target.path,
				method: 'POST',
				agent,
				headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body), ...target.headers, ...extraHeaders },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

async function initialize(target: Target): Promise<Target> {
	const init = await post(target, JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }));
	if (init.status !== 200) throw new Error(`initialize failed: ${init.status} ${init.body}`);
	const session = String(init.headers['mcp-session-id']);
	const withSession = { ...target, headers: { ...target.headers, 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' } };
	await post(withSession, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
	return withSession;
}

async function measure(label: string, once: (i: number) => Promise<void>): Promise<Summary> {
	for (let i = 0; i < WARMUP; i++) await once(i);
	const samples: number[] = [];
	for (let i = 0; i < ITERATIONS; i++) {
		const start = process.hrtime.bigint();
		await once(i);
		samples.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	return summarize(label, samples);
}

function callBody(id: number, name: string): string {
	return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });
}

async function listen(server: Server): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

async function sdkServer(): Promise<{ port: number; close: () => Promise<void> }> {
	const transports = new Map<string, StreamableHTTPServerTransport>();
	const server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = JSON.parse(Buffer.concat(chunks).toString() || 'null');
		const id = req.headers['mcp-session-id'];
		let transport: StreamableHTTPServerTransport | undefined = typeof id === 'string' ? transports.get(id) : undefined;
		if (!transport) {
			const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
				sessionIdGenerator: randomUUID,
				enableJsonResponse: true,
				onsessioninitialized: (sid: string): void => {
					transports.set(sid, created);
				},
			});
			const mcp = new McpServer({ name: 'floor', version: '1' });
			mcp.registerTool('constant', { description: 'constant' }, async () => ({ content: [{ type: 'text', text: 'ok' }] }));
			await mcp.connect(created);
			transport = created;
		}
		await transport.handleRequest(req, res, body);
	});
	const port = await listen(server);
	return { port, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

/** The floor for a small-file read: a raw keep-alive round trip whose handler reads the file and returns it. */
async function rawFileServer(path: string): Promise<{ port: number; close: () => Promise<void> }> {
	const server = createServer((req, res) => {
		req.resume();
		req.on('end', async () => {
			const text = await readFile(path, 'utf8');
			const reply = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text }] } });
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) }).end(reply);
		});
	});
	const port = await listen(server);
	return { port, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

async function rawServer(): Promise<{ port: number; close: () => Promise<void> }> {
	const reply = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'ok' }] } });
	const server = createServer((req, res) => {
		req.resume();
		req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) }).end(reply));
	});
	const port = await listen(server);
	return { port, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

async function main(): Promise<void> {
	const raw = await rawServer();
	const sdk = await sdkServer();
	// The shipped composition, as the extension runs it: the real JSONL audit store (fsync off), the real file tools.
	const wb = await startWorkbench({ tools: [readFileTool] });
	const smallFile = join(wb.folders[0].path, 'small.txt');
	await writeFile(smallFile, 'export const answer = 42;\n'.repeat(40));
	const rawFile = await rawFileServer(smallFile);
	try {
		const ours = await initialize({ port: Number(new URL(wb.url).port), path: '/mcp', headers: { authorization: `Bearer ${wb.secret}` } });
		const floor = await initialize({ port: sdk.port, path: '/mcp', headers: {} });
		const rawTarget: Target = { port: raw.port, path: '/', headers: {} };

		// The SDK client (undici on Node 20) leaves one abort listener per request on its transport's signal: a
		// client-side leak that would print a warning per call after 1,500 calls, not something our server does.
		setMaxListeners(0);
		const client = new Client({ name: 'bench', version: '1' });
		await client.connect(new StreamableHTTPClientTransport(new URL(wb.url), { requestInit: { headers: { Authorization: `Bearer ${wb.secret}` } } }));

		// Interleave rounds so drift on the machine hits every row alike.
		const rows: Summary[][] = [[], [], [], [], [], []];
		const rawFileTarget: Target = { port: rawFile.port, path: '/', headers: {} };
		const readBody = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'read_file', arguments: { path: 'small.txt' } } });
		for (let round = 0; round < 3; round++) {
			rows[0].push(await measure('raw node:http keep-alive round trip', (i) => post(rawTarget, callBody(i, 'x')).then(() => undefined)));
			rows[1].push(await measure('SDK StreamableHTTPServerTransport, constant tool', (i) => post(floor, callBody(i + 1, 'constant')).then(() => undefined)));
			rows[2].push(await measure('ours: workspace_info (gate, audit, HTTP)', (i) => post(ours, callBody(i + 1, 'workspace_info')).then(() => undefined)));
			rows[3].push(await measure('ours: workspace_info via the SDK client', () => client.callTool({ name: 'workspace_info', arguments: {} }).then(() => undefined)));
			rows[4].push(await measure('raw round trip + fs.readFile of a 1 KB file', (i) => post(rawFileTarget, callBody(i, 'x')).then(() => undefined)));
			rows[5].push(await measure('ours: read_file of the same file', (i) => post(ours, readBody(i + 1)).then(() => undefined)));
		}
		const best = rows.map((runs) => runs.reduce((a, b) => (a.p50 <= b.p50 ? a : b)));
		const floorP50 = best[0].p50;
		printTable(
			`Transport: p50/p99 over ${ITERATIONS} calls (best of 3 interleaved rounds), ratio to the raw round trip`,
			best.map((s) => ({ ...s, ratio: s.p50 / floorP50 })),
		);
		const ratio = best[2].p50 / floorP50;
		console.log(`\nworkspace_info p50 is ${ratio.toFixed(2)}x the raw round trip (goal: within 2x); the SDK transport is ${(best[1].p50 / floorP50).toFixed(2)}x.`);
		console.log(`read_file p50 is ${(best[5].p50 / best[4].p50).toFixed(2)}x a raw round trip plus fs.readFile (goal: within 2x).`);
		await client.close();
	} finally {
		await wb.close();
		await rawFile.close();
		await sdk.close();
		await raw.close();
		agent.destroy();
	}
}

void main();
