/**
 * The gate's own cost per allowed call: a read-only call through Gate.call of the shipped composition
 * (createWorkbench: validation, preparation, policy, rate limit, run, redaction, audit append to the real JSONL store
 * with fsync off as the extension runs it, metrics) against calling the same handler directly, in one run.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeAdapters } from '../src/node/nodeAdapters';
import { createWorkbench, defaultSettings } from '../src/node/workbench';
import { workspaceInfo, workspaceTools } from '../src/tools/workspace';
import { runTool } from '../test/unit/helpers/host';
import { printTable, summarize } from './stats';

const N = Number(process.env.BENCH_ITERATIONS ?? 20000);

async function time(label: string, once: () => Promise<unknown>) {
	for (let i = 0; i < 2000; i++) await once();
	const samples: number[] = [];
	for (let i = 0; i < N; i++) {
		const start = process.hrtime.bigint();
		await once();
		samples.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	return summarize(label, samples);
}

async function main(): Promise<void> {
	const dir = await realpath(await mkdtemp(join(tmpdir(), 'gate-bench-')));
	const folders = [{ name: 'ws', path: dir, uri: `file://${dir}`, index: 0 }];
	const adapters = nodeAdapters({ folders });
	// No rate limit: 20,000 calls a run would meet the default of 600 a minute.
	const settings = defaultSettings({ rateLimits: {} });
	const workbench = createWorkbench({ version: 'bench', adapters, settings: () => settings, auditFolder: join(dir, 'audit'), auditKey: 'bench-audit-key', tools: workspaceTools, resources: [] });
	const signal = new AbortController().signal;
	const request = { tool: 'workspace_info', arguments: {}, sessionId: 's', client: { name: 'bench', version: '1' }, signal };
	const direct = await time('handler called directly', () => runTool(workspaceInfo, {}, workbench.host));
	const gated = await time('through the gate (JSONL audit store)', () => workbench.gate.call(request));
	printTable(`Gate overhead per allowed call, ${N} calls`, [direct, gated].map((r) => ({ ...r, ratio: r.p50 / direct.p50 })));
	console.log(`${gated.label}: overhead p50 ${(gated.p50 - direct.p50).toFixed(4)} ms (target < 0.1 ms)`);
	await workbench.dispose();
	await adapters.terminal.dispose();
	await rm(dir, { recursive: true, force: true });
}

void main();
