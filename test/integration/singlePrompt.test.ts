import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ensureServerStarted, harness, hasUi, invokeOurToolText, ui } from './helpers';

// Under test VS Code's dialogs answer themselves; each one it asks for still logs this line in the window's console.
const VSCODE_DIALOG = 'Dialog requested during smoke test';

function workspace(): string {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
	if (!folder) throw new Error('no workspace folder open');
	return folder;
}

async function vscodeDialogs(): Promise<number> {
	return (await ui<{ count: number }>('consoleCount', { text: VSCODE_DIALOG })).count;
}

/** Runs write_file and approves our card; returns how many prompts VS Code itself raised meanwhile. */
async function writeApprovedOnOurCard(path: string): Promise<number> {
	const before = await vscodeDialogs();
	const call = invokeOurToolText('write_file', { path, content: 'asked once\n' });
	call.catch(() => undefined);
	await vscode.commands.executeCommand('mcpWorkbench.panel.focus');
	await ui('waitForVisible', { selector: `[data-testid="approval-card"]:has-text("${path}")`, scope: 'webviews', timeoutMs: 60_000 });
	const asked = (await vscodeDialogs()) - before;
	await ui('click', { selector: '[data-testid="approval-card"] [data-testid="approve"]', scope: 'webviews' });
	const result = await call;
	assert.equal(result.isError, false, result.text);
	assert.ok(existsSync(join(workspace(), path)), `${path} was written`);
	return asked;
}

describe("one prompt per call for VS Code's own client", function () {
	this.timeout(180_000);

	before(function () {
		if (!hasUi() || !harness.trusted) this.skip();
	});

	after(async () => {
		if (hasUi()) await ui('closeQuickInput');
	});

	it('a write our gate asks for is asked twice (VS Code, then our card), and our command opens VS Code\'s per-server approval with "MCP Workbench"', async () => {
		await ensureServerStarted();
		assert.equal(await writeApprovedOnOurCard('single-prompt-before.txt'), 1, "VS Code's confirmation came before our card");
		await ui('runCommand', { title: 'MCP Workbench: Ask Once per Call in Agent Mode (Manage Tool Approval)…' });
		await ui('waitForVisible', { selector: '.quick-input-widget .monaco-list-row[aria-label*="workbench" i]', scope: 'workbench', timeoutMs: 30_000 });
		await ui('screenshot', { name: 'single-prompt-manage-tool-approval' });
		await ui('closeQuickInput');
	});

	// Not yet driven: in 1.139 the server row of that tree has no checkbox of its own; the allowance is the
	// "all tools from this server" child row under it (expand first). Seen by hand in the screenshot above.
	it.skip('once "MCP Workbench" is allowed there, the same write asks once: on our card', async () => {
		assert.equal(await writeApprovedOnOurCard('single-prompt-after.txt'), 0, 'VS Code asked again although the server is allowed');
	});
});
