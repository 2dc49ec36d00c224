import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import type { WorkspaceFolderInfo, WorkspaceHost } from '../../core/host/host';
import type { ToolFamily } from '../../core/tools/toolSpec';

/**
 * Workspace facts on VS Code's API. Folder paths are resolved to real paths once per change, so the path jail
 * compares like with like (a workspace opened through a symlink still confines correctly).
 */
export class VsCodeWorkspaceHost implements WorkspaceHost, vscode.Disposable {
	private cached: WorkspaceFolderInfo[] | undefined;
	private readonly subscription = vscode.workspace.onDidChangeWorkspaceFolders(() => (this.cached = undefined));
	readonly versions: WorkspaceHost['versions'];

	constructor(extensionVersion: string, private readonly families: () => readonly ToolFamily[]) {
		this.versions = { editor: vscode.version, appName: vscode.env.appName, extension: extensionVersion };
	}

	folders(): readonly WorkspaceFolderInfo[] {
		this.cached ??= (vscode.workspace.workspaceFolders ?? [])
			.filter((folder) => folder.uri.scheme === 'file')
			.map((folder) => ({ name: folder.name, path: realOrSelf(folder.uri.fsPath), uri: folder.uri.toString(), index: folder.index }));
		return this.cached;
	}

	isTrusted(): boolean {
		return vscode.workspace.isTrusted;
	}

	enabledFamilies(): readonly ToolFamily[] {
		return this.families();
	}

	dispose(): void {
		this.subscription.dispose();
	}
}

function realOrSelf(path: string): string {
	try {
		return realpathSync.native(path);
	} catch {
		return path;
	}
}
