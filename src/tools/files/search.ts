import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import type { Host, WorkspaceFolderInfo } from '../../core/host/host';
import type { ResolvedPath } from '../../core/paths/pathJail';
import { sensitiveMatch } from '../../core/paths/sensitivePaths';
import { defineTool, type CallSubject } from '../../core/tools/toolSpec';
import { ToolError } from '../../core/base/errors';
import { ripgrepFiles, ripgrepSearch, type RipgrepScope, type SearchFileResult } from '../../node/files/ripgrep';
import { hasOtherNames, shownPath as shownResolved, throwIfAborted } from './common';

const scopeFields = {
	path: z.string().default('').describe('Folder; empty: all.'),
	includeIgnored: z.boolean().default(false).describe('Also files .gitignore hides.'),
};

interface SearchTarget {
	readonly folder: WorkspaceFolderInfo;
	/** Sub-path of the folder, '' for all of it. */
	readonly relative: string;
	readonly absolute: string;
}

/** Where to search: one resolved path, or every workspace folder. */
async function searchTargets(host: Host, path: string): Promise<SearchTarget[]> {
	if (path === '') {
		return host.workspace.folders().map((folder) => ({ folder, relative: '', absolute: folder.path }));
	}
	const resolved: ResolvedPath = await host.jail.resolve(path, { mustExist: true, allowFolderRoot: true });
	return [{ folder: resolved.folder, relative: resolved.relative, absolute: resolved.absolute }];
}

function scopeFor(host: Host, target: SearchTarget, includeIgnored: boolean, signal: AbortSignal, include: readonly string[], exclude: readonly string[]): RipgrepScope {
	const userExcludes = includeIgnored ? { files: [], search: [] } : host.files.excludes(target.folder);
	// Name-only includes become an rg file type, which keeps ignore files in force; a path glob has to be an rg
	// --glob, which (as in VS Code) searches an ignored folder it names.
	const nameGlobs = include.map(fileNameGlob);
	const allNames = nameGlobs.every((glob) => glob !== undefined);
	return {
		rgPath: host.files.ripgrepPath(),
		cwd: target.folder.path,
		paths: target.relative === '' ? [] : [target.relative],
		include: allNames ? [] : include,
		nameGlobs: allNames ? nameGlobs as string[] : [],
		exclude: [...userExcludes.files, ...userExcludes.search, ...exclude],
		noIgnore: includeIgnored,
		signal,
	};
}

function shownPath(host: Host, folder: WorkspaceFolderInfo, relative: string): string {
	return shownResolved(host, { folder, relative });
}

/** Resolves where to search once; the handler searches exactly these. */
async function prepareTargets(host: Host, path: string, verb: string): Promise<{ subject: CallSubject; plan: { targets: readonly SearchTarget[] } }> {
	const targets = await searchTargets(host, path);
	return { subject: { paths: targets.map((t) => t.absolute), summary: `${verb} in ${path === '' ? 'the workspace' : path}` }, plan: { targets } };
}

/**
 * The file-name part of a glob that only constrains names ("*.ts", "**\/*.ts"), which rg can pre-filter by; the
 * exact match is still ours. Commas are left out: rg's --type-add splits on them, breaking "{ts,js}".
 */
function fileNameGlob(pattern: string): string | undefined {
	const name = pattern.startsWith('**/') ? pattern.slice(3) : pattern;
	return name.includes('/') || name.includes(',') || name.startsWith('include:') || name === '' ? undefined : name;
}

/**
 * The matcher, tried only on paths that end with the pattern's literal tail ("**\/*.ts" needs ".ts"): a path without
 * it cannot match, and an end check is several times cheaper than the glob's regex on 100,000 listed paths.
 * Patterns where the tail is not plain text (negations, classes, braces, extglobs, escapes) keep the matcher alone.
 */
export function withLiteralTail(pattern: string, matcher: (path: string) => boolean): (path: string) => boolean {
	if (pattern.startsWith('!')) return matcher;
	const tail = /[^*?[\]{}()!+@\\/|,]*$/.exec(pattern)?.[0] ?? '';
	if (tail === '' || tail === pattern) return matcher;
	return (path) => path.endsWith(tail) && matcher(path);
}

export const findFilesTool = defineTool({
	name: 'find_files',
	title: 'Find files',
	description: 'Find files by glob: "*.ts" matches names at any depth, "src/**/*.ts" paths.',
	family: 'files',
	risk: 'read',
	input: z.object({
		pattern: z.string().min(1),
		...scopeFields,
		limit: z.number().int().min(1).max(10_000).default(200),
	}),
	output: z.object({ files: z.array(z.string()), truncated: z.boolean() }),
	annotations: { title: 'Find files', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	prepare(input, host) {
		return prepareTargets(host, input.path, `find ${input.pattern}`);
	},
	async handler(input, ctx) {
		const { targets } = ctx.plan;
		if (targets.length === 1 && (await stat(targets[0].absolute)).isFile()) {
			throw new ToolError(`${input.path} is a file; give find_files a directory (or nothing) as path.`);
		}
		// Like .gitignore and ripgrep: a glob without '/' matches the file name at any depth.
		const matches = withLiteralTail(input.pattern, picomatch(input.pattern, { dot: true, basename: !input.pattern.includes('/') }));
		const nameGlob = fileNameGlob(input.pattern);
		const files: string[] = [];
		let truncated = false;
		for (const target of targets) {
			throwIfAborted(ctx.signal);
			const remaining = input.limit - files.length;
			// The watched file list answers when it can say exactly what ripgrep would (it holds no ignored file).
			const indexed = input.includeIgnored ? undefined : await ctx.host.files.index?.find(target.folder, target.relative, matches, remaining);
			const found = indexed ?? await ripgrepFiles({ ...scopeFor(ctx.host, target, input.includeIgnored, ctx.signal, [], []), nameGlobs: nameGlob === undefined ? [] : [nameGlob] }, remaining, matches);
			// rg walks in parallel, so its order varies run to run; sorting keeps answers stable.
			files.push(...found.files.sort().map((relative) => shownPath(ctx.host, target.folder, relative)));
			if (found.truncated) {
				truncated = true;
				break;
			}
		}
		const lines = files.length > 0 ? [...files] : [`No files match ${input.pattern}${input.includeIgnored ? '' : ' (ignored files were skipped; set includeIgnored to search them)'}.`];
		if (truncated) {
			lines.push(`[truncated at ${input.limit} files; narrow the pattern or path, or raise limit]`);
		}
		return { text: lines.join('\n'), truncated, structured: { files, truncated } };
	},
});

export const searchTextTool = defineTool({
	name: 'search_text',
	title: 'Search text',
	description: 'Search file contents (ripgrep): text, or a Rust regex if regex; ignores case unless caseSensitive.',
	family: 'files',
	risk: 'read',
	input: z.object({
		query: z.string().min(1),
		regex: z.boolean().default(false),
		caseSensitive: z.boolean().default(false),
		include: z.array(z.string().min(1)).default([]),
		exclude: z.array(z.string().min(1)).default([]),
		contextLines: z.number().int().min(0).max(10).default(0),
		...scopeFields,
		limit: z.number().int().min(1).max(100_000).default(100).describe('Most matching lines; the rest is linked.'),
	}),
	output: z.object({
		files: z.array(z.object({ path: z.string(), lines: z.array(z.object({ line: z.number(), text: z.string(), match: z.boolean() })) })),
		matchCount: z.number(),
		truncated: z.boolean(),
		withheld: z.array(z.string()).describe('Sensitive files that matched, whose lines are not shown: read them with read_file, which asks the user.'),
	}),
	annotations: { title: 'Search text', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	prepare(input, host) {
		return prepareTargets(host, input.path, `search "${input.query}"`);
	},
	async handler(input, ctx) {
		const { targets } = ctx.plan;
		const files: SearchFileResult[] = [];
		const withheld: string[] = [];
		let matchCount = 0;
		let truncated = false;
		for (const target of targets) {
			throwIfAborted(ctx.signal);
			// Content is read in the OS sandbox where there is one; names (find_files) are not content and stay fast.
			const found = await ripgrepSearch({ ...scopeFor(ctx.host, target, input.includeIgnored, ctx.signal, input.include, input.exclude), sandbox: ctx.host.sandbox }, {
				pattern: input.query,
				regex: input.regex,
				caseSensitive: input.caseSensitive,
				contextLines: input.contextLines,
				limit: input.limit - matchCount,
				maxLineLength: 400,
			});
			const sorted = found.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
			const extra = ctx.host.sensitivePaths();
			for (const file of sorted) {
				if (withheldFrom(target, file.path, extra) || await hasOtherNames(join(target.folder.path, file.path))) {
					withheld.push(shownPath(ctx.host, target.folder, file.path));
					matchCount -= file.lines.filter((line) => line.match).length;
					continue;
				}
				files.push({ path: shownPath(ctx.host, target.folder, file.path), lines: file.lines });
			}
			matchCount += found.matchCount;
			if (found.truncated) {
				truncated = true;
				break;
			}
		}
		const out: string[] = [];
		// Stop the text before the gate's cap would cut it mid-line; the structured result keeps every match.
		const budget = ctx.maxOutputBytes - 1024;
		let bytes = 0;
		let shownMatches = 0;
		format: for (const file of files) {
			for (const text of [file.path, ...file.lines.map((line) => `${String(line.line).padStart(6)}${line.match ? ':' : '-'} ${line.text}`)]) {
				bytes += Buffer.byteLength(text) + 1;
				if (bytes > budget) {
					break format;
				}
				out.push(text);
			}
			shownMatches += file.lines.filter((line) => line.match).length;
		}
		const cutBySize = shownMatches < matchCount;
		if (withheld.length > 0) {
			out.push(withheldNotice(withheld));
		}
		if (files.length === 0) {
			out.push(`No matches for ${input.regex ? 'regex' : 'text'} "${input.query}"${input.includeIgnored ? '' : ' (ignored files were skipped; set includeIgnored to search them)'}.`);
		} else {
			const notes = [`${matchCount} matching lines in ${files.length} files`];
			if (truncated) {
				notes.push(`stopped at limit ${input.limit}: narrow the query, include globs or path, or raise limit`);
			}
			if (cutBySize) {
				notes.push('the list was cut at the output size cap: narrow the search to see the rest');
			}
			out.push(`[${notes.join('; ')}]`);
		}
		return { text: out.join('\n'), truncated: truncated || cutBySize, structured: { files, matchCount, truncated, withheld } };
	},
});

/**
 * Whether a result's lines are withheld: the file is sensitive (`.env`, a key, `.git/config`) and the search did
 * not name it, or a sensitive folder holding it, as its path. A search with such a path was asked about like a read.
 */
function withheldFrom(target: SearchTarget, relative: string, extra: readonly string[]): boolean {
	if (!sensitiveMatch(relative, extra)) {
		return false;
	}
	// The policy's own test for a read: only a path it asked about counts as approved.
	const approved = target.relative !== '' && sensitiveMatch(target.relative, extra) !== undefined;
	return !(approved && (relative === target.relative || relative.startsWith(`${target.relative}/`)));
}

function withheldNotice(paths: readonly string[]): string {
	const names = paths.slice(0, 20).join(', ') + (paths.length > 20 ? `, and ${paths.length - 20} more` : '');
	return `[matches in ${paths.length} sensitive file${paths.length === 1 ? '' : 's'} withheld: ${names} (a sensitive name, or hard links that give the content other names). Read one with read_file, which asks the user first]`;
}
