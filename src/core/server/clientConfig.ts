// "Copy Client Configuration…", the fallback to "Connect a Client…" for clients that speak HTTP: a snippet naming the
// server's live address, with the token left out. Each client reads it from where that client documents a secret
// may come from, so the snippet can sit in a file (or a repository) without handing anyone the workspace's tools.
// The token is given to the user apart from the snippet.

/** The environment variable the snippets read the token from (Claude Code, Cursor, Codex). */
export const TOKEN_VARIABLE = 'MCP_WORKBENCH_TOKEN';
/** VS Code's mcp.json input that asks for the token once and keeps it in VS Code's secret storage. */
export const TOKEN_INPUT = 'mcp-workbench-token';

export interface ClientConfigInput {
	readonly url: string;
	readonly name?: string;
}

export type ClientKind = 'claude-code' | 'cursor' | 'vscode' | 'codex';

export const CLIENT_KINDS: readonly { readonly kind: ClientKind; readonly label: string; readonly detail: string }[] = [
	{ kind: 'claude-code', label: 'Claude Code', detail: '`.mcp.json` entry; the token from $MCP_WORKBENCH_TOKEN' },
	{ kind: 'cursor', label: 'Cursor', detail: '`.cursor/mcp.json` / `~/.cursor/mcp.json` entry; the token from ${env:MCP_WORKBENCH_TOKEN}' },
	{ kind: 'vscode', label: 'VS Code (another window or profile)', detail: '`.vscode/mcp.json` entry; VS Code asks for the token once and keeps it' },
	{ kind: 'codex', label: 'Codex', detail: '`~/.codex/config.toml` table; the token from $MCP_WORKBENCH_TOKEN (bearer_token_env_var)' },
];

export interface ClientSnippet {
	/** What goes into the client's configuration: no secret in it. */
	readonly text: string;
	/** How that client gets the token, for the message shown with the copy. */
	readonly tokenSource: string;
}

export const SECRET_WARNING =
	'The token lets anyone who has it call your workspace tools under this client\'s name: keep it out of files and repositories. Token and address stop working when the server stops or restarts; "Connect a Client…" writes a configuration that survives both.';

const ENV_SOURCE = `It reads the token from the environment variable ${TOKEN_VARIABLE}: set it in the environment the client starts from (Copy Token copies it).`;

/**
 * The snippet for `kind`. The token is not an input: a snippet cannot leak it. Each syntax is the one the client
 * documents for secrets: Claude Code expands `${VAR}` in .mcp.json headers, Cursor `${env:VAR}`, VS Code prompts for
 * `${input:id}` (password inputs are stored in its secret storage), Codex names the variable in `bearer_token_env_var`.
 */
export function clientConfig(kind: ClientKind, { url, name = 'mcp-workbench' }: ClientConfigInput): ClientSnippet {
	switch (kind) {
		case 'claude-code':
			return {
				text: JSON.stringify({ mcpServers: { [name]: { type: 'http', url, headers: { Authorization: `Bearer \${${TOKEN_VARIABLE}}` } } } }, null, 2),
				tokenSource: ENV_SOURCE,
			};
		case 'cursor':
			return {
				text: JSON.stringify({ mcpServers: { [name]: { url, headers: { Authorization: `Bearer \${env:${TOKEN_VARIABLE}}` } } } }, null, 2),
				tokenSource: ENV_SOURCE,
			};
		case 'vscode':
			return {
				text: JSON.stringify({
					inputs: [{ type: 'promptString', id: TOKEN_INPUT, description: `MCP Workbench token for "${name}"`, password: true }],
					servers: { [name]: { type: 'http', url, headers: { Authorization: `Bearer \${input:${TOKEN_INPUT}}` } } },
				}, null, 2),
				tokenSource: 'VS Code asks for the token the first time it starts the server and keeps it in its secret storage (Copy Token copies it).',
			};
		case 'codex':
			return {
				text: `[mcp_servers.${tomlKey(name)}]\nurl = ${JSON.stringify(url)}\nbearer_token_env_var = ${JSON.stringify(TOKEN_VARIABLE)}\n`,
				tokenSource: ENV_SOURCE,
			};
	}
}

function tomlKey(key: string): string {
	return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}
