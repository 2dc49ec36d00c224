import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ensureServerStarted, harness, invokeOurToolText } from './helpers';

// Reads of the git family through VS Code's own MCP client (mutations are covered by the approvals suite).
describe('git through VS Code', function () {
	this.timeout(120_000);

	before(async function () {
		if (!harness.trusted) this.skip();
		await ensureServerStarted();
	});

	it('reports status and the working-tree diff through vscode.lm.invokeTool', async () => {
		const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
		assert.ok(folder);
		writeFileSync(join(folder, 'docs', 'notes.md'), 'a line changed by the git suite\n');
		const status = await invokeOurToolText('git_status', {});
		assert.equal(status.isError, false, status.text);
		const parsed = JSON.parse(status.text) as { branch?: string; unstaged: { path: string }[] };
		assert.ok(parsed.unstaged.some((entry) => entry.path === 'docs/notes.md'), status.text);
		const diff = await invokeOurToolText('git_diff', { paths: ['docs/notes.md'] });
		assert.equal(diff.isError, false, diff.text);
		assert.match(diff.text, /\+a line changed by the git suite/);
	});
});
