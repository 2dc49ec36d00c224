// What an agent feels on small calls, each row against its baseline in the same run (issue 16): read_file and
// list_directory of a small target against the HTTP floor (an SDK server with a constant tool) and the filesystem
// server over stdio; git_log -20 against the git CLI (and @cyanheads/git-mcp-server); run_command `echo hi` against a
// bare spawn; listTools() against the filesystem server's. Every MCP side is driven by the SDK client, one client per
// row (the SDK client leaves one abort listener per request, so a shared one would slow later rows).
// The launcher rows spawn the stdio launcher (built from src/launcher as it ships, or --launcher <bundle.mjs>) against
// the running workbench, found through its discovery files.
// Usage: npm run bench -- smallCalls [--runs 300] [--rounds 3] [--launcher dist/mcp-workbench-stdio.mjs]
import { execFile, spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { allTools } from '../src/tools/allTools';
import { defaultShell } from '../src/node/terminal/childCommand';
import { buildLauncher } from '../test/unit/helpers/launcher';
import { startWorkbench } from '../test/unit/helpers/workbench';
import { historyRepo } from './fixtures';
import { bareSpawn, sampleInterleaved, type BenchCase } from './interleaved';
import { filesystemServer, gitServer, httpFloor, launcherClient, stdioFloor, type Connected } from './peers';
import type { Summary } from './stats';

const run = promisify(execFile);

function option(name: string, fallback: string): string {
	const joined = process.argv.find((arg) => arg.startsWith(`--${name}=`));
	if (joined) return joined.slice(name.length + 3);
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const runs = Number(option('runs', '300'));
const rounds = Number(option('rounds', '3'));

/** A call that must succeed: a benchmark of an error answer measures nothing. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<void> {
	const result = await client.callTool({ name, arguments: args });
	if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content).slice(0, 400)}`);
}

interface Row {
	readonly label: string;
	readonly baseline: string;
	/** 'ratio': p50 / baseline p50 must stay under target; 'delta': p50 - baseline p50 in ms. */
	readonly kind: 'ratio' | 'delta';
	readonly target: number;
}

const ROWS: readonly Row[] = [
	{ label: 'ours read_file (HTTP)', baseline: 'HTTP floor: constant tool', kind: 'ratio', target: 2 },
	{ label: 'ours list_directory (HTTP)', baseline: 'HTTP floor: constant tool', kind: 'ratio', target: 2 },
	{ label: 'ours read_file (HTTP)', baseline: 'filesystem server read_text_file (stdio)', kind: 'ratio', target: 1.5 },
	{ label: 'ours list_directory (HTTP)', baseline: 'filesystem server list_directory (stdio)', kind: 'ratio', target: 1.5 },
	{ label: 'ours read_file (launcher)', baseline: 'filesystem server read_text_file (stdio)', kind: 'ratio', target: 1.5 },
	{ label: 'ours list_directory (launcher)', baseline: 'filesystem server list_directory (stdio)', kind: 'ratio', target: 1.5 },
	{ label: 'ours git_log 20 (HTTP)', baseline: 'git log -20 (CLI)', kind: 'delta', target: 2 },
	{ label: 'git-mcp-server git_log 20 (stdio)', baseline: 'git log -20 (CLI)', kind: 'delta', target: Number.NaN },
	{ label: 'ours git_log 20 (HTTP)', baseline: 'git log -20 in the sandbox (CLI)', kind: 'delta', target: Number.NaN },
	{ label: 'ours run_command echo hi (HTTP)', baseline: 'bare spawn: echo hi', kind: 'ratio', target: 3 },
	{ label: 'ours run_command echo hi (HTTP)', baseline: 'bare spawn in the sandbox: echo hi', kind: 'ratio', target: 3 },
	{ label: 'ours listTools (HTTP)', baseline: 'filesystem server listTools (stdio)', kind: 'ratio', target: Number.NaN },
];

async function main(): Promise<void> {
	setMaxListeners(0);
	// The shipped composition with every tool and the real sandbox where this machine has one.
	const home = await mkdtemp(join(tmpdir(), 'mcpwb-bench-home-'));
	const wb = await startWorkbench({ tools: allTools, discoveryRoot: home, useSocket: true });
	const dir = wb.folders[0].path;
	await writeFile(join(dir, 'small.txt'), 'export const answer = 42;\n'.repeat(40));
	await mkdir(join(dir, 'src'));
	for (let i = 0; i < 12; i++) await writeFile(join(dir, 'src', `file-${i}.ts`), `export const n = ${i};\n`);
	await historyRepo(dir);
	const peers: Connected[] = [];
	const own = async () => wb.connect('bench');
	try {
		const floor = await httpFloor();
		const stdioFloorPeer = await stdioFloor(dir);
		const fs = await filesystemServer(dir);
		const git = await gitServer(dir);
		peers.push(floor, stdioFloorPeer, fs, git);
		const [ownRead, ownList, ownLog, ownRun, ownTools] = [await own(), await own(), await own(), await own(), await own()];
		const fsRead = await filesystemServer(dir);
		const fsList = await filesystemServer(dir);
		peers.push(fsRead, fsList);
		const bundle = option('launcher', '') || await buildLauncher();
		const connected = await wb.server.tokens.connect('bench-launcher');
		await wb.workbench.announcer?.sync();
		const launched = await launcherClient(dir, bundle, home, connected.id);
		const launchedList = await launcherClient(dir, bundle, home, connected.id);
		peers.push(launched, launchedList);
		const shell = defaultShell();
		// The floors with the sandbox: what the same process costs wrapped as our reads and unasked commands run.
		const sandbox = wb.host.sandbox;
		const wrappedLog = await sandbox.readOnly(['git', 'log', '-20'], { cwd: dir, env: {}, gitConfig: true });
		const wrappedEcho = await sandbox.readOnly([shell, '-c', 'echo hi'], { cwd: dir, env: {} });
		const spawnWrapped = (wrapped: NonNullable<typeof wrappedLog>) => new Promise<void>((resolve, reject) => {
			const child = spawn(wrapped.file, [...wrapped.args], { cwd: dir, env: { ...wrapped.env }, stdio: ['ignore', 'pipe', 'pipe'] });
			child.stdout.resume();
			child.stderr.resume();
			child.on('error', reject);
			child.on('close', () => resolve());
		});
		const cases: BenchCase[] = [
			...(wrappedLog && wrappedEcho ? [
				['git log -20 in the sandbox (CLI)', () => spawnWrapped(wrappedLog)],
				['bare spawn in the sandbox: echo hi', () => spawnWrapped(wrappedEcho)],
			] satisfies BenchCase[] : []),
			['HTTP floor: constant tool', () => call(floor.client, 'constant', {})],
			['stdio floor: constant tool', () => call(stdioFloorPeer.client, 'constant', {})],
			['ours read_file (HTTP)', () => call(ownRead, 'read_file', { path: 'small.txt' })],
			['ours list_directory (HTTP)', () => call(ownList, 'list_directory', { path: 'src' })],
			['filesystem server read_text_file (stdio)', () => call(fsRead.client, 'read_text_file', { path: join(dir, 'small.txt') })],
			['filesystem server list_directory (stdio)', () => call(fsList.client, 'list_directory', { path: join(dir, 'src') })],
			['git log -20 (CLI)', () => run('git', ['log', '-20'], { cwd: dir })],
			['ours git_log 20 (HTTP)', () => call(ownLog, 'git_log', { count: 20 })],
			['git-mcp-server git_log 20 (stdio)', () => call(git.client, 'git_log', { path: dir, maxCount: 20 })],
			['bare spawn: echo hi', () => bareSpawn(shell, 'echo hi')],
			['ours run_command echo hi (HTTP)', () => call(ownRun, 'run_command', { line: 'echo hi' })],
			['ours listTools (HTTP)', () => ownTools.listTools()],
			['filesystem server listTools (stdio)', () => fs.client.listTools()],
			['ours read_file (launcher)', () => call(launched.client, 'read_file', { path: 'small.txt' })],
			['ours list_directory (launcher)', () => call(launchedList.client, 'list_directory', { path: 'src' })],
		];
		const all: Summary[][] = [];
		for (let round = 0; round < rounds; round++) {
			all.push(await sampleInterleaved(cases, runs));
			process.stderr.write(`round ${round + 1}/${rounds} done\n`);
		}
		report(cases.map(([label]) => label), all);
		const [ours, theirs] = [await ownTools.listTools(), await fs.client.listTools()];
		console.log(`\ntools/list: ours ${ours.tools.length} tools, ${JSON.stringify(ours.tools).length} bytes; filesystem server ${theirs.tools.length} tools, ${JSON.stringify(theirs.tools).length} bytes`);
	} finally {
		await Promise.allSettled(peers.map((p) => p.close()));
		await wb.close();
		await rm(home, { recursive: true, force: true });
	}
}

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Per case: the median over rounds of each round's p50, with the spread (lowest and highest round). */
function report(labels: readonly string[], results: readonly Summary[][]): void {
	const p50s = new Map(labels.map((label, i) => [label, results.map((round) => round[i].p50)]));
	const p99s = new Map(labels.map((label, i) => [label, results.map((round) => round[i].p99)]));
	const width = Math.max(...labels.map((l) => l.length));
	console.log(`\nSmall calls: p50 per round (${runs} interleaved calls each), median of ${rounds} rounds [lowest-highest round]`);
	console.log(`${'case'.padEnd(width)}  ${'p50 ms'.padStart(8)}  ${'spread'.padStart(15)}  ${'p99 ms'.padStart(8)}`);
	for (const label of labels) {
		const values = p50s.get(label) ?? [];
		console.log(`${label.padEnd(width)}  ${median(values).toFixed(3).padStart(8)}  ${`[${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}]`.padStart(15)}  ${median(p99s.get(label) ?? []).toFixed(3).padStart(8)}`);
	}
	console.log('\nAgainst the baselines (per round, then the median of the rounds):');
	for (const row of ROWS) {
		const ours = p50s.get(row.label);
		const base = p50s.get(row.baseline);
		if (!ours || !base) continue;
		const values = ours.map((v, i) => (row.kind === 'ratio' ? v / base[i] : v - base[i]));
		const shown = (v: number) => (row.kind === 'ratio' ? `${v.toFixed(2)}x` : `${v >= 0 ? '+' : ''}${v.toFixed(2)} ms`);
		const verdict = Number.isNaN(row.target) ? '' : median(values) <= row.target ? `  target ${row.kind === 'ratio' ? `<= ${row.target}x` : `<= +${row.target} ms`}: met` : `  target ${row.kind === 'ratio' ? `<= ${row.target}x` : `<= +${row.target} ms`}: NOT met`;
		console.log(`  ${row.label} vs ${row.baseline}: ${shown(median(values))} [${values.map(shown).join(', ')}]${verdict}`);
	}
	const tools = p50s.get('ours listTools (HTTP)');
	if (tools) console.log(`  ours listTools p50 ${median(tools).toFixed(2)} ms (target < 15 ms): ${median(tools) < 15 ? 'met' : 'NOT met'}`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
