// Shared by the file tools: how paths are shown to the agent, how files are read as text, and content hashes.
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { TextEncodingName } from '../../core/host/filesHost';
import type { Host } from '../../core/host/host';
import type { PathJail, ResolvedPath } from '../../core/paths/pathJail';
import { displayPath } from '../../core/paths/displayPath';
import { parsePathInput, resolveWriteTarget } from '../../core/paths/pathRules';
import { ToolError } from '../../core/base/errors';
import { readUpTo } from '../../node/files/fileBytes';
import { decodeText, looksBinary } from '../../core/host/textEncoding';

/** Larger files are refused whole; read_file can still page through them by lines up to this size. */
export const MAX_TEXT_FILE_BYTES = 20 * 1024 * 1024;

/** How the agent should write this path back (see core/paths/displayPath). */
export function shownPath(host: Host, place: Pick<ResolvedPath, 'folder' | 'relative'>): string {
	return displayPath(place, host.workspace.folders());
}

/** Short, stable fingerprint of the text the agent saw; edit_file compares it to catch stale edits. */
export function contentHash(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

export interface CurrentText {
	readonly text: string;
	readonly encoding: TextEncodingName;
	readonly bom: boolean;
	/** 'editor' when the text came from an open editor with unsaved changes. */
	readonly source: 'disk' | 'editor';
	readonly size: number;
	readonly mtimeMs: number;
	readonly hash: string;
}

/** The text a file holds for the agent: the dirty editor text when there is one, else the decoded disk bytes. */
export async function readCurrentText(host: Host, resolved: ResolvedPath, shown: string, encoding: TextEncodingName | 'auto' = 'auto', sharedContent: SharedContent = 'refuse'): Promise<CurrentText> {
	if (!resolved.exists) {
		throw new ToolError(`${shown} does not exist. Check the name with list_directory or find_files, or create it with create_file.`, 'not-found');
	}
	// One open file for the checks and the read: what was checked is what is read. The fstat runs beside the check
	// of where the file was opened, so a small read waits for three thread-pool round trips (open, check, read).
	const { handle, info } = await openVerified(resolved.absolute, shown, sharedContent);
	try {
		if (info.isDirectory()) {
			throw new ToolError(`${shown} is a directory, not a file. Use list_directory to see what it holds.`, 'is-directory');
		}
		if (!info.isFile()) {
			throw new ToolError(`${shown} is not a regular file (a device, socket or pipe) and cannot be read.`, 'not-a-file');
		}
		const dirty = host.files.dirtyText(resolved.absolute);
		if (info.size > MAX_TEXT_FILE_BYTES && dirty === undefined) {
			throw new ToolError(`${shown} is too large (${formatBytes(info.size)}; the limit is ${formatBytes(MAX_TEXT_FILE_BYTES)}). Use search_text to find the part you need.`, 'too-large');
		}
		if (dirty !== undefined) {
			return { text: dirty, encoding: 'utf8', bom: false, source: 'editor', size: info.size, mtimeMs: info.mtimeMs, hash: contentHash(dirty) };
		}
		const bytes = await readUpTo(handle, info.size);
		if (looksBinary(bytes, encoding === 'auto' ? undefined : encoding)) {
			throw new ToolError(`${shown} is a binary file (${formatBytes(bytes.length)}); the file tools only handle text.`, 'binary');
		}
		const decoded = decodeText(bytes, encoding);
		return { ...decoded, source: 'disk', size: info.size, mtimeMs: info.mtimeMs, hash: contentHash(decoded.text) };
	} finally {
		// Not awaited: the answer does not depend on it, and nothing can fail that a caller could act on.
		void handle.close().catch(() => undefined);
	}
}

/**
 * Whether a regular file has more than one hard link. Its content then has names the jail and the sensitive-path
 * rules never see, maybe `.env` or a file outside the workspace (a link planted under a harmless name), so reads
 * treat it as sensitive: read_file asks, resources and search results withhold it.
 */
export async function hasOtherNames(absolute: string): Promise<boolean> {
	const info = await lstat(absolute).catch(() => undefined);
	return info !== undefined && info.isFile() && info.nlink > 1;
}

/** Why a file with other names is not read without a person's approval, and what the agent can do instead. */
export function sharedContentError(shown: string, links: number): ToolError {
	return new ToolError(`${shown} is one of ${links} hard links to the same content, whose other names may be a sensitive file or lie outside the workspace, `
		+ 'so it is only read when the user approves it. Read it with read_file, which asks the user first.', 'hard-linked');
}

/**
 * Non-blocking where the platform has it: opening a named pipe must not wait for a writer before fstat refuses it.
 * No following of a final symbolic link: the path was resolved to a real path, so a link there now was swapped in.
 */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

function changedWhileReading(shown: string): ToolError {
	return new ToolError(`${shown} changed while it was being read (a symbolic link or another file took its place). Nothing was read; call again to read what is there now.`, 'changed');
}

/**
 * Opens the real path the jail resolved, and proves the open file is the file at that path: the jail and the policy
 * checked a path, the read gets an open file, and a concurrent process can swap the file or a folder above it for a
 * symbolic link in between (to a sensitive file, or out of the workspace). Refused then, with nothing read.
 */
export async function openResolvedForReading(absolute: string, shown: string, sharedContent: SharedContent = 'refuse'): Promise<FileHandle> {
	return (await openVerified(absolute, shown, sharedContent)).handle;
}

/** openResolvedForReading, with the open file's fstat taken at the same time as the check. */
async function openVerified(absolute: string, shown: string, sharedContent: SharedContent = 'refuse'): Promise<{ handle: FileHandle; info: Stats }> {
	// An atomic save (ours, an editor's, a formatter's) renames a new file over the path: a read that opened the old
	// one between our open and the check finds it unlinked, and opens again (about 3% of reads during a stream of
	// writes were refused before). A symbolic link or another path swapped in is still refused at once.
	for (let attempt = 1; ; attempt++) {
		const opened = await openOnce(absolute, shown);
		if (opened.handle && opened.info) {
			// The link count is checked on the open file: a link made after the policy looked is caught here.
			if (sharedContent === 'refuse' && opened.info.isFile() && opened.info.nlink > 1) {
				await opened.handle.close();
				throw sharedContentError(shown, opened.info.nlink);
			}
			return { handle: opened.handle, info: opened.info };
		}
		if (!opened.replaced || attempt === OPEN_ATTEMPTS) throw changedWhileReading(shown);
	}
}

/**
 * 'refuse': a file with other names (hard links) is not read; 'allow': a person approved reading it, or the reader
 * only shows it to a person (an approval card's diff) and the write after it refuses hard links itself.
 */
export type SharedContent = 'refuse' | 'allow';

/** Opens after a file that was replaced while it was being opened: enough for writes that follow each other closely. */
const OPEN_ATTEMPTS = 5;

async function openOnce(absolute: string, shown: string): Promise<{ handle?: FileHandle; info?: Stats; replaced?: boolean }> {
	let handle: FileHandle;
	try {
		handle = await open(absolute, READ_FLAGS);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EISDIR') {
			throw new ToolError(`${shown} is a directory, not a file. Use list_directory to see what it holds.`, 'is-directory');
		}
		if (code === 'ENOENT') {
			throw new ToolError(`${shown} does not exist. Check the name with list_directory or find_files, or create it with create_file.`, 'not-found');
		}
		if (code === 'ELOOP' || code === 'EMLINK') {
			throw changedWhileReading(shown);
		}
		throw new ToolError(`${shown} cannot be opened (${code ?? (error as Error).message}).`);
	}
	try {
		const [at, info] = await Promise.all([opensAt(handle, absolute), handle.stat()]);
		if (at === 'here') return { handle, info };
		await handle.close();
		return { replaced: at === 'replaced' };
	} catch (error) {
		await handle.close();
		throw error;
	}
}

/**
 * Whether the open file is the one at `absolute`, a path with no symbolic link in it: 'here'; 'replaced' when the
 * path is still its own real path but another file took its place (a rename over it); 'elsewhere' otherwise.
 */
async function opensAt(handle: FileHandle, absolute: string): Promise<'here' | 'replaced' | 'elsewhere'> {
	// Linux names the open file itself: exact, whatever happens to the path meanwhile.
	const named = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
	if (named !== undefined) {
		return named === absolute ? 'here' : named === `${absolute} (deleted)` ? 'replaced' : 'elsewhere';
	}
	// Elsewhere: the path must still be its own real path, and lead to this very file.
	const [opened, atPath, real] = await Promise.all([handle.stat(), stat(absolute).catch(() => undefined), realpath(absolute).catch(() => undefined)]);
	if (real !== absolute || atPath === undefined) return 'elsewhere';
	return atPath.dev === opened.dev && atPath.ino === opened.ino ? 'here' : 'replaced';
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) {
		return `${bytes} B`;
	}
	if (bytes < 1024 * 1024) {
		return `${(bytes / 1024).toFixed(1)} KB`;
	}
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Past this size a diff preview costs more than it shows; the approval card then gets the summary alone. */
const MAX_DIFF_INPUT = 512 * 1024;

export function diffPreview(path: string, before: string, after: string): { path: string; before: string; after: string; unified: string } | undefined {
	if (before.length + after.length > MAX_DIFF_INPUT) {
		return undefined;
	}
	return { path, before, after, unified: createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 }) };
}

export function throwIfAborted(signal: AbortSignal): void {
	if (signal.aborted) {
		throw new ToolError('The call was cancelled.', 'cancelled');
	}
}

/**
 * Resolves a path to rename or delete. A write goes through a symlink to the file it names, but these act on the
 * directory entry itself: deleting a link must remove the link, not the folder it points to. The full path is
 * still resolved first, so a link leading outside the workspace is refused like any other escape.
 */
export async function resolveEntry(jail: PathJail, input: string, options: { readonly mustExist?: boolean } = {}): Promise<ResolvedPath> {
	const full = await resolveWriteTarget(jail, input, options);
	const parsed = parsePathInput(input, process.platform === 'win32' ? 'win32' : 'posix');
	const segments = parsed.kind === 'absolute' ? parsed.path.split('/') : [...parsed.segments];
	const last = segments.pop();
	if (!last) {
		return full;
	}
	let parentInput = segments.join('/');
	if (parsed.kind === 'absolute' && (parentInput === '' || /^[a-z]:$/i.test(parentInput))) {
		parentInput += '/';
	}
	const parent = await jail.resolve(parentInput, { mustExist: true, allowFolderRoot: true }).catch(() => undefined);
	if (!parent) {
		return full;
	}
	const entry = join(parent.absolute, last);
	if (!(await lstat(entry).catch(() => undefined))?.isSymbolicLink()) {
		return full;
	}
	return { folder: parent.folder, absolute: entry, relative: parent.relative === '' ? last : `${parent.relative}/${last}`, exists: true };
}
