import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { TaskInfo, TaskProblem, TaskRunRequest, TaskRunResult, TasksHost } from '../../core/host/tasksHost';
import { canonicalJson } from '../../core/base/canonicalJson';
import { ToolError } from '../../core/base/errors';
import { severityOf } from './severity';
import { shellQuote } from '../../core/shell/quote';
import { OutputCapture } from '../../node/terminal/outputCapture';

/** Problem matchers publish shortly after the process ends; wait for the diagnostics to go quiet this long. */
const diagnosticsQuietMs = 300;
const diagnosticsMaxWaitMs = 3000;
const keptRuns = 50;
/** How long to wait, after the task ended, for its terminal's output stream to close. */
const readGraceMs = 2000;

interface Run {
	readonly id: string;
	readonly label: string;
	readonly command?: string;
	readonly started: number;
	ended?: number;
	exitCode: number | null;
	capture?: OutputCapture;
	/** The execution read from the task's own terminal, once known. */
	pickCapture?: () => { capture: OutputCapture; reading: Promise<void> } | undefined;
	problems: TaskProblem[];
	timedOut: boolean;
	execution?: vscode.TaskExecution;
	readonly finished: Promise<void>;
}

/**
 * TasksHost on `vscode.tasks`. The task runs as VS Code runs it (its shell, `dependsOn`, problem matchers), and
 * its output is read through shell integration: VS Code gives task terminals shell integration, so the shell
 * execution that starts in the terminal named after the task yields the output (`execution.read()`) and the exit
 * code. The stable API has no other output reader; where shell integration does not report (custom executions,
 * shell integration turned off), the result says the output was not captured. Problems are the diagnostics of the
 * files whose diagnostics changed during the run, read after it.
 */
export class VsCodeTasksHost implements TasksHost, vscode.Disposable {
	readonly available = true;
	private readonly runsById = new Map<string, Run>();
	private next = 1;

	async list(): Promise<readonly TaskInfo[]> {
		return (await vscode.tasks.fetchTasks()).map((task) => taskInfo(task));
	}

	async find(label: string): Promise<TaskInfo> {
		return taskInfo(await this.findTask(label));
	}

	async run(request: TaskRunRequest): Promise<TaskRunResult> {
		const task = await this.findTask(request.label);
		const info = taskInfo(task);
		if (request.expected && canonicalJson(info) !== canonicalJson(request.expected)) {
			throw new ToolError(`The task "${info.label}" changed after it was approved (it is now: ${info.command ?? info.type}). Nothing was run; call again to ask about the current task.`, 'changed');
		}
		const changed = new Set<string>();
		let resolveFinished: () => void = () => undefined;
		const run: Run = {
			id: `task-${this.next++}`,
			label: info.label,
			...(info.command ? { command: info.command } : {}),
			started: Date.now(),
			exitCode: null,
			problems: [],
			timedOut: false,
			finished: new Promise<void>((resolve) => (resolveFinished = resolve)),
		};
		this.remember(run);
		// A new task terminal gets its name only after its first shell execution starts: take every unnamed or
		// matching terminal's execution now and keep the one whose terminal turns out to be the task's.
		const captures = new Map<vscode.Terminal, { capture: OutputCapture; reading: Promise<void> }>();
		const subscriptions: vscode.Disposable[] = [
			vscode.languages.onDidChangeDiagnostics((event) => event.uris.forEach((uri) => changed.add(uri.toString()))),
			vscode.window.onDidStartTerminalShellExecution((event) => {
				if ((event.terminal.name === '' || isTaskTerminal(event.terminal, task)) && !captures.has(event.terminal)) {
					const capture = new OutputCapture(request.maxOutputChars);
					captures.set(event.terminal, { capture, reading: readInto(event.execution, capture) });
				}
			}),
			vscode.window.onDidEndTerminalShellExecution((event) => {
				if (isTaskTerminal(event.terminal, task) && event.exitCode !== undefined && run.exitCode === null) {
					run.exitCode = event.exitCode;
				}
			}),
			vscode.tasks.onDidEndTaskProcess((event) => {
				if (event.execution === run.execution && event.exitCode !== undefined) {
					run.exitCode = event.exitCode;
				}
			}),
		];
		run.pickCapture = () => [...captures].find(([terminal]) => isTaskTerminal(terminal, task))?.[1];
		const ended = new Promise<void>((resolve) => {
			subscriptions.push(vscode.tasks.onDidEndTask((event) => {
				if (event.execution === run.execution) {
					resolve();
				}
			}));
		});
		run.execution = await vscode.tasks.executeTask(task);
		const timer = setTimeout(() => {
			run.timedOut = true;
			run.execution?.terminate();
		}, request.timeoutMs);
		const onAbort = () => run.execution?.terminate();
		if (!request.background) {
			request.signal?.addEventListener('abort', onAbort, { once: true });
		}
		void ended.then(async () => {
			clearTimeout(timer);
			request.signal?.removeEventListener('abort', onAbort);
			run.ended = Date.now();
			// The terminal reports the end of its execution a little after the task system: both settle together.
			await diagnosticsSettled(task.problemMatchers.length > 0 && changed.size === 0);
			const picked = run.pickCapture?.();
			if (picked) {
				await Promise.race([picked.reading, new Promise((resolve) => setTimeout(resolve, readGraceMs))]);
				picked.capture.end();
				run.capture = picked.capture;
			}
			subscriptions.forEach((subscription) => subscription.dispose());
			run.problems = problemsIn(changed);
			resolveFinished();
		});
		if (!request.background) {
			await run.finished;
		}
		return this.snapshot(run);
	}

	status(id: string): TaskRunResult | undefined {
		const run = this.runsById.get(id);
		return run ? this.snapshot(run) : undefined;
	}

	async terminate(id: string): Promise<TaskRunResult | undefined> {
		const run = this.runsById.get(id);
		if (!run) {
			return undefined;
		}
		run.execution?.terminate();
		await run.finished;
		return this.snapshot(run);
	}

	runs(): readonly TaskRunResult[] {
		return [...this.runsById.values()].reverse().map((run) => this.snapshot(run));
	}

	dispose(): void {
		for (const run of this.runsById.values()) {
			if (run.ended === undefined) {
				run.execution?.terminate();
			}
		}
	}

	private remember(run: Run): void {
		this.runsById.set(run.id, run);
		const finished = [...this.runsById.values()].filter((candidate) => candidate.ended !== undefined);
		for (const old of finished.slice(0, Math.max(0, finished.length - keptRuns))) {
			this.runsById.delete(old.id);
		}
	}

	private snapshot(run: Run): TaskRunResult {
		const output = (run.capture ?? run.pickCapture?.()?.capture)?.text;
		return {
			id: run.id,
			label: run.label,
			...(run.command ? { command: run.command } : {}),
			running: run.ended === undefined,
			exitCode: run.exitCode,
			durationMs: (run.ended ?? Date.now()) - run.started,
			...(output ? { output: output.text() } : {}),
			truncated: output?.truncated ?? false,
			outputNote: output
				? 'output read through shell integration of the task\'s terminal'
				: run.ended === undefined
					? 'no output yet (read through shell integration once the task\'s terminal reports its command)'
					: 'output not captured: the task\'s terminal reported no shell execution (custom task or shell integration off); the terminal panel shows it',
			problems: run.problems,
			timedOut: run.timedOut,
		};
	}

	private async findTask(label: string): Promise<vscode.Task> {
		const tasks = await vscode.tasks.fetchTasks();
		const exact = tasks.filter((task) => task.name === label);
		const bySource = tasks.filter((task) => `${task.source}: ${task.name}` === label);
		const matches = exact.length > 0 ? exact : bySource;
		if (matches.length === 1) {
			return matches[0];
		}
		if (matches.length > 1) {
			throw new ToolError(`Several tasks are labelled "${label}": ${matches.map((task) => `"${task.source}: ${task.name}"`).join(', ')}. Pass one of these as the label.`);
		}
		const lower = label.toLowerCase();
		const close = tasks.filter((task) => task.name.toLowerCase().includes(lower) || lower.includes(task.name.toLowerCase())).slice(0, 10);
		throw new ToolError(`No task is labelled "${label}".${close.length > 0 ? ` Close labels: ${close.map((task) => `"${task.name}"`).join(', ')}.` : ''} list_tasks shows every task.`);
	}
}

function isTaskTerminal(terminal: vscode.Terminal, task: vscode.Task): boolean {
	return terminal.name === task.name || terminal.name === `Task - ${task.name}`;
}

async function readInto(execution: vscode.TerminalShellExecution, capture: OutputCapture): Promise<void> {
	try {
		for await (const data of execution.read()) {
			capture.pushText(data);
		}
	} catch {
		// The terminal went away; what was read is kept.
	}
}

/** The command line a task runs, with the variables every task can use resolved, for the list and the approval card. */
function resolvedCommand(task: vscode.Task): string | undefined {
	const execution = task.execution;
	const line = execution instanceof vscode.ShellExecution ? shellCommandLine(execution)
		: execution instanceof vscode.ProcessExecution ? [execution.process, ...execution.args].map(quoteArgument).join(' ')
			: undefined;
	return line === undefined ? undefined : resolveVariables(line, scopeFolder(task));
}

function scopeFolder(task: vscode.Task): vscode.WorkspaceFolder | undefined {
	return typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
}

/** The variables every task can use; others (${input:…}, ${command:…}) are shown as written. */
function resolveVariables(text: string, folder: vscode.WorkspaceFolder | undefined): string {
	return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
		if (name === 'workspaceFolder' || name === 'workspaceRoot' || name === 'cwd') {
			return folder?.uri.fsPath ?? whole;
		}
		if (name === 'workspaceFolderBasename') {
			return folder?.name ?? whole;
		}
		if (name.startsWith('workspaceFolder:')) {
			return vscode.workspace.workspaceFolders?.find((candidate) => candidate.name === name.slice('workspaceFolder:'.length))?.uri.fsPath ?? whole;
		}
		if (name === 'userHome') {
			return homedir();
		}
		if (name === 'pathSeparator' || name === '/') {
			return '/';
		}
		if (name.startsWith('env:')) {
			return process.env[name.slice(4)] ?? '';
		}
		return whole;
	});
}

function shellCommandLine(execution: vscode.ShellExecution): string | undefined {
	if (execution.commandLine !== undefined) {
		return execution.commandLine;
	}
	if (execution.command === undefined) {
		return undefined;
	}
	return [execution.command, ...(execution.args ?? [])].map(quoteArgument).join(' ');
}

function quoteArgument(argument: string | vscode.ShellQuotedString): string {
	if (typeof argument === 'string') {
		return /^[A-Za-z0-9_./:=@%+,-]+$/.test(argument) ? argument : shellQuote(argument);
	}
	switch (argument.quoting) {
		case vscode.ShellQuoting.Strong:
			return shellQuote(argument.value);
		case vscode.ShellQuoting.Weak:
			return `"${argument.value.replace(/(["\\$`])/g, '\\$1')}"`;
		default:
			return argument.value.replace(/([^A-Za-z0-9_./:=@%+,-])/g, '\\$1');
	}
}

function taskInfo(task: vscode.Task): TaskInfo {
	const folder = typeof task.scope === 'object' ? task.scope.name : undefined;
	const command = resolvedCommand(task);
	return {
		label: task.name,
		source: task.source,
		type: task.definition.type,
		...(task.group ? { group: task.group.id } : {}),
		...(task.detail ? { detail: task.detail } : {}),
		...(command ? { command } : {}),
		isBackground: task.isBackground,
		...(folder ? { folder } : {}),
	};
}

/**
 * Resolves once diagnostics have been quiet for a moment. A task with problem matchers publishes after its end, so
 * for it the wait lasts until a first change arrives (or the cap), not merely until nothing happened yet.
 */
function diagnosticsSettled(expectChange: boolean): Promise<void> {
	return new Promise((resolve) => {
		let quiet: NodeJS.Timeout | undefined;
		const done = () => {
			subscription.dispose();
			clearTimeout(quiet);
			clearTimeout(cap);
			resolve();
		};
		const subscription = vscode.languages.onDidChangeDiagnostics(() => {
			clearTimeout(quiet);
			quiet = setTimeout(done, diagnosticsQuietMs);
		});
		if (!expectChange) {
			quiet = setTimeout(done, diagnosticsQuietMs);
		}
		const cap = setTimeout(done, diagnosticsMaxWaitMs);
	});
}

/**
 * The diagnostics of the files whose diagnostics changed during the run. The API does not say which owner (problem
 * matcher or language server) set a diagnostic, so a language server's findings in the same files show too.
 */
function problemsIn(changed: ReadonlySet<string>): TaskProblem[] {
	const problems: TaskProblem[] = [];
	for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
		if (!changed.has(uri.toString())) {
			continue;
		}
		for (const diagnostic of diagnostics) {
			problems.push({
				path: uri.fsPath,
				line: diagnostic.range.start.line + 1,
				column: diagnostic.range.start.character + 1,
				severity: severityOf(diagnostic.severity),
				message: diagnostic.message,
				...(diagnostic.source ? { source: diagnostic.source } : {}),
			});
		}
	}
	return problems;
}
