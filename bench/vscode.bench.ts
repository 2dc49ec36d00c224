// Tool calls through VS Code's own MCP client in the real editor: our workspace_info and run_command against a bare
// SDK server's constant tool (the floor), timed inside the extension host by test/integration/bench.suite.ts. Runs
// the integration harness (VSIX build, code-server, chromium) with MCP_WORKBENCH_SUITE=bench and tabulates its
// result lines. Skips (exit 0) when chromium or code-server is not available.
// Usage: node --import tsx bench/vscode.bench.ts   (MCP_WORKBENCH_BENCH_RUNS=200, MCP_WORKBENCH_BENCH_WARMUP=20)
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { printTable, summarize } from './stats';

// Must match RESULT_LINE in test/integration/bench.suite.ts, after the harness strips its report prefix.
const RESULT_MARK = 'bench-result ';

interface Harness {
	readonly HarnessError: new (...args: never[]) => Error;
	findChromium(): string;
	ensureCodeServer(): Promise<unknown>;
}

interface BenchResult {
	readonly label: string;
	readonly samples: number[];
	readonly floor?: boolean;
	readonly ranIn?: Record<string, number>;
}

const root = join(__dirname, '..');

/** The harness is plain ESM JavaScript (scripts/), shared with `npm run test:integration`. */
async function loadHarness(): Promise<Harness> {
	return (await import(pathToFileURL(join(root, 'scripts', 'vscodeHarness.mjs')).href)) as Harness;
}

async function available(harness: Harness): Promise<string | undefined> {
	try {
		harness.findChromium();
		// Installs Node 24 + code-server into the cache on the first run (minutes), as the integration tests do.
		await harness.ensureCodeServer();
		return undefined;
	} catch (error) {
		if (error instanceof harness.HarnessError) return error.message;
		throw error;
	}
}

/** Runs the suite in the editor; the child owns code-server and chromium and cleans them up itself. */
function runSuite(): Promise<{ code: number | null; results: BenchResult[] }> {
	const child = spawn(process.execPath, [join(root, 'scripts', 'integrationTests.mjs')], {
		cwd: root,
		env: { ...process.env, MCP_WORKBENCH_SUITE: 'bench' },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	// Ctrl+C reaches the child through the terminal; a plain kill of this process must not orphan the editor.
	const forward = (signal: NodeJS.Signals): void => {
		child.kill(signal);
	};
	process.on('SIGTERM', forward);
	const results: BenchResult[] = [];
	createInterface({ input: child.stdout }).on('line', (line) => {
		if (line.startsWith(RESULT_MARK)) results.push(JSON.parse(line.slice(RESULT_MARK.length)) as BenchResult);
		else console.log(`  ${line}`);
	});
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code) => {
			process.off('SIGTERM', forward);
			resolve({ code, results });
		});
	});
}

async function main(): Promise<void> {
	const harness = await loadHarness();
	const missing = await available(harness);
	if (missing) {
		console.log(`skipped: the VS Code bench needs chromium and code-server: ${missing}`);
		return;
	}
	const loadBefore = loadavg();
	const { code, results } = await runSuite();
	const loadAfter = loadavg();
	if (code !== 0 || results.length === 0) {
		console.error(`the VS Code bench failed (exit ${code}, ${results.length} result line(s)); see test-results/integration-bench/`);
		process.exitCode = 1;
		return;
	}
	const floor = results.find((r) => r.floor);
	const rows = results.map((r) => {
		const summary = summarize(r.label, r.samples);
		return floor ? { ...summary, ratio: summary.p50 / summarize(floor.label, floor.samples).p50 } : summary;
	});
	printTable(`vscode.lm.invokeTool through VS Code's MCP client (n=${rows[0].n} each; ratio = p50 / floor p50)`, rows);
	for (const r of results) if (r.ranIn) console.log(`${r.label} ran in: ${Object.entries(r.ranIn).map(([where, n]) => `${where} ×${n}`).join(', ')}`);
	if (!floor) console.log('no floor row: the bare SDK server could not be measured');
	const fmt = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
	console.log(`load average (1/5/15 min): before ${fmt(loadBefore)}, after ${fmt(loadAfter)}`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
