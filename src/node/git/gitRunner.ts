import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGitOptions } from 'simple-git';

/**
 * Settings every git process gets. They only switch features off, so a repository's own config cannot turn a read
 * into code execution: no fsmonitor daemon, no colour codes in parsed output, paths printed verbatim.
 */
const SAFE_CONFIG = ['core.fsmonitor=false', 'core.quotepath=off', 'color.ui=false', 'advice.statusHints=false'];

/** Keys simple-git guards besides every `GIT_*`; passing one through `.env()` would make it reject the task. */
const GUARDED_KEYS = new Set(['editor', 'pager', 'prefix', 'ssh_askpass', 'visual']);

const OUR_GIT_ENV = ['GIT_TERMINAL_PROMPT', 'GIT_CEILING_DIRECTORIES', 'GIT_OPTIONAL_LOCKS', 'GIT_MERGE_AUTOEDIT', 'LC_ALL'];

export interface GitRunOptions {
	readonly signal: AbortSignal;
	/** Stop reading (and end git) once stdout passes this many bytes; the result is marked truncated. */
	readonly maxBytes?: number;
	/** Reads pass false so `git status` never takes the index lock an editor's own git may be holding. */
	readonly optionalLocks?: boolean;
	/** Text written to git's stdin (commit messages, so they never sit in the argument list). */
	readonly input?: string;
	/** Sets core.hooksPath for this run: the folder checked beforehand, or `emptyHooksDir()` for none. */
	readonly hooksPath?: string;
}

let noHooksDir: string | undefined;

/**
 * An empty folder only this user owns and can write: a hooks path with no hooks in it. Checked before each use, since
 * a temp cleaner may remove it and another user could then create one of that name.
 */
export function emptyHooksDir(): string {
	const usable = (dir: string) => {
		try {
			const info = statSync(dir);
			return info.isDirectory() && (process.getuid === undefined || info.uid === process.getuid()) && (info.mode & 0o022) === 0 && readdirSync(dir).length === 0;
		} catch {
			return false;
		}
	};
	if (noHooksDir === undefined || !usable(noHooksDir)) {
		noHooksDir = mkdtempSync(join(tmpdir(), 'mcp-workbench-no-hooks-'));
	}
	return noHooksDir;
}

export interface GitRunResult {
	readonly stdout: string;
	readonly stderr: string;
	readonly truncated: boolean;
}

/** git ran and exited non-zero; `stderr` (or stdout, for commands that report there) says why. */
export class GitExitError extends Error {
	constructor(readonly exitCode: number, readonly stderr: string, readonly stdout: string) {
		super((stderr.trim() || stdout.trim() || `git exited with code ${exitCode}`));
		this.name = 'GitExitError';
	}
}

/** The caller's signal fired while git ran. */
export class GitCancelledError extends Error {
	constructor() {
		super('git was cancelled');
		this.name = 'GitCancelledError';
	}
}

function childEnvironment(ceiling: string, optionalLocks: boolean): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		const lower = key.toLowerCase();
		// Ambient GIT_DIR, GIT_CONFIG_*, EDITOR … would redirect or extend what git does; we start from none of them.
		if (value === undefined || lower.startsWith('git_') || GUARDED_KEYS.has(lower) || lower === 'lc_all' || lower === 'lang') {
			continue;
		}
		env[key] = value;
	}
	env.GIT_TERMINAL_PROMPT = '0';
	env.GIT_MERGE_AUTOEDIT = 'no';
	// Discovery must not climb above the repository root we already confined to the workspace.
	env.GIT_CEILING_DIRECTORIES = ceiling;
	// Messages we relay to the agent stay in one language.
	env.LC_ALL = 'C';
	if (!optionalLocks) {
		env.GIT_OPTIONAL_LOCKS = '0';
	}
	return env;
}

/**
 * Runs one git command in `cwd` through simple-git with an argument array (never a shell). simple-git adds its own
 * screening of unsafe options and environment; we add a byte cap that ends git early and a cancellation signal.
 */
export async function runGit(cwd: string, ceiling: string, args: readonly string[], options: GitRunOptions): Promise<GitRunResult> {
	if (options.signal.aborted) {
		throw new GitCancelledError();
	}
	// One controller for both reasons to stop: the caller's signal and the byte cap (AbortSignal.any costs more).
	const cap = new AbortController();
	const onCallerAbort = () => cap.abort();
	options.signal.addEventListener('abort', onCallerAbort, { once: true });
	const chunks: Buffer[] = [];
	const errChunks: Buffer[] = [];
	let bytes = 0;
	let truncated = false;
	let exit: GitExitError | undefined;
	const settings: Partial<SimpleGitOptions> = {
		baseDir: cwd,
		config: options.hooksPath === undefined ? SAFE_CONFIG : [...SAFE_CONFIG, `core.hooksPath=${options.hooksPath}`],
		abort: cap.signal,
		allowEnvironment: OUR_GIT_ENV,
		// Our own constant `core.fsmonitor=false` trips the fsmonitor check; user strings never reach `-c`.
		// (and our own core.hooksPath, the folder the hooks check chose).
		unsafe: { allowUnsafeFsMonitor: true, allowUnsafeHooksPath: options.hooksPath !== undefined },
		errors: (error, result) => {
			if (result.exitCode !== 0 && !truncated) {
				// simple-git wraps whatever we return here, so the details travel beside it.
				exit = new GitExitError(result.exitCode, Buffer.concat(errChunks).toString('utf8'), Buffer.concat(chunks).toString('utf8'));
				return exit;
			}
			return error;
		},
	};
	if (options.input !== undefined) {
		const input = options.input;
		settings.input = () => input;
	}
	const git = simpleGit(settings).env(childEnvironment(ceiling, options.optionalLocks ?? false));
	git.outputHandler((_command, stdout, stderr) => {
		stdout.on('data', (chunk: Buffer) => {
			if (truncated) {
				return;
			}
			const limit = options.maxBytes ?? Number.POSITIVE_INFINITY;
			if (bytes + chunk.length > limit) {
				chunks.push(chunk.subarray(0, limit - bytes));
				bytes = limit;
				truncated = true;
				cap.abort();
				return;
			}
			chunks.push(chunk);
			bytes += chunk.length;
		});
		stderr.on('data', (chunk: Buffer) => {
			errChunks.push(chunk);
		});
		// simple-git waits 50 ms after a process that printed nothing (an old exit-event race); an empty chunk at
		// the end of stdout tells it the output is complete, so silent commands (add, check-ref-format) return at once.
		stdout.once('end', () => stdout.emit('data', Buffer.alloc(0)));
	});
	try {
		await git.raw([...args]);
	} catch (error) {
		if (options.signal.aborted) {
			throw new GitCancelledError();
		}
		if (!truncated) {
			throw exit ?? error;
		}
	} finally {
		options.signal.removeEventListener('abort', onCallerAbort);
	}
	return { stdout: Buffer.concat(chunks).toString('utf8'), stderr: Buffer.concat(errChunks).toString('utf8'), truncated };
}
