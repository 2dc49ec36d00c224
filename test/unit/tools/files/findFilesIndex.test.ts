// find_files through the watched file index: it answers once built (proven with no ripgrep binary at all), sees a
// file written a moment before, and when the OS refuses a watch (no inotify watches left) ripgrep answers instead.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { NodeFileIndex } from '../../../../src/node/files/fileIndex';
import { nodeFolderWatcher } from '../../../../src/node/files/nodeFolderWatcher';
import type { FolderWatcher } from '../../../../src/core/host/folderWatcher';
import { findFilesTool } from '../../../../src/tools/files/search';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';
import { createTestHost, runTool, type TestHost } from '../../helpers/host';

let wb: TestWorkbench | undefined;
let th: TestHost | undefined;
afterEach(async () => {
	await wb?.close();
	await th?.dispose();
	wb = undefined;
	th = undefined;
});

async function seed(root: string): Promise<void> {
	await mkdir(join(root, 'src/deep'), { recursive: true });
	await mkdir(join(root, 'node_modules/lib'), { recursive: true });
	await writeFile(join(root, '.gitignore'), 'node_modules/\n*.log\n');
	for (const path of ['src/a.ts', 'src/deep/b.ts', 'src/c.js', 'src/d.log', 'node_modules/lib/e.ts']) await writeFile(join(root, path), '');
}

test('once built, find_files answers from the index over real HTTP: no ripgrep needed, a file written just before is there', async () => {
	// No rg binary at all: any answer after the build can only have come from the index.
	wb = await startWorkbench({ tools: [findFilesTool], files: { ripgrepPath: '/nonexistent/rg' } });
	const folder = wb.folders[0];
	await seed(folder.path);
	const client = await wb.connect();
	const first = await client.callTool({ name: 'find_files', arguments: { pattern: '*.ts' } });
	assert.equal(first.isError, true, 'while the index builds, ripgrep answers (and here there is none)');
	assert.match(JSON.stringify(first.content), /ripgrep could not start/);
	assert.equal(await (wb.host.files.index as NodeFileIndex).ready(folder), true);
	const built = await client.callTool({ name: 'find_files', arguments: { pattern: '*.ts' } });
	assert.deepEqual(built.structuredContent, { files: ['src/a.ts', 'src/deep/b.ts'], truncated: false });
	await writeFile(join(folder.path, 'src/deep/new.ts'), '');
	const after = await client.callTool({ name: 'find_files', arguments: { pattern: '**/*.ts', limit: 2 } });
	assert.deepEqual(after.structuredContent, { files: ['src/a.ts', 'src/deep/b.ts'], truncated: true });
	const all = await client.callTool({ name: 'find_files', arguments: { pattern: '**/*.ts' } });
	assert.deepEqual(all.structuredContent, { files: ['src/a.ts', 'src/deep/b.ts', 'src/deep/new.ts'], truncated: false });
	// includeIgnored and a sub-folder are ripgrep's (here: none, so an error says so).
	const ignored = await client.callTool({ name: 'find_files', arguments: { pattern: '*.ts', includeIgnored: true } });
	assert.equal(ignored.isError, true);
});

test('when the OS refuses a watch the index gives up and ripgrep answers, with the same files', async () => {
	th = await createTestHost();
	const folder = th.folders[0];
	await seed(folder.path);
	const refusing: FolderWatcher = {
		watch() {
			throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
		},
	};
	const index = new NodeFileIndex({ watcher: refusing, excludes: () => ({ files: [], search: [] }) });
	try {
		const host = { ...th.host, files: Object.assign(Object.create(Object.getPrototypeOf(th.host.files)), th.host.files, { index }) };
		const before = await runTool(findFilesTool, { pattern: '*.ts' }, host);
		assert.equal(await index.ready(folder), false);
		assert.equal(await index.find(folder, '', () => true, 100), undefined);
		const after = await runTool(findFilesTool, { pattern: '*.ts' }, host);
		assert.deepEqual(before.structured, { files: ['src/a.ts', 'src/deep/b.ts'], truncated: false });
		assert.deepEqual(after.structured, before.structured);
	} finally {
		index.dispose();
	}
});

test('an index that would watch more folders than its share of the OS watches gives up, and ripgrep answers', async () => {
	th = await createTestHost();
	const folder = th.folders[0];
	await seed(folder.path);
	const index = new NodeFileIndex({ watcher: nodeFolderWatcher, excludes: () => ({ files: [], search: [] }), maxFolders: 2 });
	try {
		assert.equal(await index.find(folder, '', () => true, 100), undefined);
		assert.equal(await index.ready(folder), false, 'three folders (root, src, src/deep) are over the limit of two');
		assert.equal(await index.find(folder, '', () => true, 100), undefined);
	} finally {
		index.dispose();
	}
});
