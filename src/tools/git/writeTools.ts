import { z } from 'zod';
import { defineTool, type ToolContext } from '../../core/tools/toolSpec';
import { ToolError } from '../../core/base/errors';
import { parseStashList, STASH_FORMAT } from './parse';
import { checkBranchName, hasCommits, localBranchExists, resolveCommit } from './refs';
import { prepareCommit } from './commitPreview';
import { git, gitReport, gitWrite, hooksNotice, gitPrepare, repositoryInput, type GitRepository } from './repository';

const requiredPaths = z.array(z.string().min(1).max(4096)).min(1).max(500);
const optionalPaths = requiredPaths.optional();

async function shortStatus(repo: GitRepository, ctx: ToolContext): Promise<string> {
	const result = await git(repo, ['status', '--short', '--branch', '--untracked-files=no'], ctx, { maxBytes: 8 * 1024 });
	return result.stdout.trim() + (result.truncated ? '\n…' : '');
}

const gitCreateBranch = defineTool({
	name: 'git_create_branch',
	title: 'Create a git branch',
	description: 'Create a branch at HEAD or startPoint; switch checks it out.',
	family: 'git',
	risk: 'write',
	input: z.object({
		repository: repositoryInput,
		name: z.string().min(1).max(250),
		startPoint: z.string().min(1).max(1000).optional(),
		switch: z.boolean().optional(),
	}),
	annotations: { title: 'Create a git branch', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, undefined, `git ${input.switch ? 'switch -c' : 'branch'} ${input.name}${input.startPoint ? ` ${input.startPoint}` : ''}`),
	async handler(input, ctx) {
		const { repo } = ctx.plan;
		const name = await checkBranchName(repo, input.name, ctx);
		if (await localBranchExists(repo, name, ctx)) {
			throw new ToolError(`A branch "${name}" already exists. Switch to it with git_switch_branch.`);
		}
		const start = input.startPoint ? [await resolveCommit(repo, input.startPoint, ctx, 'start point')] : [];
		if (!input.startPoint && !(await hasCommits(repo, ctx)) && !input.switch) {
			throw new ToolError(`The repository ${repo.display} has no commits yet; commit first, or pass switch: true to start the new branch unborn.`);
		}
		const args = input.switch ? ['switch', '-c', name, '--end-of-options', ...start] : ['branch', '--end-of-options', name, ...start];
		if (input.switch && start.length === 0 && !(await hasCommits(repo, ctx))) {
			args.splice(0, args.length, 'switch', '--orphan', name);
		}
		const result = await gitWrite(repo, args, ctx);
		return { text: `${gitReport(result, `Created branch ${name}.`)}\n${await shortStatus(repo, ctx)}` };
	},
});

const gitSwitchBranch = defineTool({
	name: 'git_switch_branch',
	title: 'Switch git branch',
	description: 'Check out a branch (or a commit with detach); refused if it would lose changes.',
	family: 'git',
	risk: 'write',
	input: z.object({
		repository: repositoryInput,
		branch: z.string().min(1).max(1000),
		detach: z.boolean().optional(),
	}),
	annotations: { title: 'Switch git branch', readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, undefined, `git switch ${input.detach ? '--detach ' : ''}${input.branch}`),
	async handler(input, ctx) {
		const { repo } = ctx.plan;
		const args = input.detach
			? ['switch', '--detach', '--end-of-options', await resolveCommit(repo, input.branch, ctx)]
			: ['switch', '--end-of-options', await checkBranchName(repo, input.branch, ctx)];
		const result = await gitWrite(repo, args, ctx);
		return { text: `${gitReport(result, 'Switched.')}\n${await shortStatus(repo, ctx)}` };
	},
});

const gitDeleteBranch = defineTool({
	name: 'git_delete_branch',
	title: 'Delete a git branch',
	description: 'Delete a local branch; force: also an unmerged one.',
	family: 'git',
	risk: 'destructive',
	input: z.object({
		repository: repositoryInput,
		name: z.string().min(1).max(250),
		force: z.boolean().optional(),
	}),
	annotations: { title: 'Delete a git branch', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, undefined, `git branch ${input.force ? '-D' : '-d'} ${input.name}`, { risk: 'destructive' }),
	async handler(input, ctx) {
		const { repo } = ctx.plan;
		const name = await checkBranchName(repo, input.name, ctx);
		if (!(await localBranchExists(repo, name, ctx))) {
			throw new ToolError(`There is no local branch "${name}". List branches with git_branches.`);
		}
		const result = await gitWrite(repo, ['branch', input.force ? '-D' : '-d', '--end-of-options', name], ctx);
		return { text: gitReport(result, `Deleted branch ${name}.`) };
	},
});

const gitStage = defineTool({
	name: 'git_stage',
	title: 'Stage paths',
	description: 'Stage paths for the next commit ("." for all).',
	family: 'git',
	risk: 'write',
	input: z.object({ repository: repositoryInput, paths: requiredPaths }),
	annotations: { title: 'Stage paths', readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, input.paths, `git add -- ${input.paths.join(' ')}`),
	async handler(_input, ctx) {
		const { repo, pathspecs } = ctx.plan;
		const result = await gitWrite(repo, ['--literal-pathspecs', 'add', '--all', '--', ...pathspecs], ctx);
		return { text: `Staged ${pathspecs.join(', ')}.${hooksNotice(result)}\n${await shortStatus(repo, ctx)}` };
	},
});

const gitUnstage = defineTool({
	name: 'git_unstage',
	title: 'Unstage paths',
	description: 'Unstage paths, keeping their changes.',
	family: 'git',
	risk: 'write',
	input: z.object({ repository: repositoryInput, paths: requiredPaths }),
	annotations: { title: 'Unstage paths', readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, input.paths, `git restore --staged -- ${input.paths.join(' ')}`),
	async handler(_input, ctx) {
		const { repo, pathspecs } = ctx.plan;
		const args = (await hasCommits(repo, ctx))
			? ['--literal-pathspecs', 'restore', '--staged', '--', ...pathspecs]
			// No HEAD to restore from yet: unstaging means dropping the paths from the index.
			: ['--literal-pathspecs', 'rm', '--cached', '-r', '-q', '--ignore-unmatch', '--', ...pathspecs];
		const result = await gitWrite(repo, args, ctx);
		return { text: `Unstaged ${pathspecs.join(', ')}.${hooksNotice(result)}\n${await shortStatus(repo, ctx)}` };
	},
});

const gitCommit = defineTool({
	name: 'git_commit',
	title: 'Commit',
	description: 'Commit the staged changes; amend: true rewrites the last commit.',
	family: 'git',
	risk: 'write',
	input: z.object({
		repository: repositoryInput,
		message: z.string().min(1).max(64 * 1024),
		amend: z.boolean().optional(),
	}),
	annotations: { title: 'Commit', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
	// The card shows the branch, the message and every staged file; the commit must record exactly that.
	prepare: (input, host) => prepareCommit(host, input),
	async handler(input, ctx) {
		const { repo } = ctx.plan;
		// The message goes through stdin: never an argument git could parse, whatever it starts with.
		const result = await gitWrite(repo, ['commit', '--file=-', '--cleanup=whitespace', ...(input.amend ? ['--amend'] : [])], ctx, { input: input.message, optionalLocks: true });
		return { text: gitReport(result, 'Committed.') };
	},
});

const stashOutput = z.object({
	action: z.enum(['push', 'list', 'pop']),
	entries: z.array(z.object({ index: z.number(), hash: z.string(), date: z.string(), message: z.string() })).optional(),
	message: z.string(),
});

const gitStash = defineTool({
	name: 'git_stash',
	title: 'Git stash',
	description: 'push sets changes aside, list shows entries, pop re-applies entry index (0 = newest).',
	family: 'git',
	risk: 'write',
	input: z.object({
		repository: repositoryInput,
		action: z.enum(['push', 'list', 'pop']),
		message: z.string().min(1).max(1000).optional(),
		includeUntracked: z.boolean().optional(),
		paths: optionalPaths,
		index: z.number().int().min(0).max(10_000).optional(),
	}),
	output: stashOutput,
	annotations: { title: 'Git stash', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, input.paths, `git stash ${input.action}${input.action === 'pop' ? ` stash@{${input.index ?? 0}}` : ''}`),
	async handler(input, ctx) {
		const { repo, pathspecs } = ctx.plan;
		const list = async () => parseStashList((await git(repo, ['stash', 'list', `--format=${STASH_FORMAT}`], ctx)).stdout);
		let message: string;
		if (input.action === 'list') {
			const entries = await list();
			const structured = { action: input.action, entries, message: `${entries.length} stash entr${entries.length === 1 ? 'y' : 'ies'}` };
			return { text: JSON.stringify(structured), structured };
		}
		if (input.action === 'push') {
			if (!(await hasCommits(repo, ctx))) {
				throw new ToolError(`The repository ${repo.display} has no commits yet; git cannot stash before the first commit.`);
			}
			const args = ['stash', 'push', ...(input.includeUntracked ? ['--include-untracked'] : []), ...(input.message ? ['-m', input.message] : [])];
			// Per-path `:(literal)`, not --literal-pathspecs: stash runs clean with a `:/` pathspec of its own.
			const literal = pathspecs.map((path) => `:(literal)${path}`);
			const result = await gitWrite(repo, literal.length > 0 ? [...args, '--', ...literal] : args, ctx);
			message = gitReport(result, 'Stashed.');
		} else {
			const index = input.index ?? 0;
			if (!(await list()).some((entry) => entry.index === index)) {
				throw new ToolError(`There is no stash entry ${index}. List them with action "list".`);
			}
			const result = await gitWrite(repo, ['stash', 'pop', `stash@{${index}}`], ctx);
			message = gitReport(result, 'Popped.');
		}
		const structured = { action: input.action, entries: await list(), message };
		return { text: JSON.stringify(structured), structured };
	},
});

const gitReset = defineTool({
	name: 'git_reset',
	title: 'Git reset',
	description: 'Move the branch to revision: soft keeps changes staged, mixed unstaged, hard drops them. With paths: unstage those.',
	family: 'git',
	risk: 'write',
	input: z.object({
		repository: repositoryInput,
		mode: z.enum(['soft', 'mixed', 'hard']).optional(),
		revision: z.string().min(1).max(1000).optional(),
		paths: optionalPaths,
	}),
	annotations: { title: 'Git reset', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, input.paths, `git reset --${input.mode ?? 'mixed'} ${input.revision ?? 'HEAD'}`,
		input.mode === 'hard' ? { risk: 'destructive' } : {}),
	async handler(input, ctx) {
		const { repo, pathspecs } = ctx.plan;
		const mode = input.mode ?? 'mixed';
		if (pathspecs.length > 0 && mode !== 'mixed') {
			throw new ToolError('Resetting paths only works in mixed mode; to discard a file\'s changes, ask the user.');
		}
		const hash = await resolveCommit(repo, input.revision ?? 'HEAD', ctx);
		const args = pathspecs.length > 0 ? ['--literal-pathspecs', 'reset', '-q', hash, '--', ...pathspecs] : ['reset', '-q', `--${mode}`, hash];
		const result = await gitWrite(repo, args, ctx);
		return { text: `Reset (${mode}) to ${hash.slice(0, 12)}.${hooksNotice(result)}\n${await shortStatus(repo, ctx)}` };
	},
});

const gitClean = defineTool({
	name: 'git_clean',
	title: 'Git clean',
	description: 'Delete untracked files; dryRun lists them.',
	family: 'git',
	risk: 'destructive',
	input: z.object({
		repository: repositoryInput,
		paths: optionalPaths,
		directories: z.boolean().optional(),
		ignored: z.boolean().optional(),
		dryRun: z.boolean().optional(),
	}),
	annotations: { title: 'Git clean', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
	prepare: (input, host) => gitPrepare(host, input.repository, input.paths, `git clean -f${input.directories ? 'd' : ''}${input.ignored ? 'x' : ''}${input.dryRun ? 'n' : ''}`, { risk: 'destructive' }),
	async handler(input, ctx) {
		const { repo, pathspecs } = ctx.plan;
		const flags = ['-f', ...(input.directories ? ['-d'] : []), ...(input.ignored ? ['-x'] : []), ...(input.dryRun ? ['-n'] : [])];
		const result = await gitWrite(repo, ['--literal-pathspecs', 'clean', ...flags, '--', ...pathspecs], ctx, { maxBytes: 256 * 1024 });
		return { text: gitReport(result, 'Nothing to clean.'), truncated: result.truncated };
	},
});

export const gitWriteTools = [gitCreateBranch, gitSwitchBranch, gitDeleteBranch, gitStage, gitUnstage, gitCommit, gitStash, gitReset, gitClean];
