/**
 * The bubblewrap command line for one sandboxed process, from a description of what it may see. Pure: the facts
 * (which system folders exist, which workspace files are secret) are gathered by src/node/sandbox.
 *
 * The view is built up from nothing rather than cut down from `/`: a new empty root, then system folders read-only,
 * the workspace, and a handful of reviewed files from home. Whatever is not named does not exist inside, so a folder
 * nobody thought of (a mounted volume, another user's home, a socket in /run) cannot be reached.
 */

export type SandboxedMode = 'read-only' | 'workspace-write';

/** A top-level system entry: a folder bound read-only, or a symbolic link as on merged-/usr systems (`/bin → usr/bin`). */
export interface SystemEntry {
	readonly path: string;
	readonly linkTarget?: string;
}

export interface HiddenPath {
	readonly path: string;
	readonly directory: boolean;
}

export interface SandboxView {
	readonly mode: SandboxedMode;
	readonly system: readonly SystemEntry[];
	/** Secret files and folders, in the system folders and the workspace: shown empty. */
	readonly hidden: readonly HiddenPath[];
	readonly workspaceFolders: readonly string[];
	/** In workspace-write mode, what stays read-only inside the folders (git internals, editor and agent configuration). */
	readonly keepReadOnly: readonly string[];
	/** The home folder: present and empty but for `homeReadOnly`. */
	readonly home: string;
	readonly homeReadOnly: readonly string[];
	/** Program files the call needs that live outside the system folders (the editor's own ripgrep). */
	readonly extraReadOnly: readonly string[];
	/** An empty, read-only file and folder, bound over what is hidden. */
	readonly emptyFile: string;
	readonly emptyDirectory: string;
	readonly cwd: string;
	/** The whole environment inside: nothing of the editor's own (tokens, sockets) is inherited. */
	readonly env: Readonly<Record<string, string>>;
}

/** Options up to the command: `bwrap <these> <program> <args…>`. */
export function bwrapArguments(view: SandboxView): string[] {
	const args = [
		// User, PID, network, IPC, UTS and cgroup namespaces: no network but a private loopback, no process outside
		// is visible or signalable, and when the sandbox's first process ends every process in it ends.
		'--unshare-all',
		// Killed with the process that started it; a new session, so no process inside can push keystrokes into the
		// terminal it prints to (TIOCSTI).
		'--die-with-parent',
		'--new-session',
		'--clearenv',
	];
	for (const [name, value] of Object.entries(view.env)) args.push('--setenv', name, value);
	for (const entry of view.system) {
		if (entry.linkTarget !== undefined) args.push('--symlink', entry.linkTarget, entry.path);
		else args.push('--ro-bind', entry.path, entry.path);
	}
	args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--tmpfs', '/var/tmp', '--dir', view.home);
	for (const path of view.homeReadOnly) args.push('--ro-bind-try', path, path);
	const write = view.mode === 'workspace-write';
	for (const folder of view.workspaceFolders) args.push(write ? '--bind' : '--ro-bind', folder, folder);
	if (write) {
		for (const path of view.keepReadOnly) args.push('--ro-bind-try', path, path);
	}
	// Last, so nothing bound after them can uncover what they hide; `-try`: a file deleted since the scan needs no mask.
	for (const hidden of view.hidden) args.push('--ro-bind-try', hidden.directory ? view.emptyDirectory : view.emptyFile, hidden.path);
	for (const path of view.extraReadOnly) args.push('--ro-bind-try', path, path);
	args.push('--chdir', view.cwd);
	return args;
}
