import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { CommandRequest, CommandResult, RanIn } from '../../core/host/terminalHost';

/**
 * Removes ANSI/OSC escape sequences and stray control characters from a stream of text. Stateful, because a
 * sequence can be split across two chunks; `\r\n` and lone `\r` become `\n` so progress bars read as lines.
 */
export class ControlSequenceStripper {
	private state: 'text' | 'esc' | 'csi' | 'string' | 'stringEsc' | 'intermediate' = 'text';
	private pendingCr = false;
	/** Control characters dropped outside escape sequences, and U+FFFD from invalid UTF-8: a sign of binary data. */
	suspicious = 0;

	push(input: string): string {
		let chunk = input;
		if (this.state === 'text' && !this.pendingCr) {
			if (isPlain(chunk)) {
				return chunk;
			}
			// Whole colour and title sequences go in one native pass; the loop below sees only what is left.
			chunk = chunk.replace(completeSequence, '');
			if (isPlain(chunk)) {
				return chunk;
			}
		}
		const pieces: string[] = [];
		let i = 0;
		while (i < chunk.length) {
			if (this.state !== 'text') {
				i = this.sequence(chunk.charCodeAt(i), i);
				continue;
			}
			const code = chunk.charCodeAt(i);
			// A carriage return waits for the next visible character: an invisible sequence between \r and \n
			// must not turn one line break into two.
			if (this.pendingCr && code !== 0x1b && code !== 0x9b && code !== 0x9d) {
				this.pendingCr = false;
				pieces.push('\n');
				if (code === 0x0a) {
					i++;
					continue;
				}
			}
			// Copy the run of ordinary text up to the next character that needs a look, in one slice.
			specialCharacter.lastIndex = i;
			const next = specialCharacter.exec(chunk)?.index ?? chunk.length;
			if (next > i) {
				pieces.push(chunk.slice(i, next));
			}
			if (next < chunk.length) {
				this.control(chunk.charCodeAt(next), pieces);
			}
			i = next + 1;
		}
		return pieces.join('');
	}

	private control(code: number, pieces: string[]): void {
		if (code === 0x1b) {
			this.state = 'esc';
		} else if (code === 0x9b) {
			this.state = 'csi';
		} else if (code === 0x9d) {
			this.state = 'string';
		} else if (code === 0x0d) {
			this.pendingCr = true;
		} else if (code !== 0x07) {
			this.suspicious++;
			if (code === 0xfffd) {
				pieces.push('\ufffd');
			}
		}
	}

	/** Consumes one character inside an escape sequence; returns the index to continue at. */
	private sequence(code: number, i: number): number {
		switch (this.state) {
			case 'esc':
				if (code === 0x5b) {
					this.state = 'csi';
				} else if (code === 0x5d || code === 0x50 || code === 0x58 || code === 0x5e || code === 0x5f) {
					// OSC, DCS, SOS, PM, APC: a string terminated by BEL or ST.
					this.state = 'string';
				} else if (code >= 0x20 && code <= 0x2f) {
					this.state = 'intermediate';
				} else {
					this.state = 'text';
				}
				return i + 1;
			case 'intermediate':
				if (code < 0x20 || code > 0x2f) {
					this.state = 'text';
				}
				return i + 1;
			case 'csi':
				if (code >= 0x40 && code <= 0x7e) {
					this.state = 'text';
				} else if (code < 0x20 || code > 0x3f) {
					// Not a valid CSI byte: give up on the sequence rather than eat the text after it.
					this.state = 'text';
					return i;
				}
				return i + 1;
			case 'string':
				if (code === 0x07 || code === 0x9c) {
					this.state = 'text';
				} else if (code === 0x1b) {
					this.state = 'stringEsc';
				}
				return i + 1;
			default:
				this.state = code === 0x5c ? 'text' : 'string';
				return i + 1;
		}
	}

	/** Text held back at the end of the stream (a trailing `\r`). */
	end(): string {
		if (this.pendingCr) {
			this.pendingCr = false;
			return '\n';
		}
		return '';
	}
}

/** Anything the stripper must look at; a chunk without these passes through untouched (the common case, fast). */
const needsStripping = /[\x00-\x08\x0b-\x1f\x7f\x9b\x9d\ufffd]/;
const specialCharacter = /[\x00-\x08\x0b-\x1f\x7f\x9b\x9d\ufffd]/g;
/** A complete CSI sequence (colours, cursor moves) or OSC string (titles, links, shell integration marks). */
const completeSequence = /\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

function isPlain(chunk: string): boolean {
	return !needsStripping.test(chunk);
}

/**
 * Keeps the first and last parts of a stream of text within a fixed budget, however much flows through it, and
 * numbers every character so a reader can ask for "everything after offset N".
 */
export class CappedText {
	private head = '';
	private tailPieces: string[] = [];
	private tailLength = 0;
	private total = 0;
	private readonly headLimit: number;
	private readonly tailLimit: number;

	constructor(maxChars: number) {
		const budget = Math.max(2, Math.floor(maxChars));
		this.headLimit = Math.floor(budget / 2);
		this.tailLimit = budget - this.headLimit;
	}

	get totalChars(): number {
		return this.total;
	}

	get truncated(): boolean {
		return this.droppedChars > 0;
	}

	private get droppedChars(): number {
		return this.total - this.head.length - this.tailLength;
	}

	append(text: string): void {
		if (text.length === 0) {
			return;
		}
		this.total += text.length;
		let rest = text;
		if (this.head.length < this.headLimit) {
			const room = this.headLimit - this.head.length;
			this.head += rest.slice(0, room);
			rest = rest.slice(room);
		}
		if (rest.length === 0) {
			return;
		}
		this.tailPieces.push(rest);
		this.tailLength += rest.length;
		// Whole pieces fall off the front without copying; the kept tail exceeds its budget by less than one piece.
		while (this.tailPieces.length > 1 && this.tailLength - this.tailPieces[0].length >= this.tailLimit) {
			this.tailLength -= (this.tailPieces.shift() as string).length;
		}
	}

	private compactTail(): void {
		const joined = this.tailPieces.join('');
		const kept = joined.slice(joined.length - Math.min(joined.length, this.tailLimit));
		this.tailPieces = kept.length > 0 ? [kept] : [];
		this.tailLength = kept.length;
	}

	/** The kept text, with a marker where the middle was dropped. */
	text(): string {
		this.compactTail();
		const tail = this.tailPieces.join('');
		const dropped = this.droppedChars;
		return dropped > 0 ? `${this.head}${omissionMarker(dropped)}${tail}` : this.head + tail;
	}

	/** Text from offset `since` on, or from the oldest kept character after it. */
	read(since: number): { text: string; from: number; skipped: number } {
		this.compactTail();
		const start = Math.max(0, Math.min(Math.floor(since), this.total));
		const tail = this.tailPieces.join('');
		const tailStart = this.total - tail.length;
		if (start < this.head.length) {
			const dropped = this.droppedChars;
			return { text: this.head.slice(start) + (dropped > 0 ? omissionMarker(dropped) : '') + tail, from: start, skipped: 0 };
		}
		if (start >= tailStart) {
			return { text: tail.slice(start - tailStart), from: start, skipped: 0 };
		}
		return { text: tail, from: tailStart, skipped: tailStart - start };
	}
}

function omissionMarker(dropped: number): string {
	return `\n\n[… ${dropped} characters omitted …]\n\n`;
}

/** Text capture for one command: decode, strip, cap. */
export class OutputCapture {
	private readonly stripper = new ControlSequenceStripper();
	readonly text: CappedText;

	constructor(maxChars: number) {
		this.text = new CappedText(maxChars);
	}

	pushText(raw: string): void {
		this.text.append(this.stripper.push(raw));
	}

	end(): void {
		this.text.append(this.stripper.end());
	}

	/** Binary data decodes to many replacement and control characters; a few are normal in logs. */
	get binary(): boolean {
		const total = this.text.totalChars + this.stripper.suspicious;
		return this.stripper.suspicious > 16 && this.stripper.suspicious * 20 > total;
	}
}

/** The shell lines run in: bash where present (the policy parses bash), else sh; cmd.exe on Windows. */
export function defaultShell(): string {
	if (process.platform === 'win32') {
		return process.env.ComSpec ?? 'cmd.exe';
	}
	return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

export interface ProcessRequest extends CommandRequest {
	/** Grace between SIGTERM and SIGKILL when killing the tree. */
	readonly killGraceMs?: number;
	readonly shell?: string;
	/** Each decoded chunk as printed, escape sequences intact: for a pseudoterminal that shows it live. */
	readonly onOutput?: (text: string) => void;
}

type StopReason = 'timeout' | 'cancel' | 'kill';

const defaultKillGraceMs = 1500;

/** One command running as a child process in its own process group, so the whole tree can be killed at once. */
export class ChildCommand {
	readonly capture: OutputCapture;
	readonly done: Promise<CommandResult>;
	readonly startedAt = new Date();
	private readonly child: ChildProcess;
	private readonly started = performance.now();
	private stopReason: StopReason | undefined;
	private exited = false;
	private readonly timers: NodeJS.Timeout[] = [];
	private readonly graceMs: number;
	private removeAbortListener: () => void = () => undefined;

	constructor(private readonly request: ProcessRequest, ranIn: RanIn = 'process', fallbackReason?: string) {
		this.capture = new OutputCapture(request.maxOutputChars);
		this.graceMs = request.killGraceMs ?? defaultKillGraceMs;
		const shell = request.shell ?? defaultShell();
		const windows = process.platform === 'win32';
		this.child = spawn(shell, windows ? ['/d', '/s', '/c', `"${request.line}"`] : ['-c', request.line], {
			cwd: request.cwd,
			env: request.env ? { ...process.env, ...request.env } : process.env,
			// Its own process group on POSIX: one kill(-pid) reaches every descendant that did not leave the group.
			detached: !windows,
			// Standard input closed: nothing can wait for a keyboard.
			stdio: ['ignore', 'pipe', 'pipe'],
			windowsHide: true,
			windowsVerbatimArguments: windows,
		});
		this.done = this.watch(ranIn, fallbackReason);
		this.timers.push(setTimeout(() => this.stop('timeout'), request.timeoutMs));
		if (request.signal) {
			const onAbort = () => this.stop('cancel');
			if (request.signal.aborted) {
				queueMicrotask(onAbort);
			} else {
				request.signal.addEventListener('abort', onAbort, { once: true });
				this.removeAbortListener = () => request.signal?.removeEventListener('abort', onAbort);
			}
		}
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get running(): boolean {
		return !this.exited;
	}

	/** Kills the whole tree: SIGTERM to the group, SIGKILL after the grace period. Resolves when it has ended. */
	async stop(reason: StopReason): Promise<CommandResult> {
		if (!this.exited && this.stopReason === undefined) {
			this.stopReason = reason;
			this.signalTree('SIGTERM');
			this.timers.push(setTimeout(() => this.signalTree('SIGKILL'), this.graceMs));
		}
		return this.done;
	}

	private signalTree(signal: NodeJS.Signals): void {
		const pid = this.child.pid;
		if (pid === undefined) {
			return;
		}
		if (process.platform === 'win32') {
			spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
			return;
		}
		try {
			process.kill(-pid, signal);
		} catch {
			// ESRCH: the group is already empty.
		}
	}

	private watch(ranIn: RanIn, fallbackReason: string | undefined): Promise<CommandResult> {
		return new Promise((resolve) => {
			const decoders = [new StringDecoder('utf8'), new StringDecoder('utf8')];
			const streams = [this.child.stdout, this.child.stderr];
			streams.forEach((stream, index) => {
				stream?.on('data', (chunk: Buffer) => {
					const text = decoders[index].write(chunk);
					this.capture.pushText(text);
					this.request.onOutput?.(text);
				});
			});
			let exitCode: number | null = null;
			let exitSignal: string | null = null;
			let spawnError: Error | undefined;
			let settled = false;
			const finish = () => {
				if (settled) {
					return;
				}
				settled = true;
				this.exited = true;
				this.timers.forEach(clearTimeout);
				this.removeAbortListener();
				for (const decoder of decoders) {
					this.capture.pushText(decoder.end());
				}
				this.capture.end();
				resolve(this.result(exitCode, exitSignal, spawnError, ranIn, fallbackReason));
			};
			this.child.on('error', (error) => {
				spawnError = error;
				finish();
			});
			this.child.on('exit', (code, signal) => {
				exitCode = code;
				exitSignal = signal;
				// Whatever the command left behind in its group (`cmd &`) dies with it: nothing keeps running.
				this.signalTree('SIGTERM');
				this.timers.push(setTimeout(() => this.signalTree('SIGKILL'), this.graceMs));
				// A descendant that left the group may hold our pipes open forever: stop waiting for them.
				this.timers.push(setTimeout(() => {
					streams.forEach((stream) => stream?.destroy());
					finish();
				}, this.graceMs * 2));
			});
			this.child.on('close', finish);
		});
	}

	private result(exitCode: number | null, signal: string | null, spawnError: Error | undefined, ranIn: RanIn, fallbackReason: string | undefined): CommandResult {
		const notes = spawnError ? [`could not start the shell: ${spawnError.message}`] : [];
		return commandResult(this.capture, { exitCode, signal, stopReason: this.stopReason, timeoutMs: this.request.timeoutMs, startedMs: this.started, ranIn, notes, fallbackReason });
	}
}

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

/** Quotes one word for a POSIX shell: single quotes, with embedded ones closed, escaped and reopened. */
export function shellQuote(text: string): string {
	return `'${text.replace(/'/g, `'\\''`)}'`;
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

/** Runs a line to its end in a child process. */
export function runProcess(request: ProcessRequest, fallbackReason?: string): Promise<CommandResult> {
	return new ChildCommand(request, 'process', fallbackReason).done;
}

/**
 * Kills every descendant of a process (not the process itself): used on a terminal's shell, which must survive
 * while the command it runs dies. Children first learn of it by SIGTERM, survivors get SIGKILL after the grace.
 */
export async function killDescendants(rootPid: number, graceMs = defaultKillGraceMs): Promise<number[]> {
	const victims = descendantsOf(rootPid);
	if (victims.length === 0) {
		return [];
	}
	for (const pid of victims) {
		trySignal(pid, 'SIGTERM');
	}
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && victims.some(isAlive)) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	for (const pid of victims.filter(isAlive)) {
		trySignal(pid, 'SIGKILL');
	}
	return victims;
}

function descendantsOf(rootPid: number): number[] {
	if (process.platform === 'win32') {
		return [];
	}
	const listing = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
	if (listing.status !== 0) {
		return [];
	}
	const children = new Map<number, number[]>();
	for (const line of listing.stdout.split('\n')) {
		const [pid, ppid] = line.trim().split(/\s+/).map(Number);
		if (Number.isInteger(pid) && Number.isInteger(ppid)) {
			children.set(ppid, [...(children.get(ppid) ?? []), pid]);
		}
	}
	const found: number[] = [];
	const queue = [...(children.get(rootPid) ?? [])];
	while (queue.length > 0) {
		const pid = queue.shift() as number;
		found.push(pid);
		queue.push(...(children.get(pid) ?? []));
	}
	return found;
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(pid, signal);
	} catch {
		// Already gone.
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
