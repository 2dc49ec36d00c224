// git_commit's preparation: what the commit will record, for the policy and the approval card.
import { join } from 'node:path';
import type { Host } from '../../core/host/host';
import type { CommitFileChange, CommitPreview, Prepared } from '../../core/tools/toolSpec';
import { ToolError } from '../../core/base/errors';
import { currentOperation, readHead } from '../../node/git/gitDiscovery';
import { cleanCommitMessage, parseStagedChanges, type StagedChange } from './parse';
import { git, gitPrepare, gitStatusCode, isSensitivePath, type GitPlan, type GitRepository } from './repository';

/**
 * More staged files than a person can be asked to read in one card: such a commit is refused with a way out rather
 * than shown in part (an approval covers only what was shown).
 */
export const MAX_COMMIT_FILES = 20_000;

/** Longest the listing may take; prepare has no caller's signal (the gate runs it before anything can be cancelled). */
const LIST_TIMEOUT_MS = 30_000;

/** The change list of `MAX_COMMIT_FILES` files with long names fits well within this. */
const LIST_BYTES = 32 * 1024 * 1024;

const STATUS: Record<string, CommitFileChange['status']> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'copied', T: 'type-changed' };

const SUBMODULE_MODE = '160000';

/** Compared with nothing: the empty tree, which every repository knows without storing it, by hash function. */
const EMPTY_TREE: Record<string, string> = {
	sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
	sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
};

/** A side of a change that does not exist has an all-zero object id and mode. */
const isMissing = (object: string): boolean => /^0+$/.test(object);

export interface CommitInput {
	readonly repository?: string;
	readonly message: string;
	readonly amend?: boolean;
}

/**
 * Resolves what `git commit` (with `--amend` when asked) would record: the branch, the message as git keeps it, and
 * every staged change with its line counts, compared with HEAD (or, for an amend, with the commit before it). The
 * staged names join the subject's paths, so the policy's sensitive-path rules see a commit of `.env` as one.
 */
export async function prepareCommit(host: Host, input: CommitInput): Promise<Prepared<GitPlan>> {
	const prepared = await gitPrepare(host, input.repository, undefined, 'git commit');
	const { repo } = prepared.plan;
	const ctx = { host, signal: AbortSignal.timeout(LIST_TIMEOUT_MS) };
	const amend = input.amend === true;
	if (input.message.trim() === '') {
		throw new ToolError('The commit message is empty.');
	}

	const [head, headInfo, operation] = await Promise.all([revision(repo, 'HEAD', ctx), readHead(repo.gitDir), currentOperation(repo.gitDir)]);
	if (amend && head === undefined) {
		throw new ToolError(`The repository ${repo.display} has no commits yet; there is nothing to amend.`);
	}
	// An amend replaces HEAD: what it records is the change from HEAD's parent (or from nothing, for a root commit).
	const base = amend ? await revision(repo, 'HEAD^', ctx) : head;
	const against = base ?? EMPTY_TREE[(await git(repo, ['rev-parse', '--show-object-format'], ctx)).stdout.trim()] ?? EMPTY_TREE.sha1;
	const listed = await git(repo, ['diff', '--cached', '-z', '--raw', '--numstat', '--no-abbrev', '--find-renames', '--no-ext-diff', '--no-textconv', '--no-color', '--end-of-options', against, '--'], ctx, { maxBytes: LIST_BYTES });
	if (listed.truncated) {
		throw new ToolError(`The staged change list in ${repo.display} is over ${LIST_BYTES / 1024 / 1024} MB, more than a person can review in one approval. Commit in smaller parts (git_unstage some paths) or from a terminal.`);
	}
	const staged = parseStagedChanges(listed.stdout);
	const unmerged = staged.filter((change) => change.letter === 'U').map((change) => change.path);
	if (unmerged.length > 0) {
		throw new ToolError(`Committing is not possible because you have unmerged files: ${unmerged.slice(0, 20).join(', ')}${unmerged.length > 20 ? ` and ${unmerged.length - 20} more` : ''}. Resolve the conflicts, stage the files with git_stage, then commit.`);
	}
	if (staged.length === 0 && !amend && operation !== 'merge') {
		throw new ToolError(`Nothing is staged in ${repo.display} (nothing added to commit). Stage changes with git_stage first.`);
	}
	if (staged.length > MAX_COMMIT_FILES) {
		throw new ToolError(`${staged.length.toLocaleString('en-US')} files are staged in ${repo.display}, more than ${MAX_COMMIT_FILES.toLocaleString('en-US')}: too many for a person to review in one approval. Commit in smaller parts (git_unstage some paths) or from a terminal.`);
	}

	const folders = host.workspace.folders();
	const extra = host.sensitivePaths();
	const files = staged.map((change) => fileChange(change, (name) => isSensitivePath(repo, name, folders, extra)));
	const message = cleanCommitMessage(input.message);
	const amends = amend ? (await git(repo, ['log', '-1', '--format=%s', 'HEAD'], ctx)).stdout.trim() : undefined;
	const commit: CommitPreview = {
		root: repo.root,
		repository: repo.display,
		...(headInfo.detached || headInfo.branch === null ? {} : { branch: headInfo.branch }),
		...(head !== undefined ? { head } : {}),
		...(base !== undefined ? { base } : {}),
		amend,
		...(amends !== undefined ? { amends } : {}),
		...(operation !== null ? { operation } : {}),
		message,
		files,
	};
	const names = files.flatMap((file) => (file.oldPath === undefined ? [file.path] : [file.oldPath, file.path]));
	return {
		subject: {
			...prepared.subject,
			paths: [...(prepared.subject.paths ?? []), ...names.map((name) => join(repo.root, name))],
			summary: commitSummary(commit),
			commit,
			...(amend ? { risk: 'destructive' as const } : {}),
		},
		plan: prepared.plan,
	};
}

/** The commit a revision names, or undefined (an unborn branch, a root commit's parent). */
async function revision(repo: GitRepository, name: string, ctx: { readonly host: Host; readonly signal: AbortSignal }): Promise<string | undefined> {
	const { code, stdout } = await gitStatusCode(repo, ['rev-parse', '--verify', '--quiet', `${name}^{commit}`], ctx);
	return code === 0 ? stdout.trim() : undefined;
}

function fileChange(change: StagedChange, sensitive: (name: string) => boolean): CommitFileChange {
	const submodule = change.oldMode === SUBMODULE_MODE || change.newMode === SUBMODULE_MODE;
	const counted = change.added !== undefined && !submodule;
	return {
		path: change.path,
		...(change.oldPath !== undefined ? { oldPath: change.oldPath } : {}),
		status: STATUS[change.letter] ?? 'modified',
		...(counted ? { added: change.added, removed: change.removed } : {}),
		...(change.added === undefined && !submodule ? { binary: true } : {}),
		...(submodule ? { submodule: true } : {}),
		// A rename carries the content to the other name: either name being sensitive makes both so.
		...(sensitive(change.path) || (change.oldPath !== undefined && sensitive(change.oldPath)) ? { sensitive: true } : {}),
		...(isMissing(change.oldObject) ? {} : { oldObject: change.oldObject }),
		...(isMissing(change.newObject) ? {} : { newObject: change.newObject }),
	};
}

/**
 * The one line for notifications and the audit: where it goes, the message's first line (marked when cut), and the
 * size. One line whatever the message holds: control characters become spaces.
 */
export function commitSummary(commit: Pick<CommitPreview, 'amend' | 'branch' | 'head' | 'message' | 'files' | 'repository'>): string {
	const first = commit.message.split('\n', 1)[0];
	const title = first.length > 80 ? `${first.slice(0, 79)}…` : first;
	let added = 0;
	let removed = 0;
	for (const file of commit.files) {
		added += file.added ?? 0;
		removed += file.removed ?? 0;
	}
	const where = commit.branch !== undefined ? commit.branch : commit.head !== undefined ? `detached HEAD ${commit.head.slice(0, 7)}` : 'detached HEAD';
	const count = `${commit.files.length} file${commit.files.length === 1 ? '' : 's'}, +${added} −${removed}`;
	const repository = commit.repository === '.' ? '' : ` in ${commit.repository}`;
	return `git commit${commit.amend ? ' --amend' : ''} on ${where}${repository}: "${title}" (${count})`.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
