/**
 * Whether a path a command names lies inside the workspace: compared as text, POSIX style with `.` and `..` folded,
 * since core does no I/O.
 */

export interface WorkspacePlace {
	/** Absolute working directory the line runs in. */
	readonly cwd: string;
	/** Absolute real paths of the workspace folders. */
	readonly workspaceRoots: readonly string[];
	/** The home folder, so `~/x` can be placed; without it `~` paths count as outside the workspace. */
	readonly home?: string;
}

export function insideWorkspace(path: string, place: WorkspacePlace): boolean {
	let absolute: string;
	if (path === '~' || path.startsWith('~/')) {
		if (!place.home) {
			return false;
		}
		absolute = joinPosix(place.home, path.slice(1));
	} else if (path.startsWith('~')) {
		return false;
	} else {
		absolute = path.startsWith('/') ? normalizePosix(path) : joinPosix(place.cwd, path);
	}
	return place.workspaceRoots.some((root) => {
		const normalizedRoot = normalizePosix(root);
		return absolute === normalizedRoot || absolute.startsWith(normalizedRoot === '/' ? '/' : `${normalizedRoot}/`);
	});
}

function joinPosix(base: string, path: string): string {
	return normalizePosix(`${base}/${path}`);
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
