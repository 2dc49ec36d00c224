/**
 * The OS sandbox as tools see it: whether one is available, and how a call of theirs will run. The policy decides who
 * is asked; the sandbox bounds what a call allowed without asking can do, so a gap in the command classifier cannot
 * turn into a changed file, a started program that writes, a network connection or a read outside the workspace.
 */

/**
 * How a process runs:
 * - `read-only`: the workspace folders readable with their sensitive paths masked, the home folder hidden but for a
 *   short list of read-only files, a private writable /tmp, no network, its own PID namespace;
 * - `workspace-write`: the same, with the workspace folders writable (their configuration and git internals stay
 *   read-only);
 * - `off`: as the user's own process.
 */
export type SandboxMode = 'off' | 'read-only' | 'workspace-write';

export interface SandboxStatus {
	/** A sandbox can be started here. */
	readonly available: boolean;
	/** What enforces it, with its version ("bubblewrap 0.8.0"); absent when unavailable. */
	readonly mechanism?: string;
	/** Why it is unavailable and what the user can do about it; absent when available. */
	readonly reason?: string;
	/** The mode an approved command runs in (the setting mcpWorkbench.sandbox.approvedCommands). */
	readonly approvedCommands: SandboxMode;
}

/** A program and its arguments as they run in the sandbox (`bwrap <options> -- <argv>`), with the environment bwrap gets. */
export interface SandboxedProgram {
	readonly file: string;
	readonly args: readonly string[];
	readonly env: Readonly<Record<string, string>>;
}

export interface ReadOnlyRun {
	readonly cwd: string;
	/** The environment inside (on top of the sandbox's own: PATH, HOME, locale). */
	readonly env?: Readonly<Record<string, string>>;
	/**
	 * Show `.git/config` (masked for commands, since remotes keep credentials there): git reads the repository's
	 * format and worktree settings from it, and its tools redact what they print.
	 */
	readonly gitConfig?: boolean;
}

export interface SandboxHost {
	status(): SandboxStatus;
	/**
	 * `argv` as it runs read-only in the sandbox, for the programs the tools start on their own (git, ripgrep):
	 * whatever the repository configures them to start can neither write nor reach the network. Undefined when no
	 * sandbox is available; rejects when it could not be prepared.
	 */
	readOnly(argv: readonly string[], run: ReadOnlyRun): Promise<SandboxedProgram | undefined>;
}

/** The mode of a call: approved in a card → the user's setting; allowed without asking → read-only where possible. */
export function sandboxModeFor(status: SandboxStatus, approvedByPerson: boolean): SandboxMode {
	if (!status.available) return 'off';
	return approvedByPerson ? status.approvedCommands : 'read-only';
}

/** One line for an approval card, a result or the status bar. */
export function describeSandbox(mode: SandboxMode, status: SandboxStatus): string {
	switch (mode) {
		case 'read-only':
			return `sandboxed (${status.mechanism ?? 'OS sandbox'}): read-only workspace with sensitive files hidden, home folder hidden, private /tmp, no network`;
		case 'workspace-write':
			return `sandboxed (${status.mechanism ?? 'OS sandbox'}): may write inside the workspace folders only (not their configuration or .git), home folder hidden, private /tmp, no network`;
		case 'off':
			return status.available ? 'not sandboxed: runs as you approve it, with your permissions' : `not sandboxed: ${status.reason ?? 'no OS sandbox is available'}`;
	}
}

/** Which mode is active and why, for workspace_info and the status bar. */
export function sandboxSummary(status: SandboxStatus): string {
	if (!status.available) {
		return `No OS sandbox (${status.reason ?? 'none available'}): only a short list of commands the policy fully understands runs without asking; everything else asks.`;
	}
	const approved = status.approvedCommands === 'off' ? 'approved commands run unsandboxed, as approved' : `approved commands run sandboxed (${status.approvedCommands})`;
	return `Commands that run without asking are sandboxed read-only by ${status.mechanism}; ${approved}.`;
}

/** Nothing to sandbox with: tests, or a host where none is wanted. */
export const NO_SANDBOX: SandboxHost = {
	status: () => ({ available: false, reason: 'no OS sandbox was configured for this host', approvedCommands: 'off' }),
	readOnly: async () => undefined,
};
