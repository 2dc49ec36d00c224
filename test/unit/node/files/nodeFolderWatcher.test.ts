// The Node folder watcher reports through one shared sink: each change carries the key its folder was watched under
// and the entry's name, and a disposed watch reports nothing more. Real folders, real inotify; waits are for events.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FolderChangeSink } from '../../../../src/core/host/folderWatcher';
import { nodeFolderWatcher } from '../../../../src/node/files/nodeFolderWatcher';

test('one sink serves every watched folder: changes carry the folder key and the entry name; a disposed watch is silent', async () => {
	const root = await mkdtemp(join(tmpdir(), 'mcpwb-watch-'));
	try {
		await mkdir(join(root, 'a'));
		await mkdir(join(root, 'b'));
		const seen: string[] = [];
		let wake: (() => void) | undefined;
		const sink: FolderChangeSink = {
			changed(key, name) {
				seen.push(`${key}:${name}`);
				wake?.();
			},
			failed(key, error) {
				seen.push(`${key}!${error.message}`);
				wake?.();
			},
		};
		const until = async (condition: () => boolean) => {
			while (!condition()) await new Promise<void>((resolve) => (wake = resolve));
		};
		const a = nodeFolderWatcher.watch(join(root, 'a'), 'pkg/a', sink);
		const b = nodeFolderWatcher.watch(join(root, 'b'), 'pkg/b', sink);
		await writeFile(join(root, 'a', 'one.ts'), 'x');
		await writeFile(join(root, 'b', 'two.ts'), 'x');
		await until(() => seen.includes('pkg/a:one.ts') && seen.includes('pkg/b:two.ts'));
		a.dispose();
		seen.length = 0;
		// Events of one inotify queue arrive in order: once b's later change is here, a's earlier one would have been.
		await writeFile(join(root, 'a', 'three.ts'), 'x');
		await writeFile(join(root, 'b', 'four.ts'), 'x');
		await until(() => seen.includes('pkg/b:four.ts'));
		assert.ok(!seen.some((entry) => entry.startsWith('pkg/a')), `a disposed watch reported: ${seen.join(', ')}`);
		b.dispose();
	} finally {
		await rm(root, { recursive: true, force: true });
	}
});
