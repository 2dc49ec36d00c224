import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { CALL_TOKEN_VARIABLE, killOrphanedCalls } from '../../../../src/node/terminal/callToken';
import { ChildCommand, runProcess } from '../../../../src/node/terminal/childCommand';

const base = { cwd: process.cwd(), timeoutMs: 10_000, maxOutputChars: 64 * 1024, killGraceMs: 300 };

/** Live (non-zombie) processes whose process group is `pgid`. */
function groupMembers(pgid: number): number[] {
	const listing = spawnSync('ps', ['-A', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8' });
	return listing.stdout.split('\n')
		.map((line) => line.trim().split(/\s+/))
		.filter(([, group, state]) => Number(group) === pgid && state !== undefined && !state.startsWith('Z'))
		.map(([pid]) => Number(pid));
}

function alive(pid: number): boolean {
	const listing = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
	const state = listing.stdout.trim();
	return state !== '' && !state.startsWith('Z');
}

/** Polls a condition until it holds or the deadline passes; returns whether it held. */
async function eventually(condition: () => boolean, timeoutMs = 3000): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (condition()) {
			return true;
		}
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	return condition();
}

describe('process runner', () => {
	test('reports the exit code and interleaved stdout and stderr', async () => {
		const result = await runProcess({ ...base, line: 'echo out; echo err >&2; exit 3' });
		assert.equal(result.exitCode, 3);
		assert.equal(result.output, 'out\nerr\n');
		assert.equal(result.ranIn, 'process');
		assert.equal(result.timedOut, false);
		assert.deepEqual(result.notes, []);
	});

	test('a missing program is exit 127 with a "command not found" note', async () => {
		const result = await runProcess({ ...base, line: 'no_such_program_mcpwb --flag' });
		assert.equal(result.exitCode, 127);
		assert.match(result.notes.join('\n'), /command not found/);
	});

	test('standard input is closed: a program reading it ends at once', async () => {
		const result = await runProcess({ ...base, line: 'cat; echo "read:$?"', timeoutMs: 5000 });
		assert.equal(result.timedOut, false);
		assert.equal(result.output, 'read:0\n');
	});

	test('extra environment variables reach the command', async () => {
		const result = await runProcess({ ...base, line: 'printf %s "$MCPWB_TEST_VAR"', env: { MCPWB_TEST_VAR: 'value 1' } });
		assert.equal(result.output, 'value 1');
	});

	test('strips ANSI colours and OSC titles, and turns CRLF into LF', async () => {
		const result = await runProcess({ ...base, line: String.raw`printf '\033[1;31mred\033[0m \033]0;title\007plain\r\nnext\n'` });
		assert.equal(result.output, 'red plain\nnext\n');
	});

	test('caps huge output to head and tail with a marker, counting everything', async () => {
		const result = await runProcess({ ...base, line: 'seq 1 200000', maxOutputChars: 1000 });
		assert.equal(result.exitCode, 0);
		assert.equal(result.truncated, true);
		assert.equal(result.totalChars, Number(spawnSync('sh', ['-c', 'seq 1 200000 | wc -c'], { encoding: 'utf8' }).stdout.trim()));
		assert.ok(result.output.startsWith('1\n2\n3\n'));
		assert.ok(result.output.endsWith('199999\n200000\n'));
		assert.match(result.output, /\[… \d+ characters omitted …\]/);
		assert.ok(result.output.length < 1100);
	});

	test('binary output is flagged and does not break the result', async () => {
		const result = await runProcess({ ...base, line: 'head -c 20000 /dev/urandom', maxOutputChars: 2000 });
		assert.equal(result.exitCode, 0);
		assert.equal(result.binary, true);
		assert.equal(result.truncated, true);
	});

	test('a timeout kills the whole process tree, including children that ignore SIGTERM', async () => {
		const line = [
			'sleep 300 &',
			'bash -c "sleep 300 & wait" &',
			"bash -c 'trap \"\" TERM; sleep 300' &",
			'echo started',
			'wait',
		].join('\n');
		const child = new ChildCommand({ ...base, line, timeoutMs: 400 });
		const pgid = child.pid as number;
		assert.ok(await eventually(() => groupMembers(pgid).length >= 5), 'the tree should be running');
		const result = await child.done;
		assert.equal(result.timedOut, true);
		assert.match(result.output, /started/);
		assert.match(result.notes.join('\n'), /timed out after 400 ms/);
		assert.ok(await eventually(() => groupMembers(pgid).length === 0), `survivors: ${groupMembers(pgid).join(' ')}`);
	});

	test('processes left behind by a command that exits are killed too', async () => {
		const result = await runProcess({ ...base, line: 'sleep 300 & echo $!' });
		assert.equal(result.exitCode, 0);
		const leftover = Number(result.output.trim());
		assert.ok(leftover > 0);
		assert.ok(await eventually(() => !alive(leftover)), 'the background sleep should be gone');
		assert.ok(result.durationMs < 5000);
	});

	test('aborting the signal kills the tree and reports cancelled', async () => {
		const controller = new AbortController();
		const child = new ChildCommand({ ...base, line: 'echo ready; sleep 300', signal: controller.signal });
		await eventually(() => child.capture.text.totalChars > 0);
		controller.abort();
		const result = await child.done;
		assert.equal(result.cancelled, true);
		assert.equal(result.timedOut, false);
		assert.ok(await eventually(() => groupMembers(child.pid as number).length === 0));
	});

	test('a cwd that does not exist is a clear failure, not a hang', async () => {
		const result = await runProcess({ ...base, line: 'true', cwd: '/nonexistent/mcpwb' });
		assert.equal(result.exitCode, null);
		assert.match(result.notes.join('\n'), /could not start the shell/);
	});

	// Trees that leave the process group or their parent: each must be gone, checked in /proc, when the call ends by
	// timeout, by kill, by cancellation, or by simply exiting.
	const escapes: Record<string, (tag: string) => string> = {
		'setsid child': (tag) => `setsid sleep ${tag} &`,
		'setsid -f': (tag) => `setsid -f sleep ${tag}`,
		'double fork': (tag) => `( ( sleep ${tag} & ) & )`,
		'setsid double fork holding the pipes': (tag) => `( setsid sh -c 'sleep ${tag} & wait' & )`,
		'nohup and disown': (tag) => `nohup sleep ${tag} >/dev/null 2>&1 & disown`,
		'new process group (perl setpgrp)': (tag) => `perl -e 'setpgrp(0,0); exec "sleep", "${tag}"' &`,
		'python daemon': (tag) => `/usr/bin/python3 -c 'import os,time\nif os.fork()==0:\n  os.setsid()\n  if os.fork()==0: os.execvp("sleep",["sleep","${tag}"])' &`,
	};
	let serial = 0;
	const uniqueTag = () => `300.${process.pid}${++serial}${Date.now() % 100_000}`;
	/** Live processes running `sleep <tag>` (zombies excluded: they are dead, waiting for their parent to reap them). */
	const tagged = (tag: string) => spawnSync('ps', ['-A', '-o', 'pid=,stat=,args='], { encoding: 'utf8' }).stdout.split('\n')
		.map((line) => line.trim().split(/\s+/))
		.filter(([, stat, program, seconds]) => stat !== undefined && !stat.startsWith('Z') && /(^|\/)sleep$/.test(program ?? '') && seconds === tag)
		.map((parts) => parts.join(' '));

	for (const [shape, line] of Object.entries(escapes)) {
		for (const end of ['exit', 'timeout', 'kill', 'cancel'] as const) {
			test(`no process outlives its call: ${shape}, ended by ${end}`, async () => {
				const tag = uniqueTag();
				const controller = new AbortController();
				// The line goes on only once the escaped process runs: for \`exit\`, it then ends at once.
				const running = `until pgrep -x sleep -a | grep -q ' ${tag}$'; do sleep 0.02; done`;
				const body = `${line(tag)}\n${running}\necho started${end === 'exit' ? '' : '\nsleep 300'}`;
				const child = new ChildCommand({ ...base, line: body, timeoutMs: end === 'timeout' ? 2500 : 10_000, signal: controller.signal });
				assert.ok(await eventually(() => child.capture.text.totalChars > 0 || !child.running, 8000), `${shape} started`);
				assert.match(child.capture.text.read(0).text, /started/);
				if (end === 'kill') void child.stop('kill');
				if (end === 'cancel') controller.abort();
				const result = await child.done;
				assert.ok(await eventually(() => tagged(tag).length === 0, 4000), `left running: ${tagged(tag).join('; ')}`);
				// The call ended without waiting out a timeout for pipes held by an escaped process.
				assert.ok(result.durationMs < 5000, `took ${result.durationMs} ms`);
			});
		}
	}

	test('what a crashed editor left running is ended when the next server starts', async () => {
		const owner = spawnSync('true').pid as number;
		const tag = uniqueTag();
		const orphan = spawn('sleep', [tag], { detached: true, stdio: 'ignore', env: { ...process.env, [CALL_TOKEN_VARIABLE]: `${owner}-feedface` } });
		orphan.unref();
		assert.ok(await eventually(() => tagged(tag).length === 1));
		assert.ok((await killOrphanedCalls(300)) >= 1);
		assert.ok(await eventually(() => tagged(tag).length === 0), `left running: ${tagged(tag).join('; ')}`);
	});
});
