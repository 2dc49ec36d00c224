// "Copy Client Configuration…": each client's snippet holds no secret, reads the token the way that client documents,
// and, resolved as that client resolves it, connects a real MCP client to a real server under the copied token's name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parse as parseToml } from 'smol-toml';
import { CLIENT_KINDS, clientConfig, TOKEN_INPUT, TOKEN_VARIABLE } from '../../../../src/core/server/clientConfig';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';

interface HttpEntry {
	readonly url: string;
	readonly headers: Record<string, string>;
}

/** What the client does with the entry: substitutes its variables, the way its documentation says. */
type Resolve = (text: string) => string;

// Claude Code (.mcp.json): `${VAR}` and `${VAR:-default}`; an unset variable without a default stays as written.
const claudeCode = (env: Record<string, string>): Resolve => (text) =>
	text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string, fallback?: string) => env[name] ?? fallback ?? whole);
// Cursor (mcp.json): `${env:NAME}`.
const cursor = (env: Record<string, string>): Resolve => (text) => text.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_whole, name: string) => env[name] ?? '');
// VS Code (mcp.json): `${input:id}`, answered by the user when the server first starts.
const vscodeInputs = (answers: Record<string, string>): Resolve => (text) => text.replace(/\$\{input:([^}]+)\}/g, (whole, id: string) => answers[id] ?? whole);

async function connect(entry: HttpEntry): Promise<Client> {
	const client = new Client({ name: 'snippet-client', version: '1' });
	await client.connect(new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers } }));
	return client;
}

describe('Copy Client Configuration: snippets read the token from the client\'s own secret source', () => {
	let wb: TestWorkbench;
	before(async () => {
		wb = await startWorkbench({ sandbox: 'none' });
	});
	after(async () => {
		await wb.close();
	});

	test('no snippet holds the token or any bearer value; each names where the token comes from', () => {
		const { token } = wb.server.mintToken('Snippet check');
		for (const { kind } of CLIENT_KINDS) {
			const snippet = clientConfig(kind, { url: wb.url });
			assert.ok(!snippet.text.includes(token), kind);
			assert.ok(!/Bearer [A-Za-z0-9_-]{16,}/.test(snippet.text), `${kind}: ${snippet.text}`);
			assert.ok(snippet.text.includes(wb.url), kind);
			assert.match(snippet.tokenSource, kind === 'vscode' ? /asks for the token/ : new RegExp(TOKEN_VARIABLE));
		}
	});

	test('Claude Code: .mcp.json with ${MCP_WORKBENCH_TOKEN} in the header connects once the variable is set, and is refused without it', async () => {
		const { token } = wb.server.mintToken('Claude Code copy');
		const text = clientConfig('claude-code', { url: wb.url }).text;
		const entry = (JSON.parse(text) as { mcpServers: Record<string, HttpEntry & { type: string }> }).mcpServers['mcp-workbench'];
		assert.equal(entry.type, 'http');
		assert.equal(entry.headers.Authorization, `Bearer \${${TOKEN_VARIABLE}}`);
		const resolved = JSON.parse(claudeCode({ [TOKEN_VARIABLE]: token })(text)) as { mcpServers: Record<string, HttpEntry> };
		const client = await connect(resolved.mcpServers['mcp-workbench']);
		await client.callTool({ name: 'workspace_info', arguments: {} });
		assert.equal(wb.records.at(-1)?.client?.name, 'Claude Code copy');
		await client.close();
		// Unset, Claude Code sends the text as written: the server refuses it.
		const unset = JSON.parse(claudeCode({})(text)) as { mcpServers: Record<string, HttpEntry> };
		await assert.rejects(connect(unset.mcpServers['mcp-workbench']));
	});

	test('Cursor: ${env:MCP_WORKBENCH_TOKEN} in the header connects under the copied token\'s name', async () => {
		const { token } = wb.server.mintToken('Cursor copy');
		const text = clientConfig('cursor', { url: wb.url }).text;
		assert.ok(text.includes(`\${env:${TOKEN_VARIABLE}}`), text);
		const resolved = JSON.parse(cursor({ [TOKEN_VARIABLE]: token })(text)) as { mcpServers: Record<string, HttpEntry> };
		const client = await connect(resolved.mcpServers['mcp-workbench']);
		await client.callTool({ name: 'workspace_info', arguments: {} });
		assert.equal(wb.records.at(-1)?.client?.name, 'Cursor copy');
		await client.close();
	});

	test('VS Code: a password input the header names; the answer connects', async () => {
		const { token } = wb.server.mintToken('VS Code copy');
		const text = clientConfig('vscode', { url: wb.url }).text;
		const config = JSON.parse(text) as { inputs: { type: string; id: string; password: boolean }[]; servers: Record<string, HttpEntry & { type: string }> };
		assert.deepEqual(config.inputs.map(({ type, id, password }) => ({ type, id, password })), [{ type: 'promptString', id: TOKEN_INPUT, password: true }]);
		assert.equal(config.servers['mcp-workbench'].headers.Authorization, `Bearer \${input:${TOKEN_INPUT}}`);
		const resolved = JSON.parse(vscodeInputs({ [TOKEN_INPUT]: token })(text)) as typeof config;
		const client = await connect(resolved.servers['mcp-workbench']);
		await client.callTool({ name: 'workspace_info', arguments: {} });
		assert.equal(wb.records.at(-1)?.client?.name, 'VS Code copy');
		await client.close();
	});

	test('Codex: a TOML table naming the variable in bearer_token_env_var; Codex sends it as a bearer token', async () => {
		const { token } = wb.server.mintToken('Codex copy');
		const table = (parseToml(clientConfig('codex', { url: wb.url }).text) as { mcp_servers: Record<string, { url: string; bearer_token_env_var: string }> }).mcp_servers['mcp-workbench'];
		assert.deepEqual({ ...table }, { url: wb.url, bearer_token_env_var: TOKEN_VARIABLE });
		const env: Record<string, string> = { [TOKEN_VARIABLE]: token };
		const client = await connect({ url: table.url, headers: { Authorization: `Bearer ${env[table.bearer_token_env_var]}` } });
		await client.callTool({ name: 'workspace_info', arguments: {} });
		assert.equal(wb.records.at(-1)?.client?.name, 'Codex copy');
		await client.close();
	});
});
