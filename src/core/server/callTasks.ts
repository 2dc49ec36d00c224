// The MCP tasks feature of revision 2025-11-25 for tools/call: a call sent with `params.task` is answered at once
// with a task, runs on, and is polled (tasks/get), read (tasks/result), listed (tasks/list) and cancelled
// (tasks/cancel). Kept apart from any transport so each protocol era's front end can serve it (2026-07-28 moves tasks
// into an extension with the same semantics).
import { Withdrawn } from '../gate/withdrawal';

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** A task as the protocol shows it. */
export interface TaskInfo {
	readonly taskId: string;
	readonly status: TaskStatus;
	readonly statusMessage?: string;
	/** ISO 8601. */
	readonly createdAt: string;
	readonly lastUpdatedAt: string;
	/** Milliseconds the task is kept after it was created; null: kept until its session ends. */
	readonly ttl: number | null;
	/** How often a client should poll tasks/get, in milliseconds. */
	readonly pollInterval: number;
}

/** What a task's call answered: a tools/call result, or a JSON-RPC error. */
export type TaskOutcome = { readonly result: Record<string, unknown> } | { readonly error: { readonly code: number; readonly message: string } };

/** Runs a task's call; the signal aborts (with a Withdrawn) when the task is cancelled or its session ends. */
export type TaskRun = (signal: AbortSignal) => Promise<TaskOutcome>;

interface Entry {
	info: TaskInfo;
	readonly owner: string;
	readonly controller: AbortController;
	readonly outcome: Promise<TaskOutcome>;
	readonly expiresAt: number | undefined;
}

/** Polling more often than this gains a client nothing: the calls that become tasks take seconds. */
export const TASK_POLL_MS = 1000;
/** Tasks a session keeps at once; the oldest finished go first, and past it a new task is refused. */
export const MAX_TASKS_PER_OWNER = 100;
/** Longest a task is kept after it was created, whatever the client asks: an hour covers a long build. */
const MAX_TTL_MS = 60 * 60_000;

/** A JSON-RPC error code for a task that does not exist (invalid params, as the specification asks). */
export const INVALID_PARAMS = -32602;

export class CallTasks {
	private readonly tasks = new Map<string, Entry>();
	private counter = 0;

	constructor(
		private readonly now: () => number = Date.now,
		private readonly newId: () => string = () => globalThis.crypto.randomUUID(),
	) {}

	/** Starts `run` as a task of `owner` (a session); undefined when the owner has too many tasks still working. */
	create(owner: string, requestedTtl: number | undefined, run: TaskRun): TaskInfo | undefined {
		this.expire();
		const mine = [...this.tasks.values()].filter((entry) => entry.owner === owner);
		if (mine.length >= MAX_TASKS_PER_OWNER) {
			const finished = mine.find((entry) => isTerminal(entry.info.status));
			if (!finished) return undefined;
			this.tasks.delete(finished.info.taskId);
		}
		const now = this.now();
		const ttl = Math.min(requestedTtl ?? MAX_TTL_MS, MAX_TTL_MS);
		const taskId = `t${++this.counter}-${this.newId()}`;
		const controller = new AbortController();
		const info: TaskInfo = { taskId, status: 'working', createdAt: iso(now), lastUpdatedAt: iso(now), ttl, pollInterval: TASK_POLL_MS };
		const outcome = run(controller.signal).then(
			(answer) => answer,
			(error: unknown): TaskOutcome => ({ error: { code: -32603, message: error instanceof Error ? error.message : String(error) } }),
		);
		const entry: Entry = { info, owner, controller, outcome, expiresAt: now + ttl };
		this.tasks.set(taskId, entry);
		void outcome.then((answer) => {
			if (isTerminal(entry.info.status)) return;
			if (controller.signal.aborted) return this.update(entry, 'cancelled', (controller.signal.reason as Error | undefined)?.message);
			if ('error' in answer) return this.update(entry, 'failed', answer.error.message);
			// A tool's own error (isError) is a failed task; its result, which says why, is still what tasks/result returns.
			if (answer.result.isError === true) return this.update(entry, 'failed', firstText(answer.result));
			this.update(entry, 'completed');
		});
		return info;
	}

	/** Whether the owner has a task still working (its session is not idle then). */
	working(owner: string): boolean {
		for (const entry of this.tasks.values()) if (entry.owner === owner && !isTerminal(entry.info.status)) return true;
		return false;
	}

	get(owner: string, taskId: string): TaskInfo | undefined {
		this.expire();
		return this.entry(owner, taskId)?.info;
	}

	/** The task's answer once it is finished (waiting until then); undefined when there is no such task. */
	result(owner: string, taskId: string): Promise<TaskOutcome> | undefined {
		const entry = this.entry(owner, taskId);
		if (!entry) return undefined;
		return entry.outcome.then((answer) => ('result' in answer ? { result: { ...answer.result, _meta: { ...(answer.result._meta as object | undefined), 'io.modelcontextprotocol/related-task': { taskId } } } } : answer));
	}

	list(owner: string): TaskInfo[] {
		this.expire();
		return [...this.tasks.values()].filter((entry) => entry.owner === owner).map((entry) => entry.info);
	}

	/** Cancels a working task (its call is stopped: a command's whole process tree ends); a finished one cannot be. */
	cancel(owner: string, taskId: string): TaskInfo | 'finished' | undefined {
		const entry = this.entry(owner, taskId);
		if (!entry) return undefined;
		if (isTerminal(entry.info.status)) return 'finished';
		this.update(entry, 'cancelled', 'The client cancelled the task');
		entry.controller.abort(new Withdrawn('cancelled', 'The client cancelled the task'));
		return entry.info;
	}

	/** The owner's session ended: its tasks stop and go. */
	dropOwner(owner: string, why: Withdrawn): void {
		for (const entry of [...this.tasks.values()]) {
			if (entry.owner !== owner) continue;
			entry.controller.abort(why);
			this.tasks.delete(entry.info.taskId);
		}
	}

	private entry(owner: string, taskId: string): Entry | undefined {
		const entry = this.tasks.get(taskId);
		// Another session's task reads as no task at all.
		return entry && entry.owner === owner ? entry : undefined;
	}

	private update(entry: Entry, status: TaskStatus, statusMessage?: string): void {
		entry.info = { ...entry.info, status, lastUpdatedAt: iso(this.now()), ...(statusMessage ? { statusMessage: statusMessage.slice(0, 500) } : {}) };
	}

	private expire(): void {
		const now = this.now();
		for (const [id, entry] of this.tasks) {
			if (entry.expiresAt !== undefined && entry.expiresAt <= now && isTerminal(entry.info.status)) this.tasks.delete(id);
		}
	}
}

export function isTerminal(status: TaskStatus): boolean {
	return status === 'completed' || status === 'failed' || status === 'cancelled';
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

function firstText(result: Record<string, unknown>): string | undefined {
	const content = result.content;
	if (!Array.isArray(content)) return undefined;
	const text = content.find((item): item is { type: 'text'; text: string } => typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'text');
	return text?.text;
}
