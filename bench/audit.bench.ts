// Audit, redaction, metrics and rate-limit throughput. Run: node --import tsx bench/audit.bench.ts
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AuditEntry } from '../src/core/audit/auditRecord';
import { Metrics } from '../src/core/gate/metrics';
import { RateLimiter } from '../src/core/gate/rateLimit';
import { Redactor } from '../src/core/gate/redaction';
import { AuditStore } from '../src/node/audit/auditStore';

setFlagsFromString('--expose-gc');
/** The chain's HMAC key for the benchmark's stores; any string will do. */
const BENCH_AUDIT_KEY = 'bench-audit-key';
const gc = runInNewContext('gc') as () => void;

const rows: { what: string; result: string }[] = [];
function report(what: string, result: string): void {
	rows.push({ what, result });
	console.log(`${what.padEnd(58)} ${result}`);
}

function entry(i: number): AuditEntry {
	return {
		time: new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString(),
		client: { name: 'Visual Studio Code', version: '1.105.0' },
		sessionId: `session-${i % 7}`,
		tool: ['read_file', 'write_file', 'git_status', 'run_command', 'list_dir'][i % 5],
		family: 'files',
		arguments: { path: `src/module${i % 300}/file${i}.ts`, startLine: i % 100, endLine: (i % 100) + 40 },
		summary: `read src/module${i % 300}/file${i}.ts`,
		decision: i % 11 === 0 ? 'deny' : 'allow',
		decidedBy: 'default:read',
		...(i % 11 === 0 ? { reason: 'Blocked by setting mcpWorkbench.policy.tools' } : {}),
		durationMs: i % 50,
		outcome: i % 11 === 0 ? 'denied' : 'ok',
		resultBytes: 2_000 + (i % 1_000),
		truncated: false,
	};
}

async function time<T>(run: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
	const start = performance.now();
	const value = await run();
	return { ms: performance.now() - start, value };
}

async function appends(folder: string, fsync: boolean): Promise<void> {
	const count = fsync ? 2_000 : 10_000;
	const sequential = new AuditStore(join(folder, `seq-${fsync}`), { key: BENCH_AUDIT_KEY, fsync });
	const seq = await time(async () => {
		for (let i = 0; i < count; i++) {
			await sequential.append(entry(i));
		}
	});
	await sequential.close();
	report(`append, sequential awaited (fsync ${fsync ? 'on' : 'off'}, ${count})`, `${Math.round(count / (seq.ms / 1000)).toLocaleString()} records/s`);
	const concurrent = new AuditStore(join(folder, `con-${fsync}`), { key: BENCH_AUDIT_KEY, fsync });
	const con = await time(() => Promise.all(Array.from({ length: count }, (_, i) => concurrent.append(entry(i)))));
	await concurrent.close();
	report(`append, ${count} concurrent (fsync ${fsync ? 'on' : 'off'})`, `${Math.round(count / (con.ms / 1000)).toLocaleString()} records/s`);
}

async function bigStore(folder: string): Promise<void> {
	const path = join(folder, 'big');
	const count = 100_000;
	const writer = new AuditStore(path, { key: BENCH_AUDIT_KEY, fsync: false });
	const written = await time(() => Promise.all(Array.from({ length: count }, (_, i) => writer.append(entry(i)))));
	await writer.close();
	report(`write ${count.toLocaleString()} records (fsync off, setup)`, `${(written.ms / 1000).toFixed(1)} s`);

	gc();
	const before = process.memoryUsage();
	const store = new AuditStore(path, { key: BENCH_AUDIT_KEY });
	const opened = await time(() => store.open());
	gc();
	const after = process.memoryUsage();
	report(`open ${opened.value.records.toLocaleString()} records in ${opened.value.files} files`, `${opened.ms.toFixed(0)} ms`);
	report('memory held by the open store (heap + external)', `${((after.heapUsed + after.external - before.heapUsed - before.external) / 1024 / 1024).toFixed(1)} MB (${Math.round((after.heapUsed - before.heapUsed) / count)} B/record heap)`);

	const cases: [string, Parameters<AuditStore['query']>[0]][] = [
		['query newest 200, no filter', { limit: 200 }],
		['query newest 200, tool filter', { limit: 200, filter: { tool: 'git_status' } }],
		['query newest 200, text filter (common: "module1")', { limit: 200, filter: { text: 'module1' } }],
		['query newest 200, text filter (rare: "file99999.ts")', { limit: 200, filter: { text: 'file99999.ts' } }],
		['query page at offset 50,000, outcome filter', { offset: 50_000, limit: 200, filter: { outcome: 'ok' } }],
	];
	const firstText = await time(() => store.query({ limit: 200, filter: { text: 'warm-up' } }));
	report('first text query (builds the search-text cache)', `${firstText.ms.toFixed(0)} ms`);
	for (const [what, request] of cases) {
		await store.query(request);
		const runs = 5;
		const result = await time(async () => {
			let total = 0;
			for (let i = 0; i < runs; i++) {
				total = (await store.query(request)).total;
			}
			return total;
		});
		report(what, `${(result.ms / runs).toFixed(1)} ms (total ${result.value.toLocaleString()})`);
	}
	gc();
	const searched = process.memoryUsage();
	report('memory after text queries (adds the search-text cache)', `${((searched.heapUsed + searched.external - before.heapUsed - before.external) / 1024 / 1024).toFixed(1)} MB`);
	const verified = await time(() => store.verify());
	report(`verify ${verified.value.records.toLocaleString()} records (ok ${verified.value.ok})`, `${verified.ms.toFixed(0)} ms`);
	const json = await time(() => store.exportJson());
	report('export JSON, all records', `${json.ms.toFixed(0)} ms (${(json.value.length / 1024 / 1024).toFixed(1)} MB)`);
	const csv = await time(() => store.exportCsv());
	report('export CSV, all records', `${csv.ms.toFixed(0)} ms (${(csv.value.length / 1024 / 1024).toFixed(1)} MB)`);
	await store.close();
}

async function redaction(): Promise<void> {
	const redactor = new Redactor();
	redactor.addSecret('Zq9-server-bearer-secret-value');
	const code = (await readFile(join(__dirname, '..', 'node_modules', 'typescript', 'lib', 'lib.dom.d.ts'), 'utf8')).slice(0, 4_000_000);
	redactor.redactText(code.slice(0, 100_000));
	const text = await time(() => redactor.redactText(code));
	report('redactText, TypeScript source (4 MB, few secrets)', `${(code.length / 1024 / 1024 / (text.ms / 1000)).toFixed(0)} MB/s`);
	const secrets = Array.from({ length: 20_000 }, (_, i) => `line ${i} token=abc${i} ghp_${'a'.repeat(36)} AKIAIOSFODNN7EXAMPLE`).join('\n');
	const dense = await time(() => redactor.redactText(secrets));
	report(`redactText, secret-dense text (${(secrets.length / 1024 / 1024).toFixed(1)} MB, 60,000 secrets)`, `${(secrets.length / 1024 / 1024 / (dense.ms / 1000)).toFixed(0)} MB/s`);
	const args = entry(1).arguments;
	const runs = 100_000;
	const values = await time(() => {
		for (let i = 0; i < runs; i++) {
			redactor.redact(args);
		}
	});
	report('redact(arguments), small object', `${Math.round(runs / (values.ms / 1000)).toLocaleString()} calls/s`);
}

async function metricsAndLimits(): Promise<void> {
	const metrics = new Metrics();
	const runs = 1_000_000;
	const recorded = await time(() => {
		for (let i = 0; i < runs; i++) {
			metrics.record(`tool${i % 20}`, 'ok', (i % 5_000) / 3);
		}
	});
	report('metrics.record', `${Math.round(runs / (recorded.ms / 1000)).toLocaleString()} calls/s`);
	const exposition = await time(() => metrics.toPrometheus());
	report('metrics.toPrometheus, 20 tools', `${exposition.ms.toFixed(2)} ms`);
	const limiter = new RateLimiter({ defaultPerToolPerMinute: 600, perSessionPerMinute: 1_000 });
	const checked = await time(() => {
		for (let i = 0; i < runs; i++) {
			limiter.check(`tool${i % 20}`, `s${i % 50}`, i);
		}
	});
	report('rateLimiter.check', `${Math.round(runs / (checked.ms / 1000)).toLocaleString()} calls/s`);
}

async function main(): Promise<void> {
	const folder = await mkdtemp(join(tmpdir(), 'mcpwb-audit-bench-'));
	try {
		console.log(`Node ${process.version}, ${process.platform}/${process.arch}\n`);
		await appends(folder, true);
		await appends(folder, false);
		await redaction();
		await metricsAndLimits();
		await bigStore(folder);
	} finally {
		await rm(folder, { recursive: true, force: true });
	}
	console.log('\n| measurement | result |\n| --- | --- |');
	for (const { what, result } of rows) {
		console.log(`| ${what} | ${result} |`);
	}
}

void main();
