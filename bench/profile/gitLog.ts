// Where a git_log of 20 commits spends its time, phase by phase, against the CLI in the same run: the whole tool call
// over HTTP, runGit in-process (sandboxed, with the filter check asked every read as before issue 16, and remembered),
// the sandbox's preparation, and bare/sandboxed git runs.
// Usage: node --import tsx bench/profile/gitLog.ts [calls=60]
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { allTools } from '../../src/tools/allTools';
import { runGit } from '../../src/node/git/gitRunner';
import { startWorkbench } from '../../test/unit/helpers/workbench';
import { historyRepo } from '../fixtures';
import { sampleInterleaved, type BenchCase } from '../interleaved';
import { printTable } from '../stats';

const run = promisify(execFile);

async function main(): Promise<void> {
	const calls = Number(process.argv[2] ?? 60);
	const wb = await startWorkbench({ tools: allTools });
	const dir = wb.folders[0].path;
	await historyRepo(dir);
	const client = await wb.connect('profile');
	const sandbox = wb.host.sandbox;
	const spawnWrapped = (file: string, args: readonly string[]) => new Promise<void>((resolve, reject) => {
		const child = spawn(file, [...args], { cwd: dir, env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.resume();
		child.stderr.resume();
		child.on('error', reject);
		child.on('close', () => resolve());
	});
	const wrapped = await sandbox.readOnly(['git', 'log', '-20'], { cwd: dir, env: {}, gitConfig: true });
	if (!wrapped) throw new Error('no sandbox here');
	const signal = new AbortController().signal;
	try {
		const cases: BenchCase[] = [
			['git log -20 (CLI)', () => run('git', ['log', '-20'], { cwd: dir })],
			['git log -20 in the sandbox (spawned bwrap)', () => spawnWrapped(wrapped.file, wrapped.args)],
			['sandbox.readOnly() (argument build, secret scan cached)', () => sandbox.readOnly(['git'], { cwd: dir, env: {}, gitConfig: true })],
			['runGit log -20, no sandbox', () => runGit(dir, join(dir, '..'), ['log', '-20'], { signal })],
			['runGit log -20, sandboxed, config asked every read (before)', () => runGit(dir, join(dir, '..'), ['log', '-20'], { signal, sandbox })],
			['runGit log -20, sandboxed, filter check remembered', () => runGit(dir, join(dir, '..'), ['log', '-20'], { signal, sandbox, gitDir: join(dir, '.git') })],
			['git_log count 20 (HTTP tool call)', () => client.callTool({ name: 'git_log', arguments: { count: 20 } })],
		];
		printTable(`git_log phases, ${calls} interleaved calls each`, await sampleInterleaved(cases, calls));
	} finally {
		await wb.close();
	}
}

void main().then(() => process.exit(0), (error: unknown) => {
	console.error(error);
	process.exit(1);
});
