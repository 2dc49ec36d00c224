import * as vscode from 'vscode';
import type { Connection } from '../node/server/workbenchServer';

export const PROVIDER_ID = 'mcpWorkbench';
export const SERVER_LABEL = 'MCP Workbench';

export interface ProviderSource {
	/** The live connection, starting the server when it is stopped and auto-start allows it. */
	ensureRunning(): Promise<Connection | undefined>;
	current(): Connection | undefined;
	/** Changes when the tool set changes; VS Code re-reads tools/list only then. */
	toolsVersion(): string;
	/** Whether VS Code's client should use the Unix socket / named pipe rather than loopback TCP. */
	preferSocket(): boolean;
}

/**
 * Hands our server to VS Code's own MCP client, so agent mode sees the tools with no configuration. The definition
 * carries the current address and secret; `onDidChangeMcpServerDefinitions` fires whenever either changes.
 */
export class WorkbenchDefinitionProvider implements vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition>, vscode.Disposable {
	private readonly _onDidChange = new vscode.EventEmitter<void>();
	readonly onDidChangeMcpServerDefinitions = this._onDidChange.event;

	constructor(private readonly source: ProviderSource) {}

	/** Called on every start, stop and tool-set change. */
	changed(): void {
		this._onDidChange.fire();
	}

	provideMcpServerDefinitions(): vscode.McpHttpServerDefinition[] {
		return [this.definition(this.source.current())];
	}

	async resolveMcpServerDefinition(definition: vscode.McpHttpServerDefinition): Promise<vscode.McpHttpServerDefinition | undefined> {
		const connection = await this.source.ensureRunning();
		if (!connection) {
			void vscode.window.showWarningMessage('MCP Workbench: the server is stopped. Run "MCP Workbench: Start Server" first.');
			return undefined;
		}
		const live = this.definition(connection);
		definition.uri = live.uri;
		definition.headers = live.headers;
		return definition;
	}

	private definition(connection: Connection | undefined): vscode.McpHttpServerDefinition {
		// Before the first start there is no address yet: resolve fills it in when VS Code starts the server.
		const uri = connection ? this.uriFor(connection) : vscode.Uri.parse('http://127.0.0.1/mcp');
		const headers: Record<string, string> = connection ? { Authorization: `Bearer ${connection.secret}` } : {};
		return new vscode.McpHttpServerDefinition(SERVER_LABEL, uri, headers, this.source.toolsVersion());
	}

	private uriFor(connection: Connection): vscode.Uri {
		if (connection.socketPath && this.source.preferSocket()) {
			return vscode.Uri.from({ scheme: process.platform === 'win32' ? 'pipe' : 'unix', path: connection.socketPath, fragment: '/mcp' });
		}
		return vscode.Uri.parse(connection.url);
	}

	dispose(): void {
		this._onDidChange.dispose();
	}
}
