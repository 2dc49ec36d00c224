// Command runner overhead against a bare child_process.spawn of the same shell line, in the same run; the tool path
// (zod, jail, host) and the command policy's parse on top; and 50 MB of output through the capped capture.
// Usage: node --import tsx bench/terminal.bench.ts [--runs 200] [--mb 50]
// The VS Code terminal path needs a running editor: the integration suite times it (see the report in the PR).
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Host, WorkspaceFolderInfo } from '../src/core/host/host';
import { runTool } from '../test/unit/helpers/host';
import { benchHost } from './benchHost';
import { analyzeCommandLine } from '../src/node/terminal/bashParser';
import { NodeTerminalHost } from '../src/node/terminal/nodeTerminalHost';
import { defaultShell, runProcess } from '../src/node/terminal/childCommand';
import { terminalTools } from '../src/tools/terminal/commands';
import { bareSpawn, sampleInterleaved, timeMs, type BenchCase } from './interleaved';
import { printTable } from './stats';

function option(name: string, fallback: string): string {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const runs = Number(option('runs', '200'));
const megabytes = Number(option('mb', '50'));
const shell = defaultShell();

async function overhead(cwd: string, host: Host): Promise<void> {
	const runCommand = terminalTools.find((spec) => spec.name === 'run_command');
	if (!runCommand) {
		throw new Error('run_command missing');
	}
	const request = (line: string) => ({ line, cwd, timeoutMs: 10_000, maxOutputChars: 256 * 1024 });
	const cases: BenchCase[] = [
		['bare spawn: true', () => bareSpawn(shell, 'true')],
		['runner: true', () => runProcess(request('true'))],
		['bare spawn: echo hi', () => bareSpawn(shell, 'echo hi')],
		['runner: echo hi', () => runProcess(request('echo hi'))],
		['run_command tool: echo hi', () => runTool(runCommand, { line: 'echo hi' }, host)],
		['policy: analyzeCommand', () => analyzeCommandLine('git status && ls -la | wc -l', { cwd, workspaceRoots: [cwd] })],
	];
	const summaries = await sampleInterleaved(cases, runs);
	const bare = (label: string) => summaries.find((summary) => summary.label === label);
	printTable(`Short command, ${runs} runs each, shell ${shell} (ratio: against the bare spawn of the same line)`, summaries.map((summary) => {
		const reference = summary.label.includes('true') ? bare('bare spawn: true') : summary.label.includes('echo') ? bare('bare spawn: echo hi') : undefined;
		return { ...summary, ...(reference && reference !== summary ? { ratio: summary.p50 / reference.p50 } : {}) };
	}));
	const trueOverhead = (bare('runner: true')?.p50 ?? 0) - (bare('bare spawn: true')?.p50 ?? 0);
	const echoOverhead = (bare('runner: echo hi')?.p50 ?? 0) - (bare('bare spawn: echo hi')?.p50 ?? 0);
	console.log(`runner overhead at p50: true ${trueOverhead.toFixed(3)} ms, echo hi ${echoOverhead.toFixed(3)} ms (target < 3 ms)`);
}

async function throughput(cwd: string): Promise<void> {
	const bytes = megabytes * 1024 * 1024;
	const lines: Array<[string, string]> = [
		['plain text', `yes 'lorem ipsum dolor sit amet, consectetur adipiscing elit' | head -c ${bytes}`],
		['ANSI-coloured text', `yes "$(printf '\\033[32mgreen\\033[0m and \\033[1mbold\\033[0m text')" | head -c ${bytes}`],
	];
	console.log(`\n${megabytes} MB of output, capped at 256 KiB`);
	console.log(`${'case'.padEnd(34)}  ${'ms'.padStart(8)}  ${'MB/s'.padStart(8)}  ${'peak RSS +MB'.padStart(12)}  ${'kept chars'.padStart(10)}`);
	for (const [label, line] of lines) {
		for (const runner of ['bare spawn', 'runner'] as const) {
			globalThis.gc?.();
			const baseline = process.memoryUsage().rss;
			let peak = baseline;
			const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
			let kept = 0;
			const ms = await timeMs(async () => {
				if (runner === 'bare spawn') {
					await bareSpawn(shell, line);
				} else {
					const result = await runProcess({ line, cwd, timeoutMs: 120_000, maxOutputChars: 256 * 1024 });
					kept = result.output.length;
				}
			});
			clearInterval(sampler);
			peak = Math.max(peak, process.memoryUsage().rss);
			console.log(`${`${runner}: ${label}`.padEnd(34)}  ${ms.toFixed(0).padStart(8)}  ${(megabytes / (ms / 1000)).toFixed(0).padStart(8)}  ${((peak - baseline) / 1024 / 1024).toFixed(1).padStart(12)}  ${runner === 'runner' ? String(kept).padStart(10) : ''.padStart(10)}`);
		}
	}
}

async function main(): Promise<void> {
	const cwd = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-bench-terminal-')));
	const folder: WorkspaceFolderInfo = { name: basename(cwd), path: cwd, uri: `file://${cwd}`, index: 0 };
	const host = benchHost(folder);
	try {
		await overhead(cwd, host);
		await throughput(cwd);
	} finally {
		await (host.terminal as NodeTerminalHost).dispose();
		await rm(cwd, { recursive: true, force: true });
	}
}

void main();
