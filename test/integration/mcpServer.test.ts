import * as assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import { ensureServerStarted, EXTENSION_ID, findOurTool, harness, hasUi, invokeOurTool, SERVER_LABEL, ui, waitFor } from './helpers';

interface WorkspaceInfo {
	folders: { name: string; path: string; uri: string }[];
	trusted: boolean;
}

// In restricted mode VS Code itself asks for workspace trust before it starts any MCP server, and extension tests
// cannot answer that prompt (the workbench refuses dialogs under test).
function skipWhenRestricted(context: Mocha.Context): void {
	if (!harness.trusted) context.skip();
}

describe('MCP server inside VS Code', function () {
	this.timeout(120_000);

	after(async () => {
		if (hasUi()) await ui('closeQuickInput');
	});

	it('is listed in MCP: List Servers', async function () {
		// The list is a quick pick only a window can show; @vscode/test-electron runs have none.
		if (!hasUi()) this.skip();
		// Providers register when their extension activates, so an early listing can miss ours: list again until it shows.
		await waitFor(async () => {
			await ui('runCommand', { title: 'MCP: List Servers' });
			return ui('waitForQuickPickRow', { text: SERVER_LABEL, timeoutMs: 5_000 });
		}, `"${SERVER_LABEL}" in MCP: List Servers`, 60_000);
		await ui('screenshot', { name: 'mcp-list-servers' });
	});

	it('starts, and VS Code\'s own MCP client lists our tools', async function () {
		skipWhenRestricted(this);
		if (hasUi()) {
			// The extension starts VS Code's client by itself once its server runs; Start Server is for when it did not.
			await ui('runCommand', { title: 'MCP: List Servers' });
			const { rows } = await ui<{ rows: string[] }>('waitForQuickPickRow', { text: SERVER_LABEL });
			if (!rows.some((row) => row.includes(SERVER_LABEL) && row.includes('Running'))) {
				await ui('clickQuickPickRow', { text: SERVER_LABEL });
				await ui('clickQuickPickRow', { text: 'Start Server' });
			}
			await ui('closeQuickInput');
		} else {
			await ensureServerStarted();
		}
		// Start Server may return before the tools are listed.
		const tool = await waitFor(() => findOurTool('workspace_info'), 'workspace_info in vscode.lm.tools', 60_000);
		assert.match(tool.name, /^mcp_.+_workspace_info$/);
		if (hasUi()) {
			await ui('runCommand', { title: 'MCP: List Servers' });
			const { rows } = await ui<{ rows: string[] }>('waitForQuickPickRow', { text: SERVER_LABEL });
			assert.ok(rows.some((row) => row.includes(SERVER_LABEL) && row.includes('Running')), `"${SERVER_LABEL}" is not Running in ${JSON.stringify(rows)}`);
			await ui('screenshot', { name: 'mcp-server-running' });
			await ui('closeQuickInput');
		}
	});

	it('answers workspace_info through vscode.lm.invokeTool with the open folders', async function () {
		skipWhenRestricted(this);
		await ensureServerStarted();
		const info = await invokeOurTool<WorkspaceInfo>('workspace_info', {});
		const real = (p: string) => realpathSync(p);
		const expected = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ name: folder.name, path: real(folder.uri.fsPath), uri: folder.uri.toString() }));
		assert.ok(expected.length > 0, 'the test window has no workspace folder');
		if (harness.workspace) assert.deepEqual(expected.map((folder) => folder.path), [real(harness.workspace)], 'the window opened another folder');
		assert.deepEqual(info.folders.map((folder) => ({ name: folder.name, path: real(folder.path), uri: folder.uri })), expected);
		assert.equal(info.trusted, vscode.workspace.isTrusted);
	});

	it("connects VS Code's own client over the private Unix socket (1.105 and later)", async function () {
		skipWhenRestricted(this);
		if (process.platform === 'win32') this.skip();
		await ensureServerStarted();
		const api = vscode.extensions.getExtension<{ sessionsByTransport(): { socket: number; tcp: number } }>(EXTENSION_ID)?.exports;
		assert.ok(api, 'the extension exports its API');
		const sessions = api.sessionsByTransport();
		assert.ok(sessions.socket >= 1, `sessions by transport: ${JSON.stringify(sessions)}`);
		assert.equal(sessions.tcp, 0, 'nothing else is connected over TCP');
	});
});
