import type { CommandResult, RanIn } from '../../core/host/terminalHost';
import type { OutputCapture } from './outputCapture';

export interface CommandEnd {
	/** What the process or shell reported; its notes explain it. */
	readonly exitCode: number | null;
	/** The exit code the result carries, when it differs (the terminal reports none for a line it stopped). */
	readonly reportedExitCode?: number | null;
	readonly signal: string | null;
	readonly stopReason: 'timeout' | 'cancel' | 'kill' | undefined;
	readonly timeoutMs: number;
	/** performance.now() when the command started. */
	readonly startedMs: number;
	readonly ranIn: RanIn;
	/** Path-specific notes, before the exit and stop notes. */
	readonly notes: readonly string[];
	readonly fallbackReason?: string;
}

/** The result contract the child-process and terminal paths share, from what was captured and how it ended. */
export function commandResult(capture: OutputCapture, end: CommandEnd): CommandResult {
	return {
		exitCode: end.reportedExitCode === undefined ? end.exitCode : end.reportedExitCode,
		signal: end.signal,
		timedOut: end.stopReason === 'timeout',
		cancelled: end.stopReason === 'cancel' || end.stopReason === 'kill',
		output: capture.text.text(),
		truncated: capture.text.truncated,
		totalChars: capture.text.totalChars,
		binary: capture.binary,
		durationMs: Math.round(performance.now() - end.startedMs),
		ranIn: end.ranIn,
		...(end.fallbackReason ? { fallbackReason: end.fallbackReason } : {}),
		notes: [...end.notes, ...exitCodeNotes(end.exitCode), ...stopNotes(end.stopReason, end.timeoutMs)],
	};
}

/** What the result says about a command we stopped, the same for the terminal and the child-process paths. */
function stopNotes(reason: 'timeout' | 'cancel' | 'kill' | undefined, timeoutMs: number): string[] {
	if (reason === 'timeout') return [`timed out after ${timeoutMs} ms: the process tree was killed`];
	return reason ? ['killed on request: the process tree was killed'] : [];
}

/** What a shell's exit code means, in words an agent can act on. */
function exitCodeNotes(exitCode: number | null): string[] {
	if (exitCode === 127) {
		return ['exit 127: command not found (check the program name and PATH)'];
	}
	if (exitCode === 126) {
		return ['exit 126: the program was found but is not executable'];
	}
	return [];
}
