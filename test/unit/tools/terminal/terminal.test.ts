import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Host } from '../../../../src/core/host/host';
import type { TaskInfo, TasksHost } from '../../../../src/core/host/tasksHost';
import type { AnyToolSpec } from '../../../../src/core/tools/toolSpec';
import { ToolError } from '../../../../src/core/base/errors';
import { NodeTerminalHost } from '../../../../src/node/terminal/nodeTerminalHost';
import { systemTools } from '../../../../src/tools/terminal/systemInfo';
import { tasksTools } from '../../../../src/tools/tasks/index';
import { terminalTools } from '../../../../src/tools/terminal/commands';
import { createTestHost, prepareTool, runTool, type RunOptions, type TestHost } from '../../helpers/host';

function tool(name: string): AnyToolSpec {
	const found = [...terminalTools, ...tasksTools, ...systemTools].find((spec) => spec.name === name);
	assert.ok(found, name);
	return found;
}

interface CallContext extends RunOptions {
	readonly host: Host;
}

/** The tool's own steps, in the gate's order: parse, prepare, handler. */
async function call(name: string, input: unknown, ctx: CallContext) {
	return runTool(tool(name), input, ctx.host, ctx);
}

async function eventually(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await condition()) {
			return true;
		}
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	return condition();
}

describe('terminal tools on the Node host', () => {
	let fixture: TestHost;
	let terminal: NodeTerminalHost;
	let host: Host;
	let ctx: CallContext;

	before(async () => {
		fixture = await createTestHost(['ws']);
		await mkdir(join(fixture.folders[0].path, 'sub'));
		await writeFile(join(fixture.folders[0].path, 'sub', 'a.txt'), 'alpha\n');
		terminal = new NodeTerminalHost({ killGraceMs: 200, limits: { defaultTimeoutMs: 10_000, maxTimeoutMs: 20_000 } });
		host = { ...fixture.host, terminal };
		ctx = { host };
	});

	after(async () => {
		await terminal.dispose();
		await fixture.dispose();
	});

	test('run_command runs in the given folder and reports exit code and output', async () => {
		const result = await call('run_command', { line: 'pwd; cat a.txt; exit 4', cwd: 'sub' }, ctx);
		const structured = result.structured as { exitCode: number; output: string; ranIn: string };
		assert.equal(structured.exitCode, 4);
		assert.equal(structured.output, `${join(fixture.folders[0].path, 'sub')}\nalpha\n`);
		assert.equal(structured.ranIn, 'process');
		assert.match(result.text, /^exit code 4, ran as a child process/);
	});

	test('prepare() shows the line and its resolved cwd, and variable names but never their values', async () => {
		const { subject } = await prepareTool(tool('run_command'), { line: 'echo "$TOKEN"', cwd: 'sub', env: [{ name: 'TOKEN', value: 's3cret' }] }, host);
		assert.deepEqual(subject?.command, { line: 'TOKEN=… echo "$TOKEN"', cwd: join(fixture.folders[0].path, 'sub'), sandbox: 'not sandboxed: no OS sandbox was configured for this host' });
		assert.doesNotMatch(JSON.stringify(subject), /s3cret/);
	});

	test('extra environment reaches the command', async () => {
		const result = await call('run_command', { line: 'printf %s "$GREETING"', env: [{ name: 'GREETING', value: 'hello' }] }, ctx);
		assert.equal((result.structured as { output: string }).output, 'hello');
	});

	test('a cwd outside the workspace is refused before anything runs', async () => {
		await assert.rejects(prepareTool(tool('run_command'), { line: 'ls', cwd: '../..' }, host), ToolError);
		await assert.rejects(() => call('run_command', { line: 'ls', cwd: '/' }, ctx), ToolError);
		await assert.rejects(() => call('run_command', { line: 'ls', cwd: 'sub/a.txt' }, ctx), /is a file, not a directory/);
	});

	test('command not found says so', async () => {
		const result = await call('run_command', { line: 'definitely_not_a_program_mcpwb' }, ctx);
		assert.equal((result.structured as { exitCode: number }).exitCode, 127);
		assert.match(result.text, /command not found/);
	});

	test('the timeout is capped by the settings maximum and kills the command', async () => {
		const strict = new NodeTerminalHost({ killGraceMs: 200, limits: { defaultTimeoutMs: 60_000, maxTimeoutMs: 300 } });
		const result = await call('run_command', { line: 'echo begun; sleep 30', timeoutMs: 60_000 }, { ...ctx, host: { ...host, terminal: strict } });
		const structured = result.structured as { timedOut: boolean; output: string; durationMs: number };
		assert.equal(structured.timedOut, true);
		assert.equal(structured.output, 'begun\n');
		assert.ok(structured.durationMs < 5000);
		assert.match(result.text, /^timed out/);
		assert.match(result.text, /timed out after 300 ms/);
	});

	test('output beyond the client budget keeps head and tail', async () => {
		const small = { ...ctx, maxOutputBytes: 4096 };
		const result = await call('run_command', { line: 'seq 1 100000' }, small);
		assert.equal(result.truncated, true);
		const output = (result.structured as { output: string }).output;
		assert.ok(Buffer.byteLength(JSON.stringify(output)) + Buffer.byteLength(result.text) < 4096);
		assert.match(output, /characters omitted/);
		assert.match(output, /^1\n2\n/);
		assert.match(output, /100000\n$/);
		assert.match(result.text, /output capped: 588895 characters printed/);
	});

	test('background commands: handle, incremental output, list, kill', async () => {
		const started = await call('run_command', { line: 'for i in 1 2 3; do echo line$i; done; sleep 30', background: true }, ctx);
		const handle = (started.structured as { handle: { id: string; running: boolean } }).handle;
		assert.match(handle.id, /^cmd-\d+$/);
		assert.equal(handle.running, true);

		let nextOffset = 0;
		assert.ok(await eventually(async () => {
			const read = await call('command_output', { handle: handle.id }, ctx);
			nextOffset = (read.structured as { nextOffset: number }).nextOffset;
			return (read.structured as { output: string }).output === 'line1\nline2\nline3\n';
		}));
		const nothingNew = await call('command_output', { handle: handle.id, since: nextOffset }, ctx);
		assert.equal((nothingNew.structured as { output: string }).output, '');
		const partial = await call('command_output', { handle: handle.id, since: 6 }, ctx);
		assert.equal((partial.structured as { output: string }).output, 'line2\nline3\n');

		const listed = await call('list_commands', {}, ctx);
		assert.match(listed.text, new RegExp(`${handle.id} · running`));

		const killed = await call('kill_command', { handle: handle.id }, ctx);
		const final = (killed.structured as { handle: { running: boolean; result: { cancelled: boolean } } }).handle;
		assert.equal(final.running, false);
		assert.equal(final.result.cancelled, true);
		assert.match((await call('list_commands', {}, ctx)).text, new RegExp(`${handle.id} · killed`));
	});

	test('a background command that ends keeps its result and exit code', async () => {
		const started = await call('run_command', { line: 'echo done; exit 2', background: true }, ctx);
		const id = (started.structured as { handle: { id: string } }).handle.id;
		assert.ok(await eventually(async () => {
			const read = await call('command_output', { handle: id }, ctx);
			return (read.structured as { handle: { running: boolean } }).handle.running === false;
		}));
		const read = await call('command_output', { handle: id }, ctx);
		assert.equal((read.structured as { handle: { result: { exitCode: number } } }).handle.result.exitCode, 2);
	});

	test('unknown handles are clear errors', async () => {
		await assert.rejects(() => call('command_output', { handle: 'cmd-999' }, ctx), /No command has the handle cmd-999/);
		await assert.rejects(() => call('kill_command', { handle: 'cmd-999' }, ctx), /list_commands/);
		assert.throws(() => tool('kill_command').input.parse({ handle: 'rm -rf' }));
	});

	test('cancelling the call kills a foreground command', async () => {
		const controller = new AbortController();
		const pending = call('run_command', { line: 'sleep 30' }, { ...ctx, signal: controller.signal });
		setImmediate(() => controller.abort());
		const result = await pending;
		assert.equal((result.structured as { cancelled: boolean }).cancelled, true);
	});

	test('system_info reports OS, CPU, memory, disk, Node and shell', async () => {
		const result = await call('system_info', {}, ctx);
		const info = result.structured as { node: string; cpu: { cores: number }; disks: { freeBytes: number }[]; shell: { path: string; version?: string } };
		assert.equal(info.node, process.version);
		assert.ok(info.cpu.cores > 0);
		assert.equal(info.disks.length, 1);
		assert.ok(info.disks[0].freeBytes > 0);
		assert.equal(info.shell.path, terminal.shellPath());
		assert.match(info.shell.version ?? '', /bash|sh/i);
		assert.match(result.text, /^OS: /);
	});

	test('tools are annotated honestly', () => {
		for (const spec of [...terminalTools, ...tasksTools, ...systemTools]) {
			assert.equal(spec.annotations.readOnlyHint, spec.risk === 'read', spec.name);
		}
		assert.equal(tool('run_command').risk, 'execute');
		assert.equal(tool('run_task').risk, 'execute');
	});
});

describe('task tools', () => {
	const buildTask: TaskInfo = { label: 'build', source: 'Workspace', type: 'shell', group: 'build', command: 'npm run build', isBackground: false };

	/** Only label lookup is exercised here; running tasks needs VS Code (integration tests). */
	function tasksHost(): TasksHost {
		return {
			available: true,
			list: async () => [buildTask],
			find: async (label) => {
				if (label !== 'build') {
					throw new ToolError(`No task is labelled "${label}". list_tasks shows every task.`);
				}
				return buildTask;
			},
			run: async () => assert.fail('not reached'),
			status: () => undefined,
			terminate: async () => undefined,
			runs: () => [],
		};
	}

	test('without VS Code the task tools say so', async () => {
		const fixture = await createTestHost(['ws']);
		try {
			await assert.rejects(() => call('list_tasks', {}, { host: fixture.host }), /only available when MCP Workbench runs inside VS Code/);
		} finally {
			await fixture.dispose();
		}
	});

	test('run_task prepares the resolved command, and unknown labels are refused', async () => {
		const fixture = await createTestHost(['ws']);
		try {
			const host = { ...fixture.host, tasks: tasksHost() };
			const spec = tool('run_task');
			const { subject } = await prepareTool(spec, { label: 'build' }, host);
			assert.deepEqual(subject.task, { label: 'build', command: 'npm run build' });
			await assert.rejects(prepareTool(spec, { label: 'deploy' }, host), /No task is labelled "deploy"/);
			const listed = await call('list_tasks', {}, { host: host });
			assert.equal(listed.text, 'Workspace: build [build] — npm run build');
			await assert.rejects(() => call('task_status', { id: 'task-7' }, { host: host }), /No task run has the id task-7/);
		} finally {
			await fixture.dispose();
		}
	});
});
