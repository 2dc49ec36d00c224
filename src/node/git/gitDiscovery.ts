import type { Dirent } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

export type RepositoryKind = 'repository' | 'worktree';

export interface FoundRepository {
	/** The working tree's root: the folder holding `.git`. */
	readonly root: string;
	/** Where git keeps its data: `<root>/.git`, or the folder a `.git` file points to (submodules, worktrees). */
	readonly gitDir: string;
	readonly kind: RepositoryKind;
}

/** What HEAD names: a branch (possibly unborn, in an empty repository) or a detached commit. */
export interface HeadInfo {
	readonly branch: string | null;
	readonly detached: boolean;
	readonly oid: string | null;
}

export type Operation = 'merge' | 'rebase' | 'cherry-pick' | 'revert' | 'bisect';

function isInsideOrEqual(parent: string, child: string): boolean {
	const rel = relative(parent, child);
	return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The git dir `<dir>/.git` stands for, if it is a usable repository (git itself skips broken ones and climbs on). */
async function gitDirAt(dir: string): Promise<FoundRepository | undefined> {
	const dotGit = join(dir, '.git');
	const info = await stat(dotGit).catch(() => undefined);
	if (!info) {
		return undefined;
	}
	let gitDir = dotGit;
	let kind: RepositoryKind = 'repository';
	if (info.isFile()) {
		const text = await readFile(dotGit, 'utf8').catch(() => '');
		const match = /^gitdir: (.+)$/m.exec(text);
		if (!match) {
			return undefined;
		}
		gitDir = resolve(dir, match[1].trim());
		kind = 'worktree';
	} else if (!info.isDirectory()) {
		return undefined;
	}
	const hasHead = await access(join(gitDir, 'HEAD')).then(() => true, () => false);
	return hasHead ? { root: dir, gitDir, kind } : undefined;
}

/**
 * The repository containing `start`, found the way git finds it (nearest `.git` upwards) but without ever looking
 * above `boundary`: a repository whose root lies outside the workspace must not be reachable (CVE-2025-68145).
 */
export async function findRepository(start: string, boundary: string): Promise<FoundRepository | undefined> {
	let dir = start;
	for (;;) {
		if (!isInsideOrEqual(boundary, dir)) {
			return undefined;
		}
		const found = await gitDirAt(dir);
		if (found) {
			return found;
		}
		if (dir === boundary) {
			return undefined;
		}
		dir = dirname(dir);
	}
}

/** The nearest repository root above `dir` (exclusive), to explain a refusal; never used to run git. */
export async function findEnclosingRoot(dir: string): Promise<string | undefined> {
	let current = dirname(dir);
	for (;;) {
		if (await gitDirAt(current)) {
			return current;
		}
		const parent = dirname(current);
		if (parent === current) {
			return undefined;
		}
		current = parent;
	}
}

export async function readHead(gitDir: string): Promise<HeadInfo> {
	const text = (await readFile(join(gitDir, 'HEAD'), 'utf8').catch(() => '')).trim();
	if (text.startsWith('ref: ')) {
		const ref = text.slice(5);
		return { branch: ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref, detached: false, oid: null };
	}
	return { branch: null, detached: true, oid: text || null };
}

/** An operation left half done (a conflict usually), from the marker files git leaves in its directory. */
export async function currentOperation(gitDir: string): Promise<Operation | null> {
	const markers: [string, Operation][] = [
		['rebase-merge', 'rebase'], ['rebase-apply', 'rebase'], ['MERGE_HEAD', 'merge'],
		['CHERRY_PICK_HEAD', 'cherry-pick'], ['REVERT_HEAD', 'revert'], ['BISECT_LOG', 'bisect'],
	];
	const present = await Promise.all(markers.map(([name]) => access(join(gitDir, name)).then(() => true, () => false)));
	const index = present.indexOf(true);
	return index < 0 ? null : markers[index][1];
}

/** Folders never worth descending into when looking for repositories: huge, generated, or git's own. */
const SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);

export interface RepositoryScan {
	readonly repositories: FoundRepository[];
	readonly truncated: boolean;
}

/** Every repository at or below `folder`, breadth first, at most `maxDepth` levels and `maxFolders` folders deep. */
export async function scanRepositories(folder: string, maxDepth: number, maxFolders: number, signal: AbortSignal): Promise<RepositoryScan> {
	const repositories: FoundRepository[] = [];
	let level = [folder];
	let visited = 0;
	for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
		const next: string[] = [];
		for (const dir of level) {
			if (signal.aborted) {
				throw new Error('cancelled');
			}
			if (++visited > maxFolders) {
				return { repositories, truncated: true };
			}
			const found = await gitDirAt(dir);
			if (found) {
				repositories.push(found);
			}
			const entries: Dirent[] = await readdir(dir, { withFileTypes: true }).catch(() => []);
			for (const entry of entries) {
				// Symlinked folders are skipped: they may lead out of the workspace or loop.
				if (entry.isDirectory() && !SKIPPED.has(entry.name)) {
					next.push(join(dir, entry.name));
				}
			}
		}
		level = next;
	}
	return { repositories, truncated: false };
}
