import { z } from 'zod';
import { diagnosticSeveritySchema } from './filesHost';

/** A task as `list_tasks` shows it: what it is and the command line it will run. */
export const taskInfoSchema = z.object({
	label: z.string(),
	/** 'Workspace' for tasks.json, else the provider ('npm', 'typescript', …). */
	source: z.string(),
	/** The task definition's type ('shell', 'process', 'npm', …). */
	type: z.string(),
	group: z.string().optional(),
	detail: z.string().optional(),
	/** Resolved command line; undefined when the task is custom and runs no visible command. */
	command: z.string().optional(),
	isBackground: z.boolean(),
	/** Workspace folder name, for tasks scoped to a folder. */
	folder: z.string().optional(),
});
export type TaskInfo = Readonly<z.output<typeof taskInfoSchema>>;

/** A problem a task's problem matcher reported, in the severities of the Problems panel. */
export const taskProblemSchema = z.object({
	/** Absolute path of the file the problem is in. */
	path: z.string(),
	line: z.number(),
	column: z.number(),
	severity: diagnosticSeveritySchema,
	message: z.string(),
	source: z.string().optional(),
});
export type TaskProblem = Readonly<z.output<typeof taskProblemSchema>>;

/** A task run as run_task and task_status report it. */
export const taskRunSchema = z.object({
	id: z.string(),
	label: z.string(),
	command: z.string().optional(),
	running: z.boolean(),
	/** null while running, or when the task system reported no code. */
	exitCode: z.number().nullable(),
	durationMs: z.number(),
	/** Output read from the task's terminal, ANSI stripped and capped; undefined when it could not be captured. */
	output: z.string().optional(),
	truncated: z.boolean(),
	/** Why there is no output, or how it was captured. */
	outputNote: z.string(),
	/** Diagnostics the run added or changed (the problem matcher's findings). */
	problems: z.array(taskProblemSchema),
	timedOut: z.boolean(),
});
export type TaskRunResult = Readonly<z.output<typeof taskRunSchema>>;

export interface TaskRunRequest {
	/** 'label', or 'source: label' when several sources share a label. */
	readonly label: string;
	/**
	 * The task as the approval card showed it. The host finds the task by label again; when what it finds is not this
	 * (tasks.json changed after the re-check), it refuses with a ToolError and runs nothing.
	 */
	readonly expected?: TaskInfo;
	/** Return a handle at once instead of waiting for the end. */
	readonly background: boolean;
	readonly timeoutMs: number;
	readonly maxOutputChars: number;
	readonly signal?: AbortSignal;
}

/** What task tools need from the editor. */
export interface TasksHost {
	readonly available: boolean;
	/**
	 * Why finding the workspace's tasks would run a program (a task provider that runs one to detect tasks, such as
	 * gulp with gulp.autoDetect on, loading the workspace's gulpfile); undefined when finding them only reads files.
	 * list_tasks asks the user first then, and `find` looks only in the list the user let it make.
	 */
	detectionRunsCode?(): string | undefined;
	list(): Promise<readonly TaskInfo[]>;
	/** The task a label names; throws a ToolError listing close labels when there is none or several. */
	find(label: string): Promise<TaskInfo>;
	run(request: TaskRunRequest): Promise<TaskRunResult>;
	status(id: string): TaskRunResult | undefined;
	/** Terminates a running task; undefined for an unknown id. */
	terminate(id: string): Promise<TaskRunResult | undefined>;
	/** Every run this session, newest first. */
	runs(): readonly TaskRunResult[];
}
