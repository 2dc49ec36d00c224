import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, findOurTool, harness, hasUi, invokeOurTool, SERVER_LABEL, ui, waitFor } from './helpers';

interface Api {
	serverUrl(): string | undefined;
	serverState(): string;
	sessionsByTransport(): { socket: number; tcp: number };
}

function api(): Api {
	const exports = vscode.extensions.getExtension<Api>(EXTENSION_ID)?.exports;
	assert.ok(exports, 'the extension exports its API');
	return exports;
}

/** The state MCP: List Servers shows on our server's row. */
async function listedState(): Promise<string> {
	await ui('runCommand', { title: 'MCP: List Servers' });
	const { rows } = await ui<{ rows: string[] }>('waitForQuickPickRow', { text: SERVER_LABEL, timeoutMs: 10_000 });
	await ui('closeQuickInput');
	return rows.find((row) => row.includes(SERVER_LABEL)) ?? '';
}

// Runs first after activation, in a fresh profile: nothing has started VS Code's MCP client on our server yet.
describe("VS Code's own MCP client, without a manual step", function () {
	this.timeout(120_000);

	before(function () {
		// In restricted mode VS Code asks for workspace trust before starting any MCP server: nothing starts unasked.
		if (!harness.trusted) this.skip();
	});

	after(async () => {
		if (hasUi()) await ui('closeQuickInput');
	});

	it('lists our tools in vscode.lm.tools for agent mode without "Start Server" or "Update Tools"', async () => {
		// No workbench.mcp.startServer here: the extension starts VS Code's client itself once its server runs.
		await waitFor(() => findOurTool('workspace_info'), 'workspace_info in vscode.lm.tools with no manual start', 60_000);
		for (const tool of ['read_file', 'write_file', 'git_status', 'run_command', 'run_task']) {
			assert.ok(findOurTool(tool), `${tool} is in vscode.lm.tools: ${vscode.lm.tools.filter((t) => t.name.startsWith('mcp_')).map((t) => t.name).join(', ')}`);
		}
	});

	it('shows our server checked with its tools in the chat tools picker, with no "Update Tools" row', async function () {
		if (!hasUi()) this.skip();
		await waitFor(() => findOurTool('workspace_info'), 'our tools in vscode.lm.tools', 60_000);
		await vscode.commands.executeCommand('workbench.action.chat.open', { mode: 'agent' });
		// The picker's promise settles only when it closes: not awaited.
		const picker = vscode.commands.executeCommand('workbench.action.chat.configureTools').then(undefined, () => undefined);
		await ui('waitForVisible', { text: 'Configure Tools', scope: 'workbench', timeoutMs: 30_000 });
		const row = await ui<{ text: string }>('waitForVisible', { selector: `.quick-input-widget .monaco-list-row[aria-label*="${SERVER_LABEL}"]`, scope: 'workbench', timeoutMs: 30_000 });
		const { texts } = await ui<{ texts: string[] }>('texts', { selector: '.quick-input-widget .monaco-list-row', scope: 'workbench' });
		await ui('screenshot', { name: 'chat-tools-picker' });
		const checked = await ui<{ texts: string[] }>('texts', { selector: `.quick-input-widget .monaco-list-row[aria-label*="${SERVER_LABEL}"] input[type="checkbox"]:checked, .quick-input-widget .monaco-list-row[aria-label*="${SERVER_LABEL}"][aria-checked="true"], .quick-input-widget .monaco-list-row[aria-label*="${SERVER_LABEL}"] .monaco-custom-toggle.checked`, scope: 'workbench' });
		await ui('press', { key: 'Escape' });
		await picker;
		assert.ok(!texts.some((text) => text.includes('Update Tools')), `the picker offers "Update Tools": ${JSON.stringify(texts)}`);
		assert.ok(row.text.includes(SERVER_LABEL), row.text);
		assert.ok(checked.texts.length > 0, `our server's row is not checked: ${JSON.stringify(texts)}`);
	});

	it('after "MCP Workbench: Restart Server", MCP: List Servers says Running and calls reach the new server', async function () {
		await waitFor(() => findOurTool('workspace_info'), 'our tools in vscode.lm.tools', 60_000);
		const before = api().serverUrl();
		if (hasUi()) await ui('runCommand', { title: 'MCP Workbench: Restart Server' });
		else await vscode.commands.executeCommand('mcpWorkbench.restartServer');
		await waitFor(() => api().serverState() === 'running' && api().serverUrl() !== before, 'a restarted server on a new address', 30_000);
		// VS Code's client is connected to the new server (it only ever reaches us over the private socket).
		await waitFor(() => api().sessionsByTransport().socket >= 1, "VS Code's client connected to the restarted server", 30_000);
		if (hasUi()) {
			const row = await waitFor(async () => {
				const shown = await listedState();
				return shown.includes('Running') ? shown : undefined;
			}, `"${SERVER_LABEL}" Running in MCP: List Servers after the restart`, 30_000);
			await ui('screenshot', { name: 'mcp-list-servers-after-restart' });
			assert.ok(!row.includes('Stopped'), row);
		}
		const info = await invokeOurTool<{ folders: unknown[] }>('workspace_info', {});
		assert.ok(info.folders.length > 0);
		assert.ok(api().sessionsByTransport().socket >= 1, 'the call went through a live session on the restarted server');
	});

	it('"Choose Tool Families…" lists each family with its tools; unchecking Git takes the git tools out of agent mode, checking it brings them back', async function () {
		await waitFor(() => findOurTool('git_status'), 'our git tools in vscode.lm.tools', 60_000);
		if (hasUi()) {
			await ui('runCommand', { title: 'MCP Workbench: Choose Tool Families…' });
			await ui('waitForQuickPickRow', { text: 'Tasks', timeoutMs: 10_000 });
			const { texts } = await ui<{ texts: string[] }>('texts', { selector: '.quick-input-widget .monaco-list-row', scope: 'workbench' });
			await ui('closeQuickInput');
			for (const family of ['Files', 'Git', 'Terminal', 'Tasks']) assert.ok(texts.some((text) => text.includes(family)), `${family} row: ${JSON.stringify(texts)}`);
			assert.ok(texts.some((text) => text.includes('Git') && text.includes('git_commit')), `the Git row names its tools: ${JSON.stringify(texts)}`);
		}
		const all = ['files', 'git', 'terminal', 'tasks'];
		const extensionsBefore = vscode.workspace.getConfiguration('mcpWorkbench').inspect('tools.disabledExtensions')?.globalValue;
		try {
			await vscode.commands.executeCommand('mcpWorkbench.chooseToolFamilies', { families: all.filter((family) => family !== 'git') });
			assert.deepEqual(vscode.workspace.getConfiguration('mcpWorkbench').inspect('tools.families')?.globalValue, ['files', 'terminal', 'tasks']);
			await waitFor(() => !findOurTool('git_status') && !findOurTool('git_commit'), 'the git tools gone from vscode.lm.tools', 30_000);
			assert.ok(findOurTool('read_file') && findOurTool('workspace_info'), 'the other families stay');
		} finally {
			await vscode.commands.executeCommand('mcpWorkbench.chooseToolFamilies', { families: all });
		}
		await waitFor(() => findOurTool('git_status'), 'the git tools back in vscode.lm.tools', 30_000);
		// A switch of families leaves the extensions' switches alone (it once switched every contributing extension off).
		assert.deepEqual(vscode.workspace.getConfiguration('mcpWorkbench').inspect('tools.disabledExtensions')?.globalValue ?? [], extensionsBefore ?? []);
	});
});
