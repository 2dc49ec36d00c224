// The audit list as a fresh install shows it: open on an empty audit, then calls happen and their records appear
// without a reload; also under a filter that first matched nothing. Runs right after activation, before any call
// (index.ts), so the audit is really empty; the calls come from an outside client (the SDK's, through the stdio
// launcher "Connect a Client…" writes), which leaves VS Code's own MCP client for mcpServer.test.ts to start
// through the UI.
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { EXTENSION_ID, harness, hasUi, showPanel, ui, waitFor, workspaceFolder } from './helpers';

async function resultCount(): Promise<string> {
	return (await ui<{ text: string }>('waitForVisible', { selector: '[data-testid="result-count"]', scope: 'webviews' })).text;
}

async function rows(): Promise<string[]> {
	return (await ui<{ texts: string[] }>('texts', { selector: '[data-testid="audit-row"]', scope: 'webviews' })).texts;
}

describe('the audit list from empty', function () {
	this.timeout(180_000);
	let client: Client | undefined;
	let clientId: string | undefined;
	const token = 'live-audit-token';

	before(function () {
		if (!hasUi() || !harness.trusted) this.skip();
	});

	after(async () => {
		await client?.close().catch(() => undefined);
		if (clientId) await vscode.commands.executeCommand('mcpWorkbench.revokeClient', { id: clientId }).then(undefined, () => undefined);
		if (hasUi() && harness.trusted) {
			rmSync(join(workspaceFolder(), '.mcp.json'), { force: true });
			rmSync(join(workspaceFolder(), `${token}.txt`), { force: true });
		}
	});

	it('shows records as calls happen, without a reload, starting from an empty audit and from a filter that matched nothing', async () => {
		await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
		await showPanel();
		await waitFor(async () => /^0 records$/.test(await resultCount()), 'the fresh audit to say "0 records" (this suite must run before any tool call)');
		assert.deepEqual(await rows(), []);
		await ui('screenshot', { name: 'audit-empty' });

		const connected = await vscode.commands.executeCommand<{ clientId: string; path: string } | undefined>('mcpWorkbench.connectClient', { client: 'claude-code', scope: 'project', name: 'IT Live Audit', confirmed: true });
		assert.ok(connected, 'Connect a Client… wrote the project\'s .mcp.json');
		clientId = connected.clientId;
		const entry = (JSON.parse(await readFile(connected.path, 'utf8')) as { mcpServers: Record<string, { command: string; args: string[] }> }).mcpServers['mcp-workbench'];
		// The client has what it needs; gone at once, VS Code does not start a connection of its own through it.
		rmSync(connected.path, { force: true });
		client = new Client({ name: 'it-live-audit', version: '1' });
		const env = Object.fromEntries(Object.entries(process.env).filter((pair): pair is [string, string] => pair[1] !== undefined));
		await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, cwd: workspaceFolder(), env, stderr: 'pipe' }));

		// Reads run without asking: each call is one new record.
		const first = await client.callTool({ name: 'workspace_info', arguments: {} });
		assert.equal(first.isError, undefined);
		await waitFor(async () => (await rows()).some((row) => row.includes('workspace_info')), 'the first record in the list that opened empty', 20_000);
		assert.match(await resultCount(), /^1 record$/);

		// A filter that matches nothing, then a call it matches.
		await ui('fill', { selector: '[data-testid="text-filter"] input', value: token, scope: 'webviews' });
		await waitFor(async () => /^0 records$/.test(await resultCount()), `the filter "${token}" to match nothing`);
		writeFileSync(join(workspaceFolder(), `${token}.txt`), 'read while the filter matched nothing\n');
		const second = await client.callTool({ name: 'read_file', arguments: { path: `${token}.txt` } });
		assert.equal(second.isError, undefined);
		await waitFor(async () => (await rows()).some((row) => row.includes('read_file') && row.includes(token)), 'the matching record under the filter that matched nothing', 20_000);
		assert.match(await resultCount(), /^1 record$/);
		await ui('screenshot', { name: 'audit-live-filtered' });
		await ui('fill', { selector: '[data-testid="text-filter"] input', value: '', scope: 'webviews' });
		await waitFor(async () => /^2 records$/.test(await resultCount()), 'both records once the filter is cleared');
	});
});
