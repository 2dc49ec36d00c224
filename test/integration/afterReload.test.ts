// Runs in the extension host of the reloaded window (the harness reloads it when connectClient.test.ts asks): the
// client connected before the reload, a process outside the window started from the file "Connect a Client…" wrote,
// still works through the same launcher process, its file byte for byte as it was; revoking its token then stops it
// with a message that says so, which only this window's server can know.
import * as assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import * as vscode from 'vscode';
import { AFTER_RELOAD_SUITE, type ExternalCall, type ReloadState } from './reload';
import { EXTENSION_ID, ui, waitFor, windowLoad } from './helpers';
import { isAlive } from '../../src/node/discovery/discovery';

interface Api {
	serverUrl(): string | undefined;
	discoveryFile(): string | undefined;
}

describe(AFTER_RELOAD_SUITE, function () {
	this.timeout(180_000);
	let configFile: string | undefined;

	after(async () => {
		if (configFile) await rm(configFile, { force: true });
	});

	it('the client connected before it still works through the same launcher, its file unchanged; a revocation stops it', async () => {
		const { load, state } = await windowLoad();
		assert.equal(load, 2, 'this test runs after the harness reloaded the window');
		const before = state as unknown as ReloadState;
		configFile = before.configFile;
		// A new extension host, and the old one gone: an answer can only come from this window's server.
		assert.notEqual(process.pid, before.extensionHostPid);
		await waitFor(() => !isAlive(before.extensionHostPid), `the extension host of the first load (pid ${before.extensionHostPid}) to end`, 60_000);
		const api = await vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate();
		// autoStart: the server comes back by itself, on a new address.
		const url = await waitFor(() => api.discoveryFile() !== undefined && api.serverUrl(), 'the server to start in the reloaded window', 60_000);
		assert.notEqual(url, before.serverUrl);

		const after = await ui<ExternalCall>('callStdioClient', { tool: 'workspace_info' });
		assert.equal(after.error, undefined, `the call after the reload failed: ${after.error}\n${after.launcherLog}`);
		assert.equal(after.isError, false, after.text);
		assert.equal(after.pid, before.launcherPid, 'the same launcher process, never restarted by its client');
		assert.equal(after.sha256, before.sha256, 'the configuration file is byte-identical');
		// The launcher's own account: it found the reloaded window's server and replayed the session there.
		assert.ok(after.launcherLog?.includes(`reconnected to ${url} `), `the launcher's log does not say it reconnected to ${url}: ${JSON.stringify(after.launcherLog)}`);

		const revoked = await vscode.commands.executeCommand<string | undefined>('mcpWorkbench.revokeClient', { id: before.clientId });
		assert.equal(revoked, before.name);
		const refused = await ui<ExternalCall>('callStdioClient', { tool: 'workspace_info' });
		assert.match(refused.error ?? refused.text ?? '', new RegExp(`token of "${before.name}" was revoked`));
	});
});
