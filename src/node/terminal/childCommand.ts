import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { CommandRequest, CommandResult, RanIn } from '../../core/host/terminalHost';
import type { SandboxInvocation } from '../sandbox/bubblewrap';
import { commandResult } from './commandResult';
import { OutputCapture } from './outputCapture';
import { CALL_TOKEN_VARIABLE, killCall, newCallToken } from './callToken';
import { DEFAULT_KILL_GRACE_MS } from './processTree';

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
	/** Run inside this sandbox: `bwrap <options> -- <shell> -c <line>`. */
	readonly sandboxed?: SandboxInvocation;
}

type StopReason = 'timeout' | 'cancel' | 'kill';

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
	/** Unsandboxed: the variable every process of this call inherits, so none escapes the kill (see callToken). */
	private readonly token: string | undefined;

	constructor(private readonly request: ProcessRequest, ranIn: RanIn = 'process', fallbackReason?: string) {
		this.capture = new OutputCapture(request.maxOutputChars);
		this.graceMs = request.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
		const shell = request.shell ?? defaultShell();
		const windows = process.platform === 'win32';
		this.token = request.sandboxed || windows ? undefined : newCallToken();
		const tokenEnv = this.token ? { [CALL_TOKEN_VARIABLE]: this.token } : {};
		const [program, args] = request.sandboxed
			? [request.sandboxed.program, [...request.sandboxed.options, '--', shell, '-c', request.line]]
			: [shell, windows ? ['/d', '/s', '/c', `"${request.line}"`] : ['-c', request.line]];
		this.child = spawn(program, args, {
			cwd: request.cwd,
			// Sandboxed, bwrap itself gets no environment: its first process, PID 1 inside, keeps the one it was started
			// with, readable as /proc/1/environ. The command's own is set by the sandbox (--setenv, request.env included).
			env: request.sandboxed ? {} : { ...process.env, ...request.env, ...tokenEnv },
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
			this.killLeftovers();
		}
		return this.done;
	}

	/** Processes of this call that left its group (setsid, double fork): found by their inherited token. */
	private killLeftovers(): void {
		const token = this.token;
		// After the current events (and never cleared with the timers): the /proc scan should not delay the answer.
		if (token) setTimeout(() => void killCall(token, this.graceMs), 0);
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
				// Whatever the command left behind (`cmd &`, `setsid cmd`, a double fork) dies with it: nothing keeps running.
				this.signalTree('SIGTERM');
				this.timers.push(setTimeout(() => this.signalTree('SIGKILL'), this.graceMs));
				this.killLeftovers();
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
		const result = commandResult(this.capture, { exitCode, signal, stopReason: this.stopReason, timeoutMs: this.request.timeoutMs, startedMs: this.started, ranIn, notes, fallbackReason });
		return this.request.sandboxed ? { ...result, sandbox: this.request.sandboxed.mode } : result;
	}
}

/** Runs a line to its end in a child process. */
export function runProcess(request: ProcessRequest, fallbackReason?: string): Promise<CommandResult> {
	return new ChildCommand(request, 'process', fallbackReason).done;
}
