import type { WorkspaceFolderInfo } from '../host/host';

export interface ResolvedPath {
	readonly folder: WorkspaceFolderInfo;
	/** Absolute real path (symlinks resolved; for a new file, its deepest existing ancestor resolved). */
	readonly absolute: string;
	/** Path relative to the folder, with `/` separators; '' for the folder itself. */
	readonly relative: string;
	readonly exists: boolean;
}

export interface ResolveOptions {
	/** Refuse with a ToolError when the target does not exist. */
	readonly mustExist?: boolean;
	/** Allow the workspace folder itself as a target (listing it, searching it); refused for writes. */
	readonly allowFolderRoot?: boolean;
}

/**
 * Confines every path a tool touches to the workspace folders. Accepts a path relative to a folder (prefixed with
 * the folder's name in a multi-root workspace, optional in a single-root one) or absolute inside one; anything else
 * is refused with a ToolError that says what form to use.
 */
export interface PathJail {
	resolve(input: string, options?: ResolveOptions): Promise<ResolvedPath>;
}
