// A concurrent local process races the server: the path the jail and the policy checked is swapped for a symbolic
// link (to a sensitive file, or to a folder outside the workspace) after prepare() resolved it and before the read
// opens it. A process that may only write the workspace (a sandboxed terminal, a dev container, a build step the agent
// started) must not be able to turn the server into its reader of files it cannot read itself.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { renameSync, rmSync, symlinkSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { PathJail } from '../../../src/core/paths/pathJail';
import { filesResources } from '../../../src/tools/files/resources';
import { filesTools } from '../../../src/tools/files';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { assertNoMarker, denyEveryApproval, MARKERS, newRecords, plantSecrets } from './attack';

/**
 * Flips `path` between a plain entry (a file, or a folder holding secret.txt) and a symbolic link to `target`, each
 * by an atomic rename, as fast as it can, in its own process (a loop here would stop the server's event loop).
 */
function startFlipper(path: string, target: string, content: string, kind: 'file' | 'dir'): ChildProcess {
	const script = `
		const fs = require('node:fs');
		const [path, target, content, kind] = process.argv.slice(1);
		for (let i = 0; ; i++) {
			const a = path + '.a' + (i % 2), b = path + '.b' + (i % 2);
			try { fs.rmSync(a, { recursive: true, force: true }); fs.symlinkSync(target, a); fs.renameSync(a, path); } catch {}
			try {
				fs.rmSync(b, { recursive: true, force: true });
				if (kind === 'dir') { fs.mkdirSync(b); fs.writeFileSync(b + '/secret.txt', content); fs.rmSync(path, { force: true }); }
				else fs.writeFileSync(b, content);
				fs.renameSync(b, path);
			} catch {}
		}`;
	return spawn(process.execPath, ['-e', script, path, target, content, kind], { stdio: 'ignore' });
}

function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.kill('SIGKILL');
	});
}

/**
 * Runs `swap` right after the path jail resolved `absolute` for a call: the moment the checks are done and nothing
 * has been read yet. A racing process can win exactly this window; here it always does.
 */
function swapAfterCheck(jail: PathJail, absolute: string, swap: () => void): { readonly swapped: () => boolean; restore(): void } {
	const original = jail.resolve.bind(jail);
	let done = false;
	const patched: PathJail['resolve'] = async (input, options) => {
		const resolved = await original(input, options);
		if (!done && resolved.absolute === absolute) {
			done = true;
			swap();
		}
		return resolved;
	};
	(jail as { resolve: PathJail['resolve'] }).resolve = patched;
	return { swapped: () => done, restore: () => ((jail as { resolve: PathJail['resolve'] }).resolve = original) };
}

function replaceWithLink(path: string, target: string): void {
	symlinkSync(target, `${path}.lnk`);
	renameSync(`${path}.lnk`, path);
}

describe('security: a symlink swapped in between prepare and read', () => {
	let wb: TestWorkbench;
	let client: Client;
	let app: string;
	before(async () => {
		wb = await startWorkbench({ resources: filesResources, tools: filesTools });
		app = wb.folders[0].path;
		await plantSecrets(app, wb.outside);
		// The user denies everything they are asked.
		denyEveryApproval(wb);
		client = await wb.connect();
	});
	after(() => wb.close());

	const cases = [
		{ name: 'resources/read, file swapped for a link to .env', file: 'swap1.txt', target: () => join(app, '.env'), marker: MARKERS.env, read: (c: Client) => c.readResource({ uri: 'workspace-file://app/swap1.txt' }) },
		{ name: 'resources/read, file swapped for a link outside', file: 'swap2.txt', target: () => join(wb.outside, 'secret.txt'), marker: MARKERS.outside, read: (c: Client) => c.readResource({ uri: 'workspace-file://app/swap2.txt' }) },
		{ name: 'read_file, file swapped for a link to .env', file: 'swap3.txt', target: () => join(app, '.env'), marker: MARKERS.env, read: (c: Client) => c.callTool({ name: 'read_file', arguments: { path: 'swap3.txt' } }) },
		{ name: 'read_file, file swapped for a link outside', file: 'swap4.txt', target: () => join(wb.outside, 'secret.txt'), marker: MARKERS.outside, read: (c: Client) => c.callTool({ name: 'read_file', arguments: { path: 'swap4.txt' } }) },
	];
	for (const { name, file, target, marker, read } of cases) {
		test(`${name}, right after the checks (the race won on purpose)`, async () => {
			const path = join(app, file);
			await writeFile(path, 'harmless\n');
			const hook = swapAfterCheck(wb.host.jail, path, () => replaceWithLink(path, target()));
			try {
				const from = wb.records.length;
				const answer = await read(client).then((result) => JSON.stringify(result), (error: Error) => error.message);
				assert.ok(hook.swapped(), 'the window was reached');
				assert.ok(!answer.includes(marker), `the read returned what the swapped-in link points to: ${answer.slice(0, 300)}`);
				assert.equal(newRecords(wb, from).length, 1);
			} finally {
				hook.restore();
				rmSync(path, { force: true });
			}
		});
	}

	test('resources/read, a checked folder swapped for a link to a folder outside, right after the checks', async () => {
		const dir = join(app, 'swapdir');
		await mkdir(dir);
		await writeFile(join(dir, 'secret.txt'), 'harmless\n');
		const hook = swapAfterCheck(wb.host.jail, join(dir, 'secret.txt'), () => {
			renameSync(dir, `${dir}.old`);
			symlinkSync(wb.outside, dir);
		});
		try {
			const answer = await client.readResource({ uri: 'workspace-file://app/swapdir/secret.txt' }).then((result) => JSON.stringify(result), (error: Error) => error.message);
			assert.ok(hook.swapped(), 'the window was reached');
			assert.ok(!answer.includes(MARKERS.outside), `the read returned a file outside the workspace: ${answer.slice(0, 300)}`);
		} finally {
			hook.restore();
			rmSync(dir, { force: true });
			rmSync(`${dir}.old`, { recursive: true, force: true });
		}
	});

	for (const { kind, entry, target, uri, path, marker } of [
		{ kind: 'file' as const, entry: 'flip.txt', target: () => join(app, '.env'), uri: 'workspace-file://app/flip.txt', path: 'flip.txt', marker: MARKERS.env },
		{ kind: 'dir' as const, entry: 'flipdir', target: () => wb.outside, uri: 'workspace-file://app/flipdir/secret.txt', path: 'flipdir/secret.txt', marker: MARKERS.outside },
	]) {
		test(`a racing process flips ${kind === 'file' ? 'a file and a link to .env' : 'a folder and a link to a folder outside'}: no read returns what the link points to`, { timeout: 60_000 }, async () => {
			const at = join(app, entry);
			if (kind === 'dir') {
				await mkdir(at);
				await writeFile(join(at, 'secret.txt'), 'harmless\n');
			} else {
				await writeFile(at, 'harmless\n');
			}
			const child = startFlipper(at, target(), 'harmless\n', kind);
			try {
				let plain = 0;
				let leaks = 0;
				const deadline = Date.now() + 3_000;
				for (let i = 0; Date.now() < deadline && leaks === 0; i++) {
					const from = wb.records.length;
					const answer = i % 2 === 0
						? await client.readResource({ uri }).then((result) => JSON.stringify(result), (error: Error) => error.message)
						: await client.callTool({ name: 'read_file', arguments: { path } }).then((result) => JSON.stringify(result), (error: Error) => error.message);
					if (answer.includes(marker)) leaks++;
					else if (answer.includes('harmless')) plain++;
					assert.equal(wb.records.length, from + 1, 'one record per read, race or not');
				}
				assert.ok(plain > 0, 'some reads got through: the race had its chance');
				assert.equal(leaks, 0, 'a read returned what a link swapped in after the checks points to');
			} finally {
				await stop(child);
				await rm(at, { recursive: true, force: true });
			}
		});
	}

	test('a link that exists before the read is still refused (the static case the jail handles)', async () => {
		await symlink(join(app, '.env'), join(app, 'static-link'));
		await assert.rejects(client.readResource({ uri: 'workspace-file://app/static-link' }), (error: Error) => {
			assertNoMarker(error.message, 'static link');
			return true;
		});
	});
});
