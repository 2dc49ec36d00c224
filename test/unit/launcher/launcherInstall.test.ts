import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { installLauncher } from '../../../src/node/discovery/launcherInstall';
import { buildLauncher } from '../helpers/launcher';

describe('launcher installation', { skip: process.platform === 'win32' }, () => {
	let root: string;
	let bundle: string;
	before(async () => {
		root = await mkdtemp(join(tmpdir(), 'mcpwb-install-'));
		bundle = await buildLauncher();
	});
	after(async () => {
		await rm(root, { recursive: true, force: true });
	});

	test('copies the bundle beside a shim in a private bin folder, at a path that does not depend on the extension\'s', async () => {
		const installed = await installLauncher(root, bundle, process.execPath);
		assert.equal(installed.command, join(root, 'bin', 'mcp-workbench-stdio'));
		assert.equal((await stat(join(root, 'bin'))).mode & 0o777, 0o700);
		assert.equal((await stat(installed.command)).mode & 0o777, 0o700);
		assert.equal((await stat(installed.script)).mode & 0o777, 0o600);
		const again = await installLauncher(root, bundle, process.execPath);
		assert.deepEqual(again, installed);
	});

	test('the shim runs the launcher with the node on PATH, and with the editor\'s runtime when PATH has none', async () => {
		const { command } = await installLauncher(root, bundle, process.execPath);
		const withNode = spawnSync(command, ['--help'], { encoding: 'utf8', env: { PATH: `${join(process.execPath, '..')}:/usr/bin:/bin` } });
		assert.equal(withNode.status, 0, withNode.stderr);
		assert.match(withNode.stderr, /Usage: mcp-workbench-stdio --client <id>/);
		const withoutNode = spawnSync(command, ['--help'], { encoding: 'utf8', env: { PATH: join(root, 'nothing-here') } });
		assert.equal(withoutNode.status, 0, withoutNode.stderr);
		assert.match(withoutNode.stderr, /Usage: mcp-workbench-stdio --client <id>/);
	});
});
