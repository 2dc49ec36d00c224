// Times tool calls through VS Code's own MCP client (vscode.lm.invokeTool) inside the real editor: our read-only
// workspace_info, the same call against a bare SDK server (the floor: what any MCP server costs through this client),
// and run_command with a rule that lets it run without approval. Run by `npm run bench -- vscode`
// (bench/vscode.bench.ts), which turns the result lines into a table; never part of the test run.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { EXTENSION_ID, findOurTool, harness, waitFor } from './helpers';

// Must match REPORT_PREFIX in index.ts (so the harness forwards the line) and RESULT_MARK in bench/vscode.bench.ts.
const RESULT_LINE = '[integration] bench-result ';
// The environment of `npm run bench` reaches the extension host through code-server's.
const warmup = Number(process.env.MCP_WORKBENCH_BENCH_WARMUP) || 20;
const runs = Number(process.env.MCP_WORKBENCH_BENCH_RUNS) || 200;

interface Timed {
	readonly samples: number[];
	readonly lastText: string;
}

async function invokeText(name: string, input: object): Promise<string> {
	const cancel = new vscode.CancellationTokenSource();
	try {
		const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, cancel.token);
		return result.content.flatMap((part) => (part instanceof vscode.LanguageModelTextPart ? [part.value] : [])).join('\n');
	} finally {
		cancel.dispose();
	}
}

async function timeOnce(name: string, input: object, into: number[]): Promise<string> {
	const start = performance.now();
	const text = await invokeText(name, input);
	into.push(performance.now() - start);
	return text;
}

function reportResult(label: string, timed: Timed, extra: Record<string, unknown> = {}): void {
	const samples = timed.samples.map((ms) => Math.round(ms * 1000) / 1000);
	console.log(`${RESULT_LINE}${JSON.stringify({ label, samples, ...extra })}`);
}

/** The floor: one constant read-only tool on the SDK's Streamable HTTP transport, one session per client. */
async function startFloorServer(): Promise<{ url: string; close: () => Promise<void> }> {
	const transports = new Map<string, StreamableHTTPServerTransport>();
	const server: Server = createServer((req, res) => {
		void (async () => {
			const chunks: Buffer[] = [];
			for await (const chunk of req) chunks.push(chunk as Buffer);
			const raw = Buffer.concat(chunks).toString();
			const id = req.headers['mcp-session-id'];
			let transport = typeof id === 'string' ? transports.get(id) : undefined;
			if (!transport) {
				const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
					sessionIdGenerator: randomUUID,
					onsessioninitialized: (sid: string): void => {
						transports.set(sid, created);
					},
				});
				const mcp = new McpServer({ name: 'bench-floor', version: '1.0.0' });
				mcp.registerTool('constant', { description: 'Returns a constant.', annotations: { readOnlyHint: true } }, async () => ({
					content: [{ type: 'text', text: '{"ok":true}' }],
				}));
				await mcp.connect(created);
				transport = created;
			}
			await transport.handleRequest(req, res, raw ? JSON.parse(raw) : undefined);
		})().catch((error: unknown) => {
			if (!res.headersSent) res.writeHead(500);
			res.end(String(error));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/mcp`,
		close: async () => {
			for (const transport of transports.values()) await transport.close().catch(() => undefined);
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/**
 * Starts every MCP server VS Code knows until `check` finds what it waits for. Run alone, this suite may ask before a
 * provider's definitions have reached VS Code, and a start of "all" servers then starts nothing: ask again.
 */
async function startServersUntil<T>(check: () => T | undefined, what: string): Promise<T> {
	return waitFor(async () => {
		const found = check();
		if (found) return found;
		// Not awaited on its own: a start that waits on a prompt nobody answers would otherwise hang the suite.
		const started = vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
		started.then(undefined, () => undefined);
		return waitFor(check, what, 5_000).catch(() => undefined);
	}, `${what} after workbench.mcp.startServer`, 90_000);
}

function findFloorTool(): vscode.LanguageModelToolInformation | undefined {
	return vscode.lm.tools.find((info) => info.name.startsWith('mcp_') && info.name.endsWith('_constant'));
}

describe('bench: tool calls through VS Code\'s MCP client', function () {
	this.timeout(15 * 60_000);
	const settings = () => vscode.workspace.getConfiguration('mcpWorkbench');
	const disposables: vscode.Disposable[] = [];
	let floor: Awaited<ReturnType<typeof startFloorServer>> | undefined;

	before(async function () {
		// Starting MCP servers needs a trusted workspace (the restricted run cannot answer the trust prompt).
		if (!harness.trusted) this.skip();
		await waitFor(() => vscode.extensions.getExtension(EXTENSION_ID)?.isActive, `${EXTENSION_ID} to activate`, 60_000);
		// Not helpers' ensureServerStarted: it asks once, which starts nothing when it comes first in a run.
		await startServersUntil(() => findOurTool('workspace_info'), 'workspace_info in vscode.lm.tools');
		floor = await startFloorServer();
		const url = vscode.Uri.parse(floor.url);
		disposables.push(vscode.lm.registerMcpServerDefinitionProvider('benchFloor', {
			provideMcpServerDefinitions: () => [new vscode.McpHttpServerDefinition('Bench Floor', url)],
		}));
		await startServersUntil(findFloorTool, 'the floor\'s constant tool in vscode.lm.tools');
	});

	after(async () => {
		for (const disposable of disposables) disposable.dispose();
		await settings().update('terminal.commandRules', undefined, vscode.ConfigurationTarget.Global);
		await floor?.close();
	});

	it('workspace_info against the bare SDK floor, calls interleaved', async () => {
		const ours = findOurTool('workspace_info');
		const floorTool = findFloorTool();
		assert.ok(ours && floorTool, 'both tools are listed');
		const oursTimed: Timed = { samples: [], lastText: '' };
		const floorTimed: Timed = { samples: [], lastText: '' };
		// Alternating keeps both rows under the same background load on a shared machine.
		for (let i = 0; i < warmup + runs; i++) {
			const oursInto = i < warmup ? [] : oursTimed.samples;
			const floorInto = i < warmup ? [] : floorTimed.samples;
			const oursText = await timeOnce(ours.name, {}, oursInto);
			const floorText = await timeOnce(floorTool.name, {}, floorInto);
			if (i === 0) {
				assert.ok(Array.isArray((JSON.parse(oursText) as { folders?: unknown }).folders), `workspace_info answered: ${oursText.slice(0, 300)}`);
				assert.match(floorText, /"ok":true/);
			}
		}
		reportResult('workspace_info (MCP Workbench)', oursTimed, { tool: ours.name });
		reportResult('constant (bare SDK floor)', floorTimed, { tool: floorTool.name, floor: true });
	});

	it('run_command `true` allowed by a user rule', async () => {
		const tool = findOurTool('run_command');
		assert.ok(tool, 'run_command is listed');
		await settings().update('terminal.commandRules', [{ program: 'true', action: 'allow' }], vscode.ConfigurationTarget.Global);
		const timed: Timed = { samples: [], lastText: '' };
		const ranIn = new Map<string, number>();
		for (let i = 0; i < warmup + runs; i++) {
			const text = await timeOnce(tool.name, { line: 'true' }, i < warmup ? [] : timed.samples);
			let parsed: { exitCode?: number; ranIn?: string };
			try {
				parsed = JSON.parse(text) as typeof parsed;
			} catch {
				throw new Error(`run_command did not answer JSON (approval asked?): ${text.slice(0, 300)}`);
			}
			assert.equal(parsed.exitCode, 0, text);
			if (i >= warmup) ranIn.set(String(parsed.ranIn), (ranIn.get(String(parsed.ranIn)) ?? 0) + 1);
		}
		reportResult('run_command `true`', timed, { tool: tool.name, ranIn: Object.fromEntries(ranIn) });
	});
});
