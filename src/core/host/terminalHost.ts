import { z } from 'zod';
import type { LineShape } from '../shell/commandRoute';
import type { SandboxedMode } from '../sandbox/bwrapArguments';

/** Where a command ran: the user's visible terminal (shell integration) or a hidden child process. */
export type RanIn = 'terminal' | 'process';

export interface CommandRequest {
	/** The exact line, as the approval card showed it. */
	readonly line: string;
	/** Absolute, jail-resolved working directory inside a workspace folder. */
	readonly cwd: string;
	/** Extra environment variables on top of the editor's own. */
	readonly env?: Readonly<Record<string, string>>;
	/** The whole process tree is killed when this elapses. */
	readonly timeoutMs: number;
	/** Output beyond this keeps its head and tail with a marker between (counted in UTF-16 code units). */
	readonly maxOutputChars: number;
	/** Aborting kills the process tree, like a timeout. */
	readonly signal?: AbortSignal;
	/** What the gate's parse found in the line; where it runs depends on it. Absent: the line was not analysed (runs as a child process). */
	readonly shape?: LineShape;
	/**
	 * Run inside the OS sandbox in this mode; absent: as the user's own process. A host that cannot sandbox refuses
	 * such a request rather than run it unsandboxed.
	 */
	readonly sandbox?: SandboxedMode;
	/** The session that started a background command: only it can list, read or kill the command. */
	readonly owner?: string;
}

const ranInSchema = z.enum(['terminal', 'process']);

/**
 * How a command ended and what it printed: the contract both paths (terminal, child process) fulfil, and the
 * output schema run_command declares. One schema, so the tool's declared output cannot drift from the host's result.
 */
export const commandResultSchema = z.object({
	/** null when the process was killed by a signal or the terminal never reported one. */
	exitCode: z.number().nullable(),
	signal: z.string().nullable(),
	timedOut: z.boolean(),
	cancelled: z.boolean(),
	/** stdout and stderr as they interleaved, ANSI/OSC sequences stripped, capped head + tail. */
	output: z.string(),
	truncated: z.boolean(),
	/** Characters the command printed in total, before capping. */
	totalChars: z.number(),
	/** Many control bytes or invalid UTF-8: the text is a lossy view of binary output. */
	binary: z.boolean(),
	durationMs: z.number(),
	ranIn: ranInSchema,
	/** The OS sandbox it ran in; absent when it ran unsandboxed. */
	sandbox: z.enum(['read-only', 'workspace-write']).optional(),
	/** Why the terminal path was not used, when it was not. */
	fallbackReason: z.string().optional(),
	/** Extra facts for the agent: "command not found", "exit code not reported by the terminal". */
	notes: z.array(z.string()),
});
export type CommandResult = Readonly<z.output<typeof commandResultSchema>>;

/** A command started in the background, as `list_commands` shows it (its result without the output, once it ended). */
export const commandHandleSchema = z.object({
	id: z.string(),
	line: z.string(),
	cwd: z.string(),
	startedAt: z.string(),
	running: z.boolean(),
	ranIn: ranInSchema,
	/** Characters printed so far; `command_output` reads from an offset into this stream. */
	totalChars: z.number(),
	/** Set once the command has ended. */
	result: commandResultSchema.optional(),
});
export type CommandHandleInfo = Readonly<z.output<typeof commandHandleSchema>>;

export interface CommandOutputSlice {
	readonly handle: CommandHandleInfo;
	/** Text from the requested offset on (or from the oldest text still kept, if that was dropped). */
	readonly output: string;
	/** Offset in the whole output stream where `output` starts. */
	readonly fromOffset: number;
	/** Pass this as `since` on the next read to get only newer output. */
	readonly nextOffset: number;
	/** Characters between `since` and `fromOffset` that the cap dropped. */
	readonly skippedChars: number;
}

/** What terminal tools need from the editor: run, watch and stop commands. */
export interface TerminalHost {
	readonly available: boolean;
	/** Runs a command to its end (or timeout/abort) and returns what it printed. */
	run(request: CommandRequest): Promise<CommandResult>;
	/** Starts a command and returns at once; the timeout still applies and kills it. */
	start(request: CommandRequest): Promise<CommandHandleInfo>;
	/**
	 * Output of a background command from `since` on; undefined for an unknown handle. With `owner`, only that
	 * owner's commands exist: another session's handle is as unknown as one that never was. Tools always pass it
	 * (see scopedTerminal); without it the editor's own views see every command.
	 */
	output(id: string, since: number, owner?: string): CommandOutputSlice | undefined;
	list(owner?: string): readonly CommandHandleInfo[];
	/** Kills the handle's process tree and waits for it to end; undefined for an unknown handle (or another owner's). */
	kill(id: string, owner?: string): Promise<CommandHandleInfo | undefined>;
	/** The shell commands run in, for system information ("/bin/bash"). */
	shellPath(): string;
	/** Timeouts from settings: the default when a call names none, and the most a call may ask for. */
	limits(): TerminalLimits;
}

export interface TerminalLimits {
	readonly defaultTimeoutMs: number;
	readonly maxTimeoutMs: number;
}

/**
 * The terminal as one session sees it: the commands it starts carry its name, and it lists, reads and kills only
 * those. The gate hands every call this view, so no tool can reach another client's command output.
 */
export function scopedTerminal(terminal: TerminalHost, owner: string): TerminalHost {
	return {
		get available() {
			return terminal.available;
		},
		run: (request) => terminal.run({ ...request, owner }),
		start: (request) => terminal.start({ ...request, owner }),
		output: (id, since) => terminal.output(id, since, owner),
		list: () => terminal.list(owner),
		kill: (id) => terminal.kill(id, owner),
		shellPath: () => terminal.shellPath(),
		limits: () => terminal.limits(),
	};
}
