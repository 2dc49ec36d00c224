import * as vscode from 'vscode';
import { commandRoute } from '../../core/shell/commandRoute';
import type { CommandHandleInfo, CommandOutputSlice, CommandRequest, CommandResult, TerminalHost, TerminalLimits } from '../../core/host/terminalHost';
import { DisposableStore, toDisposable } from '../../core/base/disposable';
import type { Logger } from '../../core/base/log';
import { BackgroundRegistry, backgroundChild, type BackgroundCommand } from '../../node/terminal/backgroundCommands';
import { ChildCommand, defaultShell } from '../../node/terminal/childCommand';
import { commandResult } from '../../node/terminal/commandResult';
import { OutputCapture } from '../../node/terminal/outputCapture';
import { killDescendants } from '../../node/terminal/processTree';
import { killCall, newCallToken } from '../../node/terminal/callToken';
import type { Sandbox } from '../../node/sandbox/bubblewrap';
import { afterCommand, sandboxInvocation } from '../../node/sandbox/sandboxedRequest';
import { rm } from 'node:fs/promises';
import { terminalLine } from '../../node/terminal/terminalLine';

export interface VsCodeTerminalSettings extends TerminalLimits {
	/** false: every command runs as a hidden child process. */
	readonly useTerminal: boolean;
	/** How long to wait for a new terminal's shell integration before falling back to a child process. */
	readonly shellIntegrationTimeoutMs: number;
}

const terminalName = 'MCP Workbench';
const killGraceMs = 1500;
/** After shell integration failed to start, commands skip the terminal for this long instead of waiting again. */
const integrationRetryMs = 5 * 60 * 1000;
/** The output stream can close a little before the end event carrying the exit code arrives. */
const endEventGraceMs = 1000;

interface Slot {
	readonly terminal: vscode.Terminal;
	busy: boolean;
	/** No line has run in it yet. */
	fresh: boolean;
}

/**
 * TerminalHost on VS Code: commands run in a dedicated, reused terminal named "MCP Workbench" through shell
 * integration (exit code, output), so the user sees what runs. A second command while the first still runs gets a
 * second terminal of the same name. Where shell integration is missing, slow to start, or cannot honour the
 * contract (extra environment, multi-line lines, lines whose end it may never report: see commandRoute), the same
 * request runs as a child process and the result says so.
 */
export class VsCodeTerminalHost implements TerminalHost, vscode.Disposable {
	readonly available = true;
	private readonly slots: Slot[] = [];
	private readonly background = new BackgroundRegistry();
	private readonly subscriptions = new DisposableStore();
	private integrationFailedAt = 0;

	constructor(private readonly settings: () => VsCodeTerminalSettings, private readonly log: Logger, private readonly sandbox?: Sandbox) {
		this.subscriptions.add(vscode.window.onDidCloseTerminal((terminal) => {
			const index = this.slots.findIndex((slot) => slot.terminal === terminal);
			if (index >= 0) {
				this.slots.splice(index, 1);
			}
		}));
	}

	limits(): TerminalLimits {
		const { defaultTimeoutMs, maxTimeoutMs } = this.settings();
		return { defaultTimeoutMs, maxTimeoutMs };
	}

	/** Lines run in bash on both paths: the command policy reads them with a bash grammar. */
	shellPath(): string {
		return defaultShell();
	}

	async run(request: CommandRequest): Promise<CommandResult> {
		return (await this.execute(request)).done;
	}

	async start(request: CommandRequest): Promise<CommandHandleInfo> {
		// The starting call ends now; its cancellation must not kill the command. The timeout and kill_command do.
		const { signal: _signal, ...detached } = request;
		return this.background.add(await this.execute(detached), request.owner);
	}

	output(id: string, since: number, owner?: string): CommandOutputSlice | undefined {
		return this.background.output(id, since, owner);
	}

	list(owner?: string): readonly CommandHandleInfo[] {
		return this.background.list(owner);
	}

	kill(id: string, owner?: string): Promise<CommandHandleInfo | undefined> {
		return this.background.kill(id, owner);
	}

	dispose(): void {
		void this.background.killAll();
		this.subscriptions.dispose();
		this.slots.forEach((slot) => slot.terminal.dispose());
		this.slots.length = 0;
	}

	private async execute(request: CommandRequest): Promise<BackgroundCommand> {
		const command = await this.route(request);
		afterCommand(this.sandbox, request, command.done);
		return command;
	}

	private async route(request: CommandRequest): Promise<BackgroundCommand> {
		const settings = this.settings();
		// Refused here, before anything is typed, when the request must run sandboxed and cannot.
		const sandboxed = await sandboxInvocation(this.sandbox, request);
		const fallback = (reason: string) => {
			this.log.info('terminal.fallback', { reason });
			return backgroundChild(new ChildCommand({ ...request, killGraceMs, ...(sandboxed ? { sandboxed } : {}) }, 'process', reason), request);
		};
		const route = commandRoute({
			useTerminal: settings.useTerminal,
			extraEnv: request.env !== undefined && Object.keys(request.env).length > 0,
			platform: process.platform,
			shell: defaultShell(),
			line: request.line,
			shape: request.shape,
			integrationFailedRecently: Date.now() - this.integrationFailedAt < integrationRetryMs,
		});
		if (route.runIn === 'process') {
			return fallback(route.reason);
		}
		const slot = this.idleSlot(request.cwd);
		slot.busy = true;
		const waitStarted = performance.now();
		const integration = await waitForShellIntegration(slot.terminal, settings.shellIntegrationTimeoutMs);
		if (!integration) {
			this.integrationFailedAt = Date.now();
			this.releaseSlot(slot, true);
			return fallback(`shell integration did not start within ${settings.shellIntegrationTimeoutMs} ms`);
		}
		// Nothing but a no-op has been typed so far, so falling back here can never run the line twice.
		if (slot.fresh && !(await warmUp(slot.terminal, integration, settings.shellIntegrationTimeoutMs))) {
			this.integrationFailedAt = Date.now();
			this.releaseSlot(slot, true);
			return fallback(`the new terminal did not finish a no-op within ${settings.shellIntegrationTimeoutMs} ms`);
		}
		if (slot.fresh) {
			this.log.info('terminal.ready', { ms: Math.round(performance.now() - waitStarted) });
		}
		slot.fresh = false;
		const optionsFile = sandboxed && this.sandbox ? await this.sandbox.optionsFile(sandboxed.options) : undefined;
		const token = sandboxed ? undefined : newCallToken();
		const typed = terminalLine(request.line, request.cwd, defaultShell(), sandboxed && optionsFile ? { program: sandboxed.program, optionsFile } : undefined, token);
		// Once the line is typed it is never run anywhere else: a second run of `git commit` or `rm` is worse than a
		// slow answer. A line the shell never reports ends with the timeout, which closes its terminal.
		// A line VS Code did not pair with our execution leaves that execution queued in VS Code, where a later line's
		// start could be matched to it: such a terminal is closed rather than reused.
		const command = new TerminalCommand(slot.terminal, integration, typed, request, (paired) => this.releaseSlot(slot, !paired), sandboxed?.mode, token);
		// Whatever the line left running (a setsid or double-forked child) ends with it.
		if (token) void command.done.finally(() => killCall(token, killGraceMs));
		if (optionsFile) void command.done.finally(() => rm(optionsFile, { force: true }));
		return command;
	}

	private idleSlot(cwd: string): Slot {
		const idle = this.slots.find((slot) => !slot.busy && slot.terminal.exitStatus === undefined);
		if (idle) {
			return idle;
		}
		const terminal = vscode.window.createTerminal({
			name: terminalName,
			// bash whatever the user's default shell is: the typed form (see terminalLine) and the policy's grammar are bash's.
			shellPath: defaultShell(),
			cwd,
			// Pagers would wait for a key press in a real terminal; these make git and friends print and exit.
			env: { PAGER: 'cat', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0' },
			iconPath: new vscode.ThemeIcon('tools'),
		});
		// Shown at once, so the panel has given it its real width before anything is typed: a resize while a line
		// wraps makes VS Code read that line back from the screen as its last row, unpaired from our execution.
		terminal.show(true);
		const slot: Slot = { terminal, busy: false, fresh: true };
		this.slots.push(slot);
		return slot;
	}

	private releaseSlot(slot: Slot, dispose: boolean): void {
		slot.busy = false;
		if (dispose || slot.terminal.exitStatus !== undefined) {
			const index = this.slots.indexOf(slot);
			if (index >= 0) {
				this.slots.splice(index, 1);
			}
			slot.terminal.dispose();
		}
	}
}

/**
 * The first line typed into a new terminal can be lost while the shell finishes starting. A no-op first, awaited to
 * its end, leaves the shell at a prompt VS Code has seen; false when it never ends (the terminal is then not used).
 */
function warmUp(terminal: vscode.Terminal, integration: vscode.TerminalShellIntegration, timeoutMs: number): Promise<boolean> {
	return new Promise<boolean>((resolve) => {
		const timer = setTimeout(() => done(false), timeoutMs);
		// Any execution that ends in this terminal is the no-op: nothing else has been typed into it.
		const subscription = vscode.window.onDidEndTerminalShellExecution((event) => {
			if (event.terminal === terminal) done(true);
		});
		function done(ended: boolean): void {
			clearTimeout(timer);
			subscription.dispose();
			resolve(ended);
		}
		integration.executeCommand(':');
	});
}

function waitForShellIntegration(terminal: vscode.Terminal, timeoutMs: number): Promise<vscode.TerminalShellIntegration | undefined> {
	if (terminal.shellIntegration) {
		return Promise.resolve(terminal.shellIntegration);
	}
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			subscription.dispose();
			resolve(terminal.shellIntegration);
		}, timeoutMs);
		const subscription = vscode.window.onDidChangeTerminalShellIntegration((event) => {
			if (event.terminal === terminal) {
				clearTimeout(timer);
				subscription.dispose();
				resolve(event.shellIntegration);
			}
		});
	});
}

/** One command in a shell-integration terminal, with the same result contract as a child process. */
class TerminalCommand implements BackgroundCommand {
	readonly ranIn = 'terminal' as const;
	readonly startedAt = new Date();
	readonly done: Promise<CommandResult>;
	private readonly capture: OutputCapture;
	private readonly started = performance.now();
	private stopReason: 'timeout' | 'cancel' | 'kill' | undefined;
	private ended = false;
	private finish: (exitCode: number | null, note?: string) => void = () => undefined;
	/** The execution the shell reported for the typed line, once it started. */
	private execution: vscode.TerminalShellExecution | undefined;
	/** The command line the shell reported, when it differs from the typed one. */
	private reportedAs: string | undefined;

	constructor(
		private readonly terminal: vscode.Terminal,
		integration: vscode.TerminalShellIntegration,
		typed: string,
		private readonly request: CommandRequest,
		release: (paired: boolean) => void,
		private readonly sandbox?: 'read-only' | 'workspace-write',
		private readonly token?: string,
	) {
		this.capture = new OutputCapture(request.maxOutputChars);
		terminal.show(true);
		this.done = new Promise<CommandResult>((resolve) => {
			const subscriptions = new DisposableStore();
			const timers: NodeJS.Timeout[] = [];
			this.finish = (exitCode, note) => {
				if (this.ended) {
					return;
				}
				this.ended = true;
				subscriptions.dispose();
				timers.forEach(clearTimeout);
				this.capture.end();
				release(this.execution !== undefined && this.reportedAs === undefined);
				resolve(this.result(exitCode, note));
			};
			const pending = integration.executeCommand(typed);
			// Read at once: output that arrives before a reader exists is dropped, and start and first output can
			// arrive together.
			void this.readOutput(pending, timers);
			// The first execution that starts in this (busy, dedicated) terminal is the typed line, even when VS Code
			// did not pair it with ours because the shell reported the line differently (see terminalLine): then its
			// exit code still counts, and its output is read from the moment it is known.
			subscriptions.add(vscode.window.onDidStartTerminalShellExecution((event) => {
				if (event.terminal === terminal && !this.execution) {
					this.execution = event.execution;
					if (event.execution !== pending) {
						this.reportedAs = event.execution.commandLine.value;
						void this.readOutput(event.execution, timers);
					}
				}
			}));
			subscriptions.add(vscode.window.onDidEndTerminalShellExecution((event) => {
				if (event.execution === this.execution) {
					this.finish(event.exitCode ?? null, event.exitCode === undefined ? 'the terminal did not report an exit code' : undefined);
				}
			}));
			subscriptions.add(vscode.window.onDidCloseTerminal((closed) => {
				if (closed === terminal) {
					// The user closed it, or its shell died: the line's own `exit` only ends its child bash.
					this.finish(null, 'the terminal was closed while the command ran');
				}
			}));
			timers.push(setTimeout(() => void this.kill('timeout'), request.timeoutMs));
			if (request.signal) {
				const onAbort = () => void this.kill('cancel');
				if (request.signal.aborted) {
					queueMicrotask(onAbort);
				} else {
					request.signal.addEventListener('abort', onAbort, { once: true });
					subscriptions.add(toDisposable(() => request.signal?.removeEventListener('abort', onAbort)));
				}
			}
		});
	}

	get line(): string {
		return this.request.line;
	}

	get cwd(): string {
		return this.request.cwd;
	}

	get running(): boolean {
		return !this.ended;
	}

	get totalChars(): number {
		return this.capture.text.totalChars;
	}

	read(since: number): { text: string; from: number; skipped: number } {
		return this.capture.text.read(since);
	}

	stop(): Promise<CommandResult> {
		return this.kill('kill');
	}

	private async readOutput(execution: vscode.TerminalShellExecution, timers: NodeJS.Timeout[]): Promise<void> {
		try {
			for await (const data of execution.read()) {
				if (this.ended) {
					break;
				}
				this.capture.pushText(data);
			}
		} catch {
			// The stream breaks when the terminal goes away; the close listener reports that.
		}
		// The stream has ended, so the command has: if no end event follows (multi-command lines, odd shells), stop waiting.
		timers.push(setTimeout(() => this.finish(null, 'the terminal did not report the end of the command; its exit code is unknown'), endEventGraceMs));
	}

	private async kill(reason: 'timeout' | 'cancel' | 'kill'): Promise<CommandResult> {
		if (!this.ended && this.stopReason === undefined) {
			this.stopReason = reason;
			const shellPid = await this.terminal.processId;
			if (this.ended) {
				// It ended while we asked for the pid; its terminal may already run the next line, which ^C would hit.
				return this.done;
			}
			// Interrupt first, as a user would; then kill whatever the shell started, leaving the shell itself alive.
			this.terminal.sendText('\u0003', false);
			if (shellPid !== undefined) {
				await killDescendants(shellPid, killGraceMs);
			}
			if (this.token) await killCall(this.token, killGraceMs);
			// A shell that still reports nothing is beyond saving: closing the terminal ends its whole session.
			setTimeout(() => {
				if (!this.ended) {
					this.terminal.dispose();
				}
			}, killGraceMs * 2);
		}
		return this.done;
	}

	private result(exitCode: number | null, note: string | undefined): CommandResult {
		const notes: string[] = note ? [note] : [];
		if (!this.execution) {
			notes.push('the terminal never reported the start of the command, so it may not have run');
		} else if (this.reportedAs !== undefined) {
			notes.push(`the shell reported the line as ${JSON.stringify(this.reportedAs.slice(0, 200))}, so the start of its output may be missing`);
		}
		const result = commandResult(this.capture, {
			exitCode,
			reportedExitCode: this.stopReason ? null : exitCode,
			signal: null,
			stopReason: this.stopReason,
			timeoutMs: this.request.timeoutMs,
			startedMs: this.started,
			ranIn: 'terminal',
			notes,
		});
		return this.sandbox ? { ...result, sandbox: this.sandbox } : result;
	}
}
