import { z } from 'zod';
import { defineTool, type ToolContext } from '../../core/tools/toolSpec';
import { ToolError } from '../../core/base/errors';
import { currentOperation, findEnclosingRoot, readHead, scanRepositories } from '../../node/git/gitDiscovery';
import { BRANCH_FORMAT, LOG_FORMAT, parseBlame, parseBranches, parseLog, parseStatus } from './parse';
import { assertPlainValue, hasCommits, resolveCommit, resolveRange } from './refs';
import { redactCredentials } from './redact';
import { git, gitPrepare, isSensitivePath, shownIn, repositoryInput, type GitRepository } from './repository';

/** Flags that keep a read from running programs named in the repository's config or attributes. */
const NO_EXTERNAL = ['--no-ext-diff', '--no-textconv', '--no-color', '--ignore-submodules=dirty'];
const DEFAULT_TEXT_BYTES = 200 * 1024;
const MAX_TEXT_BYTES = 2 * 1024 * 1024;

const maxBytesInput = z.number().int().min(1024).max(MAX_TEXT_BYTES).optional();
const pathsInput = z.array(z.string().min(1).max(4096)).max(200).optional();

/** Folder levels searched below each workspace folder: deeper repositories are rare and the scan is not free. */
const SCAN_DEPTH = 6;
/** Branches per list (local, remote) before the list is cut. */
const BRANCH_LIMIT = 500;

/** Room for the truncation notice and its file list (capped at 16 KB), so the gate's own cap never cuts them. */
const NOTICE_BYTES = 20 * 1024;

function textBudget(requested: number | undefined, ctx: ToolContext): number {
	return Math.max(1024, Math.min(requested ?? DEFAULT_TEXT_BYTES, ctx.maxOutputBytes - NOTICE_BYTES));
}

async function cappedText(repo: GitRepository, args: string[], ctx: ToolContext, maxBytes: number, statArgs: string[] | undefined, narrowHint: string): Promise<{ text: string; truncated: boolean }> {
	const result = await git(repo, args, ctx, { maxBytes });
	let text = redactCredentials(result.stdout);
	if (!result.truncated) {
		return { text, truncated: false };
	}
	// Cut at a line end so the agent never sees half a line, and say how to get the rest.
	const lastNewline = text.lastIndexOf('\n');
	text = lastNewline > 0 ? text.slice(0, lastNewline + 1) : text;
	let notice = `\n[… truncated after ${Buffer.byteLength(text)} bytes. ${narrowHint}]\n`;
	if (statArgs) {
		const stat = await git(repo, statArgs, ctx, { maxBytes: 16 * 1024 });
		notice += `\nFiles in the full diff (--stat${stat.truncated ? ', itself truncated' : ''}):\n${redactCredentials(stat.stdout)}`;
	}
	return { text: text + notice, truncated: true };
}

/**
 * Sensitive files among the changes a diff would print (`.env`, a key, `.vscode/settings.json`, the user's own
 * sensitive globs) that the call did not name: their hunks are left out, as search_text leaves out their lines. A
 * path the call names, or a sensitive folder holding it, went through the policy, which asked the user. A rename or
 * copy carries its content to the other name, so both names of a pair are withheld when either is sensitive
 * (`.env` renamed to `notes.txt` would otherwise print the secrets as the new file's content).
 */
async function sensitiveChanges(repo: GitRepository, options: string[], revisions: string[], pathspecs: readonly string[], ctx: ToolContext): Promise<string[]> {
	const list = [...options, '--name-status', '-z', '--find-renames', '--find-copies'];
	const inScope = await listChanges(repo, [...list, '--end-of-options', ...revisions, '--', ...pathspecArgs(pathspecs, [])], ctx);
	// Git pairs a rename only when both names are in the pathspec: a call naming only `notes.txt` would see it added,
	// with the content `.env` had. Renames and copies are looked for in the whole change.
	const whole = pathspecs.every((spec) => spec === '.') ? '' : await listChanges(repo, [...list, '--diff-filter=RC', '--end-of-options', ...revisions], ctx);
	const folders = ctx.host.workspace.folders();
	const extra = ctx.host.sensitivePaths();
	const sensitive = (name: string): boolean => isSensitivePath(repo, name, folders, extra);
	const named = pathspecs.filter((spec) => spec !== '.' && sensitive(spec));
	const approved = (name: string): boolean => named.some((spec) => name === spec || name.startsWith(`${spec}/`));
	const withheld = new Set<string>();
	for (const names of [...changedNames(inScope), ...changedNames(whole)]) {
		if (names.some((name) => sensitive(name) && !approved(name))) names.forEach((name) => withheld.add(name));
	}
	return [...withheld];
}

async function listChanges(repo: GitRepository, args: string[], ctx: ToolContext): Promise<string> {
	const listed = await git(repo, args, ctx, { maxBytes: 4 * 1024 * 1024 });
	if (listed.truncated) {
		throw new ToolError(`The change list of this diff is over 4 MB; narrow it with "paths" so sensitive files can be told apart.`);
	}
	return listed.stdout;
}

/**
 * The names of each change in `--name-status -z` output: one name, or two for a rename or copy (`R86`, `C100`),
 * whose status letter is followed by the old and the new name.
 */
function changedNames(output: string): string[][] {
	const fields = output.split('\0');
	const changes: string[][] = [];
	for (let index = 0; index < fields.length;) {
		const status = fields[index++];
		if (status === '') continue;
		const count = status.startsWith('R') || status.startsWith('C') ? 2 : 1;
		changes.push(fields.slice(index, index + count).filter((name) => name !== ''));
		index += count;
	}
	return changes;
}

/**
 * Pathspecs for a diff that leaves `withheld` out. Each one carries its own `literal` magic (a global
 * --literal-pathspecs would switch `exclude` off too), so a user path still means exactly that path.
 */
function pathspecArgs(pathspecs: readonly string[], withheld: readonly string[]): string[] {
	return [...pathspecs.map((spec) => `:(literal)${spec}`), ...withheld.map((name) => `:(exclude,literal)${name}`)];
}

function withheldNotice(withheld: readonly string[]): string {
	if (withheld.length === 0) {
		return '';
	}
	const names = withheld.slice(0, 20).join(', ') + (withheld.length > 20 ? `, and ${withheld.length - 20} more` : '');
	return `\n[changes to ${withheld.length} sensitive file${withheld.length === 1 ? '' : 's'} withheld: ${names}. Pass one in "paths" to see it; that asks the user first.]\n`;
}

/** Builds the result at `limit`, halving it until its JSON fits the gate's cap: JSON cut mid-way would be useless. */
function fitting<T>(build: (limit: number) => T, limit: number, ctx: ToolContext): { structured: T; text: string } {
	for (let current = limit; ; current = Math.floor(current / 2)) {
		const structured = build(current);
		const text = JSON.stringify(structured);
		if (Buffer.byteLength(text) <= ctx.maxOutputBytes - 1024 || current <= 1) {
			return { structured, text };
		}
	}
}

const repositoriesOutput = z.object({
	repositories: z.array(z.object({
		path: z.string().describe('Pass this as "repository" to the other git tools.'),
		absolute: z.string(),
		folder: z.string(),
		kind: z.enum(['repository', 'worktree']).describe('worktree: a .git file (submodule or linked worktree).'),
		branch: z.string().nullable(),
		detached: z.boolean(),
	})),
	outside: z.array(z.object({ folder: z.string(), root: z.string() }))
		.describe('Workspace folders inside a repository whose root is outside the workspace; the git tools refuse those.'),
	truncated: z.boolean(),
});

const gitRepositories = defineTool({
	name: 'git_repositories',
	title: 'List git repositories',
	description: 'Git repositories in the workspace; pass one\'s path as "repository" to the git tools if several.',
	family: 'git',
	risk: 'read',
	input: z.object({}),
	output: repositoriesOutput,
	annotations: { title: 'List git repositories', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	prepare: (_input, host) => ({ subject: { paths: host.workspace.folders().map((f) => f.path), summary: 'find git repositories' }, plan: undefined }),
	async handler(_input, ctx) {
		const folders = ctx.host.workspace.folders();
		const repositories: z.output<typeof repositoriesOutput>['repositories'] = [];
		const outside: { folder: string; root: string }[] = [];
		let truncated = false;
		for (const folder of folders) {
			const scan = await scanRepositories(folder.path, SCAN_DEPTH, 20_000, ctx.signal);
			truncated ||= scan.truncated;
			if (!scan.repositories.some((r) => r.root === folder.path)) {
				const outer = await findEnclosingRoot(folder.path);
				if (outer) {
					outside.push({ folder: folder.name, root: outer });
				}
			}
			for (const found of scan.repositories) {
				const head = await readHead(found.gitDir);
				repositories.push({
					path: shownIn(folder, found.root, folders),
					absolute: found.root,
					folder: folder.name,
					kind: found.kind,
					branch: head.branch,
					detached: head.detached,
				});
			}
		}
		const structured = { repositories, outside, truncated };
		return { text: JSON.stringify(structured), structured, truncated };
	},
});

const statusEntry = z.object({ path: z.string(), status: z.string(), from: z.string().optional(), submodule: z.boolean().optional() });
const statusOutput = z.object({
	repository: z.string(),
	branch: z.object({
		head: z.string().nullable().describe('Current branch; null when HEAD is detached.'),
		detached: z.boolean(),
		oid: z.string().nullable().describe('HEAD commit; null in an empty repository.'),
		upstream: z.string().nullable(),
		ahead: z.number().nullable(),
		behind: z.number().nullable(),
	}),
	operation: z.enum(['merge', 'rebase', 'cherry-pick', 'revert', 'bisect']).nullable().describe('An operation in progress, usually stopped on conflicts.'),
	staged: z.array(statusEntry),
	unstaged: z.array(statusEntry),
	untracked: z.array(z.string()),
	conflicts: z.array(z.object({ path: z.string(), kind: z.string() })),
	stashes: z.number(),
	clean: z.boolean(),
	truncated: z.boolean().describe('Lists were cut at maxEntries; pass paths to narrow.'),
});

const gitStatus = defineTool({
	name: 'git_status',
	title: 'Git status',
	description: 'Branch, upstream, staged/unstaged/untracked changes, conflicts.',
	family: 'git',
	risk: 'read',
	input: z.object({
		repository: repositoryInput,
		paths: pathsInput,
		untracked: z.enum(['no', 'normal', 'all']).optional(),
		maxEntries: z.number().int().min(1).max(20_000).optional(),
	}),
	output: statusOutput,
	annotations: { title: 'Git status', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, input.paths, 'git status'),
	async handler(input, ctx) {
		const { repo, pathspecs } = ctx.plan;
		// Changes inside a submodule's working tree would need a git run there, with the submodule's own config and
		// filters, which this run cannot see to switch off: only moved submodule commits are reported.
		const args = ['--literal-pathspecs', 'status', '--porcelain=v2', '--branch', '--show-stash', '-z', '--ignore-submodules=dirty', `--untracked-files=${input.untracked ?? 'normal'}`, '--', ...pathspecs];
		const [result, operation] = await Promise.all([git(repo, args, ctx), currentOperation(repo.gitDir)]);
		const parsed = parseStatus(result.stdout);
		const lists = [parsed.staged, parsed.unstaged, parsed.untracked, parsed.conflicts];
		const { structured, text } = fitting((max): z.output<typeof statusOutput> => ({
			repository: repo.display,
			branch: { head: parsed.head, detached: parsed.detached, oid: parsed.oid, upstream: parsed.upstream, ahead: parsed.ahead, behind: parsed.behind },
			operation,
			staged: parsed.staged.slice(0, max),
			unstaged: parsed.unstaged.slice(0, max),
			untracked: parsed.untracked.slice(0, max),
			conflicts: parsed.conflicts.slice(0, max),
			stashes: parsed.stashes,
			clean: lists.every((list) => list.length === 0),
			truncated: lists.some((list) => list.length > max),
		}), input.maxEntries ?? 1000, ctx);
		return { text, structured, truncated: structured.truncated };
	},
});

const gitDiff = defineTool({
	name: 'git_diff',
	title: 'Git diff',
	description: 'Unstaged diff, staged with staged: true, or from..to; stat: files only.',
	family: 'git',
	risk: 'read',
	input: z.object({
		repository: repositoryInput,
		staged: z.boolean().optional(),
		from: z.string().min(1).max(1000).optional(),
		to: z.string().min(1).max(1000).optional(),
		paths: pathsInput,
		stat: z.boolean().optional(),
		maxBytes: maxBytesInput,
	}),
	annotations: { title: 'Git diff', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, input.paths, `git diff${input.staged ? ' --cached' : ''}${input.from ? ` ${input.from}` : ''}${input.to ? ` ${input.to}` : ''}`),
	async handler(input, ctx) {
		const { repo, pathspecs } = ctx.plan;
		if (input.to && !input.from) {
			throw new ToolError('"to" needs "from": pass both to compare two revisions.');
		}
		if (input.to && input.staged) {
			throw new ToolError('"staged" compares the index; it cannot be combined with "to".');
		}
		const revisions: string[] = [];
		if (input.from) {
			revisions.push(await resolveCommit(repo, input.from, ctx, 'revision "from"'));
		}
		if (input.to) {
			revisions.push(await resolveCommit(repo, input.to, ctx, 'revision "to"'));
		}
		const base = ['diff', ...NO_EXTERNAL, ...(input.staged ? ['--cached'] : [])];
		const withheld = input.stat ? [] : await sensitiveChanges(repo, base, revisions, pathspecs, ctx);
		const tail = ['--end-of-options', ...revisions, '--', ...pathspecArgs(pathspecs, withheld)];
		const args = [...base, ...(input.stat ? ['--stat=200'] : []), ...tail];
		const { text, truncated } = await cappedText(repo, args, ctx, textBudget(input.maxBytes, ctx), input.stat ? undefined : [...base, '--stat=200', ...tail],
			'Get the rest file by file with "paths", or the file list with stat: true.');
		return { text: (text || (withheld.length ? '' : 'No differences.')) + withheldNotice(withheld), truncated };
	},
});

const logOutput = z.object({
	repository: z.string(),
	commits: z.array(z.object({
		hash: z.string(),
		parents: z.array(z.string()),
		author: z.object({ name: z.string(), email: z.string(), date: z.string() }),
		committer: z.object({ name: z.string(), date: z.string() }),
		subject: z.string(),
		body: z.string(),
	})),
	more: z.boolean().describe('More commits match; raise count or narrow with revision/since.'),
});

const gitLog = defineTool({
	name: 'git_log',
	title: 'Git log',
	description: 'Commits of HEAD or a revision/range ("a..b"), newest first; grep matches messages.',
	family: 'git',
	risk: 'read',
	input: z.object({
		repository: repositoryInput,
		revision: z.string().min(1).max(1000).optional(),
		count: z.number().int().min(1).max(500).optional(),
		skip: z.number().int().min(0).max(1_000_000).optional(),
		paths: pathsInput,
		author: z.string().min(1).max(200).optional(),
		since: z.string().min(1).max(100).optional(),
		until: z.string().min(1).max(100).optional(),
		grep: z.string().min(1).max(200).optional(),
	}),
	output: logOutput,
	annotations: { title: 'Git log', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, input.paths, `git log -${input.count ?? 20}${input.revision ? ` ${input.revision}` : ''}`),
	async handler(input, ctx) {
		const { repo, pathspecs } = ctx.plan;
		const revisions = input.revision ? await resolveRange(repo, input.revision, ctx) : [];
		const filters: string[] = [];
		for (const [flag, value] of [['author', input.author], ['since', input.since], ['until', input.until], ['grep', input.grep]] as const) {
			if (value !== undefined) {
				assertPlainValue(value, flag);
				// One argument "--flag=value": the value can never become an option of its own.
				filters.push(`--${flag}=${value}`);
			}
		}
		const count = input.count ?? 20;
		const args = ['--literal-pathspecs', 'log', '--no-show-signature', `--max-count=${count + 1}`, ...(input.skip ? [`--skip=${input.skip}`] : []), `--format=${LOG_FORMAT}`, ...filters, '--end-of-options', ...revisions, '--', ...pathspecs];
		const result = await git(repo, args, ctx, { maxBytes: 8 * 1024 * 1024 }).catch(async (error: unknown) => {
			// Asked after the fact rather than before: one git process per call keeps log as fast as the CLI.
			if (!revisions.length && !(await hasCommits(repo, ctx))) {
				throw new ToolError(`The repository ${repo.display} has no commits yet.`, 'no-commits');
			}
			throw error;
		});
		const commits = parseLog(redactCredentials(result.stdout), 2000);
		const { structured, text } = fitting((limit) => ({ repository: repo.display, commits: commits.slice(0, limit), more: commits.length > limit }), count, ctx);
		return { text, structured, truncated: structured.commits.length < Math.min(count, commits.length) };
	},
});

const gitShow = defineTool({
	name: 'git_show',
	title: 'Git show',
	description: 'A commit\'s message and diff.',
	family: 'git',
	risk: 'read',
	input: z.object({
		repository: repositoryInput,
		revision: z.string().min(1).max(1000).optional(),
		paths: pathsInput,
		stat: z.boolean().optional(),
		maxBytes: maxBytesInput,
	}),
	annotations: { title: 'Git show', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, input.paths, `git show ${input.revision ?? 'HEAD'}`),
	async handler(input, ctx) {
		const { repo, pathspecs } = ctx.plan;
		const hash = await resolveCommit(repo, input.revision ?? 'HEAD', ctx);
		const base = ['show', '--no-show-signature', ...NO_EXTERNAL];
		const withheld = input.stat ? [] : await sensitiveChanges(repo, [...base, '--format='], [hash], pathspecs, ctx);
		const tail = ['--end-of-options', hash, '--', ...pathspecArgs(pathspecs, withheld)];
		const args = [...base, '--format=fuller', ...(input.stat ? ['--stat=200'] : ['--patch-with-stat']), ...tail];
		const { text, truncated } = await cappedText(repo, args, ctx, textBudget(input.maxBytes, ctx), undefined,
			'The file list is at the top; get the rest file by file with "paths".');
		return { text: text + withheldNotice(withheld), truncated };
	},
});

const gitBlame = defineTool({
	name: 'git_blame',
	title: 'Git blame',
	description: 'Who last changed each line of a file (startLine..endLine).',
	family: 'git',
	risk: 'read',
	input: z.object({
		repository: repositoryInput,
		path: z.string().min(1).max(4096),
		startLine: z.number().int().min(1).optional(),
		endLine: z.number().int().min(1).optional(),
		revision: z.string().min(1).max(1000).optional(),
	}),
	annotations: { title: 'Git blame', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, [input.path], `git blame ${input.path}`, {}, { mustExist: !input.revision }),
	async handler(input, ctx) {
		const { repo, pathspecs } = ctx.plan;
		const start = input.startLine ?? 1;
		const end = input.endLine ?? start + 199;
		if (end < start || end - start >= 2000) {
			throw new ToolError('endLine must be at or after startLine, and at most 2000 lines at once.');
		}
		const revisions = input.revision ? [await resolveCommit(repo, input.revision, ctx)] : [];
		if (!input.revision && !(await hasCommits(repo, ctx))) {
			throw new ToolError(`The repository ${repo.display} has no commits yet; nothing to blame.`);
		}
		const result = await git(repo, ['blame', '--no-textconv', '--line-porcelain', `-L${start},${end}`, ...revisions, '--', pathspecs[0]], ctx, { maxBytes: 8 * 1024 * 1024 });
		const lines = parseBlame(result.stdout);
		const text = lines.map((l) => `${l.hash.slice(0, 8)} ${new Date(l.time * 1000).toISOString().slice(0, 10)} ${redactCredentials(l.author).padEnd(20).slice(0, 20)} ${String(l.line).padStart(5)}\t${l.content}`).join('\n');
		return { text: text || 'No lines in that range.' };
	},
});

const branchesOutput = z.object({
	repository: z.string(),
	current: z.string().nullable().describe('The checked-out branch; null when HEAD is detached.'),
	detached: z.boolean(),
	local: z.array(z.object({
		name: z.string(), current: z.boolean(), hash: z.string(), upstream: z.string().nullable(),
		ahead: z.number(), behind: z.number(), upstreamGone: z.boolean(), subject: z.string(),
	})),
	remote: z.array(z.object({ name: z.string(), hash: z.string(), subject: z.string() })),
	truncated: z.boolean(),
});

const gitBranches = defineTool({
	name: 'git_branches',
	title: 'List git branches',
	description: 'Local branches (upstream, ahead/behind) and remote ones.',
	family: 'git',
	risk: 'read',
	input: z.object({
		repository: repositoryInput,
		remote: z.boolean().optional(),
	}),
	output: branchesOutput,
	annotations: { title: 'List git branches', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, undefined, 'git branch --list'),
	async handler(input, ctx) {
		const { repo } = ctx.plan;
		const refs = input.remote === false ? ['refs/heads'] : ['refs/heads', 'refs/remotes'];
		const [result, head] = await Promise.all([
			git(repo, ['for-each-ref', `--format=${BRANCH_FORMAT}`, '--end-of-options', ...refs], ctx),
			readHead(repo.gitDir),
		]);
		const { local, remote } = parseBranches(redactCredentials(result.stdout));
		const { structured, text } = fitting((limit) => ({
			repository: repo.display,
			current: head.branch,
			detached: head.detached,
			local: local.slice(0, limit),
			remote: remote.slice(0, limit),
			truncated: local.length > limit || remote.length > limit,
		}), BRANCH_LIMIT, ctx);
		return { text, structured, truncated: structured.truncated };
	},
});

export const gitReadTools = [gitRepositories, gitStatus, gitDiff, gitLog, gitShow, gitBlame, gitBranches];
