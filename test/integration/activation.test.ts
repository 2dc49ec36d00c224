import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, harness, waitFor } from './helpers';

const COMMANDS = [
	'mcpWorkbench.startServer',
	'mcpWorkbench.stopServer',
	'mcpWorkbench.restartServer',
	'mcpWorkbench.showConnectionInfo',
	'mcpWorkbench.copyClientConfig',
	'mcpWorkbench.showLog',
	'mcpWorkbench.verifyAudit',
];

describe('activation', () => {
	it('runs the installed VSIX, not a development copy', () => {
		const extension = vscode.extensions.getExtension(EXTENSION_ID);
		assert.ok(extension, `${EXTENSION_ID} is not installed`);
		if (harness.extensionsDir) {
			const relative = path.relative(harness.extensionsDir, extension.extensionUri.fsPath);
			assert.ok(!relative.startsWith('..') && !path.isAbsolute(relative), `${extension.extensionUri.fsPath} is outside ${harness.extensionsDir}`);
		}
	});

	it('opens the workspace with the trust the run asked for', () => {
		assert.equal(vscode.workspace.isTrusted, harness.trusted);
	});

	it('activates by itself on startup and registers its commands', async () => {
		const extension = vscode.extensions.getExtension(EXTENSION_ID);
		// No activate() call here: onStartupFinished must do it.
		await waitFor(() => extension?.isActive, `${EXTENSION_ID} to activate (onStartupFinished)`, 60_000);
		const commands = new Set(await vscode.commands.getCommands(true));
		assert.deepEqual(COMMANDS.filter((id) => !commands.has(id)), [], 'commands missing after activation');
	});
});
