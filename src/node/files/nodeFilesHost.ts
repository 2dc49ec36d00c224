import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileDiagnostic, FileListIndex, FilesHost, FolderExcludes, WriteTextOptions } from '../../core/host/filesHost';
import type { WorkspaceFolderInfo } from '../../core/host/host';
import { ToolError } from '../../core/base/errors';
import { KeyedMutex } from '../../core/base/keyedMutex';
import { encodeText } from '../../core/host/textEncoding';
import { anchoringAvailable, openFolderAt, openOrCreateFolderAt, removeEntry } from './anchoredFs';

export interface NodeFilesHostOptions {
	/** ripgrep binary; `rg` on PATH when absent. */
	readonly ripgrepPath?: string;
	/** Exclude globs per folder name, standing in for VS Code's `files.exclude` / `search.exclude`. */
	readonly excludes?: (folder: WorkspaceFolderInfo) => FolderExcludes;
	/** The live file list find_files answers from; none: every find_files runs ripgrep. */
	readonly index?: FileListIndex;
}

function errorCode(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function exists(path: string): Promise<boolean> {
	return lstat(path).then(() => true, () => false);
}

/** Where names differ only in case, one file may be reached by both; its lock must not depend on the spelling. */
const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

/** FilesHost on plain Node: no editors (so no dirty text, no diagnostics), no trash, atomic writes. */
export class NodeFilesHost implements FilesHost {
	private readonly locks = new KeyedMutex();

	readonly index: FileListIndex | undefined;

	constructor(private readonly options: NodeFilesHostOptions = {}) {
		this.index = options.index;
	}

	exclusive<T>(absolutePaths: readonly string[], change: () => Promise<T>): Promise<T> {
		return this.locks.runAll(absolutePaths.map((path) => (caseInsensitive ? path.toLowerCase() : path)), change);
	}

	dirtyText(): string | undefined {
		return undefined;
	}

	async writeText(absolutePath: string, text: string, options: WriteTextOptions): Promise<void> {
		// Through the folder held open where the platform allows: a folder on the way swapped for a link after the
		// jail's check cannot send the file elsewhere (see anchoredFs.ts).
		const folder = anchoringAvailable ? await openOrCreateFolderAt(dirname(absolutePath)) : undefined;
		try {
			if (!folder) {
				await mkdir(dirname(absolutePath), { recursive: true });
			}
			await this.writeIn(folder?.path ?? dirname(absolutePath), absolutePath, text, options);
		} finally {
			await folder?.close();
		}
	}

	private async writeIn(directory: string, absolutePath: string, text: string, options: WriteTextOptions): Promise<void> {
		const target = join(directory, basename(absolutePath));
		// The temp file sits beside the target so the final rename stays on one file system and is atomic: readers
		// see the old content or the new, never a prefix.
		const temp = join(directory, `.${basename(absolutePath)}.${randomBytes(6).toString('hex')}.mcp-tmp`);
		const previousMode = await lstat(target).then((s) => (s.isFile() ? s.mode : undefined), () => undefined);
		const bytes = encodeText(text, options.encoding, options.bom);
		const handle = await open(temp, 'wx', previousMode ?? 0o666);
		try {
			try {
				if (previousMode !== undefined) {
					// open()'s mode passes through the umask; an explicit chmod keeps group/other bits as they were.
					await handle.chmod(previousMode & 0o7777);
				}
				await handle.writeFile(bytes);
				await handle.sync();
			} finally {
				await handle.close();
			}
			if (options.mode === 'create') {
				await this.linkIntoPlace(temp, target);
			} else {
				await rename(temp, target);
			}
		} catch (error) {
			await rm(temp, { force: true });
			if (errorCode(error) === 'EEXIST') {
				throw new ToolError(`${absolutePath} already exists; use write_file or edit_file to change it, or set overwrite: true.`);
			}
			throw error;
		}
	}

	/** link() fails with EEXIST when the target appeared meanwhile, where exists-then-rename would clobber it. */
	private async linkIntoPlace(temp: string, target: string): Promise<void> {
		try {
			await link(temp, target);
		} catch (error) {
			const code = errorCode(error);
			// Some file systems (FAT, some network mounts) have no hard links; a small race beats failing.
			if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') {
				throw error;
			}
			if (await exists(target)) {
				throw Object.assign(new Error('exists'), { code: 'EEXIST' });
			}
			await rename(temp, target);
			return;
		}
		await unlink(temp);
	}

	async rename(from: string, to: string, options: { readonly overwrite: boolean }): Promise<void> {
		if (!anchoringAvailable) {
			if (!options.overwrite && await exists(to)) {
				throw new ToolError(`${to} already exists; choose another name or set overwrite: true.`);
			}
			await mkdir(dirname(to), { recursive: true });
			await rename(from, to);
			return;
		}
		const source = await openFolderAt(dirname(from));
		try {
			const target = await openOrCreateFolderAt(dirname(to));
			try {
				const toPath = join(target.path, basename(to));
				if (!options.overwrite && await exists(toPath)) {
					throw new ToolError(`${to} already exists; choose another name or set overwrite: true.`);
				}
				await rename(join(source.path, basename(from)), toPath);
			} finally {
				await target.close();
			}
		} finally {
			await source.close();
		}
	}

	async delete(absolutePath: string, options: { readonly recursive: boolean }): Promise<{ readonly trashed: boolean }> {
		if (!anchoringAvailable) {
			await rm(absolutePath, { recursive: options.recursive });
			return { trashed: false };
		}
		const parent = await openFolderAt(dirname(absolutePath));
		try {
			await removeEntry(parent, basename(absolutePath), options.recursive);
		} finally {
			await parent.close();
		}
		return { trashed: false };
	}

	diagnostics(): readonly FileDiagnostic[] {
		return [];
	}

	excludes(folder: WorkspaceFolderInfo): FolderExcludes {
		return this.options.excludes?.(folder) ?? { files: [], search: [] };
	}

	ripgrepPath(): string {
		return this.options.ripgrepPath ?? 'rg';
	}
}
