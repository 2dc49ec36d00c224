import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { Host, WorkspaceFolderInfo } from '../../core/host/host';
import { displayPath } from '../../core/paths/displayPath';
import { relativeToFolder } from '../../core/paths/pathMatch';
import { sensitiveMatch } from '../../core/paths/sensitivePaths';
import type { CallSubject, Prepared, ToolContext } from '../../core/tools/toolSpec';
import { ToolError } from '../../core/base/errors';
import { findEnclosingRoot, findRepository } from '../../node/git/gitDiscovery';
import { noHooksPath, GitCancelledError, GitExitError, repositoryHooksPath, runGit, type GitRunOptions, type GitRunResult } from '../../node/git/gitRunner';
import { redactCredentials } from './redact';

/** Left undescribed in the schema: git_repositories says once what to pass. */
export const repositoryInput = z.string().min(1).max(4096).optional();

/** A repository confined to a workspace folder: its root passed the path jail, and git never looks above it. */
export interface GitRepository {
	readonly root: string;
	readonly gitDir: string;
	readonly folder: WorkspaceFolderInfo;
	/** How the agent names it: the form the path jail accepts. */
	readonly display: string;
}

function hasGitSegment(path: string): boolean {
	return path.split(/[\\/]/).some((segment) => segment.toLowerCase() === '.git');
}

function isInside(parent: string, child: string): boolean {
	const rel = relative(parent, child);
	return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** How the agent names a folder or file of a repository (see core/paths/displayPath). */
export function shownIn(folder: WorkspaceFolderInfo, absolute: string, folders: readonly WorkspaceFolderInfo[]): string {
	return displayPath({ folder, relative: relative(folder.path, absolute).split(sep).join('/') }, folders);
}

/** Whether a repository-relative path is sensitive, as its workspace folder sees it or as the repository does. */
export function isSensitivePath(repo: GitRepository, repoRelative: string, folders: readonly WorkspaceFolderInfo[], extra: readonly string[]): boolean {
	const inFolder = relativeToFolder(join(repo.root, repoRelative), folders);
	return sensitiveMatch(inFolder?.relative ?? repoRelative, extra) !== undefined || sensitiveMatch(repoRelative, extra) !== undefined;
}

/**
 * Finds the repository for the agent's `repository` argument. Both the argument and the repository root go through
 * the path jail, so a repository that merely encloses the workspace (its root outside) is refused.
 */
export async function openRepository(host: Host, input: string | undefined): Promise<GitRepository> {
	const folders = host.workspace.folders();
	let target = input;
	if (target === undefined) {
		if (folders.length !== 1) {
			throw new ToolError(`This workspace has ${folders.length} folders; pass "repository" (a path inside the repository). List them with git_repositories.`);
		}
		target = folders[0].path;
	}
	const resolved = await host.jail.resolve(target, { mustExist: true, allowFolderRoot: true });
	if (hasGitSegment(resolved.relative)) {
		throw new ToolError(`"${target}" is inside a .git folder; name the repository by its working tree instead.`);
	}
	const info = await stat(resolved.absolute);
	const start = info.isDirectory() ? resolved.absolute : dirname(resolved.absolute);
	// With nested workspace folders the outermost one bounds the search: a repository rooted there is inside too.
	const boundary = folders
		.map((folder) => folder.path)
		.filter((path) => isInside(path, resolved.absolute))
		.reduce((outermost, path) => (path.length < outermost.length ? path : outermost), resolved.folder.path);
	const found = await findRepository(start, boundary);
	if (!found) {
		const outer = await findEnclosingRoot(boundary);
		if (outer) {
			throw new ToolError(`"${target}" belongs to the git repository at ${outer}, whose root is outside the workspace folder "${resolved.folder.name}". Only repositories rooted inside the workspace can be used; ask the user to open the repository's root folder.`);
		}
		throw new ToolError(`"${target}" is not inside a git repository in the workspace. List repositories with git_repositories; creating one (git init) is not offered.`);
	}
	// The root itself must pass the jail too (it was just resolved when the argument names the root itself).
	const root = found.root === resolved.absolute ? resolved : await host.jail.resolve(found.root, { mustExist: true, allowFolderRoot: true });
	if (root.absolute !== found.root) {
		throw new ToolError(`The repository root for "${target}" resolves outside the workspace; it cannot be used.`);
	}
	return { root: found.root, gitDir: found.gitDir, folder: root.folder, display: shownIn(root.folder, found.root, folders) };
}

export interface RepositoryPaths {
	/** Absolute real paths, for the policy's sensitive-path rules. */
	readonly absolute: string[];
	/** Repository-relative paths, to pass after `--`. */
	readonly pathspecs: string[];
}

/**
 * Resolves path arguments against the repository root, through the jail. Anything outside the repository or
 * inside `.git` is refused (CVE-2026-27735: traversal in add); git later receives them after `--` and with
 * `--literal-pathspecs`, so neither a leading dash nor `:(magic)` changes their meaning.
 */
export async function resolvePaths(host: Host, repo: GitRepository, paths: readonly string[] | undefined, mustExist = false): Promise<RepositoryPaths> {
	const absolute: string[] = [];
	const pathspecs: string[] = [];
	for (const path of paths ?? []) {
		if (path.includes('\0')) {
			throw new ToolError('A path contains a NUL character.');
		}
		const candidate = isAbsolute(path) ? path : join(repo.root, path);
		const resolved = await host.jail.resolve(candidate, { mustExist, allowFolderRoot: true });
		const rel = relative(repo.root, resolved.absolute);
		if (rel.startsWith('..') || isAbsolute(rel)) {
			throw new ToolError(`"${path}" is outside the repository ${repo.display}. Paths are relative to the repository root.`);
		}
		if (hasGitSegment(rel)) {
			throw new ToolError(`"${path}" is inside .git; git's own files (config, hooks) cannot be used through the git tools.`);
		}
		absolute.push(resolved.absolute);
		pathspecs.push(rel === '' ? '.' : rel.split(sep).join('/'));
	}
	return { absolute, pathspecs };
}

/** Runs git in the repository, turning failures into messages the agent can act on (credentials removed). */
export interface GitToolResult extends GitRunResult {
	/** Set when the repository's hooks were skipped, and why: the tool's answer must say so. */
	readonly hooksSkipped?: string;
}

/** What git printed (or `fallback` when it printed nothing), credentials masked, with the skipped-hooks notice. */
export function gitReport(result: GitToolResult, fallback: string): string {
	return redactCredentials(`${result.stdout}${result.stderr}`.trim() || fallback) + hooksNotice(result);
}

/** A line saying the repository's hooks were skipped, or nothing. */
export function hooksNotice(result: GitToolResult): string {
	return result.hooksSkipped ? `\n${result.hooksSkipped}` : '';
}

/** Runs a git command that only reads (no hooks run for those). */
export function git(repo: GitRepository, args: readonly string[], ctx: Pick<ToolContext, 'signal' | 'host'>, options: Omit<GitRunOptions, 'signal' | 'hooksPath' | 'sandbox'> = {}): Promise<GitToolResult> {
	// A read runs in the OS sandbox where there is one: what the repository configures cannot write or reach out.
	return runTool(repo, args, ctx, { ...options, sandbox: ctx.host.sandbox }, undefined);
}

/**
 * Runs a git command that changes something. Nearly every such command can run a hook (commit, switch, pull, push,
 * but also add, reset and stash through post-index-change, branch and fetch through reference-transaction), so each
 * runs with core.hooksPath pinned to the folder that was checked, or to an empty one.
 */
export async function gitWrite(repo: GitRepository, args: readonly string[], ctx: Pick<ToolContext, 'signal' | 'host'>, options: Omit<GitRunOptions, 'signal' | 'hooksPath'> = {}): Promise<GitToolResult> {
	return runTool(repo, args, ctx, options, await hooksFor(repo, ctx));
}

async function runTool(repo: GitRepository, args: readonly string[], ctx: Pick<ToolContext, 'signal'>, runOptions: Omit<GitRunOptions, 'signal' | 'hooksPath'>, hooks: HooksDecision | undefined): Promise<GitToolResult> {
	try {
		const result = await runGit(repo.root, dirname(repo.root), args, { ...runOptions, signal: ctx.signal, gitDir: repo.gitDir, ...(hooks ? { hooksPath: hooks.path } : {}) });
		return hooks?.skipped === undefined ? result : { ...result, hooksSkipped: hooks.skipped };
	} catch (error) {
		throw gitToolError(repo, args, error);
	}
}

function gitToolError(repo: GitRepository, args: readonly string[], error: unknown): Error {
	if (error instanceof GitCancelledError) {
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new ToolError(`git ${args.find((a) => !a.startsWith('-')) ?? ''} failed in ${repo.display}: ${redactCredentials(message).slice(0, 4000)}`);
}


interface HooksDecision {
	/** The core.hooksPath the command runs with: the real folder that was checked, or an empty one. */
	readonly path: string;
	/** Why the repository's own hooks are skipped, for the answer. */
	readonly skipped?: string;
}

/**
 * Which hooks a write may run. Hooks are programs: in `.git/hooks`, `.husky/`, `.githooks/` (paths the gate always
 * asks about before a change) or outside the workspace (out of the file tools' reach) they are the user's. A
 * core.hooksPath into any other workspace folder would let an agent that wrote a file there run it through git, so
 * such hooks are skipped and the answer says so. The folder is pinned by its real path, so a symlink switched after
 * the check cannot redirect git; one that does not resolve has no hooks to run.
 */
async function hooksFor(repo: GitRepository, ctx: Pick<ToolContext, 'signal' | 'host'>): Promise<HooksDecision> {
	const args = ['rev-parse', '--git-path', 'hooks'];
	let printed: string;
	try {
		printed = await repositoryHooksPath(repo.root, dirname(repo.root), ctx.signal);
	} catch (error) {
		throw gitToolError(repo, args, error);
	}
	const real = await realpath(resolve(repo.root, printed)).catch(() => undefined);
	if (real === undefined) {
		return { path: noHooksPath() };
	}
	const folders = ctx.host.workspace.folders();
	const inside = relativeToFolder(real, folders);
	if (!inside || sensitiveMatch(`${inside.relative}/pre-commit`)) {
		return { path: real };
	}
	return {
		path: noHooksPath(),
		skipped: `The repository's hooks (core.hooksPath ${shownIn(inside.folder, real, folders)}) were not run: that folder is an ordinary workspace folder the file tools can write to. `
			+ 'Hooks run from .git/hooks, .husky/ or .githooks/, which always ask before a change; or run the git command in a terminal.',
	};
}

/** Like `git`, but hands back the exit code instead of throwing for the codes a command uses as answers. */
export async function gitStatusCode(repo: GitRepository, args: readonly string[], ctx: Pick<ToolContext, 'signal'>): Promise<{ code: number; stdout: string }> {
	try {
		const result = await runGit(repo.root, dirname(repo.root), args, { signal: ctx.signal });
		return { code: 0, stdout: result.stdout };
	} catch (error) {
		if (error instanceof GitExitError) {
			return { code: error.exitCode, stdout: error.stdout };
		}
		throw error;
	}
}

/** What a git tool's handler works on, resolved once by prepare(): the repository and the pathspecs to pass after `--`. */
export interface GitPlan {
	readonly repo: GitRepository;
	readonly pathspecs: readonly string[];
}

/**
 * Every git tool's prepare(): the repository and each path, jail-resolved; the subject names them and the command.
 * `mustExist` refuses paths that are not there (blame of the working tree).
 */
export async function gitPrepare(host: Host, repository: string | undefined, paths: readonly string[] | undefined, command: string, extra: Partial<CallSubject> = {}, options: { readonly mustExist?: boolean } = {}): Promise<Prepared<GitPlan>> {
	const repo = await openRepository(host, repository);
	const resolved = await resolvePaths(host, repo, paths, options.mustExist);
	// One line, whatever the agent put in a branch name or message: the approval card must not be spoofable.
	// '.' is the only repository there is (the workspace folder's own): naming it says nothing.
	const line = `${command}${repo.display === '.' ? '' : ` (${repo.display})`}`.replace(/[\u0000-\u001f\u007f]+/g, ' ');
	return { subject: { paths: [repo.root, ...resolved.absolute], summary: line, ...extra }, plan: { repo, pathspecs: resolved.pathspecs } };
}
