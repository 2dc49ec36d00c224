import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import { fitsInBraceGroup, shellLineFeatures, type BashParser } from '../core/commandPolicy';
import type { CommandHandleInfo, CommandOutputSlice, CommandRequest, CommandResult, TerminalHost, TerminalLimits } from '../core/terminalHost';
import { loadBashParser } from '../node/bashParser';
import { BackgroundRegistry, backgroundChild, type BackgroundCommand } from '../node/nodeTerminalHost';
import { ChildCommand, defaultShell, exitCodeNotes, killDescendants, OutputCapture, shellQuote, stopNotes } from '../node/processes';

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
 * contract (extra environment, multi-line lines), the same request runs as a child process and the result says so.
 */
export class VsCodeTerminalHost implements TerminalHost, vscode.Disposable {
	readonly available = true;
	private readonly slots: Slot[] = [];
	private readonly background = new BackgroundRegistry();
	private readonly subscriptions: vscode.Disposable[] = [];
	private integrationFailedAt = 0;

	constructor(private readonly settings: () => VsCodeTerminalSettings) {
		this.subscriptions.push(vscode.window.onDidCloseTerminal((terminal) => {
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

	shellPath(): string {
		return vscode.env.shell || defaultShell();
	}

	async run(request: CommandRequest): Promise<CommandResult> {
		return (await this.execute(request)).done;
	}

	async start(request: CommandRequest): Promise<CommandHandleInfo> {
		// The starting call ends now; its cancellation must not kill the command. The timeout and kill_command do.
		const { signal: _signal, ...detached } = request;
		return this.background.add(await this.execute(detached));
	}

	output(id: string, since: number): CommandOutputSlice | undefined {
		return this.background.output(id, since);
	}

	list(): readonly CommandHandleInfo[] {
		return this.background.list();
	}

	kill(id: string): Promise<CommandHandleInfo | undefined> {
		return this.background.kill(id);
	}

	dispose(): void {
		void this.background.killAll();
		this.subscriptions.forEach((subscription) => subscription.dispose());
		this.slots.forEach((slot) => slot.terminal.dispose());
		this.slots.length = 0;
	}

	private async execute(request: CommandRequest): Promise<BackgroundCommand> {
		const settings = this.settings();
		const fallback = (reason: string) => backgroundChild(new ChildCommand({ ...request, killGraceMs }, 'process', reason), request);
		if (!settings.useTerminal) {
			return fallback('the visible terminal is turned off in settings');
		}
		if (request.env && Object.keys(request.env).length > 0) {
			return fallback('extra environment variables are applied on the child-process path, so their values never show in the terminal');
		}
		if (request.line.includes('\n')) {
			return fallback('multi-line commands run as a child process: shell integration may not report their end');
		}
		let parser: BashParser;
		try {
			parser = await loadBashParser();
		} catch (error) {
			return fallback(`the shell parser could not be loaded (${error instanceof Error ? error.message : String(error)})`);
		}
		const { features, unsupported } = shellLineFeatures(request.line, parser);
		if (unsupported || features.length > 0) {
			return fallback(`${unsupported ?? features.join(', ')}: such lines run as a child process, since shell integration may never report their end`);
		}
		if (Date.now() - this.integrationFailedAt < integrationRetryMs) {
			return fallback('shell integration did not start in the terminal recently');
		}
		const slot = this.idleSlot(request.cwd);
		slot.busy = true;
		const integration = await waitForShellIntegration(slot.terminal, settings.shellIntegrationTimeoutMs);
		if (!integration) {
			this.integrationFailedAt = Date.now();
			this.releaseSlot(slot, true);
			return fallback(`shell integration did not start within ${settings.shellIntegrationTimeoutMs} ms`);
		}
		if (slot.fresh) {
			slot.fresh = false;
			await warmUp(slot.terminal, integration, settings.shellIntegrationTimeoutMs);
		}
		const typed = terminalLine(request.line, request.cwd, integration.cwd, parser);
		const command = new TerminalCommand(slot.terminal, integration, typed, request, () => this.releaseSlot(slot, false));
		// A line typed into a shell that is not ready yet can vanish: no start, no output, no end, ever. Rather than
		// wait out the whole timeout, close that terminal (whatever was typed dies with its shell) and run the line as
		// a child process.
		if (!(await command.startedWithin(settings.shellIntegrationTimeoutMs))) {
			command.abandon();
			return fallback(`the terminal did not start the command within ${settings.shellIntegrationTimeoutMs} ms`);
		}
		return command;
	}

	private idleSlot(cwd: string): Slot {
		const idle = this.slots.find((slot) => !slot.busy && slot.terminal.exitStatus === undefined);
		if (idle) {
			return idle;
		}
		const terminal = vscode.window.createTerminal({
			name: terminalName,
			cwd,
			// Pagers would wait for a key press in a real terminal; these make git and friends print and exit.
			env: { PAGER: 'cat', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0' },
			iconPath: new vscode.ThemeIcon('tools'),
		});
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
 * The first line typed into a new terminal can be lost while the shell finishes starting (no start, output or end
 * event ever comes for it). A no-op first, awaited to its end, leaves the shell at a prompt VS Code has seen.
 */
async function warmUp(terminal: vscode.Terminal, integration: vscode.TerminalShellIntegration, timeoutMs: number): Promise<void> {
	const execution = integration.executeCommand(':');
	await new Promise<void>((resolve) => {
		const timer = setTimeout(done, timeoutMs);
		const subscription = vscode.window.onDidEndTerminalShellExecution((event) => {
			if (event.terminal === terminal && event.execution === execution) done();
		});
		function done(): void {
			clearTimeout(timer);
			subscription.dispose();
			resolve();
		}
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

function samePath(a: string, b: string): boolean {
	try {
		return realpathSync(a) === realpathSync(b);
	} catch {
		return a === b;
	}
}

/**
 * The line as typed into the terminal: after a `cd` when the terminal is elsewhere, and as `{ line; } </dev/null` so
 * nothing waits for a keyboard. A subshell `( … )` would lose the exit code in shell integration; a group keeps it.
 * The group is used only when the parser reads both the line and the group as one whole statement: a line with a
 * trailing comment, `&` or `;` would break out of it, so such a line is typed as written (standard input is then
 * the terminal, and a prompt waits for the user or the timeout).
 */
function terminalLine(line: string, cwd: string, terminalCwd: vscode.Uri | undefined, parser: BashParser): string {
	const prefix = terminalCwd && samePath(terminalCwd.fsPath, cwd) ? '' : `cd -- ${shellQuote(cwd)} && `;
	return prefix + (fitsInBraceGroup(line, parser) ? `{ ${line}; } </dev/null` : line);
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
	private markStarted: () => void = () => undefined;
	private readonly startedSignal = new Promise<void>((resolve) => (this.markStarted = resolve));

	constructor(private readonly terminal: vscode.Terminal, integration: vscode.TerminalShellIntegration, typed: string, private readonly request: CommandRequest, release: () => void) {
		this.capture = new OutputCapture(request.maxOutputChars);
		terminal.show(true);
		const execution = integration.executeCommand(typed);
		this.done = new Promise<CommandResult>((resolve) => {
			const subscriptions: vscode.Disposable[] = [];
			const timers: NodeJS.Timeout[] = [];
			this.finish = (exitCode, note) => {
				if (this.ended) {
					return;
				}
				this.ended = true;
				subscriptions.forEach((subscription) => subscription.dispose());
				timers.forEach(clearTimeout);
				this.capture.end();
				release();
				resolve(this.result(exitCode, note));
			};
			subscriptions.push(vscode.window.onDidStartTerminalShellExecution((event) => {
				if (event.execution === execution) {
					this.markStarted();
				}
			}));
			subscriptions.push(vscode.window.onDidEndTerminalShellExecution((event) => {
				if (event.execution === execution) {
					this.markStarted();
					this.finish(event.exitCode ?? null, event.exitCode === undefined ? 'the terminal did not report an exit code' : undefined);
				}
			}));
			subscriptions.push(vscode.window.onDidCloseTerminal((closed) => {
				if (closed === terminal) {
					// A line that runs `exit N` ends the terminal's shell: its exit status is the line's.
					const code = this.stopReason ? undefined : closed.exitStatus?.code;
					this.finish(code ?? null, code === undefined ? 'the terminal was closed while the command ran' : 'the line exited the terminal\'s shell');
				}
			}));
			timers.push(setTimeout(() => void this.kill('timeout'), request.timeoutMs));
			if (request.signal) {
				const onAbort = () => void this.kill('cancel');
				if (request.signal.aborted) {
					queueMicrotask(onAbort);
				} else {
					request.signal.addEventListener('abort', onAbort, { once: true });
					subscriptions.push({ dispose: () => request.signal?.removeEventListener('abort', onAbort) });
				}
			}
			void this.readOutput(execution, timers);
		});
	}

	/** True once the shell reported the command's start (or its output, or its end) within `ms`. */
	async startedWithin(ms: number): Promise<boolean> {
		let timer: NodeJS.Timeout | undefined;
		const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
		const started = await Promise.race([this.startedSignal.then(() => true as const), timedOut]);
		clearTimeout(timer);
		return started;
	}

	/** Gives up on a command the shell never started: its terminal is closed, so the typed line can never run. */
	abandon(): void {
		this.stopReason = 'cancel';
		this.finish(null, 'the terminal never started the command');
		this.terminal.dispose();
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
				this.markStarted();
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
			// Interrupt first, as a user would; then kill whatever the shell started, leaving the shell itself alive.
			this.terminal.sendText('\u0003', false);
			if (shellPid !== undefined) {
				await killDescendants(shellPid, killGraceMs);
			}
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
		const notes: string[] = [];
		if (note) {
			notes.push(note);
		}
		notes.push(...exitCodeNotes(exitCode), ...stopNotes(this.stopReason, this.request.timeoutMs));
		return {
			exitCode: this.stopReason ? null : exitCode,
			signal: null,
			timedOut: this.stopReason === 'timeout',
			cancelled: this.stopReason === 'cancel' || this.stopReason === 'kill',
			output: this.capture.text.text(),
			truncated: this.capture.text.truncated,
			totalChars: this.capture.text.totalChars,
			binary: this.capture.binary,
			durationMs: Math.round(performance.now() - this.started),
			ranIn: 'terminal',
			notes,
		};
	}
}
