import { z } from 'zod';
import { defineTool } from '../../core/tools/toolSpec';
import { ToolError } from '../../core/base/errors';
import { readHead } from '../../node/git/gitDiscovery';
import { checkBranchName, checkRemote, localBranchExists } from './refs';
import { gitReport, gitWrite, gitPrepare, repositoryInput } from './repository';

/** Network operations can wait on slow servers; the gate's default would cut them short. */
const NETWORK_TIMEOUT_MS = 5 * 60 * 1000;

const remoteInput = z.string().min(1).max(200).optional();

const gitFetch = defineTool({
	name: 'git_fetch',
	title: 'Git fetch',
	description: 'Fetch a remote (default: the upstream\'s) or all; local branches stay.',
	family: 'git',
	risk: 'write',
	input: z.object({
		repository: repositoryInput,
		remote: remoteInput,
		all: z.boolean().optional(),
	}),
	annotations: { title: 'Git fetch', readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
	timeoutMs: NETWORK_TIMEOUT_MS,
	prepare: (input, host) => gitPrepare(host, input.repository, undefined, `git fetch ${input.all ? '--all' : input.remote ?? ''}`.trim()),
	async handler(input, ctx) {
		const { repo } = ctx.plan;
		const remote = input.remote ? [await checkRemote(repo, input.remote, ctx)] : [];
		const result = await gitWrite(repo, ['fetch', '--no-progress', ...(input.all ? ['--all'] : []), '--end-of-options', ...remote], ctx);
		return { text: gitReport(result, 'Fetched; nothing new.') };
	},
});

const gitPull = defineTool({
	name: 'git_pull',
	title: 'Git pull',
	description: 'Fetch and integrate the upstream (or remote + branch); mode default ff-only.',
	family: 'git',
	risk: 'write',
	input: z.object({
		repository: repositoryInput,
		remote: remoteInput,
		branch: z.string().min(1).max(250).optional(),
		mode: z.enum(['ff-only', 'merge', 'rebase']).optional(),
	}),
	annotations: { title: 'Git pull', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
	timeoutMs: NETWORK_TIMEOUT_MS,
	prepare: (input, host) => gitPrepare(host, input.repository, undefined, `git pull --${input.mode ?? 'ff-only'} ${input.remote ?? ''} ${input.branch ?? ''}`.trim()),
	async handler(input, ctx) {
		const { repo } = ctx.plan;
		if (input.branch && !input.remote) {
			throw new ToolError('"branch" needs "remote" too.');
		}
		if ((await readHead(repo.gitDir)).detached) {
			throw new ToolError(`HEAD is detached in ${repo.display}; switch to a branch before pulling.`);
		}
		const target = input.remote ? [await checkRemote(repo, input.remote, ctx)] : [];
		if (input.branch) {
			target.push(await checkBranchName(repo, input.branch, ctx));
		}
		const mode = { 'ff-only': '--ff-only', merge: '--no-rebase', rebase: '--rebase' }[input.mode ?? 'ff-only'];
		const result = await gitWrite(repo, ['pull', '--no-edit', '--no-progress', mode, ...target], ctx);
		return { text: gitReport(result, 'Pulled.') };
	},
});

const gitPush = defineTool({
	name: 'git_push',
	title: 'Git push',
	description: 'Push branch (default current) to remote (default upstream); force rewrites it there.',
	family: 'git',
	risk: 'destructive',
	input: z.object({
		repository: repositoryInput,
		remote: remoteInput,
		branch: z.string().min(1).max(250).optional(),
		setUpstream: z.boolean().optional(),
		force: z.enum(['none', 'with-lease', 'force']).optional(),
	}),
	annotations: { title: 'Git push', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
	timeoutMs: NETWORK_TIMEOUT_MS,
	prepare: (input, host) => gitPrepare(host, input.repository, undefined,
		`git push${input.force === 'force' ? ' --force' : input.force === 'with-lease' ? ' --force-with-lease' : ''}${input.setUpstream ? ' -u' : ''} ${input.remote ?? ''} ${input.branch ?? ''}`.trim(),
		{ risk: 'destructive' }),
	async handler(input, ctx) {
		const { repo } = ctx.plan;
		if (input.branch && !input.remote) {
			throw new ToolError('"branch" needs "remote" too.');
		}
		const target = input.remote ? [await checkRemote(repo, input.remote, ctx)] : [];
		if (input.branch) {
			const branch = await checkBranchName(repo, input.branch, ctx);
			if (!(await localBranchExists(repo, branch, ctx))) {
				throw new ToolError(`There is no local branch "${branch}". List branches with git_branches.`);
			}
			// A full refspec: git never reads it as an option or a `:`-deletion.
			target.push(`refs/heads/${branch}:refs/heads/${branch}`);
		} else if ((await readHead(repo.gitDir)).detached) {
			throw new ToolError(`HEAD is detached in ${repo.display}; pass branch, or switch to a branch first.`);
		}
		const flags = [
			...(input.force === 'force' ? ['--force'] : input.force === 'with-lease' ? ['--force-with-lease'] : []),
			...(input.setUpstream ? ['--set-upstream'] : []),
		];
		const result = await gitWrite(repo, ['push', '--no-progress', '--porcelain', ...flags, ...target], ctx);
		return { text: gitReport(result, 'Pushed.') };
	},
});

export const gitRemoteTools = [gitFetch, gitPull, gitPush];
