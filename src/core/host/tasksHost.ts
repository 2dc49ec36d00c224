/** A task as `list_tasks` shows it: what it is and the command line it will run. */
export interface TaskInfo {
	readonly label: string;
	/** 'Workspace' for tasks.json, else the provider ('npm', 'typescript', …). */
	readonly source: string;
	/** The task definition's type ('shell', 'process', 'npm', …). */
	readonly type: string;
	readonly group?: string;
	readonly detail?: string;
	/** Resolved command line; undefined when the task is custom and runs no visible command. */
	readonly command?: string;
	readonly isBackground: boolean;
	/** Workspace folder name, for tasks scoped to a folder. */
	readonly folder?: string;
}

export interface TaskProblem {
	/** Absolute path of the file the problem is in. */
	readonly path: string;
	readonly line: number;
	readonly column: number;
	readonly severity: 'error' | 'warning' | 'info' | 'hint';
	readonly message: string;
	readonly source?: string;
}

export interface TaskRunResult {
	readonly id: string;
	readonly label: string;
	readonly command?: string;
	readonly running: boolean;
	/** null while running, or when the task system reported no code. */
	readonly exitCode: number | null;
	readonly durationMs: number;
	/** Output captured by our pseudoterminal wrapper, ANSI stripped and capped; undefined when it could not be captured. */
	readonly output?: string;
	readonly truncated: boolean;
	/** Why there is no output, or how it was captured. */
	readonly outputNote: string;
	/** Diagnostics the run added or changed (the problem matcher's findings). */
	readonly problems: readonly TaskProblem[];
	readonly timedOut: boolean;
}

export interface TaskRunRequest {
	/** 'label', or 'source: label' when several sources share a label. */
	readonly label: string;
	/** Return a handle at once instead of waiting for the end. */
	readonly background: boolean;
	readonly timeoutMs: number;
	readonly maxOutputChars: number;
	readonly signal?: AbortSignal;
}

/** What task tools need from the editor. */
export interface TasksHost {
	readonly available: boolean;
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
