/**
 * Whether a path a command names lies inside the workspace: compared as text, POSIX style with `.` and `..` folded,
 * since core does no I/O; then, when the caller hands in a resolver, as the real path the path jail would see, and
 * against the sensitive-path list `read_file` asks for.
 */
import { firstMatchingGlob } from '../paths/pathMatch';
import { SENSITIVE_PATHS } from '../paths/sensitivePaths';

export interface WorkspacePlace {
	/** Absolute working directory the line runs in. */
	readonly cwd: string;
	/** Absolute real paths of the workspace folders. */
	readonly workspaceRoots: readonly string[];
	/** The home folder, so `~/x` can be placed; without it `~` paths count as outside the workspace. */
	readonly home?: string;
	/**
	 * The real path of an absolute path as the path jail resolves it: links followed, the longest existing prefix
	 * resolved for a path that does not exist; undefined when it cannot be resolved (a loop, a dangling link).
	 * Without it paths are compared as text only.
	 */
	readonly realpath?: (absolute: string) => string | undefined;
	/** Sensitive globs from the settings, on top of the built-in list. */
	readonly sensitivePaths?: readonly string[];
}

export function insideWorkspace(path: string, place: WorkspacePlace): boolean {
	const absolute = absolutePath(path, place.cwd, place.home);
	return absolute !== undefined && rootHolding(normalizePosix(absolute), place.workspaceRoots) !== undefined;
}

/**
 * Why a command may not read a path without asking, as words to follow "reads": it lies outside the workspace, leads out through a link, or is
 * sensitive. The path is placed against every folder the line may be in by then (`cd src && cat a.ts`).
 */
export function pathRefusal(path: string, place: WorkspacePlace, cwds: readonly string[]): string | undefined {
	for (const cwd of cwds) {
		const absolute = absolutePath(path, cwd, place.home);
		const normalized = absolute === undefined ? undefined : normalizePosix(absolute);
		const root = normalized === undefined ? undefined : rootHolding(normalized, place.workspaceRoots);
		if (absolute === undefined || normalized === undefined || root === undefined) {
			return `${path}, outside the workspace`;
		}
		const sensitive = sensitiveGlob(relativeTo(root, normalized), place);
		if (sensitive) {
			return `${path}, a sensitive file (${sensitive})`;
		}
		if (place.realpath) {
			const real = place.realpath(absolute);
			const realRoot = real === undefined ? undefined : rootHolding(real, place.workspaceRoots);
			if (real === undefined || realRoot === undefined) {
				return `${path}, which leads outside the workspace through a symbolic link`;
			}
			const realSensitive = sensitiveGlob(relativeTo(realRoot, real), place);
			if (realSensitive) {
				return `${path}, which leads to a sensitive file (${realSensitive})`;
			}
		}
	}
	return undefined;
}

/**
 * Why a path is sensitive, as words to follow "reads": the sensitive list matched against the path inside its
 * workspace folder, or against the whole path outside every folder (`~/.ssh/id_rsa`), as written and as resolved.
 */
export function sensitiveRefusal(path: string, place: WorkspacePlace, cwds: readonly string[]): string | undefined {
	for (const cwd of cwds) {
		const absolute = absolutePath(path, cwd, place.home);
		if (absolute === undefined) {
			continue;
		}
		const real = place.realpath?.(absolute);
		for (const candidate of [normalizePosix(absolute), ...(real === undefined ? [] : [real])]) {
			const root = rootHolding(candidate, place.workspaceRoots);
			const glob = sensitiveGlob(root === undefined ? candidate.slice(1) : relativeTo(root, candidate), place);
			if (glob) {
				return `${path}, a sensitive file (${glob})`;
			}
		}
	}
	return undefined;
}

/**
 * Whether reading everything under a folder reads sensitive files: a workspace folder or one that holds one (`.env`,
 * `.git`), or a folder some sensitive glob names files in (`.github` for `.github/workflows/**`).
 */
export function holdsSensitiveFiles(path: string, place: WorkspacePlace, cwds: readonly string[]): boolean {
	return cwds.some((cwd) => {
		const absolute = absolutePath(path, cwd, place.home);
		if (absolute === undefined) {
			return true;
		}
		const candidates = [normalizePosix(absolute), ...(place.realpath ? [place.realpath(absolute) ?? '/'] : [])];
		return candidates.some((candidate) => {
			const holdsRoot = place.workspaceRoots.some((root) => {
				const normalizedRoot = normalizePosix(root);
				return candidate === normalizedRoot || candidate === '/' || normalizedRoot.startsWith(`${candidate}/`);
			});
			const root = rootHolding(candidate, place.workspaceRoots);
			const relative = root === undefined ? undefined : relativeTo(root, candidate);
			// A glob that names the folder, at its place or any depth, names files under it.
			const last = relative?.slice(relative.lastIndexOf('/') + 1);
			return holdsRoot || (relative !== undefined && [...SENSITIVE_PATHS, ...(place.sensitivePaths ?? [])]
				.some((glob) => glob.startsWith(`${relative}/`) || (glob.startsWith('**/') && `/${glob}`.includes(`/${last}/`))));
		});
	});
}

/** The folder a path names, from a working directory (text only; `..` folded). */
export function folderAfter(path: string, cwd: string, home: string | undefined): string | undefined {
	const absolute = absolutePath(path, cwd, home);
	return absolute === undefined ? undefined : normalizePosix(absolute);
}

/** The path joined to the working directory, or the home folder for `~/`; undefined for `~user` or an unknown home. */
function absolutePath(path: string, cwd: string, home: string | undefined): string | undefined {
	if (path === '~' || path.startsWith('~/')) {
		return home ? `${home}/${path.slice(1)}` : undefined;
	}
	if (path.startsWith('~')) {
		return undefined;
	}
	return path.startsWith('/') ? path : `${cwd}/${path}`;
}

function rootHolding(absolute: string, roots: readonly string[]): string | undefined {
	return roots.map(normalizePosix).find((root) => absolute === root || absolute.startsWith(root === '/' ? '/' : `${root}/`));
}

function relativeTo(root: string, absolute: string): string {
	return absolute === root ? '' : absolute.slice(root === '/' ? 1 : root.length + 1);
}

/** The sensitive glob a workspace-relative path matches, as `read_file` would ask for it. */
function sensitiveGlob(relative: string, place: WorkspacePlace): string | undefined {
	return relative === '' ? undefined : firstMatchingGlob([...SENSITIVE_PATHS, ...(place.sensitivePaths ?? [])], relative);
}

function normalizePosix(path: string): string {
	const parts: string[] = [];
	for (const part of path.split('/')) {
		if (part === '..') {
			parts.pop();
		} else if (part !== '' && part !== '.') {
			parts.push(part);
		}
	}
	return `/${parts.join('/')}`;
}
