// Peer MCP servers the benches compare against: the pinned packages of bench/peers/package.json (installed by
// `npm run bench` on first use, never part of the extension's dependencies), the SDK's own floors, and the stdio
// launcher of the reach issue where it exists.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

const benchDir = new URL('.', import.meta.url).pathname;
const peersModules = join(benchDir, 'peers', 'node_modules');

export interface Connected {
	readonly client: Client;
	close(): Promise<void>;
}

async function stdioClient(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Connected> {
	const client = new Client({ name: 'bench', version: '1' });
	// stderr ignored: a peer's logging must not interleave with the tables.
	await client.connect(new StdioClientTransport({ command, args, cwd, env: { ...(process.env as Record<string, string>), ...env }, stderr: 'ignore' }));
	return { client, close: () => client.close() };
}

function peer(path: string): string {
	const full = join(peersModules, path);
	if (!existsSync(full)) throw new Error(`${full} is missing: run the bench through \`npm run bench\`, which installs bench/peers`);
	return full;
}

/** @modelcontextprotocol/server-filesystem over stdio, allowed `dir`. */
export function filesystemServer(dir: string): Promise<Connected> {
	return stdioClient(process.execPath, [peer('@modelcontextprotocol/server-filesystem/dist/index.js'), dir], dir);
}

/** @cyanheads/git-mcp-server over stdio, working in `dir`. */
export function gitServer(dir: string): Promise<Connected> {
	return stdioClient(process.execPath, [peer('@cyanheads/git-mcp-server/dist/index.js')], dir, { MCP_TRANSPORT_TYPE: 'stdio', MCP_LOG_LEVEL: 'error', GIT_BASE_DIR: dir, LOGS_DIR: join(dir, '..', 'git-mcp-logs') });
}

/** The stdio floor: an SDK server with one constant tool. */
export function stdioFloor(dir: string): Promise<Connected> {
	return stdioClient(process.execPath, [join(benchDir, 'floorStdio.mjs')], dir);
}

/** The HTTP floor: an SDK McpServer with one constant tool behind StreamableHTTPServerTransport, and its SDK client. */
export async function httpFloor(): Promise<Connected> {
	const transports = new Map<string, StreamableHTTPServerTransport>();
	const server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
		const id = req.headers['mcp-session-id'];
		let transport = typeof id === 'string' ? transports.get(id) : undefined;
		if (!transport) {
			const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, enableJsonResponse: true, onsessioninitialized: (sid) => void transports.set(sid, created) });
			const mcp = new McpServer({ name: 'floor', version: '1' });
			mcp.registerTool('constant', { description: 'constant' }, async () => ({ content: [{ type: 'text', text: 'ok' }] }));
			await mcp.connect(created);
			transport = created;
		}
		await transport.handleRequest(req, res, body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
	const client = new Client({ name: 'bench', version: '1' });
	await client.connect(new StreamableHTTPClientTransport(url));
	return {
		client,
		async close() {
			await client.close();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

/**
 * The stdio launcher of the reach issue as a client spawns it: `node <bundle> --client <id>` in the workspace, finding
 * the running server through the discovery files under `home` (MCP_WORKBENCH_HOME), as "Connect a Client…" sets it up.
 */
export function launcherClient(dir: string, bundle: string, home: string, clientId: string): Promise<Connected> {
	return stdioClient(process.execPath, [bundle, '--client', clientId], dir, { MCP_WORKBENCH_HOME: home });
}
