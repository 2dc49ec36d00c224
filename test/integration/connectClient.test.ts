// "Connect a Client…" end to end in the real editor: the command writes a client's configuration (Claude Code's
// project file, .mcp.json), an MCP client started from that file (the SDK's, over stdio, as Claude Code starts it)
// keeps working across a server restart without its file changing, and revoking its token stops it with a message
// that says so. The window reload is the second test here and afterReload.test.ts: a client outside the window (in
// the harness) is connected before the reload and called after it.
import * as assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { EXTENSION_ID, harness, hasUi, ui, waitFor } from './helpers';
import { AFTER_RELOAD_SUITE, type ExternalCall, type ReloadState } from './reload';

interface ConnectResult {
	readonly clientId: string;
	readonly name: string;
	readonly path: string;
	readonly tools: number;
}

interface Api {
	serverUrl(): string | undefined;
	discoveryFile(): string | undefined;
}

describe('Connect a Client', function () {
	this.timeout(180_000);
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
	const configFile = join(folder, '.mcp.json');
	let client: Client | undefined;

	after(async () => {
		await client?.close().catch(() => undefined);
		await rm(configFile, { force: true });
	});

	it('connects Claude Code through its .mcp.json; the client survives a restart and is stopped by a revocation', async function () {
		if (!harness.trusted) this.skip();
		const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
		assert.ok(extension, 'the extension is installed');
		// Run alone (MCP_WORKBENCH_GREP), this test can come before activation has finished.
		const api = await extension.activate();

		const result = await vscode.commands.executeCommand<ConnectResult | undefined>('mcpWorkbench.connectClient', { client: 'claude-code', scope: 'project', name: 'IT Claude Code', confirmed: true });
		assert.ok(result, 'the command connected the client (see the log for its error)');
		assert.equal(result.path, configFile);
		assert.ok(result.tools > 0, 'the test connection listed the tools');
		const written = await readFile(configFile, 'utf8');
		const entry = (JSON.parse(written) as { mcpServers: Record<string, { type: string; command: string; args: string[] }> }).mcpServers['mcp-workbench'];
		assert.equal(entry.type, 'stdio');
		assert.deepEqual(entry.args, ['--client', result.clientId]);
		assert.ok(!/Bearer|127\.0\.0\.1/.test(written), 'no secret and no port in the client\'s file');

		// Started as Claude Code starts a project's stdio server: the command and arguments, in the project folder.
		client = new Client({ name: 'claude-code', version: '1' });
		const env = Object.fromEntries(Object.entries(process.env).filter((pair): pair is [string, string] => pair[1] !== undefined));
		await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, cwd: folder, env, stderr: 'pipe' }));
		const first = await client.callTool({ name: 'workspace_info', arguments: {} });
		assert.equal(first.isError, undefined);

		const before = api.serverUrl();
		await vscode.commands.executeCommand('mcpWorkbench.restartServer');
		await waitFor(() => api.serverUrl() !== undefined && api.serverUrl() !== before && api.discoveryFile() !== undefined, 'the server back on a new address');
		const again = await client.callTool({ name: 'workspace_info', arguments: {} });
		assert.equal(again.isError, undefined);
		assert.equal(await readFile(configFile, 'utf8'), written, 'the configuration did not change');

		const revoked = await vscode.commands.executeCommand<string | undefined>('mcpWorkbench.revokeClient', { id: result.clientId });
		assert.equal(revoked, 'IT Claude Code');
		await assert.rejects(client.callTool({ name: 'workspace_info', arguments: {} }), /token of "IT Claude Code" was revoked/);
	});
});

describe('Connect a Client across a window reload', function () {
	this.timeout(180_000);

	it('connects a client outside the window through .mcp.json and asks the harness to reload the window', async function () {
		// The reload is the harness's (Playwright reloads the page); VS Code desktop has no window to drive.
		if (!harness.trusted || !hasUi()) this.skip();
		const api = await vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate();
		const result = await vscode.commands.executeCommand<ConnectResult | undefined>('mcpWorkbench.connectClient', { client: 'claude-code', scope: 'project', name: 'IT Reload Client', confirmed: true });
		assert.ok(result, 'the command connected the client (see the log for its error)');
		// Claude Code as a user runs it: its own process (the harness's), started from the file Connect a Client wrote.
		const started = await ui<{ tools: number; pid: number; sha256: string }>('startStdioClient', { configFile: result.path, server: 'mcp-workbench' });
		assert.ok(started.tools > 0, 'the external client listed the tools');
		const first = await ui<ExternalCall>('callStdioClient', { tool: 'workspace_info' });
		assert.equal(first.error, undefined, first.launcherLog);
		assert.equal(first.isError, false);
		const serverUrl = api.serverUrl();
		assert.ok(serverUrl);
		const state: ReloadState = { clientId: result.clientId, name: result.name, configFile: result.path, sha256: started.sha256, launcherPid: started.pid, extensionHostPid: process.pid, serverUrl };
		await ui('reloadAfterSuite', { grep: AFTER_RELOAD_SUITE, state });
	});
});
