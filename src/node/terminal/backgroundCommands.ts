import type { CommandHandleInfo, CommandOutputSlice, CommandRequest, CommandResult, RanIn } from '../../core/host/terminalHost';
import type { ChildCommand } from './childCommand';

/** A background command, whichever way it runs. */
export interface BackgroundCommand {
	readonly line: string;
	readonly cwd: string;
	readonly startedAt: Date;
	readonly ranIn: RanIn;
	readonly running: boolean;
	readonly totalChars: number;
	read(since: number): { text: string; from: number; skipped: number };
	stop(): Promise<CommandResult>;
	readonly done: Promise<CommandResult>;
}

/** Finished handles kept for reading; older ones are forgotten so a long session does not grow without bound. */
const keptFinishedHandles = 50;

/** Numbers and remembers background commands; shared by the Node and VS Code terminal hosts. */
export class BackgroundRegistry {
	private readonly handles = new Map<string, { command: BackgroundCommand; owner?: string; result?: CommandResult }>();
	private next = 1;

	/** `owner`: the session that started it; with an owner, only the same owner lists, reads or kills it. */
	add(command: BackgroundCommand, owner?: string): CommandHandleInfo {
		const id = `cmd-${this.next++}`;
		const entry: { command: BackgroundCommand; owner?: string; result?: CommandResult } = { command, ...(owner === undefined ? {} : { owner }) };
		this.handles.set(id, entry);
		void command.done.then((result) => {
			entry.result = result;
			this.forgetOldFinished();
		});
		return this.info(id);
	}

	info(id: string): CommandHandleInfo {
		const entry = this.handles.get(id);
		if (!entry) {
			throw new Error(`unknown handle ${id}`);
		}
		const { command, result } = entry;
		return {
			id,
			line: command.line,
			cwd: command.cwd,
			startedAt: command.startedAt.toISOString(),
			running: result === undefined,
			ranIn: command.ranIn,
			totalChars: command.totalChars,
			...(result ? { result } : {}),
		};
	}

	/** The entry, when `owner` may see it: no owner asked (the editor's views), or the one that started it. */
	private visible(id: string, owner: string | undefined) {
		const entry = this.handles.get(id);
		return entry && (owner === undefined || entry.owner === owner) ? entry : undefined;
	}

	output(id: string, since: number, owner?: string): CommandOutputSlice | undefined {
		const entry = this.visible(id, owner);
		if (!entry) {
			return undefined;
		}
		const { text, from, skipped } = entry.command.read(since);
		return { handle: this.info(id), output: text, fromOffset: from, nextOffset: entry.command.totalChars, skippedChars: skipped };
	}

	list(owner?: string): CommandHandleInfo[] {
		return [...this.handles.keys()].filter((id) => this.visible(id, owner)).map((id) => this.info(id));
	}

	async kill(id: string, owner?: string): Promise<CommandHandleInfo | undefined> {
		const entry = this.visible(id, owner);
		if (!entry) {
			return undefined;
		}
		entry.result = await entry.command.stop();
		return this.info(id);
	}

	/** Kills everything still running; for shutdown. */
	async killAll(): Promise<void> {
		await Promise.all([...this.handles.values()].map((entry) => entry.command.stop()));
	}

	private forgetOldFinished(): void {
		const finished = [...this.handles].filter(([, entry]) => entry.result !== undefined);
		for (const [id] of finished.slice(0, Math.max(0, finished.length - keptFinishedHandles))) {
			this.handles.delete(id);
		}
	}
}

/** Wraps a child process as a background command. */
export function backgroundChild(child: ChildCommand, request: CommandRequest): BackgroundCommand {
	return {
		line: request.line,
		cwd: request.cwd,
		startedAt: child.startedAt,
		ranIn: 'process',
		get running() {
			return child.running;
		},
		get totalChars() {
			return child.capture.text.totalChars;
		},
		read: (since) => child.capture.text.read(since),
		stop: () => child.stop('kill'),
		done: child.done,
	};
}
