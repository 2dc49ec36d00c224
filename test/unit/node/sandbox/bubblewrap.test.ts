// The OS sandbox itself, with real bubblewrap and real processes: what a command allowed without asking can reach.
// Each test proves a boundary by what did not happen: no file appeared, no byte arrived, no process is left.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CommandRequest } from '../../../../src/core/host/terminalHost';
import { SENSITIVE_PATHS } from '../../../../src/core/paths/sensitivePaths';
import { runGit } from '../../../../src/node/git/gitRunner';
import { Bubblewrap, noSandbox } from '../../../../src/node/sandbox/bubblewrap';
import { NodeTerminalHost } from '../../../../src/node/terminal/nodeTerminalHost';
import { waitUntil } from '../../security/attack';

const rg = execFileSync('sh', ['-c', 'command -v rg']).toString().trim();

describe('bubblewrap sandbox', () => {
	let base: string;
	let ws: string;
	let home: string;
	let sandbox: Bubblewrap;
	let host: NodeTerminalHost;

	before(async () => {
		base = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-sandbox-')));
		ws = join(base, 'ws');
		home = join(base, 'home');
		await mkdir(join(ws, 'src'), { recursive: true });
		await writeFile(join(ws, 'src/a.txt'), 'workspace text\n');
		await writeFile(join(ws, '.env'), 'API_TOKEN=envsecret\n');
		await mkdir(join(ws, 'deep/.cursor'), { recursive: true });
		await writeFile(join(ws, 'deep/.cursor/rules'), 'cursor rules\n');
		await writeFile(join(ws, 'deep/Server.PEM'), 'pem secret\n');
		execFileSync('git', ['init', '-q'], { cwd: ws });
		execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'add', 'src'], { cwd: ws });
		execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init'], { cwd: ws });
		execFileSync('git', ['config', 'remote.origin.url', 'https://user:gitsecret@example.com/r.git'], { cwd: ws });
		await mkdir(join(home, '.ssh'), { recursive: true });
		await writeFile(join(home, '.ssh/id_rsa'), 'homesecret\n');
		await writeFile(join(home, '.gitconfig'), '[alias]\n\tst = status\n');
		sandbox = await Bubblewrap.detect({
			home,
			folders: () => [ws],
			sensitiveGlobs: () => SENSITIVE_PATHS,
			rgPath: () => rg,
			approvedCommands: () => 'workspace-write',
		});
		assert.equal(sandbox.status().available, true, `bubblewrap must work on this machine: ${sandbox.status().reason}`);
		host = new NodeTerminalHost({ sandbox, killGraceMs: 200 });
	});

	after(async () => {
		await host.dispose();
		await sandbox.dispose();
		await rm(base, { recursive: true, force: true });
	});

	function run(line: string, extra: Partial<CommandRequest> = {}) {
		return host.run({ line, cwd: ws, timeoutMs: 20_000, maxOutputChars: 100_000, sandbox: 'read-only', ...extra });
	}

	test('reads the workspace and runs git; says it ran sandboxed', async () => {
		const result = await run('cat src/a.txt && git st --short && git log --oneline | wc -l');
		assert.equal(result.exitCode, 0, result.output);
		assert.match(result.output, /workspace text/);
		assert.match(result.output, /^1$/m);
		assert.equal(result.sandbox, 'read-only');
	});

	test('cannot write the workspace, the home folder or the real /tmp', async () => {
		const marker = join(tmpdir(), `mcpwb-sandbox-marker-${process.pid}`);
		const result = await run(`echo x > src/new.txt; echo x >> src/a.txt; mkdir -p ${home}/.ssh; echo key >> ${home}/.ssh/authorized_keys; touch ${marker}; ls ${marker} && echo private-tmp-ok`);
		assert.match(result.output, /private-tmp-ok/, 'its own /tmp is writable');
		assert.equal(existsSync(join(ws, 'src/new.txt')), false);
		assert.equal(readFileSync(join(ws, 'src/a.txt'), 'utf8'), 'workspace text\n');
		assert.equal(existsSync(join(home, '.ssh/authorized_keys')), false);
		assert.equal(existsSync(marker), false);
	});

	test('cannot read the home folder (but its git configuration), secrets in the workspace or system secrets', async () => {
		const result = await run(`cat ${home}/.ssh/id_rsa; cat .env; cat deep/Server.PEM; ls deep/.cursor; cat .git/config; cat /etc/shadow; cat ${home}/.gitconfig`);
		for (const secret of ['homesecret', 'envsecret', 'pem secret', 'rules', 'gitsecret', 'root:']) {
			assert.doesNotMatch(result.output, new RegExp(secret), `${secret} leaked: ${result.output}`);
		}
		assert.match(result.output, /st = status/, 'git configuration from home is readable');
	});

	test('cannot connect to a listener on loopback', async () => {
		let connections = 0;
		const server: Server = createServer((socket) => {
			connections++;
			socket.destroy();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as { port: number }).port;
		try {
			const result = await run(`echo hi > /dev/tcp/127.0.0.1/${port} && echo connected`);
			assert.doesNotMatch(result.output, /^connected$/m);
			assert.notEqual(result.exitCode, 0);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
		assert.equal(connections, 0);
	});

	test('every process it started is gone when its call times out, setsid and double-forked ones included', async () => {
		const tag = uniqueSeconds();
		const result = await run(`(setsid sleep ${tag} &) ; (sleep ${tag} & disown) ; bash -c 'sleep ${tag}; true' & exec sleep ${tag}`, { timeoutMs: 1500 });
		assert.equal(result.timedOut, true);
		// SIGKILL is delivered at once; the kernel takes a moment to reap what it killed.
		await waitUntil(() => processesTagged(tag).length === 0, 3000, `no process left (${processesTagged(tag).join('; ')})`);
	});

	test('what a command leaves running when it ends ends with it', async () => {
		const tag = uniqueSeconds();
		const result = await run(`(setsid sleep ${tag} &) ; (nohup sleep ${tag} >/dev/null 2>&1 &) ; echo done`);
		assert.equal(result.exitCode, 0);
		await waitUntil(() => processesTagged(tag).length === 0, 3000, `no process left (${processesTagged(tag).join('; ')})`);
	});

	test('sees none of the environment of the process that started it', async () => {
		process.env.MCPWB_TEST_TOKEN = 'envtoken-should-not-pass';
		try {
			const result = await run('env');
			assert.doesNotMatch(result.output, /envtoken-should-not-pass/);
			assert.match(result.output, /^HOME=/m);
		} finally {
			delete process.env.MCPWB_TEST_TOKEN;
		}
	});

	test('workspace-write: writes inside the workspace only, never its hooks or configuration', async () => {
		const result = await run(`echo new > src/written.txt; mkdir -p .git/hooks; echo 'touch /tmp/x' > .git/hooks/post-commit; echo x >> .env; touch ${home}/planted`, { sandbox: 'workspace-write' });
		assert.equal(await readFile(join(ws, 'src/written.txt'), 'utf8'), 'new\n');
		assert.equal(existsSync(join(ws, '.git/hooks/post-commit')), false);
		assert.equal(readFileSync(join(ws, '.env'), 'utf8'), 'API_TOKEN=envsecret\n');
		assert.equal(existsSync(join(home, 'planted')), false);
		assert.equal(result.sandbox, 'workspace-write');
	});

	test('a request that must run sandboxed is refused where there is no sandbox, and nothing runs', async () => {
		const bare = new NodeTerminalHost({ sandbox: noSandbox() });
		const marker = join(ws, 'src/ran-anyway');
		await assert.rejects(bare.run({ line: `touch ${marker}`, cwd: ws, timeoutMs: 5000, maxOutputChars: 1000, sandbox: 'read-only' }), /must run in the OS sandbox/);
		assert.equal(existsSync(marker), false);
	});

	test('readOnly: a git read runs with the repository\'s own configuration, and what it configures can write nothing', async () => {
		const planted = join(ws, 'fsmonitor-ran');
		const outsideMarker = join(tmpdir(), `mcpwb-fsmonitor-${process.pid}`);
		execFileSync('git', ['config', 'core.fsmonitor', `touch ${planted} ${outsideMarker}; echo ran >&2; false`], { cwd: ws });
		try {
			const run = await sandbox.readOnly(['git', 'status', '--porcelain'], { cwd: ws, gitConfig: true });
			assert.ok(run);
			const result = spawnSync(run.file, run.args, { env: run.env, encoding: 'utf8' });
			assert.equal(result.status, 0, result.stderr);
			assert.match(result.stderr, /ran/, 'the configured fsmonitor did run, inside the sandbox');
			assert.equal(existsSync(planted), false);
			assert.equal(existsSync(outsideMarker), false);
			// With .git/config shown, its credentials are readable to git (its tools redact them); without, not.
			const masked = await sandbox.readOnly(['cat', '.git/config'], { cwd: ws });
			assert.ok(masked);
			assert.doesNotMatch(spawnSync(masked.file, masked.args, { env: masked.env, encoding: 'utf8' }).stdout, /gitsecret/);
		} finally {
			execFileSync('git', ['config', '--unset', 'core.fsmonitor'], { cwd: ws });
		}
	});

	test('where bubblewrap is missing or cannot start, the status says why and what to do, and nothing runs', async () => {
		const missing = await Bubblewrap.detect({ home, folders: () => [ws], sensitiveGlobs: () => SENSITIVE_PATHS, rgPath: () => rg, approvedCommands: () => 'workspace-write', bwrapPath: null });
		assert.deepEqual(missing.status(), { available: false, reason: 'bubblewrap is not installed: install it (Debian/Ubuntu: sudo apt-get install bubblewrap) and reload the window', approvedCommands: 'off' });
		const broken = join(base, 'bwrap-broken');
		await writeFile(broken, '#!/bin/sh\ncase "$1" in --version) echo "bubblewrap 0.8.0";; *) echo "bwrap: setting up uid map: Permission denied" >&2; exit 1;; esac\n', { mode: 0o755 });
		const refused = await Bubblewrap.detect({ home, folders: () => [ws], sensitiveGlobs: () => SENSITIVE_PATHS, rgPath: () => rg, approvedCommands: () => 'off', bwrapPath: broken });
		assert.equal(refused.status().available, false);
		assert.match(refused.status().reason ?? '', /setting up uid map: Permission denied/);
		assert.equal(await refused.invocation({ mode: 'read-only', cwd: ws }), undefined);
		const marker = join(ws, 'src/ran-unsandboxed');
		const bare = new NodeTerminalHost({ sandbox: refused });
		await assert.rejects(bare.run({ line: `touch ${marker}`, cwd: ws, timeoutMs: 5000, maxOutputChars: 1000, sandbox: 'read-only' }), /must run in the OS sandbox/);
		assert.equal(existsSync(marker), false);
	});

	test('git reads run in the sandbox: a program their switches did not stop (here forced back on) writes nothing', async () => {
		const planted = join(ws, 'fsmonitor-forced');
		const outsideMarker = join(tmpdir(), `mcpwb-git-sandbox-${process.pid}`);
		// A later -c wins over the runner's own core.fsmonitor=false: the first layer is bypassed on purpose.
		const forced = ['-c', `core.fsmonitor=touch ${planted} ${outsideMarker}; false`, 'status', '--porcelain'];
		const result = await runGit(ws, base, forced, { signal: new AbortController().signal, sandbox });
		assert.match(result.stdout, /\?\? /, 'git status answered');
		assert.equal(existsSync(planted), false);
		assert.equal(existsSync(outsideMarker), false);
		// The same bypass without the sandbox does run it: the test would see a real escape.
		await runGit(ws, base, forced, { signal: new AbortController().signal });
		assert.equal(existsSync(planted), true, 'unsandboxed, the forced fsmonitor ran');
		await rm(planted, { force: true });
		await rm(outsideMarker, { force: true });
	});
});

/** A sleep duration no other process on the machine has: its command line finds it in /proc. */
function uniqueSeconds(): string {
	return `300.${process.pid}${Date.now() % 1_000_000}`;
}

/** Processes on this machine whose command line holds the tag, from /proc. */
function processesTagged(tag: string): string[] {
	const found: string[] = [];
	for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
		try {
			const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
			if (cmdline.includes(tag) && !cmdline.includes('bwrap')) found.push(`${pid}: ${cmdline}`);
		} catch {
			// Ended while we looked.
		}
	}
	return found;
}
