import { type ToolContext } from '../../core/tools/toolSpec';
import { ToolError } from '../../core/base/errors';
import { git, gitStatusCode, type GitRepository } from './repository';

/**
 * The first line of defence against option injection (CVE-2025-68144): a value that git could read as an option,
 * or that carries control characters into a message or log line, is refused before any git process starts.
 */
export function assertPlainValue(value: string, what: string): void {
	if (value.startsWith('-')) {
		throw new ToolError(`The ${what} "${value}" starts with "-", which git would read as an option; it is refused.`);
	}
	if (/[\u0000-\u001f\u007f]/.test(value)) {
		throw new ToolError(`The ${what} contains control characters; it is refused.`);
	}
	if (value.trim() === '') {
		throw new ToolError(`The ${what} is empty.`);
	}
}

/**
 * Resolves a revision to the commit hash it names, so git later receives a hash, never the agent's string. Uses
 * `--end-of-options`, so even a value that slipped past the dash check is taken as a revision.
 */
export async function resolveCommit(repo: GitRepository, revision: string, ctx: Pick<ToolContext, 'signal' | 'host'>, what = 'revision'): Promise<string> {
	assertPlainValue(revision, what);
	const { code, stdout } = await gitStatusCode(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], ctx);
	const hash = stdout.trim();
	if (code !== 0 || !/^[0-9a-f]{40,64}$/.test(hash)) {
		const empty = !(await hasCommits(repo, ctx));
		throw new ToolError(empty
			? `The repository ${repo.display} has no commits yet, so "${revision}" names nothing.`
			: `Unknown ${what} "${revision}" in ${repo.display}. List branches with git_branches or commits with git_log.`);
	}
	return hash;
}

export async function hasCommits(repo: GitRepository, ctx: Pick<ToolContext, 'signal' | 'host'>): Promise<boolean> {
	const { code } = await gitStatusCode(repo, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], ctx);
	return code === 0;
}

/** A revision or a range (`a..b`, `a...b`, `..b`): each side resolved to a hash. */
export async function resolveRange(repo: GitRepository, range: string, ctx: Pick<ToolContext, 'signal' | 'host'>): Promise<string[]> {
	assertPlainValue(range, 'revision range');
	const match = /^(.*?)(\.\.\.?)(.*)$/.exec(range);
	if (!match) {
		return [await resolveCommit(repo, range, ctx)];
	}
	const [, from, dots, to] = match;
	const left = await resolveCommit(repo, from || 'HEAD', ctx);
	const right = await resolveCommit(repo, to || 'HEAD', ctx);
	return [`${left}${dots}${right}`];
}

/** A branch name git would accept, and not one of the shorthands (`@{-1}`, `HEAD`) that resolve to another. */
export async function checkBranchName(repo: GitRepository, name: string, ctx: Pick<ToolContext, 'signal' | 'host'>): Promise<string> {
	assertPlainValue(name, 'branch name');
	if (name.includes('@{') || name === 'HEAD' || name === '@') {
		throw new ToolError(`"${name}" is not a branch name.`);
	}
	const { code } = await gitStatusCode(repo, ['check-ref-format', `refs/heads/${name}`], ctx);
	if (code !== 0) {
		throw new ToolError(`"${name}" is not a valid branch name (see git check-ref-format: no spaces, "..", "~", "^", ":", "?", "*", "[" or trailing ".lock").`);
	}
	return name;
}

export async function localBranchExists(repo: GitRepository, name: string, ctx: Pick<ToolContext, 'signal' | 'host'>): Promise<boolean> {
	const { code } = await gitStatusCode(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${name}`], ctx);
	return code === 0;
}

/** Only configured remote names: never a URL, so no `ext::` transport and no credentials in arguments. */
export async function checkRemote(repo: GitRepository, remote: string, ctx: Pick<ToolContext, 'signal' | 'host'>): Promise<string> {
	assertPlainValue(remote, 'remote');
	const remotes = (await git(repo, ['remote'], ctx)).stdout.split('\n').filter(Boolean);
	if (!remotes.includes(remote)) {
		throw new ToolError(`"${remote}" is not a remote of ${repo.display}. Remotes: ${remotes.join(', ') || 'none'}. URLs are not accepted; the user adds remotes.`);
	}
	return remote;
}
