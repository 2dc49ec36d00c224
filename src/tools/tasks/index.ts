import { z } from 'zod';
import type { Host } from '../../core/host/host';
import { taskInfoSchema, taskRunSchema, type TaskRunResult } from '../../core/host/tasksHost';
import { defineTool, type AnyToolSpec, type ToolContext } from '../../core/tools/toolSpec';
import { ToolError } from '../../core/base/errors';
import { jsonTail } from '../../core/base/jsonText';

const headerRoom = 4096;
/** The gate must not abort before the task's own timeout has terminated it and reported. */
const callTimeoutMs = 24 * 60 * 60 * 1000;
const defaultTaskTimeoutMs = 10 * 60 * 1000;

const labelSchema = z.string().min(1).max(500);
const idSchema = z.string().regex(/^task-[0-9]+$/);

/** What run_task, task_status and terminate_task return: the host's run, as the host reports it. */
const runShape = taskRunSchema;

function requireTasks(host: Host): void {
	if (!host.tasks.available) {
		throw new ToolError('Tasks are only available when MCP Workbench runs inside VS Code.');
	}
}

const EARLIER_OMITTED = '[… earlier output omitted …]\n';

/**
 * The run as plain data for structuredContent (the host's objects may be frozen or shared), its output the newest
 * part that fits `outputBytes` as it goes over the wire (JSON, UTF-8); without a budget (a list of runs), none.
 */
function runOut(run: TaskRunResult, outputBytes?: number): z.output<typeof runShape> {
	const { output, ...rest } = run;
	const plain = { ...rest, problems: run.problems.map((problem) => ({ ...problem })) };
	if (output === undefined || outputBytes === undefined) return plain;
	const tail = jsonTail(output, outputBytes - EARLIER_OMITTED.length);
	return { ...plain, output: tail.length < output.length ? EARLIER_OMITTED + tail : tail };
}

/** The output's share of the client's budget. */
function outputBudget(ctx: ToolContext): number {
	return Math.max(1024, ctx.maxOutputBytes - headerRoom);
}

function describeRun(run: TaskRunResult): string {
	const state = run.running ? 'running' : run.timedOut ? 'timed out (terminated)' : run.exitCode === null ? 'ended, exit code not reported' : `exit code ${run.exitCode}`;
	const lines = [`${run.id} · ${run.label} · ${state} · ${run.durationMs} ms`];
	if (run.command) {
		lines.push(`command: ${run.command}`);
	}
	if (run.problems.length > 0) {
		lines.push(`problems (${run.problems.length}):`);
		for (const problem of run.problems.slice(0, 200)) {
			lines.push(`  ${problem.severity} ${problem.path}:${problem.line}:${problem.column} ${problem.message}${problem.source ? ` [${problem.source}]` : ''}`);
		}
	} else if (!run.running) {
		lines.push('problems: none reported');
	}
	lines.push(run.outputNote);
	if (run.output !== undefined) {
		// Once, in structuredContent: the clients that show their model structuredContent drop this text (see the
		// terminal tools' outputPointer).
		lines.push(run.output === '' ? '(no output)' : `${run.output.length} characters of output in structuredContent.output`);
	}
	return lines.join('\n');
}

const listTasks = defineTool({
	name: 'list_tasks',
	title: 'List tasks',
	description: 'Workspace tasks (tasks.json, npm, ...) with labels and commands.',
	family: 'tasks',
	risk: 'read',
	input: z.object({}),
	output: z.object({ tasks: z.array(taskInfoSchema) }),
	annotations: { title: 'List tasks', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
	prepare(_input, host) {
		// Some task providers run a program to find tasks; then listing is not a read, and the user decides.
		const runs = host.tasks.available ? host.tasks.detectionRunsCode?.() : undefined;
		return Promise.resolve({ subject: runs ? { risk: 'execute' as const, summary: `list tasks (runs ${runs})` } : { summary: 'list tasks' }, plan: undefined });
	},
	async handler(_input, ctx) {
		requireTasks(ctx.host);
		const tasks = await ctx.host.tasks.list();
		const text = tasks.length === 0
			? 'No tasks: the workspace has no tasks.json and no task provider offers any.'
			: tasks.map((task) => `${task.source}: ${task.label}${task.group ? ` [${task.group}]` : ''}${task.isBackground ? ' (background)' : ''}${task.command ? ` — ${task.command}` : ''}`).join('\n');
		return { text, structured: { tasks: tasks.map((task) => ({ ...task })) } };
	},
});

const runTask = defineTool({
	name: 'run_task',
	title: 'Run a task',
	description: 'Run a task by label; returns exit code, problems, output. Background runs return an id for task_status.',
	family: 'tasks',
	risk: 'execute',
	input: z.object({
		label: labelSchema,
		background: z.boolean().optional(),
		timeoutMs: z.number().int().positive().optional(),
	}),
	output: runShape,
	annotations: { title: 'Run a task', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
	timeoutMs: callTimeoutMs,
	async prepare(input, host) {
		requireTasks(host);
		const task = await host.tasks.find(input.label);
		return {
			subject: {
				task: { label: task.label, ...(task.command ? { command: task.command } : {}) },
				summary: `run task ${task.label}${task.command ? `: ${task.command}` : ''}`,
			},
			plan: { task },
		};
	},
	async handler(input, ctx) {
		requireTasks(ctx.host);
		const { task } = ctx.plan;
		const run = await ctx.host.tasks.run({
			label: input.label,
			// What was approved is what runs: the host refuses a task that changed since prepare() found it.
			expected: task,
			background: input.background ?? task.isBackground,
			timeoutMs: input.timeoutMs ?? defaultTaskTimeoutMs,
			maxOutputChars: outputBudget(ctx),
			signal: ctx.signal,
		});
		return { text: describeRun(run), structured: runOut(run, outputBudget(ctx)), truncated: run.truncated };
	},
});

const taskStatus = defineTool({
	name: 'task_status',
	title: 'Task status',
	description: 'A task run\'s state, problems, output; no id: all runs.',
	family: 'tasks',
	risk: 'read',
	input: z.object({ id: idSchema.optional() }),
	output: z.object({ runs: z.array(runShape) }),
	annotations: { title: 'Task status', readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
	async handler(input, ctx) {
		requireTasks(ctx.host);
		if (input.id === undefined) {
			const runs = ctx.host.tasks.runs();
			return {
				text: runs.length === 0 ? 'No task runs in this session.' : runs.map((run) => `${run.id} · ${run.label} · ${run.running ? 'running' : `exit ${run.exitCode ?? 'unknown'}`}`).join('\n'),
				// The list carries no output: one run's output may fill the budget; task_status { id } reads it.
				structured: { runs: runs.map((run) => runOut(run)) },
			};
		}
		const run = ctx.host.tasks.status(input.id);
		if (!run) {
			throw new ToolError(`No task run has the id ${input.id}. Call task_status without an id to list this session's runs.`);
		}
		return { text: describeRun(run), structured: { runs: [runOut(run, outputBudget(ctx))] } };
	},
});

const terminateTask = defineTool({
	name: 'terminate_task',
	title: 'Terminate a task',
	description: 'Stop a running task.',
	family: 'tasks',
	risk: 'write',
	input: z.object({ id: idSchema }),
	output: runShape,
	annotations: { title: 'Terminate a task', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
	prepare(input, host) {
		const run = host.tasks.available ? host.tasks.status(input.id) : undefined;
		return {
			subject: { ...(run ? { task: { label: run.label, ...(run.command ? { command: run.command } : {}) } } : {}), summary: `terminate ${input.id}${run ? ` (${run.label})` : ''}` },
			plan: undefined,
		};
	},
	async handler(input, ctx) {
		requireTasks(ctx.host);
		const run = await ctx.host.tasks.terminate(input.id);
		if (!run) {
			throw new ToolError(`No task run has the id ${input.id}. Call task_status without an id to list this session's runs.`);
		}
		return { text: describeRun(run), structured: runOut(run, outputBudget(ctx)) };
	},
});

export const tasksTools: readonly AnyToolSpec[] = [listTasks, runTask, taskStatus, terminateTask];
