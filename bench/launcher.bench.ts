/**
 * What the stdio launcher adds to a call: the SDK client calling workspace_info through the launcher
 * (StdioClientTransport, the bundle as it ships, over the private socket and over TCP) against the same client
 * calling the same server directly over Streamable HTTP, interleaved in the same run. Target: under 1 ms at p50.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioLauncher } from '../src/launcher/stdioLauncher';
import { buildLauncher } from '../test/unit/helpers/launcher';
import { startWorkbench, type TestWorkbench } from '../test/unit/helpers/workbench';
import { sampleInterleaved } from './interleaved';
import { printTable } from './stats';

const RUNS = Number(process.env.BENCH_ITERATIONS ?? 2000);

async function viaLauncher(bundle: string, root: string, wb: TestWorkbench, clientId: string): Promise<Client> {
	const client = new Client({ name: 'bench', version: '1' });
	await client.connect(new StdioClientTransport({ command: process.execPath, args: [bundle, '--client', clientId], cwd: wb.folders[0].path, env: { ...process.env, MCP_WORKBENCH_HOME: root } as Record<string, string> }));
	return client;
}

async function launcherInProcess(root: string, wb: TestWorkbench, clientId: string): Promise<() => Promise<void>> {
	const waiting = new Map<unknown, () => void>();
	const launcher = new StdioLauncher({ root, workspace: wb.folders[0].path, clientId, send: (message) => waiting.get(message.id)?.(), log: () => undefined });
	let id = 0;
	const request = (method: string, params: unknown) => new Promise<void>((resolve) => {
		const message = { jsonrpc: '2.0' as const, id: ++id, method, params };
		waiting.set(message.id, resolve);
		void launcher.receive(message);
	});
	await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
	await launcher.receive({ jsonrpc: '2.0', method: 'notifications/initialized' });
	return () => request('tools/call', { name: 'workspace_info', arguments: {} });
}

async function main(): Promise<void> {
	const results: string[] = [];
	for (const useSocket of [true, false]) {
		const root = await mkdtemp(join(tmpdir(), 'mcpwb-bench-home-'));
		const [bundle, wb] = await Promise.all([buildLauncher(), startWorkbench({ sandbox: 'none', discoveryRoot: root, useSocket })]);
		try {
			const connected = await wb.server.tokens.connect('bench');
			await wb.workbench.announcer?.sync();
			const direct = new Client({ name: 'bench', version: '1' });
			await direct.connect(new StreamableHTTPClientTransport(new URL(wb.url), { requestInit: { headers: { Authorization: `Bearer ${connected.token}` } } }));
			const launched = await viaLauncher(bundle, root, wb, connected.id);
			const call = (client: Client) => () => client.callTool({ name: 'workspace_info', arguments: {} });
			const label = useSocket ? 'launcher (private socket)' : 'launcher (loopback TCP)';
			// The launcher's own code without the stdio hop between processes: what it costs apart from the scheduler.
			const inProcess = await launcherInProcess(root, wb, connected.id);
			const [baseline, launcher, own] = await sampleInterleaved([['direct Streamable HTTP', call(direct)], [label, call(launched)], ['launcher code in-process (no SDK client)', inProcess]], RUNS);
			printTable(`workspace_info, ${RUNS} calls each`, [baseline, { ...launcher, ratio: launcher.p50 / baseline.p50 }, { ...own, ratio: own.p50 / baseline.p50 }]);
			results.push(`${label}: +${(launcher.p50 - baseline.p50).toFixed(3)} ms at p50 over direct HTTP (${baseline.p50.toFixed(3)} ms)`);
			await Promise.allSettled([direct.close(), launched.close()]);
		} finally {
			await wb.close();
			await rm(root, { recursive: true, force: true });
		}
	}
	for (const line of results) console.log(line);
}

void main().then(() => process.exit(0), (error: unknown) => {
	console.error(error);
	process.exit(1);
});
