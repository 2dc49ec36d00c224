import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ensureServerStarted, harness, hasUi, invokeOurToolText, ui, waitFor } from './helpers';

async function approveCard(tool: string, expected: RegExp): Promise<void> {
	await vscode.commands.executeCommand('mcpWorkbench.panel.focus');
	const { text } = await ui<{ text: string }>('waitForVisible', { selector: `[data-testid="approval-card"]:has-text("${tool}")`, scope: 'webviews', timeoutMs: 60_000 });
	assert.match(text, expected);
	await ui('click', { selector: '[data-testid="approval-card"] [data-testid="approve"]', scope: 'webviews' });
}

// Commands run where the user can see them, and tasks report how they ended; both wait for approval first.
describe('terminal and tasks through VS Code', function () {
	this.timeout(180_000);
	const settings = () => vscode.workspace.getConfiguration('mcpWorkbench');

	before(async function () {
		if (!hasUi() || !harness.trusted) this.skip();
		await ensureServerStarted();
		// echo alone is read-only and allowed; a user rule makes it ask, which is what this suite is about.
		await settings().update('terminal.commandRules', [{ program: 'echo', action: 'ask' }], vscode.ConfigurationTarget.Global);
	});

	after(async () => {
		await settings().update('terminal.commandRules', undefined, vscode.ConfigurationTarget.Global);
	});

	it('runs echo in the visible terminal after approval, with its output and exit code 0', async () => {
		// The terminal's own shell integration reports what ran in it: proof the command went through the terminal the
		// user sees, not a hidden process.
		const ended: { terminal: string; commandLine: string; exitCode: number | undefined }[] = [];
		const listener = vscode.window.onDidEndTerminalShellExecution((event) => {
			ended.push({ terminal: event.terminal.name, commandLine: event.execution.commandLine.value, exitCode: event.exitCode });
		});
		try {
			const call = invokeOurToolText('run_command', { line: 'echo hello-from-mcp-workbench' });
			await approveCard('run_command', /echo hello-from-mcp-workbench/);
			const result = await call;
			assert.equal(result.isError, false, result.text);
			const parsed = JSON.parse(result.text) as { exitCode: number; output?: string; ranIn: string; sandbox?: string };
			assert.equal(parsed.exitCode, 0, result.text);
			assert.match(parsed.output ?? '', /hello-from-mcp-workbench/, result.text);
			assert.equal(parsed.ranIn, 'terminal', result.text);
			// Approved, and mcpWorkbench.sandbox.approvedCommands is off by default: it ran as the user approved it.
			assert.equal(parsed.sandbox, undefined, result.text);
			const execution = await waitFor(
				() => ended.find((e) => e.commandLine.includes('echo hello-from-mcp-workbench')),
				`the shell execution in the terminal (ended so far: ${JSON.stringify(ended)}; result: ${result.text.slice(0, 400)})`,
				20_000,
			);
			assert.equal(execution.terminal, 'MCP Workbench');
			assert.equal(execution.exitCode, 0);
			vscode.window.terminals.find((t) => t.name === 'MCP Workbench')?.show();
			await ui('screenshot', { name: 'terminal-command' });
		} finally {
			listener.dispose();
		}
	});

	it('pairs the line with its execution when bash reports $BASH_COMMAND instead of the typed line', async () => {
		// Debian's and Ubuntu's default ~/.bashrc set HISTCONTROL=ignoreboth; VS Code's bash integration then reports
		// $BASH_COMMAND (the first simple command, rewritten) instead of the typed line. A fresh terminal picks it up.
		const integrated = () => vscode.workspace.getConfiguration('terminal.integrated');
		await integrated().update('env.linux', { HISTCONTROL: 'ignoreboth' }, vscode.ConfigurationTarget.Global);
		const ended: { terminal: string; commandLine: string; exitCode: number | undefined }[] = [];
		const listener = vscode.window.onDidEndTerminalShellExecution((event) => {
			ended.push({ terminal: event.terminal.name, commandLine: event.execution.commandLine.value, exitCode: event.exitCode });
		});
		try {
			for (const terminal of vscode.window.terminals.filter((t) => t.name === 'MCP Workbench')) terminal.dispose();
			await waitFor(() => !vscode.window.terminals.some((t) => t.name === 'MCP Workbench'), 'the old terminal to close');
			const line = 'echo once-only-mcpwb "hc=$HISTCONTROL" && echo second-mcpwb';
			const call = invokeOurToolText('run_command', { line });
			await approveCard('run_command', /echo once-only-mcpwb/);
			const result = await call;
			const parsed = JSON.parse(result.text) as { exitCode: number; output?: string; ranIn: string; notes: string[] };
			assert.equal(parsed.ranIn, 'terminal', result.text);
			assert.equal(parsed.exitCode, 0, result.text);
			// The variable reached the shell (so its integration ran in $BASH_COMMAND mode), and no output was lost.
			assert.match(parsed.output ?? '', /once-only-mcpwb hc=ignoreboth\s+second-mcpwb/, result.text);
			assert.deepEqual(parsed.notes, [], result.text);
			const runs = ended.filter((e) => e.terminal === 'MCP Workbench' && e.commandLine.includes('once-only-mcpwb'));
			assert.equal(runs.length, 1, JSON.stringify(ended));
		} finally {
			listener.dispose();
			await integrated().update('env.linux', undefined, vscode.ConfigurationTarget.Global);
		}
	});

	it('runs a line allowed without asking in the read-only sandbox, in the visible terminal, with its output and exit code', async () => {
		const ended: { terminal: string; commandLine: string; exitCode: number | undefined }[] = [];
		const listener = vscode.window.onDidEndTerminalShellExecution((event) => {
			ended.push({ terminal: event.terminal.name, commandLine: event.execution.commandLine.value, exitCode: event.exitCode });
		});
		try {
			for (const [line, exitCode] of [['ls -a', 0], ['ls no-such-dir-mcpwb', 2]] as const) {
				const result = await invokeOurToolText('run_command', { line });
				const parsed = JSON.parse(result.text) as { exitCode: number; output?: string; ranIn: string; sandbox?: string };
				assert.equal(parsed.ranIn, 'terminal', result.text);
				assert.equal(parsed.sandbox, 'read-only', result.text);
				assert.equal(parsed.exitCode, exitCode, result.text);
				assert.match(parsed.output ?? '', exitCode === 0 ? /\.vscode/ : /no-such-dir-mcpwb/, result.text);
				const execution = await waitFor(() => ended.find((e) => e.commandLine.includes(line.split(' ')[1])), `the sandboxed execution of ${line} (${JSON.stringify(ended)})`, 20_000);
				assert.equal(execution.terminal, 'MCP Workbench');
				assert.match(execution.commandLine, /env -i \S*bwrap --args 3 -- /);
				assert.equal(execution.exitCode, exitCode);
			}
			await ui('screenshot', { name: 'terminal-sandboxed' });
		} finally {
			listener.dispose();
		}
	});

	it('reports a command that is not found as exit 127', async () => {
		const call = invokeOurToolText('run_command', { line: 'definitely-not-a-command-mcpwb' });
		await approveCard('run_command', /definitely-not-a-command-mcpwb/);
		const parsed = JSON.parse((await call).text) as { exitCode: number };
		assert.equal(parsed.exitCode, 127);
	});

	it('reports a line\'s own exit code, and `exit` ends only that line, not the terminal', async () => {
		const terminalsBefore = vscode.window.terminals.filter((t) => t.name === 'MCP Workbench').length;
		const call = invokeOurToolText('run_command', { line: 'echo leaving-mcpwb; exit 5' });
		await approveCard('run_command', /leaving-mcpwb/);
		const result = await call;
		const parsed = JSON.parse(result.text) as { exitCode: number; ranIn: string; output?: string };
		assert.equal(parsed.ranIn, 'terminal', result.text);
		assert.equal(parsed.exitCode, 5, result.text);
		assert.match(parsed.output ?? '', /leaving-mcpwb/);
		assert.equal(vscode.window.terminals.filter((t) => t.name === 'MCP Workbench' && t.exitStatus === undefined).length, terminalsBefore, 'the terminal survived');
	});

	it('list_tasks asks before a task provider that runs workspace code finds tasks (gulp with autoDetect on)', async () => {
		const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
		assert.ok(folder);
		const { chmod, mkdir, rm, writeFile } = await import('node:fs/promises');
		const { existsSync } = await import('node:fs');
		const { join } = await import('node:path');
		const marker = join(folder, '..', `gulp-ran-${Date.now()}`);
		await writeFile(join(folder, 'gulpfile.js'), 'exports.build = () => undefined;\n');
		await mkdir(join(folder, 'node_modules', '.bin'), { recursive: true });
		await writeFile(join(folder, 'node_modules', '.bin', 'gulp'), `#!/bin/sh\ntouch '${marker}'\necho build\n`);
		await chmod(join(folder, 'node_modules', '.bin', 'gulp'), 0o755);
		const gulp = vscode.workspace.getConfiguration('gulp');
		await gulp.update('autoDetect', 'on', vscode.ConfigurationTarget.Global);
		try {
			if (!vscode.extensions.getExtension('vscode.gulp')) return;
			// Before any approved list, run_task cannot look the task up without running the provider: refused.
			const early = await invokeOurToolText('run_task', { label: 'exit three' });
			assert.match(early.text, /Call list_tasks first/);
			assert.equal(existsSync(marker), false, 'run_task ran the workspace\'s gulp to look a task up');
			const listing = invokeOurToolText('list_tasks', {});
			await approveCard('list_tasks', /gulp/);
			assert.match((await listing).text, /exit three/);
			// Approved, VS Code's gulp detection ran the planted gulp: the trap this test guards was armed.
			await waitFor(() => existsSync(marker), 'the approved listing to run the planted gulp');
		} finally {
			await gulp.update('autoDetect', undefined, vscode.ConfigurationTarget.Global);
			await rm(join(folder, 'gulpfile.js'), { force: true });
			await rm(join(folder, 'node_modules'), { recursive: true, force: true });
			await rm(marker, { force: true });
		}
	});

	it('runs a task from tasks.json and reports its exit code', async () => {
		const listed = await invokeOurToolText('list_tasks', {});
		assert.match(listed.text, /exit three/);
		const call = invokeOurToolText('run_task', { label: 'exit three' });
		await approveCard('run_task', /echo about to fail && exit 3/);
		const result = await call;
		const parsed = JSON.parse(result.text) as { exitCode: number | null; running: boolean; output?: string };
		assert.equal(parsed.running, false, result.text);
		assert.equal(parsed.exitCode, 3, result.text);
		assert.match(parsed.output ?? '', /about to fail/, result.text);
		await waitFor(() => vscode.window.terminals.some((t) => t.name.includes('exit three')), 'the task terminal');
	});
});
