import * as vscode from 'vscode';
import type { ServerState } from '../core/server/serverState';

export interface StatusModel {
	readonly state: ServerState;
	readonly sessions: number;
	readonly waiting: number;
	/** Which sandbox mode is active and why (sandboxSummary). */
	readonly sandbox: string;
	/** Standing "always allow" grants, as their labels: what runs without asking must show somewhere always visible. */
	readonly grants?: readonly string[];
}

const ICONS: Record<ServerState, string> = { running: '$(plug)', starting: '$(loading~spin)', stopped: '$(debug-disconnect)', error: '$(error)' };

/** One item: the server state, and how many calls wait for approval (those stand out). */
export class StatusBar implements vscode.Disposable {
	private readonly item = vscode.window.createStatusBarItem('mcpWorkbench.status', vscode.StatusBarAlignment.Left, 50);

	constructor() {
		this.item.name = 'MCP Workbench';
		this.item.show();
	}

	update({ state, sessions, waiting, sandbox, grants = [] }: StatusModel): void {
		if (waiting > 0) {
			this.item.text = `$(bell-dot) MCP: ${waiting} waiting`;
			this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
			this.item.command = 'mcpWorkbench.reviewOldest';
			this.item.tooltip = `${waiting} tool call${waiting === 1 ? '' : 's'} waiting for your approval. Click to review.`;
		} else {
			this.item.text = `${ICONS[state]} MCP`;
			this.item.backgroundColor = state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
			this.item.command = 'mcpWorkbench.showConnectionInfo';
			this.item.tooltip = `MCP Workbench: server ${state}${state === 'running' ? `, ${sessions} session${sessions === 1 ? '' : 's'}` : ''}. ${sandbox}`;
		}
		if (grants.length > 0) {
			this.item.text += ` $(shield) ${grants.length}`;
			this.item.tooltip += `\n\nAllowed without asking (${grants.length}):\n${grants.map((grant) => `• ${grant}`).join('\n')}\nRun "MCP Workbench: Revoke All Grants" to end them.`;
		}
		this.item.accessibilityInformation = { label: this.item.tooltip };
	}

	dispose(): void {
		this.item.dispose();
	}
}
