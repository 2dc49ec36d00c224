import type { MetricsHost, ScopedAudit } from './auditHost';
import type { FilesHost } from './filesHost';
import type { SandboxHost } from './sandbox';
import type { PathJail } from '../paths/pathJail';
import type { TasksHost } from './tasksHost';
import type { ResultsPort } from '../gate/resultStore';
import type { TerminalHost } from './terminalHost';
import type { ToolFamily } from '../tools/toolSpec';

export interface WorkspaceFolderInfo {
	readonly name: string;
	/** Real (symlink-free) absolute file-system path of the folder. */
	readonly path: string;
	readonly uri: string;
	readonly index: number;
}

export interface WorkspaceHost {
	folders(): readonly WorkspaceFolderInfo[];
	isTrusted(): boolean;
	readonly versions: { readonly editor: string; readonly appName: string; readonly extension: string };
	enabledFamilies(): readonly ToolFamily[];
}

/**
 * The small surface tools may use. `src/vscode` implements it on VS Code's API, `src/node` on plain Node for tests
 * and external hosts; tool handlers never import `vscode`.
 */
export interface Host {
	readonly workspace: WorkspaceHost;
	readonly jail: PathJail;
	readonly files: FilesHost;
	readonly terminal: TerminalHost;
	readonly tasks: TasksHost;
	/** Whether an OS sandbox bounds the commands that run without asking, and how approved ones run. */
	readonly sandbox: SandboxHost;
	/**
	 * The user's own sensitive globs (`policy.sensitivePaths`), on top of the built-in list: what withholds content
	 * from results (search matches, diff hunks) must use the same list as the policy that asks before a read.
	 */
	sensitivePaths(): readonly string[];
	/** The caller's own audit records; present in the host the gate hands a call (see Gate.hostFor). */
	readonly audit?: ScopedAudit;
	/** The server's call metrics; absent where no server runs. */
	readonly metrics?: MetricsHost;
	/**
	 * The full results this caller's session received cut to the result budget. The gate sets it per call (each
	 * session reads its own only); a host built outside the gate has none.
	 */
	readonly results?: ResultsPort;
}
