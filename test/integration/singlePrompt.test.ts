import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ensureServerStarted, harness, hasUi, invokeOurToolText, SERVER_LABEL, ui } from './helpers';

// Under test VS Code's dialogs answer themselves; each one it asks for still logs this line in the window's console.
const VSCODE_DIALOG = 'Dialog requested during smoke test';
const COMMAND_TITLE = 'MCP Workbench: Ask Once per Call in Agent Mode (Manage Tool Approval)…';
// VS Code 1.139's labels in Manage Tool Approval: under a server's row (no checkbox of its own: clicking it closes
// the tree), "Run any tool without approval" is the per-server allowance of the scope shown in the placeholder.
const ALLOW_SERVER = 'Run any tool without approval';
const WORKSPACE_SCOPE = 'Configure workspace tool approvals';
const OFFER = 'VS Code asked before this call and MCP Workbench asks again';
const OFFER_ITEM = `.notifications-center .notification-list-item:has-text("${OFFER}")`;

function workspace(): string {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
	if (!folder) throw new Error('no workspace folder open');
	return folder;
}

async function vscodeDialogs(): Promise<number> {
	return (await ui<{ count: number }>('consoleCount', { text: VSCODE_DIALOG })).count;
}

const card = (path: string) => `[data-testid="approval-card"]:has-text("${path}")`;

/**
 * Starts write_file and waits for our card; checks nothing was written while it waits. Returns the call, and how
 * many prompts VS Code itself raised before our card showed.
 */
async function writeWaitingOnOurCard(path: string): Promise<{ call: Promise<{ isError: boolean; text: string }>; vscodeAsked: number }> {
	const before = await vscodeDialogs();
	const call = invokeOurToolText('write_file', { path, content: 'asked once\n' });
	call.catch(() => undefined);
	await vscode.commands.executeCommand('mcpWorkbench.panel.focus');
	await ui('waitForVisible', { selector: card(path), scope: 'webviews', timeoutMs: 60_000 });
	const vscodeAsked = (await vscodeDialogs()) - before;
	assert.equal(existsSync(join(workspace(), path)), false, `${path} must not exist while our card waits`);
	return { call, vscodeAsked };
}

/** Runs write_file and approves our card; returns how many prompts VS Code itself raised meanwhile. */
async function writeApprovedOnOurCard(path: string): Promise<number> {
	const { call, vscodeAsked } = await writeWaitingOnOurCard(path);
	await ui('click', { selector: `${card(path)} [data-testid="approve"]`, scope: 'webviews' });
	const result = await call;
	assert.equal(result.isError, false, result.text);
	assert.ok(existsSync(join(workspace(), path)), `${path} was written`);
	return vscodeAsked;
}

/** Our command opens Manage Tool Approval on the workspace scope; sets our server's allowance there. */
async function allowOurServer(allowed: boolean): Promise<void> {
	await ui('runCommand', { title: COMMAND_TITLE });
	await ui('waitForVisible', { selector: `.quick-input-widget input[placeholder="${WORKSPACE_SCOPE}"]`, scope: 'workbench', timeoutMs: 30_000 });
	const { checked } = await ui<{ checked: boolean }>('setQuickTreeChild', { parent: SERVER_LABEL, child: ALLOW_SERVER, checked: allowed });
	assert.equal(checked, allowed);
	if (allowed) await ui('screenshot', { name: 'single-prompt-server-allowed' });
	await ui('closeQuickInput');
}

async function offersShown(): Promise<number> {
	await vscode.commands.executeCommand('notifications.showList');
	try {
		return (await ui<{ texts: string[] }>('texts', { selector: OFFER_ITEM, scope: 'workbench' })).texts.length;
	} finally {
		await vscode.commands.executeCommand('notifications.hideList');
	}
}

describe("one prompt per call for VS Code's own client", function () {
	this.timeout(180_000);
	let allowed = false;

	before(function () {
		if (!hasUi() || !harness.trusted) this.skip();
	});

	after(async () => {
		if (!hasUi()) return;
		await vscode.commands.executeCommand('notifications.hideList');
		await ui('closeQuickInput');
		// Later suites expect VS Code's default: its own prompt before our tools.
		if (allowed) await allowOurServer(false);
	});

	it('a write our gate asks for is asked twice (VS Code, then our card), and the first such call offers VS Code\'s Manage Tool Approval', async () => {
		await ensureServerStarted();
		assert.equal(await writeApprovedOnOurCard('single-prompt-before.txt'), 1, "VS Code's confirmation came before our card");
		// Read from the notification center: the toast may have hidden itself by now. An earlier suite's call from
		// VS Code's client may have been the first; either way it is offered once per workspace.
		await vscode.commands.executeCommand('notifications.showList');
		await ui('waitForVisible', { selector: OFFER_ITEM, scope: 'workbench', timeoutMs: 30_000 });
		assert.equal(await offersShown(), 1, 'offered once');
		await vscode.commands.executeCommand('notifications.showList');
		await ui('screenshot', { name: 'single-prompt-offer' });
		await ui('click', { selector: `${OFFER_ITEM} .monaco-button:has-text("Choose in Manage Tool Approval")`, scope: 'workbench' });
		await ui('waitForVisible', { selector: `.quick-input-widget input[placeholder="${WORKSPACE_SCOPE}"]`, scope: 'workbench', timeoutMs: 30_000 });
		await ui('waitForVisible', { selector: `.quick-input-widget .quick-input-tree .monaco-list-row:has-text("${SERVER_LABEL}")`, scope: 'workbench' });
		await ui('screenshot', { name: 'single-prompt-manage-tool-approval' });
		await ui('closeQuickInput');
	});

	it('once "MCP Workbench" is allowed there (our command, workspace scope), the same write asks once: on our card', async () => {
		allowed = true;
		await allowOurServer(true);
		assert.equal(await writeApprovedOnOurCard('single-prompt-after.txt'), 0, 'VS Code asked again although the server is allowed');
		// Its button closed the offer above: one here would be a second offer.
		assert.equal(await offersShown(), 0, 'the offer is not repeated');
	});

	it("VS Code's allowance does not weaken our gate: the write still waits on our card, and a denial writes nothing", async () => {
		assert.ok(allowed, 'runs after the server was allowed');
		const path = 'single-prompt-denied.txt';
		const { call, vscodeAsked } = await writeWaitingOnOurCard(path);
		assert.equal(vscodeAsked, 0);
		await ui('click', { selector: `${card(path)} [data-testid="deny"]`, scope: 'webviews' });
		const result = await call;
		assert.equal(result.isError, true, result.text);
		assert.equal(existsSync(join(workspace(), path)), false, 'the denied write wrote nothing');
	});
});
