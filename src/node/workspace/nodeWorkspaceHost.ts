import type { WorkspaceFolderInfo, WorkspaceHost } from '../../core/host/host';
import type { ToolFamily } from '../../core/tools/toolSpec';

export interface NodeWorkspaceOptions {
	/** Real (symlink-free) absolute paths, as the path jail compares them. */
	readonly folders: readonly WorkspaceFolderInfo[];
	readonly trusted?: boolean;
	readonly families?: readonly ToolFamily[];
	readonly versions?: WorkspaceHost['versions'];
}

/** Workspace facts without an editor: the folders and trust a script or test hands over. */
export class NodeWorkspaceHost implements WorkspaceHost {
	readonly versions: WorkspaceHost['versions'];

	constructor(private readonly options: NodeWorkspaceOptions) {
		this.versions = options.versions ?? { editor: 'none', appName: 'node', extension: '0.0.0' };
	}

	folders(): readonly WorkspaceFolderInfo[] {
		return this.options.folders;
	}

	isTrusted(): boolean {
		return this.options.trusted ?? true;
	}

	enabledFamilies(): readonly ToolFamily[] {
		return this.options.families ?? ['workspace', 'files', 'git', 'terminal', 'tasks'];
	}
}
