import { z } from 'zod';
import type { Disposable } from '../base/disposable';
import type { WorkspaceFolderInfo } from './host';

/** Encodings the file tools read and write. */
export type TextEncodingName = 'utf8' | 'utf16le' | 'utf16be' | 'latin1';

export interface WriteTextOptions {
	/** 'create' fails when the file exists (atomically, no check-then-write race); 'overwrite' replaces or creates. */
	readonly mode: 'create' | 'overwrite';
	readonly encoding: TextEncodingName;
	/** Write a byte-order mark first (kept when the file had one). */
	readonly bom: boolean;
}

/** The Problems panel's severities, most severe first. */
export const diagnosticSeveritySchema = z.enum(['error', 'warning', 'information', 'hint']);
export type DiagnosticSeverity = z.output<typeof diagnosticSeveritySchema>;

/** One entry of the Problems panel. Lines and columns are 1-based. */
export const fileDiagnosticSchema = z.object({
	/** Absolute real path (get_diagnostics shows it as the agent writes paths). */
	path: z.string(),
	severity: diagnosticSeveritySchema,
	message: z.string(),
	line: z.number(),
	column: z.number(),
	endLine: z.number(),
	endColumn: z.number(),
	source: z.string().optional(),
	code: z.string().optional(),
});
export type FileDiagnostic = Readonly<z.output<typeof fileDiagnosticSchema>>;

/** Glob patterns (VS Code syntax, relative to the folder) that the user hides from the explorer and from search. */
export interface FolderExcludes {
	readonly files: readonly string[];
	readonly search: readonly string[];
}

/**
 * What file tools need from the editor. All paths are absolute and already resolved by the PathJail; the host
 * does no confinement of its own. VS Code implements it so writes land in open editors and can be undone; the
 * Node implementation writes atomically (temp file + rename).
 */
export interface FilesHost {
	/** The unsaved text of an open, dirty editor for this absolute path, if any. */
	dirtyText(absolutePath: string): string | undefined;
	/**
	 * Runs `change` while no other `exclusive` change of any of these files runs, in the order the calls came. A
	 * read-modify-write (edit_file, a write checked against a hash) reads and writes inside it, so it sees every
	 * earlier write and no later one lands between its read and its write. The paths are the jail's real paths, so
	 * two spellings of one file (a symlink, a different letter case where the file system ignores case) share a lock.
	 */
	exclusive<T>(absolutePaths: readonly string[], change: () => Promise<T>): Promise<T>;
	/** Writes the whole text; parent folders are created. Nothing is left half-written when it fails. */
	writeText(absolutePath: string, text: string, options: WriteTextOptions): Promise<void>;
	/** Renames or moves a file or folder; parent folders of the target are created. */
	rename(from: string, to: string, options: { readonly overwrite: boolean }): Promise<void>;
	/** Deletes a file, or a folder with everything in it when `recursive`; to the OS trash where the host can. */
	delete(absolutePath: string, options: { readonly recursive: boolean }): Promise<{ readonly trashed: boolean }>;
	/** Problems for one file, or for every file the editor knows about when `absolutePath` is undefined. */
	diagnostics(absolutePath?: string): readonly FileDiagnostic[];
	/** The user's exclude globs for a folder (`files.exclude`, `search.exclude`), enabled entries only. */
	excludes(folder: WorkspaceFolderInfo): FolderExcludes;
	/** Absolute path of the ripgrep binary to search with. */
	ripgrepPath(): string;
	/** A live list of the folders' files, where the host keeps one; find_files asks ripgrep when it cannot answer. */
	readonly index?: FileListIndex;
}

/**
 * A list of each folder's files kept current by a watcher, holding exactly what ripgrep lists by default (ignore
 * files, `files.exclude`, `search.exclude` respected). Answers only when it is certain to equal ripgrep's answer.
 */
export interface FileListIndex extends Disposable {
	/**
	 * The files under `relative` ('' for the whole folder; folder-relative, '/'-separated, sorted by code unit) that
	 * `accept` takes, at most `limit`; undefined when it cannot answer exactly now (still building, the watcher failed
	 * or fell behind, or `relative` is a folder it does not hold), and the caller asks ripgrep.
	 */
	find(folder: WorkspaceFolderInfo, relative: string, accept: (path: string) => boolean, limit: number): Promise<{ files: string[]; truncated: boolean } | undefined>;
}
