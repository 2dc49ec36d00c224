/**
 * The gate's own cost per allowed call: a read-only call through Gate.call (validation, policy, rate limit, run,
 * redaction, audit append to the real JSONL store, metrics) against calling the same handler directly, in one run.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApprovalBroker } from '../src/core/gate/approvals';
import type { AuditSink } from '../src/core/audit/auditRecord';
import { Gate } from '../src/core/gate/gate';
import type { Host } from '../src/core/host/host';
import { silentLogger } from '../src/core/base/log';
import { Redactor } from '../src/core/gate/redaction';
import { ToolRegistry } from '../src/core/tools/toolRegistry';
import { NodePathJail } from '../src/node/files/pathJail';
import { workspaceInfo, workspaceTools } from '../src/tools/workspace/index';
import { AuditStore } from '../src/node/audit/auditStore';
import { MemoryAudit } from '../test/unit/helpers/workbench';
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
	const host = {
		workspace: { folders: () => folders, isTrusted: () => true, versions: { editor: '1', appName: 'bench', extension: '0' }, enabledFamilies: () => ['workspace'] },
		jail: new NodePathJail(() => folders),
	} as unknown as Host;
	const redactor = new Redactor();
	const makeGate = (audit: AuditSink) =>
		new Gate({
			registry: new ToolRegistry(workspaceTools),
			host,
			approvals: new ApprovalBroker({ now: Date.now, setTimeout, clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) }, () => 1000, () => folders),
			audit,
			settings: () => ({ trusted: true, families: ['workspace'], policy: { tools: {}, rules: [], sensitivePaths: [] }, callTimeoutMs: 10_000, maxOutputBytes: 256 * 1024 }),
			rateLimit: { check: () => ({ ok: true }) },
			metrics: { record() {} },
			redact: { value: (v) => redactor.redact(v), text: (t) => redactor.redactText(t) },
			hash: (text) => createHash('sha256').update(text).digest('hex'),
			log: silentLogger,
		});
	const signal = new AbortController().signal;
	const request = { tool: 'workspace_info', arguments: {}, sessionId: 's', client: { name: 'bench', version: '1' }, signal };
	const context = { host, signal, progress() {}, maxOutputBytes: 256 * 1024 };
	const memoryGate = makeGate(new MemoryAudit());
	const direct = await time('handler called directly', () => workspaceInfo.handler({}, context));
	const gated = await time('through the gate (in-memory audit)', () => memoryGate.call(request));
	const rows = [direct, gated];
	// fsync off, as the extension runs it: a completed write survives a crash of the extension host.
	const store = new AuditStore(join(dir, 'audit'), { fsync: false });
	await store.open();
	const storeGate = makeGate(store);
	rows.push(await time('through the gate (JSONL audit store)', () => storeGate.call(request)));
	await store.close();
	printTable(`Gate overhead per allowed call, ${N} calls`, rows.map((r) => ({ ...r, ratio: r.p50 / direct.p50 })));
	for (const row of rows.slice(1)) console.log(`${row.label}: overhead p50 ${(row.p50 - direct.p50).toFixed(4)} ms (target < 0.1 ms)`);
	await rm(dir, { recursive: true, force: true });
}

void main();
