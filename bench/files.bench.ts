// Find-by-glob and text search through our handlers vs the ripgrep CLI on the same generated tree, same run.
// Usage: node --import tsx bench/files.bench.ts [--sizes 20000,100000] [--runs 5]
import { spawn } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Host, WorkspaceFolderInfo } from '../src/core/host/host';
import type { AnyToolSpec } from '../src/core/tools/toolSpec';
import { benchHost } from './benchHost';
import { findFilesTool, searchTextTool } from '../src/tools/files/search';
import { cachedWorkspace } from './fixtures';
import { NodeFileIndex } from '../src/node/files/fileIndex';
import { nodeFolderWatcher } from '../src/node/files/nodeFolderWatcher';

const RG_COMMON = ['--hidden', '--no-require-git', '--no-config', '--glob', '!.git'];
const NO_LIMIT = 10_000_000;

function option(name: string, fallback: string): string {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

/**
 * A tool's prepare and handler on input given as already parsed: the cases ask for more results than the schema's
 * limit allows, so the whole result set can be compared with rg's.
 */
async function runParsed(tool: AnyToolSpec, input: unknown, host: Host) {
	const { subject, plan } = (await tool.prepare?.(input, host)) ?? { subject: {}, plan: undefined };
	return tool.handler(input, { host, signal: new AbortController().signal, progress() {}, maxOutputBytes: 256 * 1024, approvedByPerson: false, subject, plan });
}

function rgLines(cwd: string, args: string[]): Promise<string[]> {
	return new Promise((resolve, reject) => {
		const child = spawn('rg', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
		const chunks: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 || code === 1 ? resolve(Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean)) : reject(new Error(`rg exit ${code}`))));
	});
}

function median(times: number[]): number {
	const sorted = [...times].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Runs both sides alternately, so load from anything else on the machine falls on both alike, and returns the
 * median time of each with the last result.
 */
async function interleaved<A, B>(runs: number, ours: () => Promise<A>, theirs: () => Promise<B>): Promise<{ oursMs: number; theirsMs: number; ourResult: A; theirResult: B }> {
	const ourTimes: number[] = [];
	const theirTimes: number[] = [];
	let ourResult!: A;
	let theirResult!: B;
	for (let i = 0; i < runs; i++) {
		let start = performance.now();
		ourResult = await ours();
		ourTimes.push(performance.now() - start);
		start = performance.now();
		theirResult = await theirs();
		theirTimes.push(performance.now() - start);
	}
	return { oursMs: median(ourTimes), theirsMs: median(theirTimes), ourResult, theirResult };
}

interface Case {
	readonly name: string;
	readonly tool: AnyToolSpec;
	/** Handler input; limits beyond the schema's maximum so both sides return the full set. */
	readonly input: Record<string, unknown>;
	readonly rgArgs: string[];
	/** The handler's answer as a set of keys comparable with rg's lines. */
	readonly ours: (structured: unknown) => string[];
	readonly theirs: (lines: string[]) => string[];
	/** With a result limit ours is a subset of rg's full answer, of exactly that size. */
	readonly limit?: number;
}

const searchKeys = (structured: unknown) => (structured as { files: { path: string; lines: { line: number; match: boolean }[] }[] }).files.flatMap((f) => f.lines.filter((l) => l.match).map((l) => `${f.path}:${l.line}`));
const rgMatchKeys = (lines: string[]) => lines.map((line) => line.split(':').slice(0, 2).join(':'));

const CASES: readonly Case[] = [
	{ name: 'find_files **/*.ts', tool: findFilesTool, input: { pattern: '**/*.ts', path: '', includeIgnored: false, limit: NO_LIMIT }, rgArgs: ['--files', ...RG_COMMON, '--glob', '**/*.ts'], ours: (s) => (s as { files: string[] }).files, theirs: (l) => l },
	{ name: 'find_files *.css', tool: findFilesTool, input: { pattern: '*.css', path: '', includeIgnored: false, limit: NO_LIMIT }, rgArgs: ['--files', ...RG_COMMON, '--glob', '*.css'], ours: (s) => (s as { files: string[] }).files, theirs: (l) => l },
	{ name: 'search_text literal', tool: searchTextTool, input: { query: 'needle-marker', regex: false, caseSensitive: false, include: [], exclude: [], contextLines: 0, path: '', includeIgnored: false, limit: NO_LIMIT }, rgArgs: [...RG_COMMON, '-n', '--ignore-case', '--fixed-strings', '-e', 'needle-marker'], ours: searchKeys, theirs: rgMatchKeys },
	{ name: 'search_text regex', tool: searchTextTool, input: { query: 'TODO\\((user|cache)\\)', regex: true, caseSensitive: true, include: [], exclude: [], contextLines: 0, path: '', includeIgnored: false, limit: NO_LIMIT }, rgArgs: [...RG_COMMON, '-n', '--case-sensitive', '-e', 'TODO\\((user|cache)\\)'], ours: searchKeys, theirs: rgMatchKeys },
	{ name: 'search_text common word', tool: searchTextTool, input: { query: 'lookup', regex: false, caseSensitive: false, include: ['*.ts'], exclude: [], contextLines: 0, path: '', includeIgnored: false, limit: NO_LIMIT }, rgArgs: [...RG_COMMON, '-n', '--ignore-case', '--fixed-strings', '--glob', '*.ts', '-e', 'lookup'], ours: searchKeys, theirs: rgMatchKeys },
	{ name: 'search_text common word, limit 200', tool: searchTextTool, input: { query: 'lookup', regex: false, caseSensitive: false, include: ['*.ts'], exclude: [], contextLines: 0, path: '', includeIgnored: false, limit: 200 }, rgArgs: [...RG_COMMON, '-n', '--ignore-case', '--fixed-strings', '--glob', '*.ts', '-e', 'lookup'], ours: searchKeys, theirs: rgMatchKeys, limit: 200 },
	{ name: 'find_files **/*.ts, limit 200', tool: findFilesTool, input: { pattern: '**/*.ts', path: '', includeIgnored: false, limit: 200 }, rgArgs: ['--files', ...RG_COMMON, '--glob', '**/*.ts'], ours: (s) => (s as { files: string[] }).files, theirs: (l) => l, limit: 200 },
];

const indexNotes: string[] = [];

interface IndexMemory {
	readonly files: number;
	readonly folders: number;
	readonly buildMs: number;
	readonly heap: number;
	readonly external: number;
	readonly rss: number;
}

/** The index's memory once built, measured in a process of its own (bench/fileIndexMemory.ts). */
function indexMemory(dir: string, watch: 'node' | 'none'): Promise<IndexMemory> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/fileIndexMemory.ts', dir, '--watch', watch], { stdio: ['ignore', 'pipe', 'inherit'] });
		const chunks: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as IndexMemory) : reject(new Error(`fileIndexMemory exit ${code}`))));
	});
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/**
 * find_files answered by the watched index (built first; its build time and memory reported) against the rg CLI,
 * same result-set check as the ripgrep rows.
 */
async function indexRows(size: number, dir: string, folder: WorkspaceFolderInfo, runs: number, same: (ok: boolean) => void): Promise<string[][]> {
	// Every folder of the generated tree watched (about one per 1.7 files, far more than real repositories have).
	const index = new NodeFileIndex({ watcher: nodeFolderWatcher, excludes: () => ({ files: [], search: [] }), maxFolders: Number.POSITIVE_INFINITY });
	const started = performance.now();
	await index.find(folder, '', () => true, 1);
	if (!(await index.ready(folder))) throw new Error('the index did not build');
	const buildMs = performance.now() - started;
	const stats = index.stats(folder);
	const rgAll = await interleaved(1, async () => undefined, () => rgLines(dir, ['--files', ...RG_COMMON]));
	indexNotes.push(`index ${size}: ${stats?.files} files in ${stats?.folders} watched folders, built in ${buildMs.toFixed(0)} ms (rg --files of the whole tree: ${rgAll.theirsMs.toFixed(0)} ms)`);
	// Measured apart: the list and its folders alone (a watcher in another process, as VS Code's is), then with the
	// Node composition's fs.watch per folder. Heap and external are exact after a full collection; resident memory
	// also counts what the heap does not show (libuv's watch lists, the FSEvent handles) and the heap's own slack.
	for (const watch of ['none', 'node'] as const) {
		const memory = await indexMemory(dir, watch);
		const total = memory.heap + memory.external;
		indexNotes.push(`index ${size} memory, ${watch === 'none' ? 'list and folders only (watcher in another process)' : 'with fs.watch per folder (Node composition)'}: heap + external ${mb(total)} MB (heap ${mb(memory.heap)}, external ${mb(memory.external)}), resident +${mb(memory.rss)} MB; target < 30 MB at 100,000 files`);
	}
	const host = benchHost(folder, index);
	const rows: string[][] = [];
	try {
		for (const benchCase of CASES.filter((c) => c.tool === findFilesTool)) {
			await runParsed(benchCase.tool, benchCase.input, host);
			const run = await interleaved(runs * 3, () => runParsed(benchCase.tool, benchCase.input, host), () => rgLines(dir, benchCase.rgArgs));
			const ourKeys = benchCase.ours(run.ourResult.structured).sort();
			const theirKeys = benchCase.theirs(run.theirResult).sort();
			const theirSet = new Set(theirKeys);
			const ok = benchCase.limit !== undefined
				? ourKeys.length === Math.min(benchCase.limit, theirKeys.length) && ourKeys.every((key) => theirSet.has(key))
				: ourKeys.length === theirKeys.length && ourKeys.every((key, i) => key === theirKeys[i]);
			same(ok);
			rows.push([String(size), `${benchCase.name} (index)`, String(ourKeys.length), ok ? (benchCase.limit ? 'subset' : 'yes') : `NO (rg ${theirKeys.length})`, run.oursMs.toFixed(1), run.theirsMs.toFixed(1), `${(run.oursMs / run.theirsMs).toFixed(2)}x${run.oursMs < 50 ? '' : ' (over 50 ms)'}`]);
		}
	} finally {
		index.dispose();
	}
	return rows;
}

async function main(): Promise<void> {
	const sizes = option('sizes', '20000,100000').split(',').map(Number);
	const runs = Number(option('runs', '5'));
	const rows: string[][] = [['files', 'case', 'results', 'same as rg', 'ours ms', 'rg ms', 'ratio']];
	let allSame = true;
	for (const size of sizes) {
		const started = performance.now();
		const dir = await realpath(await cachedWorkspace(size));
		console.error(`workspace ${size}: ${dir} (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
		const folder: WorkspaceFolderInfo = { name: basename(dir), path: dir, uri: `file://${dir}`, index: 0 };
		const host = benchHost(folder);
		rows.push(...await indexRows(size, dir, folder, runs, (same) => (allSame &&= same)));
		for (const benchCase of CASES) {
			// One warm-up each, so the first measured side does not pay for a cold page cache alone.
			await runParsed(benchCase.tool, benchCase.input, host);
			await rgLines(dir, benchCase.rgArgs);
			const run = await interleaved(runs, () => runParsed(benchCase.tool, benchCase.input, host), () => rgLines(dir, benchCase.rgArgs));
			const ourKeys = benchCase.ours(run.ourResult.structured).sort();
			const theirKeys = benchCase.theirs(run.theirResult).sort();
			const theirSet = new Set(theirKeys);
			const same = benchCase.limit !== undefined
				? ourKeys.length === Math.min(benchCase.limit, theirKeys.length) && ourKeys.every((key) => theirSet.has(key))
				: ourKeys.length === theirKeys.length && ourKeys.every((key, i) => key === theirKeys[i]);
			const leaked = ourKeys.some((key) => /^(node_modules|dist|build)\//.test(key));
			allSame &&= same && !leaked;
			rows.push([String(size), benchCase.name, String(ourKeys.length), same && !leaked ? (benchCase.limit ? 'subset' : 'yes') : `NO (rg ${theirKeys.length})`, run.oursMs.toFixed(1), run.theirsMs.toFixed(1), `${(run.oursMs / run.theirsMs).toFixed(2)}x`]);
		}
	}
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	for (const [index, row] of rows.entries()) {
		console.log(row.map((cell, column) => (column >= 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  '));
		if (index === 0) {
			console.log(widths.map((w) => '-'.repeat(w)).join('  '));
		}
	}
	console.log(`median of ${runs} interleaved runs each; ratio = ours / rg (target <= 1.2x; index rows: p50 under 50 ms); limit rows: ours stops rg early, the rg CLI has no global limit`);
	for (const line of indexNotes) console.log(line);
	if (!allSame) {
		console.error('result sets differ from rg');
		process.exitCode = 1;
	}
}

void main();
