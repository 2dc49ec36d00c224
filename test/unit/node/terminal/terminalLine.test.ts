import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SENSITIVE_PATHS } from '../../../../src/core/paths/sensitivePaths';
import { Bubblewrap } from '../../../../src/node/sandbox/bubblewrap';
import { terminalLine } from '../../../../src/node/terminal/terminalLine';

interface TypedRun {
	/** What bash's DEBUG trap saw as $BASH_COMMAND first: what VS Code's bash integration reports under HISTCONTROL=ignoreboth. */
	readonly reported: string;
	readonly output: string;
	readonly exitCode: number | null;
}

/**
 * Runs a typed line the way the terminal's shell would (as one line of a bash script, with standard input left
 * open, as a terminal's is), recording $BASH_COMMAND at the first DEBUG trap as VS Code's integration does.
 */
function runTyped(typed: string, cwd: string): Promise<TypedRun> {
	const trace = join(cwd, '.bash-command');
	const script = join(cwd, '.typed.sh');
	writeFileSync(script, `trap 'printf "%s" "$BASH_COMMAND" > ${trace}; trap - DEBUG' DEBUG\n${typed}\n`);
	return new Promise((resolve, reject) => {
		const child = spawn('bash', [script], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		// Standard input stays open: a line that read the keyboard would hang here until the timer.
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		child.on('error', reject);
		child.on('close', (exitCode) => {
			clearTimeout(timer);
			resolve({ reported: readFileSync(trace, 'utf8'), output, exitCode });
		});
	});
}

describe('the line typed into the terminal', () => {
	let workspace: string;
	let elsewhere: string;

	before(async () => {
		workspace = realpathSync(mkdtempSync(join(tmpdir(), 'mcpwb-typed-')));
		elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'mcpwb-elsewhere-')));
	});

	after(() => {
		rmSync(workspace, { recursive: true, force: true });
		rmSync(elsewhere, { recursive: true, force: true });
	});

	const lines: readonly { readonly line: string; readonly output: string; readonly exitCode?: number }[] = [
		{ line: 'echo hello', output: 'hello\n' },
		{ line: 'echo a && echo b', output: 'a\nb\n' },
		{ line: 'echo one | tr a-z A-Z', output: 'ONE\n' },
		{ line: `echo "two  spaces" 'it'"'"'s' </dev/null`, output: "two  spaces it's\n" },
		{ line: 'printf "%s\\n" "$((6 * 7))"', output: '42\n' },
		{ line: 'false || echo recovered; exit 4', output: 'recovered\n', exitCode: 4 },
		{ line: 'cat', output: '' },
		{ line: 'read -r answer; echo "got [$answer]"', output: 'got []\n' },
		{ line: 'echo unquoted # a trailing comment', output: 'unquoted\n' },
		{ line: 'read -r a; echo "[$a]";', output: '[]\n' },
		{ line: 'cat & wait', output: '' },
	];

	for (const { line, output, exitCode } of lines) {
		test(`reads back exactly as typed and runs as written: ${line}`, async () => {
			const typed = terminalLine(line, workspace, '/bin/bash');
			const run = await runTyped(typed, workspace);
			assert.equal(run.reported, typed, 'bash reports the typed line itself, so VS Code pairs it with our execution');
			assert.equal(run.output, output);
			assert.equal(run.exitCode, exitCode ?? 0);
		});
	}

	test('changes to the working directory every time, and runs nothing when it cannot', async () => {
		const moved = terminalLine('pwd', workspace, '/bin/bash');
		assert.match(moved, /^eval 'builtin cd -- /);
		const run = await runTyped(moved, elsewhere);
		assert.equal(run.reported, moved);
		assert.equal(run.output, `${workspace}\n`);
		for (const line of ['echo must-not-run', 'echo must-not-run; echo nor-this;']) {
			const failed = await runTyped(terminalLine(line, join(workspace, 'missing'), '/bin/bash'), elsewhere);
			assert.doesNotMatch(failed.output, /must-not-run|nor-this/);
			assert.equal(failed.exitCode, 1);
		}
	});

	test('nothing a line does to its shell outlasts it: variables, functions, aliases, cd, exit', async () => {
		const first = terminalLine('export LEAK=1; f() { echo hijacked; }; alias ls="echo hijacked"; cd /; exit 7', workspace, '/bin/bash');
		const second = terminalLine('echo "[${LEAK-}]"; type f ls 2>&1 | head -c 0; f 2>/dev/null || echo no-function; pwd', workspace, '/bin/bash');
		const script = join(workspace, '.sequence.sh');
		writeFileSync(script, `shopt -s expand_aliases\n${first}\necho "status=$?"\n${second}\n`);
		const output = execFileSync('bash', [script], { cwd: elsewhere, encoding: 'utf8' });
		assert.equal(output, `status=7\n[]\nno-function\n${workspace}\n`);
	});

	test('a working directory with quotes and spaces survives the two layers of quoting', async () => {
		const odd = join(workspace, `it's a "dir"`);
		mkdirSync(odd);
		const typed = terminalLine('pwd', odd, '/bin/bash');
		const run = await runTyped(typed, elsewhere);
		assert.equal(run.reported, typed);
		assert.equal(run.output, `${odd}\n`);
	});

	test('a sandboxed line reads back as typed, runs in the sandbox, and the terminal\'s environment stays outside', async () => {
		const sandbox = await Bubblewrap.detect({ home: elsewhere, folders: () => [workspace], sensitiveGlobs: () => SENSITIVE_PATHS, rgPath: () => 'rg', approvedCommands: () => 'off' });
		try {
			const invocation = await sandbox.invocation({ mode: 'read-only', cwd: workspace });
			assert.ok(invocation, sandbox.status().reason);
			const optionsFile = await sandbox.optionsFile(invocation.options);
			const typed = terminalLine('pwd; touch written; tr "\\0" "\\n" < /proc/1/environ; echo "[${TERMINAL_TOKEN-}]"', workspace, '/bin/bash', { program: invocation.program, optionsFile });
			assert.match(typed, /^eval '.*\/usr\/bin\/env -i .*bwrap --args 3 -- \/bin\/bash -c /);
			process.env.TERMINAL_TOKEN = 'terminal-secret-5a';
			const run = await runTyped(typed, elsewhere).finally(() => delete process.env.TERMINAL_TOKEN);
			assert.equal(run.reported, typed);
			assert.match(run.output, new RegExp(`^${workspace}\n`));
			assert.match(run.output, /Read-only file system/);
			assert.match(run.output, /\[\]\n$/);
			assert.doesNotMatch(run.output, /terminal-secret-5a/);
			assert.equal(existsSync(join(workspace, 'written')), false);
		} finally {
			await sandbox.dispose();
		}
	});
});
