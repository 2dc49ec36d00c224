import { ToolError } from '../../core/base/errors';
import type { TaskInfo, TaskRunResult, TasksHost } from '../../core/host/tasksHost';

/** Tasks are VS Code's (tasks.json, task providers): without the editor there are none to run. */
export class NoTasksHost implements TasksHost {
	readonly available = false;

	list(): Promise<readonly TaskInfo[]> {
		return Promise.reject(unavailable());
	}

	find(): Promise<TaskInfo> {
		return Promise.reject(unavailable());
	}

	run(): Promise<TaskRunResult> {
		return Promise.reject(unavailable());
	}

	status(): TaskRunResult | undefined {
		return undefined;
	}

	terminate(): Promise<TaskRunResult | undefined> {
		return Promise.resolve(undefined);
	}

	runs(): readonly TaskRunResult[] {
		return [];
	}
}

function unavailable(): ToolError {
	return new ToolError('Tasks are only available when MCP Workbench runs inside VS Code.', 'unavailable');
}
