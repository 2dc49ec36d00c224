import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { WorkspaceFolderInfo } from '../../core/host/host';
import type { PathJail, ResolveOptions, ResolvedPath } from '../../core/paths/pathJail';
import { parsePathInput, relativeInside, type PathPlatform } from '../../core/paths/pathRules';
import { ToolError } from '../../core/base/errors';

function errorCode(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Flips the case of the last letter in the path's final segment, or undefined when it has no letter. */
function caseFlipped(path: string): string | undefined {
	for (let i = path.length - 1; i >= 0 && path[i] !== '/' && path[i] !== '\\'; i--) {
		const char = path[i];
		const flipped = char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
		if (flipped !== char) {
			return path.slice(0, i) + flipped + path.slice(i + 1);
		}
	}
	return undefined;
}

/**
 * Confines paths to the workspace folders using the real file system: every target is realpath'd (for a new file,
 * its deepest existing ancestor), and the result must lie inside a folder's real path. A symlink that leads out,
 * or a dangling one (writing through it would create a file outside), is refused.
 */
export class NodePathJail implements PathJail {
	private readonly caseInsensitiveByFolder = new Map<string, Promise<boolean>>();
	private readonly platform: PathPlatform = process.platform === 'win32' ? 'win32' : 'posix';

	constructor(private readonly folders: () => readonly WorkspaceFolderInfo[]) {}

	async resolve(input: string, options: ResolveOptions = {}): Promise<ResolvedPath> {
		const folders = this.folders();
		if (folders.length === 0) {
			throw new ToolError('No workspace folder is open, so there are no files to work on. Ask the user to open a folder.');
		}
		const parsed = parsePathInput(input, this.platform);
		const { folder, candidate } = parsed.kind === 'absolute'
			? await this.locateAbsolute(parsed.path, folders, input)
			: this.locateRelative(parsed.segments, folders, input);
		const { real, exists } = await this.realTarget(folder, candidate, input);
		const inside = await this.containingFolder(real, folders);
		if (!inside) {
			throw new ToolError(`"${input}" leads outside the workspace (through a symbolic link). Only files inside the workspace folders can be used.`);
		}
		if (inside.relative === '' && !options.allowFolderRoot) {
			throw new ToolError(`"${input}" is the workspace folder itself; name a file inside it.`);
		}
		if (!exists && options.mustExist) {
			throw new ToolError(`"${input}" does not exist. Check the name with list_directory or find_files.`);
		}
		return { folder: inside.folder, absolute: real, relative: inside.relative, exists };
	}

	private async locateAbsolute(path: string, folders: readonly WorkspaceFolderInfo[], input: string): Promise<{ folder: WorkspaceFolderInfo; candidate: string }> {
		// Nested folders: the deepest one that contains the path owns it.
		const byDepth = [...folders].sort((a, b) => b.path.length - a.path.length);
		for (const folder of byDepth) {
			if (relativeInside(folder.path, path, await this.isCaseInsensitive(folder)) !== undefined) {
				return { folder, candidate: path };
			}
		}
		throw new ToolError(`"${input}" is outside the workspace. Workspace folders: ${folders.map((f) => `${f.name} (${f.path})`).join(', ')}. Use a path relative to one of them or absolute inside one.`);
	}

	private locateRelative(segments: readonly string[], folders: readonly WorkspaceFolderInfo[], input: string): { folder: WorkspaceFolderInfo; candidate: string } {
		if (folders.length === 1) {
			return { folder: folders[0], candidate: join(folders[0].path, ...segments) };
		}
		const named = folders.find((f) => f.name === segments[0]);
		if (!named) {
			throw new ToolError(`"${input}" does not start with a workspace folder name. This workspace has several folders (${folders.map((f) => f.name).join(', ')}); write paths as "<folder>/<path>", e.g. "${folders[0].name}/src/index.ts".`);
		}
		return { folder: named, candidate: join(named.path, ...segments.slice(1)) };
	}

	/**
	 * The real path of `candidate`, resolving the deepest existing ancestor for a new file. In a single-root
	 * workspace a leading folder name is optional, so "ws/src/a.ts" means "src/a.ts" unless "ws" exists inside.
	 */
	private async realTarget(folder: WorkspaceFolderInfo, candidate: string, input: string): Promise<{ real: string; exists: boolean }> {
		const first = await this.realOrDeepest(candidate, input);
		if (first.exists || this.folders().length !== 1) {
			return first;
		}
		const relativeCandidate = relativeInside(folder.path, candidate, await this.isCaseInsensitive(folder));
		const [head, ...rest] = (relativeCandidate ?? '').split('/');
		if (head === folder.name && relativeCandidate !== undefined) {
			const headExists = await lstat(join(folder.path, head)).then(() => true, () => false);
			if (!headExists) {
				return this.realOrDeepest(join(folder.path, ...rest), input);
			}
		}
		return first;
	}

	private async realOrDeepest(candidate: string, input: string): Promise<{ real: string; exists: boolean }> {
		const missing: string[] = [];
		let current = candidate;
		for (;;) {
			try {
				const real = await realpath(current);
				if (missing.length > 0 && !(await stat(real)).isDirectory()) {
					throw new ToolError(`"${input}" goes through "${current}", which is a file, not a folder.`);
				}
				return { real: missing.length === 0 ? real : join(real, ...missing.reverse()), exists: missing.length === 0 };
			} catch (error) {
				if (error instanceof ToolError) {
					throw error;
				}
				const code = errorCode(error);
				if (code === 'ELOOP') {
					throw new ToolError(`"${input}" goes through a symbolic link loop.`);
				}
				if (code === 'ENOTDIR') {
					throw new ToolError(`"${input}" goes through a file as if it were a folder.`);
				}
				if (code !== 'ENOENT') {
					throw new ToolError(`"${input}" cannot be resolved (${code ?? String(error)}).`);
				}
			}
			// Exists as a link but realpath failed: a dangling symlink, whose target a write would create.
			if (await lstat(current).then(() => true, () => false)) {
				throw new ToolError(`"${input}" goes through a symbolic link whose target does not exist; it cannot be used.`);
			}
			const parent = dirname(current);
			if (parent === current) {
				throw new ToolError(`"${input}" cannot be resolved.`);
			}
			missing.push(basename(current));
			current = parent;
		}
	}

	private async containingFolder(real: string, folders: readonly WorkspaceFolderInfo[]): Promise<{ folder: WorkspaceFolderInfo; relative: string } | undefined> {
		const byDepth = [...folders].sort((a, b) => b.path.length - a.path.length);
		for (const folder of byDepth) {
			const relative = relativeInside(folder.path, real, await this.isCaseInsensitive(folder));
			if (relative !== undefined) {
				return { folder, relative };
			}
		}
		return undefined;
	}

	/** Probes the folder's own path with one letter's case flipped: the same inode means the fs folds case. */
	private isCaseInsensitive(folder: WorkspaceFolderInfo): Promise<boolean> {
		let known = this.caseInsensitiveByFolder.get(folder.path);
		if (!known) {
			known = (async () => {
				const flipped = caseFlipped(folder.path);
				if (!flipped) {
					return process.platform === 'win32' || process.platform === 'darwin';
				}
				const [original, other] = await Promise.all([stat(folder.path), stat(flipped).catch(() => undefined)]);
				return other !== undefined && other.ino === original.ino && other.dev === original.dev;
			})();
			this.caseInsensitiveByFolder.set(folder.path, known);
		}
		return known;
	}
}
