import { ranked } from '../../core/base/ranked';
import type { Completer } from '../../core/tools/completion';

/**
 * Task labels. Only when finding the tasks reads files: a task provider that runs a program to detect tasks asks the
 * user first in list_tasks, and a keystroke in a completion box is not that.
 */
export const completeTask: Completer = async ({ value, host }) => {
	if (!host.tasks.available || host.tasks.detectionRunsCode?.()) return [];
	const tasks = await host.tasks.list();
	return ranked(tasks.map((task) => task.label), value);
};

/** Labels of the tasks run in this session, newest first: what has output to explain. */
export const completeTaskRun: Completer = ({ value, host }) => {
	if (!host.tasks.available) return Promise.resolve([]);
	const labels = [...new Set(host.tasks.runs().map((run) => run.label))];
	return Promise.resolve(value === '' ? labels : ranked(labels, value));
};
