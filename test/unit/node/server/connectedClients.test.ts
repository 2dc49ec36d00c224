// Tokens of clients connected through "Connect a Client…": named, kept across server restarts in the vault, and
// revocable, a revoked client being told so. And the answer an HTTP+SSE (2024-11-05) client gets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ClientTokens, memoryVault } from '../../../../src/node/server/clientTokens';
import { initializeBody, rawRequest } from '../../helpers/rawHttp';
import { mcpHeaders } from '../../helpers/rawMcp';
import { waitFor } from '../../helpers/waitFor';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';

function initialize(url: string, token: string) {
	return rawRequest({ url }, { headers: mcpHeaders(token, { host: new URL(url).host }), body: initializeBody });
}

describe('connected clients\' tokens', () => {
	let wb: TestWorkbench;
	before(async () => {
		wb = await startWorkbench({ sandbox: 'none' });
	});
	after(async () => {
		await wb.close();
	});

	test('a connected client\'s token survives a restart; a copied configuration\'s does not', async () => {
		const connected = await wb.server.tokens.connect('Claude Desktop');
		const copied = wb.server.mintToken('Cursor snippet');
		await wb.server.restart();
		const url = wb.server.current?.url ?? '';
		assert.equal((await initialize(url, connected.token)).status, 200);
		assert.equal((await initialize(url, copied.token)).status, 401);
	});

	test('the card and the audit name the connected client\'s token, not what the client says', async () => {
		const connected = await wb.server.tokens.connect('Codex');
		const client = new Client({ name: 'workbench', version: '1' });
		await client.connect(new StreamableHTTPClientTransport(new URL(wb.server.current?.url ?? ''), { requestInit: { headers: { Authorization: `Bearer ${connected.token}` } } }));
		await client.callTool({ name: 'workspace_info', arguments: {} });
		assert.deepEqual(wb.records.at(-1)?.client, { name: 'Codex', version: '1', says: 'workbench' });
		await client.close();
	});

	test('a revoked client is refused with a 401 that says it was revoked, also in a session it already had', async () => {
		const connected = await wb.server.tokens.connect('Copilot CLI');
		const client = new Client({ name: 'copilot', version: '1' });
		await client.connect(new StreamableHTTPClientTransport(new URL(wb.server.current?.url ?? ''), { requestInit: { headers: { Authorization: `Bearer ${connected.token}` } } }));
		await wb.server.tokens.revoke(connected.id);
		await assert.rejects(client.callTool({ name: 'workspace_info', arguments: {} }), /revoked/);
		const refused = await initialize(wb.server.current?.url ?? '', connected.token);
		assert.equal(refused.status, 401);
		assert.match(JSON.parse(refused.body).error.message, /The token of "Copilot CLI" was revoked in MCP Workbench .*Connect a Client/);
		assert.equal(wb.server.tokens.clients().some((c) => c.id === connected.id), false);
		await client.close().catch(() => undefined);
	});

	// VS Code reads a workspace's .mcp.json (Claude Code's project file) and offers to start what is in it: with our
	// entry, VS Code would list every tool twice and its calls would be carded and audited as Claude Code's.
	test('VS Code opening a session with a credential connected for another client is refused, saying why; nothing else is', async () => {
		const url = new URL(wb.server.current?.url ?? '');
		const connectAs = async (token: string, says: string) => {
			const client = new Client({ name: says, version: '1.139.1' });
			await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
			return client;
		};
		const claudeCode = await wb.server.tokens.connect('Claude Code', 'claude-code');
		const sessionsBefore = wb.server.sessionCount;
		const recordsBefore = wb.records.length;
		for (const editor of ['Visual Studio Code', 'Visual Studio Code - Insiders', 'code-server', 'VSCodium']) {
			await assert.rejects(connectAs(claudeCode.token, editor), new RegExp(`${editor} started the entry that .*Connect a Client.* wrote for Claude Code .*built into VS Code already`));
		}
		// Whole, as the launcher relays it to VS Code, which shows it on the server's entry.
		const raw = await rawRequest({ url: url.href }, { headers: mcpHeaders(claudeCode.token, { host: url.host }), body: initializeBody.replace('"name":"raw"', '"name":"Visual Studio Code"') });
		assert.equal(raw.status, 403);
		assert.equal(JSON.parse(raw.body).error.message, 'Visual Studio Code started the entry that "Connect a Client…" wrote for Claude Code ("Claude Code"): VS Code also reads a workspace\'s .mcp.json and other clients\' files. MCP Workbench is built into VS Code already (the server "MCP Workbench"), so this second copy is refused: its tools would be listed twice, and its calls recorded as "Claude Code"\'s. Stop or hide this entry in VS Code (MCP: List Servers); Claude Code goes on using it.');
		assert.equal(wb.server.sessionCount, sessionsBefore, 'no session was opened');
		assert.equal(wb.records.length, recordsBefore, 'nothing ran');

		// The same credential in the client it was made for; VS Code with one made for VS Code; and a credential that
		// does not say what it is for (saved before kinds were kept, or a copied snippet): all admitted.
		const admitted = [
			await connectAs(claudeCode.token, 'claude-code'),
			await connectAs((await wb.server.tokens.connect('Other window', 'vscode')).token, 'Visual Studio Code'),
			await connectAs((await wb.server.tokens.connect('Old credential')).token, 'Visual Studio Code'),
			await connectAs(wb.server.mintToken('Snippet').token, 'Visual Studio Code'),
		];
		for (const client of admitted) {
			assert.equal((await client.callTool({ name: 'workspace_info', arguments: {} })).isError, undefined);
			await client.close();
		}
	});

	test('the stateless revision (2026-07-28) refuses the same: each request says who sent it', async () => {
		const url = new URL(wb.server.current?.url ?? '');
		const claudeCode = await wb.server.tokens.connect('Claude Code (stateless)', 'claude-code');
		const recordsBefore = wb.records.length;
		const callAs = (says: string) => rawRequest({ url: url.href }, {
			headers: { ...mcpHeaders(claudeCode.token, { host: url.host }), 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'workspace_info' },
			body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'workspace_info', arguments: {}, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: says, version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} } } }),
		});
		const refused = await callAs('Visual Studio Code');
		assert.equal(refused.status, 403, refused.body);
		assert.match(JSON.parse(refused.body).error.message, /Visual Studio Code started the entry that "Connect a Client…" wrote for Claude Code/);
		assert.equal(wb.records.length, recordsBefore, 'the call did not run');
		const served = await callAs('claude-code');
		assert.equal(served.status, 200, served.body);
		await waitFor(() => wb.records.length > recordsBefore, 'the served call\'s record');
	});

	test('which client a credential was made for survives the vault as text, as SecretStorage keeps it', async () => {
		let stored = '';
		const textVault = { load: async () => (stored ? JSON.parse(stored) : { clients: [], revoked: [] }), save: async (contents: object) => void (stored = JSON.stringify(contents)) };
		await new ClientTokens(['VS Code'], textVault).connect('Claude Code', 'claude-code');
		const reread = new ClientTokens(['VS Code'], textVault);
		await reread.reload();
		assert.equal(reread.kindOf('Claude Code'), 'claude-code');
		assert.equal(reread.kindOf('Nobody'), undefined);
	});

	test('names stay unique across connected and copied tokens, and the vault is shared by every instance using it', async () => {
		const vault = memoryVault();
		const one = new ClientTokens(['VS Code'], vault);
		const two = new ClientTokens(['VS Code'], vault);
		const first = await one.connect('Claude Code');
		const second = await two.connect('Claude Code');
		assert.equal(second.name, 'Claude Code (2)');
		await two.reload();
		assert.equal(two.identify(first.token), 'Claude Code');
		await two.revoke(first.id);
		await one.reload();
		assert.equal(one.identify(first.token), undefined);
		assert.match(one.refusal(first.token) ?? '', /revoked/);
		assert.equal((await one.connect('VS Code')).name, 'VS Code (2)');
	});

	test('an HTTP+SSE client hears which transport the server speaks, and where', async () => {
		const url = wb.server.current?.url ?? '';
		const host = new URL(url).host;
		for (const [method, path] of [['GET', '/sse'], ['POST', '/messages'], ['GET', '/mcp']] as const) {
			const res = await rawRequest({ url }, { method, path, headers: { host, accept: 'text/event-stream' } });
			assert.ok(res.status === 404 || res.status === 405, `${method} ${path}: ${res.status}`);
			const message = JSON.parse(res.body).error.message as string;
			assert.ok(message.includes(`Streamable HTTP (protocol 2025-03-26 and later) at ${url}`), message);
			assert.ok(message.includes('stdio launcher'), message);
		}
	});
});
