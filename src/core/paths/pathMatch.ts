import picomatch from 'picomatch';
import type { WorkspaceFolderInfo } from '../host/host';

/** The path relative to the workspace folder holding it, with `/` separators; undefined when none holds it. */
export function relativeToFolder(absolute: string, folders: readonly WorkspaceFolderInfo[]): { folder: WorkspaceFolderInfo; relative: string } | undefined {
	const target = absolute.replace(/\\/g, '/');
	for (const folder of folders) {
		const root = folder.path.replace(/\\/g, '/').replace(/\/$/, '');
		if (target === root) return { folder, relative: '' };
		if (target.startsWith(`${root}/`)) return { folder, relative: target.slice(root.length + 1) };
	}
	return undefined;
}

/**
 * Every way a path can be written relative to a workspace folder: one per folder that holds it, so nested workspace
 * folders give several. A rule or sensitive glob written against any of them must see the path.
 */
export function relativeForms(absolute: string, folders: readonly WorkspaceFolderInfo[]): string[] {
	const target = absolute.replace(/\\/g, '/');
	const forms: string[] = [];
	for (const folder of folders) {
		const root = folder.path.replace(/\\/g, '/').replace(/\/$/, '');
		if (target === root) forms.push('');
		else if (target.startsWith(`${root}/`)) forms.push(target.slice(root.length + 1));
	}
	return forms;
}

export type PathMatcher = (relativePath: string) => boolean;

/** Globs match dot files too: `.env*` must catch `.env.local`, and `**` must walk into `.git`. */
export function globMatcher(globs: readonly string[]): PathMatcher {
	if (globs.length === 0) return () => false;
	return picomatch([...globs], { dot: true, nocase: false });
}

/**
 * Compiled globs, memoized: the policy checks every path of every call against the sensitive list, and compiling a
 * glob costs far more than matching it. Bounded, since settings can add globs over time.
 */
const compiled = new Map<string, PathMatcher>();
const MAX_COMPILED = 2000;

function compile(glob: string): PathMatcher {
	let matcher = compiled.get(glob);
	if (!matcher) {
		if (compiled.size >= MAX_COMPILED) compiled.clear();
		matcher = picomatch(glob, { dot: true });
		compiled.set(glob, matcher);
	}
	return matcher;
}

/** Which glob of the list matches, for the audit's "which rule decided". */
export function firstMatchingGlob(globs: readonly string[], relativePath: string): string | undefined {
	return globs.find((glob) => compile(glob)(relativePath));
}
