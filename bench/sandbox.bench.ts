// The OS sandbox's cost per command: `true` run sandboxed (bubblewrap, read-only view, secrets masked) against a bare
// spawn and our unsandboxed runner, interleaved in the same run; the run_command tool with and without it; and the
// workspace secret scan, cold, on this repository (node_modules included, about 20,000 files).
// Usage: node --import tsx bench/sandbox.bench.ts [--runs 200]
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SENSITIVE_PATHS } from '../src/core/paths/sensitivePaths';
import { NodePathJail } from '../src/node/files/pathJail';
import { nodeAdapters } from '../src/node/nodeAdapters';
import { Bubblewrap } from '../src/node/sandbox/bubblewrap';
import { defaultShell, runProcess } from '../src/node/terminal/childCommand';
import { NodeTerminalHost } from '../src/node/terminal/nodeTerminalHost';
import { terminalTools } from '../src/tools/terminal/commands';
import { runTool } from '../test/unit/helpers/host';
import { bareSpawn, sampleInterleaved, timeMs, type BenchCase } from './interleaved';
import { printTable, summarize } from './stats';

function option(name: string, fallback: string): string {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const runs = Number(option('runs', '200'));
const shell = defaultShell();

async function main(): Promise<void> {
	const dir = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-bench-sandbox-')));
	await writeFile(join(dir, 'a.txt'), 'hello\n');
	await writeFile(join(dir, '.env'), 'TOKEN=x\n');
	const folders = [{ name: basename(dir), path: dir, uri: `file://${dir}`, index: 0 }];
	const sandbox = await Bubblewrap.detect({ home: homedir(), folders: () => [dir], sensitiveGlobs: () => SENSITIVE_PATHS, rgPath: () => 'rg', approvedCommands: () => 'off' });
	if (!sandbox.status().available) throw new Error(`no sandbox here: ${sandbox.status().reason}`);
	const sandboxedHost = new NodeTerminalHost({ sandbox });
	const adapters = nodeAdapters({ folders, sandbox });
	const host = { ...adapters, jail: new NodePathJail(() => folders), sensitivePaths: () => [] };
	const plain = nodeAdapters({ folders });
	const plainHost = { ...plain, jail: new NodePathJail(() => folders), sensitivePaths: () => [] };
	const runCommand = terminalTools.find((spec) => spec.name === 'run_command');
	if (!runCommand) throw new Error('run_command missing');
	const request = { line: 'true', cwd: dir, timeoutMs: 10_000, maxOutputChars: 256 * 1024 };
	const cases: BenchCase[] = [
		['bare spawn: true', () => bareSpawn(shell, 'true')],
		['runner: true', () => runProcess(request)],
		['runner, sandboxed: true', () => sandboxedHost.run({ ...request, sandbox: 'read-only' })],
		['run_command tool: echo hi', () => runTool(runCommand, { line: 'echo hi' }, plainHost)],
		['run_command tool, sandboxed: echo hi', () => runTool(runCommand, { line: 'echo hi' }, host)],
	];
	const summaries = await sampleInterleaved(cases, runs);
	const p50 = (label: string) => summaries.find((summary) => summary.label === label)?.p50 ?? Number.NaN;
	printTable(`Sandbox cost, ${runs} runs each (ratio: against the bare spawn of \`true\`)`, summaries.map((summary) => ({ ...summary, ratio: summary.p50 / p50('bare spawn: true') })));
	console.log(`sandbox added at p50: ${(p50('runner, sandboxed: true') - p50('runner: true')).toFixed(2)} ms over our runner, ${(p50('runner, sandboxed: true') - p50('bare spawn: true')).toFixed(2)} ms over a bare spawn (target < 15 ms); run_command +${(p50('run_command tool, sandboxed: echo hi') - p50('run_command tool: echo hi')).toFixed(2)} ms`);

	// The secret scan, cold each time, on a real tree: what the first command after a change pays.
	const repo = await realpath(join(__dirname, '..'));
	const scanSandbox = await Bubblewrap.detect({ home: homedir(), folders: () => [repo], sensitiveGlobs: () => SENSITIVE_PATHS, rgPath: () => 'rg', approvedCommands: () => 'off' });
	const scans: number[] = [];
	for (let i = 0; i < 20; i++) {
		scanSandbox.invalidate();
		scans.push(await timeMs(() => scanSandbox.invocation({ mode: 'read-only', cwd: repo })));
	}
	printTable('Secret scan, cold, on this repository', [summarize('scan + invocation', scans)]);

	await Promise.all([sandboxedHost.dispose(), adapters.terminal.dispose(), plain.terminal.dispose(), sandbox.dispose(), scanSandbox.dispose()]);
	await rm(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
