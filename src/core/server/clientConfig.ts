/** Client configurations for connecting other MCP clients to the running server. Each holds the secret. */
export interface ClientConfigInput {
	readonly url: string;
	readonly secret: string;
	readonly name?: string;
}

export type ClientKind = 'claude-code' | 'cursor' | 'vscode';

export const CLIENT_KINDS: readonly { readonly kind: ClientKind; readonly label: string; readonly detail: string }[] = [
	{ kind: 'claude-code', label: 'Claude Code', detail: 'a `claude mcp add --transport http …` command line' },
	{ kind: 'cursor', label: 'Cursor', detail: '`.cursor/mcp.json` / `~/.cursor/mcp.json` entry' },
	{ kind: 'vscode', label: 'VS Code (another window or profile)', detail: '`.vscode/mcp.json` entry' },
];

export const SECRET_WARNING =
	'This configuration contains a token issued to this client: anyone who has it can call your workspace tools under its name. Do not commit or share it. It stops working when the server stops or restarts.';

export function clientConfig(kind: ClientKind, { url, secret, name = 'mcp-workbench' }: ClientConfigInput): string {
	const authorization = `Bearer ${secret}`;
	switch (kind) {
		case 'claude-code':
			return `claude mcp add --transport http ${name} ${url} --header "Authorization: ${authorization}"`;
		case 'cursor':
			return JSON.stringify({ mcpServers: { [name]: { url, headers: { Authorization: authorization } } } }, null, 2);
		case 'vscode':
			return JSON.stringify({ servers: { [name]: { type: 'http', url, headers: { Authorization: authorization } } } }, null, 2);
	}
}
