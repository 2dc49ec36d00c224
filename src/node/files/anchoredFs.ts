// File changes that go where the path jail looked, even while another process swaps a folder on the way for a
// symbolic link. Node has no openat(), but on Linux /proc/self/fd/N names the folder an open descriptor holds: a
// path through it reaches that very folder, whatever the path it was opened by points to now. Each folder is opened
// without following a link and checked to be the real path the jail resolved; every entry is then created, renamed or
// removed through it.
import { constants, existsSync } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ToolError } from '../../core/base/errors';

const DIRECTORY_FLAGS = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** Whether this platform names open descriptors (Linux); elsewhere callers use plain paths, checked beforehand only. */
export const anchoringAvailable = process.platform === 'linux' && existsSync('/proc/self/fd');

/** A folder held open; `path` names it through its descriptor. */
export interface AnchoredFolder {
	readonly path: string;
	/** The real path it was verified to have when opened. */
	readonly real: string;
	close(): Promise<void>;
}

function errorCode(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

function changed(real: string): ToolError {
	return new ToolError(`${real} changed while it was being used (a symbolic link or another folder took its place). Nothing was changed there; call again.`, 'changed');
}

async function anchor(handle: FileHandle, expected: string): Promise<AnchoredFolder> {
	const path = `/proc/self/fd/${handle.fd}`;
	const named = await readlink(path).catch(() => undefined);
	if (named !== expected) {
		await handle.close();
		throw changed(expected);
	}
	return { path, real: expected, close: () => handle.close() };
}

async function openFolder(path: string, expected: string): Promise<AnchoredFolder> {
	let handle: FileHandle;
	try {
		handle = await open(path, DIRECTORY_FLAGS);
	} catch (error) {
		const code = errorCode(error);
		// A link (ELOOP) or a file (ENOTDIR) where the jail saw a folder: swapped since.
		if (code === 'ELOOP' || code === 'ENOTDIR' || code === 'EMLINK') {
			throw changed(expected);
		}
		throw error;
	}
	return anchor(handle, expected);
}

/** Opens the folder at `real` (a path with no link in it) and proves it is that folder. */
export function openFolderAt(real: string): Promise<AnchoredFolder> {
	return openFolder(real, real);
}

/** Opens a sub-folder through its open parent, never through a link. */
export function openChild(parent: AnchoredFolder, name: string): Promise<AnchoredFolder> {
	return openFolder(join(parent.path, name), join(parent.real, name));
}

/**
 * Opens the folder at `real`, first creating the folders missing below its deepest existing ancestor, each one
 * made and opened through its parent (the `mkdir -p` a write needs, without following a link swapped in meanwhile).
 */
export async function openOrCreateFolderAt(real: string): Promise<AnchoredFolder> {
	const missing: string[] = [];
	let existing = real;
	while (!(await lstat(existing).then(() => true, () => false))) {
		const parent = dirname(existing);
		if (parent === existing) {
			throw changed(real);
		}
		missing.unshift(basename(existing));
		existing = parent;
	}
	let folder = await openFolderAt(existing);
	for (const name of missing) {
		try {
			await mkdir(join(folder.path, name));
		} catch (error) {
			if (errorCode(error) !== 'EEXIST') {
				await folder.close();
				throw error;
			}
		}
		const next = await openChild(folder, name).finally(() => folder.close());
		folder = next;
	}
	return folder;
}

/**
 * Removes `name` from `parent`: a file or link is unlinked (a link's target is never touched), a folder emptied the
 * same way through its own descriptor, then removed. rm -r by path would follow a folder swapped for a link midway.
 */
export async function removeEntry(parent: AnchoredFolder, name: string, recursive: boolean): Promise<void> {
	const path = join(parent.path, name);
	const info = await lstat(path);
	if (!info.isDirectory()) {
		await unlink(path);
		return;
	}
	if (recursive) {
		const folder = await openChild(parent, name);
		try {
			for (const entry of await readdir(folder.path)) {
				await removeEntry(folder, entry, true);
			}
		} finally {
			await folder.close();
		}
	}
	await rmdir(path);
}
