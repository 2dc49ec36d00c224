// ripgrep as a library: argument arrays only (no shell), streaming parse, and an early stop once the caller has
// enough results, so a search over a huge tree costs no more than the answer needs.
import { spawn } from 'node:child_process';
import { ToolError } from '../../core/base/errors';
import type { SandboxHost } from '../../core/host/sandbox';

interface RunOptions {
	readonly rgPath: string;
	readonly sandbox?: SandboxHost;
	readonly cwd: string;
	readonly args: readonly string[];
	readonly signal: AbortSignal;
	/** Called per stdout line; returning false stops rg. */
	readonly onLine: (line: string) => boolean;
}

/** Runs rg; resolves when it exits or was stopped early. rg's exit code 1 means "nothing found", not failure. */
async function runRipgrep(options: RunOptions): Promise<{ stopped: boolean }> {
	const wrapped = options.sandbox ? await options.sandbox.readOnly([options.rgPath, ...options.args], { cwd: options.cwd }) : undefined;
	return runProgram(wrapped ? { ...options, rgPath: wrapped.file, args: wrapped.args, env: wrapped.env } : options);
}

function runProgram(options: RunOptions & { readonly env?: Readonly<Record<string, string>> }): Promise<{ stopped: boolean }> {
	return new Promise((resolve, reject) => {
		if (options.signal.aborted) {
			reject(new ToolError('The search was cancelled.'));
			return;
		}
		const child = spawn(options.rgPath, options.args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, ...(options.env ? { env: options.env } : {}) });
		let stopped = false;
		let stderr = '';
		const stop = () => {
			if (!stopped) {
				stopped = true;
				child.kill();
			}
		};
		const onAbort = () => stop();
		options.signal.addEventListener('abort', onAbort, { once: true });
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (chunk: string) => {
			stderr = (stderr + chunk).slice(-4000);
		});
		// Split by hand: readline's per-line machinery costs more than rg's whole walk on large result sets.
		let pending = '';
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => {
			if (stopped) {
				return;
			}
			const parts = (pending + chunk).split('\n');
			pending = parts.pop() ?? '';
			for (const part of parts) {
				if (!options.onLine(part.endsWith('\r') ? part.slice(0, -1) : part)) {
					stop();
					return;
				}
			}
		});
		child.stdout.on('end', () => {
			if (!stopped && pending !== '') {
				options.onLine(pending);
			}
		});
		child.on('error', (error) => {
			options.signal.removeEventListener('abort', onAbort);
			reject(new ToolError(`ripgrep could not start (${options.rgPath}): ${error.message}`));
		});
		child.on('close', (code) => {
			options.signal.removeEventListener('abort', onAbort);
			if (options.signal.aborted) {
				reject(new ToolError('The search was cancelled.'));
			} else if (stopped || code === 0 || code === 1) {
				resolve({ stopped });
			} else if (code === 2 && !/error parsing|regex parse error|unrecognized|invalid/i.test(stderr)) {
				// Exit 2 also reports unreadable files next to valid results; those results still stand.
				resolve({ stopped });
			} else {
				reject(new ToolError(`ripgrep failed: ${stderr.trim().split('\n').slice(0, 6).join('\n') || `exit code ${code}`}`));
			}
		});
	});
}

export interface RipgrepScope {
	readonly rgPath: string;
	/**
	 * Content searches run read-only in this OS sandbox where there is one: ripgrep parses every file it is pointed
	 * at, and inside, the workspace's secret files read as empty.
	 */
	readonly sandbox?: SandboxHost;
	/** The folder the search runs in; result paths are relative to it. */
	readonly cwd: string;
	/** Sub-paths of cwd to search (relative); the whole cwd when empty. */
	readonly paths?: readonly string[];
	/** Globs a file must match (any of them); none means every file. */
	readonly include?: readonly string[];
	/** Globs to leave out (added as `!glob`). */
	readonly exclude?: readonly string[];
	/**
	 * File-name globs (no '/'; a file matching any passes) rg applies itself, as a file type: unlike `--glob`, a type never overrides ignore
	 * files, so it narrows the walk's output without re-including node_modules.
	 */
	readonly nameGlobs?: readonly string[];
	/** Also search what .gitignore/.ignore files hide. */
	readonly noIgnore?: boolean;
	readonly signal: AbortSignal;
}

/** rg prints native separators; results use '/' everywhere (a backslash is a legal name character off Windows). */
function toSlashes(path: string): string {
	return (process.platform === 'win32' ? path.replace(/\\/g, '/') : path).replace(/^\.\//, '');
}

function scopeArgs(scope: RipgrepScope): string[] {
	// --hidden because dot-folders like .github are real project files; .git itself is never useful.
	// --no-require-git so the workspace's .gitignore applies even before `git init`, as VS Code's search does.
	const args = ['--hidden', '--no-require-git', '--no-config'];
	if (scope.noIgnore) {
		args.push('--no-ignore');
	}
	if (scope.nameGlobs && scope.nameGlobs.length > 0) {
		for (const glob of scope.nameGlobs) {
			args.push('--type-add', `mcpname:${glob}`);
		}
		args.push('--type', 'mcpname');
	}
	for (const glob of scope.include ?? []) {
		args.push('--glob', glob);
	}
	for (const glob of scope.exclude ?? []) {
		args.push('--glob', `!${glob}`);
	}
	// Last, because rg lets a later glob win: an include of ".git/**" must not re-open it.
	args.push('--glob', '!.git');
	return args;
}

function positional(scope: RipgrepScope): string[] {
	// '--' so a path starting with '-' is never read as a flag.
	return scope.paths && scope.paths.length > 0 ? ['--', ...scope.paths] : [];
}

/**
 * Lists files (`rg --files`) that `accept` takes, at most `limit`; `truncated` when more exist. Paths relative to
 * cwd, '/'-separated. The name filter runs here rather than as an rg `--glob`, because rg lets a glob that matches
 * a directory (like `**` or `*`) override .gitignore, which would list node_modules.
 */
export async function ripgrepFiles(scope: RipgrepScope, limit: number, accept: (path: string) => boolean = () => true): Promise<{ files: string[]; truncated: boolean }> {
	const files: string[] = [];
	let truncated = false;
	await runRipgrep({
		rgPath: scope.rgPath,
		cwd: scope.cwd,
		signal: scope.signal,
		args: ['--files', ...scopeArgs(scope), ...positional(scope)],
		onLine: (line) => {
			const path = toSlashes(line);
			if (!accept(path)) {
				return true;
			}
			if (files.length >= limit) {
				truncated = true;
				return false;
			}
			files.push(path);
			return true;
		},
	});
	return { files, truncated };
}

export interface TextSearchOptions {
	readonly pattern: string;
	readonly regex: boolean;
	readonly caseSensitive: boolean;
	readonly contextLines: number;
	/** Most matching lines to return. */
	readonly limit: number;
	/** Longest line text kept; minified files otherwise flood the answer. */
	readonly maxLineLength: number;
}

export interface SearchLine {
	readonly line: number;
	readonly text: string;
	readonly match: boolean;
}

export interface SearchFileResult {
	readonly path: string;
	readonly lines: SearchLine[];
}

/**
 * Searches file contents, at most `limit` matching lines, with context. Reads rg's plain `path NUL line:text`
 * output rather than --json, which is about four times the bytes for the same answer.
 */
export async function ripgrepSearch(scope: RipgrepScope, options: TextSearchOptions): Promise<{ files: SearchFileResult[]; matchCount: number; truncated: boolean }> {
	const files: SearchFileResult[] = [];
	const byPath = new Map<string, SearchFileResult>();
	let matchCount = 0;
	let truncated = false;
	const args = ['--line-number', '--with-filename', '--no-heading', '--null', '--color', 'never', ...scopeArgs(scope), options.caseSensitive ? '--case-sensitive' : '--ignore-case'];
	if (!options.regex) {
		args.push('--fixed-strings');
	}
	if (options.contextLines > 0) {
		args.push('--context', String(options.contextLines));
	}
	// -e keeps a pattern starting with '-' a pattern.
	args.push('-e', options.pattern, ...positional(scope));
	await runRipgrep({
		...(scope.sandbox ? { sandbox: scope.sandbox } : {}),
		rgPath: scope.rgPath,
		cwd: scope.cwd,
		signal: scope.signal,
		args,
		onLine: (raw) => {
			// Lines without a NUL are the "--" separators between context groups.
			const nul = raw.indexOf('\0');
			if (nul < 0) {
				return true;
			}
			let at = nul + 1;
			let line = 0;
			for (let code = raw.charCodeAt(at); code >= 48 && code <= 57; code = raw.charCodeAt(++at)) {
				line = line * 10 + code - 48;
			}
			const marker = raw[at];
			if (at === nul + 1 || (marker !== ':' && marker !== '-')) {
				return true;
			}
			const isMatch = marker === ':';
			if (isMatch && matchCount >= options.limit) {
				truncated = true;
				return false;
			}
			// rg prints a file's lines together, so the previous line's file is almost always this one.
			const path = toSlashes(raw.slice(0, nul));
			let file = files.length > 0 && files[files.length - 1].path === path ? files[files.length - 1] : byPath.get(path);
			if (!file) {
				file = { path, lines: [] };
				byPath.set(path, file);
				files.push(file);
			}
			let text = raw.slice(at + 1);
			if (text.length > options.maxLineLength) {
				text = `${text.slice(0, options.maxLineLength)}…`;
			}
			file.lines.push({ line, text, match: isMatch });
			if (isMatch) {
				matchCount++;
			}
			return true;
		},
	});
	// Context lines read before the stop may belong to a match past the limit; a file with no kept match goes.
	const last = files[files.length - 1];
	while (truncated && last && last.lines.length > 0 && !last.lines[last.lines.length - 1].match) {
		last.lines.pop();
	}
	return { files: files.filter((file) => file.lines.some((line) => line.match)), matchCount, truncated };
}
