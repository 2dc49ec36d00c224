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

/** Built-in extensions whose task providers only read files (package.json scripts, tsconfig files). */
const READING_PROVIDERS = new Set(['vscode.npm', 'vscode.typescript-language-features']);

/**
 * Built-in providers that run a program to find tasks, each only while its `<name>.autoDetect` is not "off": gulp,
 * grunt and jake run `gulp --tasks-simple`, `grunt --help`, `jake --tasks` from the workspace's node_modules, which
 * load its gulpfile, Gruntfile or Jakefile.
 */
const AUTO_DETECTING: Readonly<Record<string, string>> = { 'vscode.gulp': 'gulp', 'vscode.grunt': 'grunt', 'vscode.jake': 'jake' };

/**
 * The extensions whose task providers may run a program when `fetchTasks()` asks every provider: the three above
 * with detection on in some folder, and any other extension that contributes task types (a third-party provider may
 * run a build tool's wrapper script from the workspace). VS Code's API offers no way to list tasks.json's tasks
 * without asking every provider (a type filter drops them), so the list is made only with the user's approval then.
 */
function codeRunningProviders(): string[] {
	const found: string[] = [];
	for (const extension of vscode.extensions.all) {
		const definitions = (extension.packageJSON as { contributes?: { taskDefinitions?: unknown } } | undefined)?.contributes?.taskDefinitions;
		if (!Array.isArray(definitions) || definitions.length === 0 || READING_PROVIDERS.has(extension.id)) continue;
		const setting = AUTO_DETECTING[extension.id];
		if (setting !== undefined) {
			const folders = vscode.workspace.workspaceFolders ?? [];
			if (folders.every((folder) => vscode.workspace.getConfiguration(setting, folder.uri).get<string>('autoDetect') === 'off')) continue;
		}
		found.push(setting ?? extension.id);
	}
	return found;
}

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

	/** The tasks the last approved list found, when detection runs code: what `find` looks in before a run's approval. */
	private listed: vscode.Task[] | undefined;

	detectionRunsCode(): string | undefined {
		const providers = codeRunningProviders();
		return providers.length === 0 ? undefined : `the task detection of ${providers.join(', ')}, which may run workspace code`;
	}

	async list(): Promise<readonly TaskInfo[]> {
		const tasks = await vscode.tasks.fetchTasks();
		this.listed = tasks;
		return tasks.map((task) => taskInfo(task));
	}

	async find(label: string): Promise<TaskInfo> {
		const runs = this.detectionRunsCode();
		if (runs === undefined) {
			return taskInfo(await this.findTask(label));
		}
		// Before an approval: no provider may run now, so only the list the user approved is searched.
		if (this.listed === undefined) {
			throw new ToolError(`Finding the task "${label}" means asking every task provider, and that runs ${runs}. Call list_tasks first (the user is asked), then run_task.`);
		}
		return taskInfo(pick(this.listed, label));
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

	/** After approval (run) or when no provider runs code: every provider is asked. */
	private async findTask(label: string): Promise<vscode.Task> {
		return pick(await vscode.tasks.fetchTasks(), label);
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

function pick(tasks: readonly vscode.Task[], label: string): vscode.Task {
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
