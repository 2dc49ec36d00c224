// A task's last output as a resource: the newest run of a label in this session, with its exit code and the
// problems its matcher reported, as explain_failure reads it.
import { ToolError } from '../../core/base/errors';
import type { TaskRunResult } from '../../core/host/tasksHost';
import { defineResource, type AnyResourceSpec } from '../../core/tools/resourceSpec';
import { pollWatch } from '../common/resourceWatch';
import { uriValue } from '../common/uriValues';

function outputUri(label: string): string {
	return `task://${encodeURIComponent(label)}/output`;
}

/** A run as text: state, command, problems, then the output. */
export function describeTaskRun(run: TaskRunResult): string {
	const state = run.running ? 'running' : run.timedOut ? 'timed out (terminated)' : run.exitCode === null ? 'ended, exit code not reported' : `exit code ${run.exitCode}`;
	const lines = [`${run.id} · ${run.label} · ${state} · ${run.durationMs} ms`];
	if (run.command) lines.push(`command: ${run.command}`);
	lines.push(run.problems.length ? `problems (${run.problems.length}):` : 'problems: none reported');
	for (const problem of run.problems.slice(0, 200)) lines.push(`  ${problem.severity} ${problem.path}:${problem.line}:${problem.column} ${problem.message}${problem.source ? ` [${problem.source}]` : ''}`);
	lines.push(run.outputNote, '', run.output ?? '(no output captured)');
	return lines.join('\n');
}

function lastRun(runs: readonly TaskRunResult[], label: string): TaskRunResult | undefined {
	// runs() is newest first.
	return runs.find((run) => run.label === label);
}

export const taskOutputResource = defineResource<{ readonly label: string }>({
	name: 'task-output',
	title: 'Task output',
	description: 'The last run of a task in this session (by label): its exit code, the problems its problem matcher reported, and its output. Subscribe to follow a run.',
	uriTemplate: 'task://{label}/output',
	family: 'tasks',
	completeWith: { label: 'taskRun' },
	list: (host) => Promise.resolve(host.tasks.available ? [...new Set(host.tasks.runs().map((run) => run.label))].map((label) => ({ uri: outputUri(label), name: `${label} (last run)` })) : []),
	listKey: (host) => (host.tasks.available ? [...new Set(host.tasks.runs().map((run) => run.label))].join('\0') : ''),
	prepare(variables, uri) {
		const label = uriValue(variables, 'label', uri) ?? '';
		return Promise.resolve({ subject: { task: { label }, summary: `read last output of task ${label}` }, plan: { label } });
	},
	read(uri, ctx) {
		if (!ctx.host.tasks.available) throw new ToolError('Tasks are only available when MCP Workbench runs inside VS Code.', 'unavailable');
		const run = lastRun(ctx.host.tasks.runs(), ctx.plan.label);
		if (!run) throw new ToolError(`The task "${ctx.plan.label}" has not run in this session. Run it with run_task; task_status lists the runs.`, 'not-found');
		return Promise.resolve([{ uri, mimeType: 'text/plain', text: describeTaskRun(run) }]);
	},
	watch(variables, host, changed) {
		let label = '';
		try {
			label = decodeURIComponent(typeof variables.label === 'string' ? variables.label : '');
		} catch {
			// Nothing to watch: a read of that URI is refused anyway.
		}
		const run = () => (host.tasks.available ? lastRun(host.tasks.runs(), label) : undefined);
		return pollWatch(() => {
			const now = run();
			return now ? `${now.id}:${now.running}:${now.output?.length ?? 0}:${now.problems.length}` : undefined;
		}, () => false, changed);
	},
});

export const tasksResources: readonly AnyResourceSpec[] = [taskOutputResource];
