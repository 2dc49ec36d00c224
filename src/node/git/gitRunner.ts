import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { SandboxHost } from '../../core/host/sandbox';
import { shellQuote } from '../../core/shell/quote';
import { mkdtempSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGitOptions } from 'simple-git';
import { FilterCheckCache, parseEntries } from './filterCheck';

/**
 * Settings every git process gets. They only switch features off, so a repository's own config cannot turn a call
 * into code execution: no fsmonitor daemon, no bare repository found by discovery (one an agent built from plain
 * files in a source folder would bring its own config), no colour codes in parsed output, paths printed verbatim.
 */
const SAFE_CONFIG = ['core.fsmonitor=false', 'safe.bareRepository=explicit', 'core.quotepath=off', 'color.ui=false', 'advice.statusHints=false'];

/**
 * What a read adds: it runs no program and writes nothing. No hooks (a `git diff` would otherwise fire
 * post-index-change), no transport (a partial clone would fetch missing objects through the network, running
 * ssh or a remote helper), and no index refresh: `git diff` rewrites `.git/index` to record stat-only changes,
 * even with GIT_OPTIONAL_LOCKS=0. Filter drivers are switched off per run (see `filterOverrides`).
 */
const READ_CONFIG = ['protocol.allow=never', 'diff.autoRefreshIndex=false'];

/**
 * The read's transport ban as environment: a repository's `protocol.<name>.allow=always` beats `protocol.allow`,
 * but GIT_ALLOW_PROTOCOL beats every config, and an empty list allows no protocol at all. GIT_NO_LAZY_FETCH (git
 * 2.44+) says the same to a partial clone.
 */
const READ_ENV = { GIT_ALLOW_PROTOCOL: '', GIT_NO_LAZY_FETCH: '1' };

/** Keys simple-git guards besides every `GIT_*`; passing one through `.env()` would make it reject the task. */
const GUARDED_KEYS = new Set(['editor', 'pager', 'prefix', 'ssh_askpass', 'visual']);

const OUR_GIT_ENV = ['GIT_TERMINAL_PROMPT', 'GIT_CEILING_DIRECTORIES', 'GIT_OPTIONAL_LOCKS', 'GIT_MERGE_AUTOEDIT', 'LC_ALL', 'GIT_ALLOW_PROTOCOL', 'GIT_NO_LAZY_FETCH'];

export interface GitRunOptions {
	readonly signal: AbortSignal;
	/** Stop reading (and end git) once stdout passes this many bytes; the result is marked truncated. */
	readonly maxBytes?: number;
	/** Reads pass false so `git status` never takes the index lock an editor's own git may be holding. */
	readonly optionalLocks?: boolean;
	/** Text written to git's stdin (commit messages, so they never sit in the argument list). */
	readonly input?: string;
	/**
	 * Sets core.hooksPath for a command that changes something: the folder checked beforehand, or `noHooksPath()`.
	 * Without it the command is a read, run with no hooks, no filters, no transport and no index refresh.
	 */
	readonly hooksPath?: string;
	/**
	 * Reads run in this OS sandbox where one is available: whatever the repository's config or attributes start
	 * (the switches above cover what we know of) can then neither write nor reach the network.
	 */
	readonly sandbox?: SandboxHost;
	/**
	 * The repository's git dir: with it a read remembers what the config said about filters until a config file
	 * changes; without it the config is asked on every read.
	 */
	readonly gitDir?: string;
	/** Where that is remembered: the process's own by default; tests pass one with their own clock. */
	readonly filterChecks?: FilterCheckCache;
}

let noHooksDir: string | undefined;

/**
 * A hooks path with no hooks in it. On POSIX that is /dev/null: nothing can ever be created below it, and no temp
 * folder is left behind. Elsewhere an empty folder only this user owns and can write, checked before each use
 * (a temp cleaner may remove it and another user could then create one of that name), removed by
 * `removeNoHooksDir()` when the server stops.
 */
export function noHooksPath(): string {
	if (process.platform !== 'win32') {
		return '/dev/null';
	}
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

/** Removes the empty hooks folder `noHooksPath()` made, if any (only where there is no /dev/null). */
export function removeNoHooksDir(): void {
	if (noHooksDir !== undefined) {
		try {
			rmdirSync(noHooksDir);
		} catch {
			// Already gone (a temp cleaner), or not empty: someone else's now, left alone.
		}
		noHooksDir = undefined;
	}
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

function childEnvironment(ceiling: string, optionalLocks: boolean, read: boolean): Record<string, string> {
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
	return read ? { ...env, ...READ_ENV } : env;
}

/**
 * A one-run `git` for simple-git to start: a script that runs git in the read-only sandbox with no environment of
 * the editor's (bwrap's first process keeps what it starts with), only git's own variables set inside.
 */
async function sandboxedGit(cwd: string, env: Readonly<Record<string, string>>, sandbox: SandboxHost): Promise<{ dir: string; script: string } | undefined> {
	const inside: Record<string, string> = { GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS: 'true' };
	for (const [key, value] of Object.entries(env)) {
		if (key.startsWith('GIT_') || key === 'LC_ALL') inside[key] = value;
	}
	const run = await sandbox.readOnly(['git'], { cwd, env: inside, gitConfig: true });
	if (!run) return undefined;
	const dir = await mkdtemp(join(tmpdir(), 'mcp-workbench-git-'));
	const script = join(dir, 'git');
	await writeFile(script, `#!/bin/sh\nexec /usr/bin/env -i ${[run.file, ...run.args].map(shellQuote).join(' ')} "$@"\n`, { mode: 0o700 });
	return { dir, script };
}

/**
 * Runs one git command in `cwd` through simple-git with an argument array (never a shell). simple-git adds its own
 * screening of unsafe options and environment; we add a byte cap that ends git early and a cancellation signal.
 * A command without `hooksPath` is a read: it runs no program the repository configures and writes nothing.
 */
export async function runGit(cwd: string, ceiling: string, args: readonly string[], options: GitRunOptions): Promise<GitRunResult> {
	if (options.hooksPath !== undefined) {
		return spawnGit(cwd, ceiling, args, options, { read: false, config: [...SAFE_CONFIG, `core.hooksPath=${options.hooksPath}`] });
	}
	const readConfig = [...SAFE_CONFIG, ...READ_CONFIG, `core.hooksPath=${noHooksPath()}`];
	return spawnGit(cwd, ceiling, args, options, { read: true, config: [...readConfig, ...await filterOverrides(cwd, ceiling, options, readConfig)] });
}

/**
 * One object's content by its id (a file version an approval card recorded), read like every read: no hooks, no
 * filters, no transport. `cat-file blob` applies no attributes, so the text is what the commit stores.
 */
export async function readGitObject(root: string, object: string, maxBytes: number, signal: AbortSignal = AbortSignal.timeout(30_000)): Promise<{ text: string; truncated: boolean }> {
	if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(object)) {
		throw new Error(`"${object}" is not an object id`);
	}
	const result = await runGit(root, dirname(root), ['cat-file', 'blob', object], { signal, maxBytes });
	return { text: result.stdout, truncated: result.truncated };
}

/**
 * Where the repository keeps its hooks, as git would look for them (`core.hooksPath` or `.git/hooks`), for a write
 * to decide whether to run them. Asked without the read's own hooks override, which would answer with itself.
 */
export async function repositoryHooksPath(cwd: string, ceiling: string, signal: AbortSignal): Promise<string> {
	return (await spawnGit(cwd, ceiling, ['rev-parse', '--git-path', 'hooks'], { signal }, { read: true, config: [...SAFE_CONFIG, ...READ_CONFIG] })).stdout.trim();
}

/**
 * What `git config` answered about filters, per repository, until a config file changes (see filterCheck.ts). One
 * per process, like git's own view of those files: it holds nothing but what the files said.
 */
const filterChecks = new FilterCheckCache();

/**
 * `-c` settings that switch off every filter driver the config defines. A `.gitattributes` line `* filter=x` makes
 * git run `filter.x.clean` (or `.process`) on `status`, `diff` and `blame` of the working tree; the attributes file
 * is the agent's to write, and no git option before 2.40 (`--attr-source`) ignores it, but a driver does nothing
 * without its config, so each configured one is emptied for the run. Reading the config runs nothing.
 */
async function filterOverrides(cwd: string, ceiling: string, options: GitRunOptions, config: readonly string[]): Promise<string[]> {
	const list = async () => {
		try {
			return (await spawnGit(cwd, ceiling, ['config', '--null', '--show-origin', '--get-regexp', '^(filter|include|includeif)\\.'], { signal: options.signal }, { read: true, config })).stdout;
		} catch (error) {
			if (error instanceof GitExitError && error.exitCode === 1 && error.stderr.trim() === '') {
				return '';
			}
			throw error;
		}
	};
	const entries = options.gitDir === undefined ? parseEntries(await list(), cwd) : await (options.filterChecks ?? filterChecks).entries(cwd, options.gitDir, list);
	const names = new Set<string>();
	for (const { key } of entries) {
		// A subsection (the driver's name) may hold dots, never a newline.
		const match = /^filter\.(.+)\.[^.]+$/.exec(key);
		if (match) {
			names.add(match[1]);
		}
	}
	const overrides: string[] = [];
	for (const name of names) {
		// `-c` splits at the first "=": a driver named "a=b" could not be overridden, so nothing runs at all.
		if (name.includes('=')) {
			throw new Error(`The repository's git config defines a filter driver named "${name}", which cannot be switched off for a read; git was not run. Rename the driver in the config, or use git in a terminal.`);
		}
		overrides.push(`filter.${name}.clean=`, `filter.${name}.smudge=`, `filter.${name}.process=`, `filter.${name}.required=false`);
	}
	return overrides;
}

interface SpawnSettings {
	readonly read: boolean;
	readonly config: readonly string[];
}

async function spawnGit(cwd: string, ceiling: string, args: readonly string[], options: GitRunOptions, spawn: SpawnSettings): Promise<GitRunResult> {
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
		config: [...spawn.config],
		abort: cap.signal,
		allowEnvironment: OUR_GIT_ENV,
		// Our own settings trip simple-git's checks (fsmonitor, hooksPath, filters, protocol); they only switch
		// features off, and user strings never reach `-c`.
		unsafe: { allowUnsafeFsMonitor: true, allowUnsafeHooksPath: true, allowUnsafeFilter: true, allowUnsafeProtocolOverride: true },
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
	const env = childEnvironment(ceiling, options.optionalLocks ?? false, spawn.read);
	const sandboxed = spawn.read && options.sandbox ? await sandboxedGit(cwd, env, options.sandbox) : undefined;
	if (sandboxed) {
		settings.binary = sandboxed.script;
	}
	const git = simpleGit(settings).env(env);
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
		if (sandboxed) await rm(sandboxed.dir, { recursive: true, force: true });
	}
	return { stdout: Buffer.concat(chunks).toString('utf8'), stderr: Buffer.concat(errChunks).toString('utf8'), truncated };
}
