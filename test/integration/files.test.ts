import * as assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { flipsSoFar, startFlipper, stop } from '../unit/helpers/flipper';
import { ensureServerStarted, harness, hasUi, invokeOurToolText, ui, waitFor } from './helpers';

function workspaceFile(relative: string): string {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
	if (!folder) throw new Error('no workspace folder open');
	return join(folder, relative);
}

// The file tools through VS Code's own MCP client, and an edit that goes through the editor so undo works.
describe('workspace files through VS Code', function () {
	this.timeout(180_000);

	before(async function () {
		if (!harness.trusted) this.skip();
		await ensureServerStarted();
	});

	it('reads a file through vscode.lm.invokeTool', async () => {
		const result = await invokeOurToolText('read_file', { path: 'src/greet.js' });
		assert.equal(result.isError, false, result.text);
		assert.match(result.text, /function greet\(name\)/);
		assert.match(result.text, /module\.exports = \{ greet \}/);
	});

	it('searches text through vscode.lm.invokeTool with the bundled ripgrep', async () => {
		const result = await invokeOurToolText('search_text', { query: 'Hello, ${name}', regex: false });
		assert.equal(result.isError, false, result.text);
		assert.match(result.text, /src\/greet\.js/);
		assert.doesNotMatch(result.text, /node_modules/);
	});

	it('applies an edit approved in the sidebar to the open editor, and undo reverts it', async function () {
		if (!hasUi()) this.skip();
		const uri = vscode.Uri.file(workspaceFile('src/greet.js'));
		const document = await vscode.workspace.openTextDocument(uri);
		await vscode.window.showTextDocument(document);
		const original = document.getText();
		const call = invokeOurToolText('edit_file', { path: 'src/greet.js', edits: [{ oldText: 'Hello, ${name}!', newText: 'Howdy, ${name}!' }] });
		await vscode.commands.executeCommand('mcpWorkbench.panel.focus');
		const { text } = await ui<{ text: string }>('waitForVisible', { selector: '[data-testid="approval-card"]:has-text("edit_file")', scope: 'webviews', timeoutMs: 60_000 });
		assert.match(text, /Howdy/, 'the card shows the diff');
		assert.equal(document.getText(), original, 'nothing changes before approval');
		await ui('screenshot', { name: 'edit-approval-diff' });
		await ui('click', { selector: '[data-testid="approval-card"] [data-testid="approve"]', scope: 'webviews' });
		const result = await call;
		assert.equal(result.isError, false, result.text);
		assert.match(document.getText(), /Howdy, \$\{name\}!/);
		assert.match(readFileSync(uri.fsPath, 'utf8'), /Howdy/, 'saved to disk');
		await vscode.window.showTextDocument(document);
		await vscode.commands.executeCommand('undo');
		await waitFor(() => document.getText() === original, 'undo to restore the original text', 10_000);
		await document.save();
	});

	it('writes no file outside while a folder on the path is flipped for a link to it (issue 11, VS Code host)', async function () {
		if (process.platform !== 'linux') this.skip();
		const settings = vscode.workspace.getConfiguration('mcpWorkbench');
		// Allowed by policy: only the path jail and the host's write stand between the agent and the folder outside.
		await settings.update('policy.tools', { create_file: 'allow', write_file: 'allow' }, vscode.ConfigurationTarget.Global);
		const outside = mkdtempSync(join(tmpdir(), 'mcpwb-race-outside-'));
		writeFileSync(join(outside, 'victim.txt'), 'outside victim\n');
		const flip = workspaceFile('race-flip');
		const counter = join(outside, '..', `${outside.split('/').pop()}.flips`);
		mkdirSync(flip);
		writeFileSync(join(flip, 'victim.txt'), 'harmless\n');
		const flipper = startFlipper(flip, outside, counter);
		try {
			await waitFor(() => flipsSoFar(counter) >= 500, 'the flipper to start');
			let reached = 0;
			const start = flipsSoFar(counter);
			const giveUp = Date.now() + 60_000;
			for (let i = 0; (flipsSoFar(counter) - start < 2_000 || reached < 10) && Date.now() < giveUp; i++) {
				const [tool, args] = i % 2 === 0
					? ['create_file', { path: `race-flip/new-${i}.txt`, content: 'agent created this\n' }]
					: ['write_file', { path: 'race-flip/victim.txt', content: 'agent wrote this\n' }];
				const result = await invokeOurToolText(tool, args);
				if (!result.isError || /changed while it was being used/.test(result.text)) reached++;
			}
			assert.ok(reached >= 10, `only ${reached} calls reached the write`);
			assert.deepEqual(readdirSync(outside), ['victim.txt'], 'no file was created outside');
			assert.equal(readFileSync(join(outside, 'victim.txt'), 'utf8'), 'outside victim\n', 'the file outside is unchanged');
		} finally {
			await stop(flipper);
			// The flip folder, its link and real sides, and folders the flipper moved aside (`race-flip.stray…`): links first,
			// so removing a folder never follows one out.
			const left = readdirSync(workspaceFile('')).filter((name) => name.startsWith('race-flip')).map((name) => workspaceFile(name));
			for (const path of left) {
				if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) rmSync(path);
			}
			for (const path of left) rmSync(path, { recursive: true, force: true });
			rmSync(outside, { recursive: true, force: true });
			rmSync(counter, { force: true });
			await settings.update('policy.tools', undefined, vscode.ConfigurationTarget.Global);
		}
	});

	it('keeps every one of 20 parallel edits of one file open in an editor (issue 12)', async () => {
		const settings = vscode.workspace.getConfiguration('mcpWorkbench');
		// Allowed by policy, so nothing waits for a person and the edits race for real through WorkspaceEdit and save.
		await settings.update('policy.tools', { edit_file: 'allow' }, vscode.ConfigurationTarget.Global);
		const path = workspaceFile('parallel-edits.txt');
		const lines = Array.from({ length: 20 }, (_, i) => `line ${i}: old`);
		writeFileSync(path, `${lines.join('\n')}\n`);
		const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
		try {
			const results = await Promise.all(lines.map((line, i) => invokeOurToolText('edit_file', { path: 'parallel-edits.txt', edits: [{ oldText: line, newText: `line ${i}: new` }] })));
			// VS Code hands back structuredContent (as JSON) in place of the text when a tool declares an output schema.
			for (const result of results) assert.equal((JSON.parse(result.text) as { applied: boolean }).applied, true, result.text);
			const expected = `${lines.map((_, i) => `line ${i}: new`).join('\n')}\n`;
			assert.equal(document.getText(), expected, 'the editor holds every edit');
			assert.equal(readFileSync(path, 'utf8'), expected, 'and so does the disk');
		} finally {
			await settings.update('policy.tools', undefined, vscode.ConfigurationTarget.Global);
		}
	});
});
