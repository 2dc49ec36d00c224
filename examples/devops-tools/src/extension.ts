import { join } from 'node:path';
import * as vscode from 'vscode';
import type { McpWorkbenchExports } from '../../../api/mcp-workbench';
import { devopsTools } from './tools';

const WORKBENCH_ID = 'mcp-workbench.mcp-workbench';

/**
 * Registers the DevOps tools with MCP Workbench. `extensionDependencies` makes VS Code activate MCP Workbench
 * first; its exports hold the API. Each registration goes into context.subscriptions, so disabling or uninstalling
 * this extension takes the tools away (MCP Workbench also removes them itself when the extension goes).
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
	const workbench = vscode.extensions.getExtension<McpWorkbenchExports>(WORKBENCH_ID);
	if (!workbench) {
		void vscode.window.showErrorMessage('DevOps Tools needs the MCP Workbench extension.');
		return;
	}
	const api = (await workbench.activate()).getApi(1);
	const folders = () => (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
	// Application-scoped settings: a workspace cannot point them at a program of its own.
	const program = (key: string, fallback: string) => () => vscode.workspace.getConfiguration('devopsTools').get<string>(key) || fallback;
	const options = { wasmPath: join(context.extensionPath, 'dist', 'sql-wasm.wasm'), folders, docker: program('dockerPath', 'docker'), kubectl: program('kubectlPath', 'kubectl') };
	for (const tool of devopsTools(options)) {
		context.subscriptions.push(api.registerTool(tool));
	}
}

export function deactivate(): void {
	// The registrations are in context.subscriptions.
}
