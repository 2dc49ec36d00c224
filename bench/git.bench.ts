// Git tools against the git CLI on the same repository in the same run: status, diff and log -20.
// Usage: node --import tsx bench/git.bench.ts [--sizes 20000,100000] [--runs 9], or npm run bench -- git --sizes=20000
import { execFile } from 'node:child_process';
import { readFile, realpath, rm, writeFile, appendFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AnyToolSpec } from '../src/core/tools/toolSpec';
import { runTool } from '../test/unit/helpers/host';
import { benchHost } from './benchHost';
import { gitTools } from '../src/tools/git';
import { cachedWorkspace } from './fixtures';

const run = promisify(execFile);
const GIT_FIXTURE_VERSION = 1;
const MODIFIED_FILES = 25;
const UNTRACKED_FILES = 5;

/** `--name value` or `--name=value` (the second form survives scripts/bench.mjs, which keeps only `--` arguments). */
function option(name: string, fallback: string): string {
	const joined = process.argv.find((arg) => arg.startsWith(`--${name}=`));
	if (joined) {
		return joined.slice(name.length + 3);
	}
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

function cacheRoot(): string {
	return process.env.MCP_WORKBENCH_CACHE ?? join(homedir(), '.cache', 'mcp-workbench');
}

async function gitCli(cwd: string, args: string[]): Promise<string> {
	const { stdout } = await run('git', args, { cwd, maxBuffer: 512 * 1024 * 1024 });
	return stdout;
}

/**
 * A committed copy of the generated workspace with a few modified and untracked files, built once and cached.
 * The marker is written last, so an interrupted build is redone rather than reused.
 */
async function gitWorkspace(fileCount: number): Promise<string> {
	const dir = join(cacheRoot(), 'bench', `git-${fileCount}`);
	const marker = `${dir}.complete`;
	const expected = `v${GIT_FIXTURE_VERSION} ${fileCount}\n`;
	if ((await readFile(marker, 'utf8').catch(() => undefined)) === expected) {
		return dir;
	}
	await rm(marker, { force: true });
	await rm(dir, { recursive: true, force: true });
	const source = await cachedWorkspace(fileCount);
	process.stderr.write(`building ${dir} (one time)…\n`);
	await run('cp', ['-a', source, dir]);
	const identity = ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com'];
	await gitCli(dir, ['init', '-q', '-b', 'main']);
	await gitCli(dir, ['add', '-A']);
	await gitCli(dir, [...identity, 'commit', '-q', '-m', 'generated workspace']);
	const tracked = (await gitCli(dir, ['ls-files', '--', 'packages'])).split('\n').filter((p) => p.endsWith('.ts'));
	for (let i = 0; i < MODIFIED_FILES; i++) {
		const path = tracked[Math.floor((i * tracked.length) / MODIFIED_FILES)];
		await appendFile(join(dir, path), `export const benchEdit${i} = ${i};\n`);
	}
	// A second commit so log has history that touches more than one tree.
	await gitCli(dir, ['add', '--', tracked[0]]);
	await gitCli(dir, [...identity, 'commit', '-q', '-m', 'second commit']);
	await appendFile(join(dir, tracked[0]), 'export const afterSecond = 1;\n');
	for (let i = 0; i < UNTRACKED_FILES; i++) {
		await writeFile(join(dir, `untracked-${i}.txt`), `untracked ${i}\n`);
	}
	// Fresh stat data in the index, so neither side pays for re-hashing racily clean files.
	await gitCli(dir, ['update-index', '-q', '--refresh']).catch(() => '');
	await gitCli(dir, ['status']);
	await writeFile(marker, expected);
	return dir;
}

function tool(name: string): AnyToolSpec {
	const spec = gitTools.find((t) => t.name === name);
	if (!spec) {
		throw new Error(`no tool ${name}`);
	}
	return spec;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await fn();
	return performance.now() - start;
}

interface Row { size: number; op: string; ours: number; cli: number; ratio: number; bytes: number }

async function benchSize(fileCount: number, runs: number): Promise<Row[]> {
	const dir = await realpath(await gitWorkspace(fileCount));
	const host = benchHost({ name: `git-${fileCount}`, path: dir, uri: `file://${dir}`, index: 0 });
	const cases: { op: string; tool: string; input: Record<string, unknown>; cli: string[] }[] = [
		{ op: 'status', tool: 'git_status', input: {}, cli: ['status', '--porcelain=v2', '--branch'] },
		{ op: 'diff', tool: 'git_diff', input: {}, cli: ['diff'] },
		{ op: 'log -20', tool: 'git_log', input: { count: 20 }, cli: ['log', '-20'] },
	];
	const rows: Row[] = [];
	for (const c of cases) {
		const spec = tool(c.tool);
		const ours = async () => runTool(spec, c.input, host);
		const cli = async () => gitCli(dir, c.cli);
		let bytes = 0;
		let warm = 0;
		// Warm the page cache and both code paths before measuring.
		for (let i = 0; i < 2; i++) {
			bytes = (await ours()).text.length;
			warm = await time(cli);
		}
		// Millisecond operations are at the mercy of scheduler noise; more samples steady their median.
		const samples = warm < 50 ? runs * 5 : runs;
		const oursTimes: number[] = [];
		const cliTimes: number[] = [];
		// Interleaved, so drift (cache, CPU frequency) hits both sides alike.
		for (let i = 0; i < samples; i++) {
			oursTimes.push(await time(ours));
			cliTimes.push(await time(cli));
		}
		const row = { size: fileCount, op: c.op, ours: median(oursTimes), cli: median(cliTimes), ratio: 0, bytes };
		row.ratio = row.ours / row.cli;
		rows.push(row);
	}
	return rows;
}

async function main(): Promise<void> {
	const sizes = option('sizes', '20000,100000').split(',').map(Number);
	const runs = Number(option('runs', '9'));
	const rows: Row[] = [];
	for (const size of sizes) {
		rows.push(...await benchSize(size, runs));
	}
	const { stdout: version } = await run('git', ['--version']);
	console.log(`\ngit tools vs git CLI (${version.trim()}, median of ${runs} interleaved runs, ×5 for operations under 50 ms, target ratio ≤ 1.20)\n`);
	console.log(`${'files'.padStart(7)}  ${'operation'.padEnd(9)}  ${'ours ms'.padStart(9)}  ${'CLI ms'.padStart(9)}  ${'ratio'.padStart(6)}  ${'result bytes'.padStart(12)}`);
	for (const row of rows) {
		const flag = row.ratio <= 1.2 ? '' : '  over target';
		console.log(`${String(row.size).padStart(7)}  ${row.op.padEnd(9)}  ${row.ours.toFixed(1).padStart(9)}  ${row.cli.toFixed(1).padStart(9)}  ${row.ratio.toFixed(2).padStart(6)}  ${String(row.bytes).padStart(12)}${flag}`);
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
