import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ensureServerStarted, harness, hasUi, invokeOurToolText, ui, waitFor } from './helpers';

function git(...args: string[]): string {
	return execFileSync('git', args, { cwd: workspace(), encoding: 'utf8' }).trim();
}

function workspace(): string {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
	if (!folder) throw new Error('no workspace folder open');
	return folder;
}

async function showPanel(): Promise<void> {
	await vscode.commands.executeCommand('mcpWorkbench.panel.focus');
	await ui('waitForVisible', { selector: '[data-testid="audit-list"]', scope: 'webviews' });
}

/** Waits for the approval card of `tool` in the sidebar, and returns the card's text. */
async function waitForCard(tool: string): Promise<string> {
	const { text } = await ui<{ text: string }>('waitForVisible', { selector: `[data-testid="approval-card"]:has-text("${tool}")`, scope: 'webviews', timeoutMs: 60_000 });
	return text;
}

async function auditRows(): Promise<string[]> {
	const { texts } = await ui<{ texts: string[] }>('texts', { selector: '[data-testid="audit-row"]', scope: 'webviews' });
	return texts;
}

// The promise of the design card: a mutating call waits in our sidebar until the user decides, whatever VS Code's
// own confirmation said, and the audit shows both outcomes.
describe('approvals in the sidebar', function () {
	this.timeout(180_000);

	before(function () {
		if (!hasUi() || !harness.trusted) this.skip();
	});

	it('holds a mutating call until Approve is clicked, then runs it', async () => {
		await ensureServerStarted();
		writeFileSync(join(workspace(), 'approved.txt'), 'approved by a person\n');
		const call = invokeOurToolText('git_stage', { paths: ['approved.txt'] });
		let settled = false;
		void call.then(() => (settled = true), () => (settled = true));
		await showPanel();
		const card = await waitForCard('git_stage');
		assert.match(card, /approved\.txt/);
		assert.equal(settled, false, 'the call must wait for the decision');
		assert.equal(git('diff', '--cached', '--name-only'), '', 'nothing staged before approval');
		await ui('screenshot', { name: 'approval-pending' });
		await ui('click', { selector: '[data-testid="approval-card"] [data-testid="approve"]', scope: 'webviews' });
		const result = await call;
		assert.equal(result.isError, false, result.text);
		assert.equal(git('diff', '--cached', '--name-only'), 'approved.txt');
	});

	it('lands a commit the user approved in the sidebar, after its card listed the staged file and opened its diff', async () => {
		const call = invokeOurToolText('git_commit', { message: 'Add approved.txt (approved in the sidebar)\n\nA body line with "quotes".' });
		const card = await waitForCard('git_commit');
		const branch = git('branch', '--show-current');
		assert.match(card, new RegExp(`Branch ${branch} at [0-9a-f]{7}`), card);
		assert.match(card, /A body line with "quotes"\./, 'the message as text, not escaped JSON');
		const { texts: rows } = await ui<{ texts: string[] }>('texts', { selector: '[data-testid="approval-card"] [data-testid="commit-file"]', scope: 'webviews' });
		assert.deepEqual(rows.map((row) => row.replace(/\s+/g, ' ').trim()), ['A approved.txt +1 −0']);
		await ui('screenshot', { name: 'commit-approval' });
		// "Open diff" on the file: VS Code's diff editor, the last commit (nothing) against the staged version.
		await ui('click', { selector: '[data-testid="approval-card"] [data-testid="commit-file-diff"]', scope: 'webviews' });
		const diff = await waitFor(() => {
			const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
			return input instanceof vscode.TabInputTextDiff && input.modified.path.endsWith('/staged/approved.txt') ? input : undefined;
		}, 'a diff editor on approved.txt');
		const staged = await vscode.workspace.openTextDocument(diff.modified);
		assert.equal(staged.getText(), 'approved by a person\n');
		assert.equal((await vscode.workspace.openTextDocument(diff.original)).getText(), '', 'added: nothing before');
		await ui('screenshot', { name: 'commit-file-diff' });
		await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
		await showPanel();
		await ui('click', { selector: '[data-testid="approval-card"] [data-testid="approve"]', scope: 'webviews' });
		const result = await call;
		assert.equal(result.isError, false, result.text);
		assert.equal(git('log', '-1', '--format=%s'), 'Add approved.txt (approved in the sidebar)');
	});

	it('sends the deny reason back to the agent and runs nothing', async () => {
		writeFileSync(join(workspace(), 'denied.txt'), 'never staged\n');
		const call = invokeOurToolText('git_stage', { paths: ['denied.txt'] });
		await waitForCard('git_stage');
		await ui('fill', { selector: '[data-testid="approval-card"] [data-testid="deny-reason"] input', value: 'not this file, please', scope: 'webviews' });
		await ui('click', { selector: '[data-testid="approval-card"] [data-testid="deny"]', scope: 'webviews' });
		const result = await call;
		assert.equal(result.isError, true);
		assert.match(result.text, /not this file, please/);
		assert.equal(git('diff', '--cached', '--name-only'), '', 'the denied call staged nothing');
	});

	it('shows both decisions in the audit history, in dark and light themes', async () => {
		await showPanel();
		const rows = await waitFor(async () => {
			const texts = await auditRows();
			return texts.filter((t) => t.includes('git_')).length >= 3 ? texts : undefined;
		}, 'three git rows in the audit list');
		assert.ok(rows.some((r) => r.includes('git_commit')), rows.join('\n'));
		const labels = await ui<{ texts: string[] }>('texts', { selector: '[data-testid="audit-row"].outcome-denied', scope: 'webviews' });
		assert.ok(labels.texts.some((t) => t.includes('git_stage')), `a denied git_stage row: ${JSON.stringify(rows)}`);
		const config = vscode.workspace.getConfiguration('workbench');
		const before = config.get<string>('colorTheme');
		try {
			for (const [theme, name] of [['Default Dark Modern', 'panel-dark'], ['Default Light Modern', 'panel-light']]) {
				await config.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
				await waitFor(() => (theme.includes('Light') ? vscode.window.activeColorTheme.kind === vscode.ColorThemeKind.Light : vscode.window.activeColorTheme.kind === vscode.ColorThemeKind.Dark), `the ${theme} theme`);
				await ui('screenshot', { name });
			}
		} finally {
			await config.update('colorTheme', before, vscode.ConfigurationTarget.Global);
		}
	});
});
