import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { ToolError } from '../../../../src/core/base/errors';
import { NodeFilesHost } from '../../../../src/node/files/nodeFilesHost';
import { createTestHost, runTool } from '../../helpers/host';
import { filesTools } from '../../../../src/tools/files/index';

let dir: string;
const host = new NodeFilesHost();
const utf8 = { encoding: 'utf8', bom: false } as const;

beforeEach(async () => {
	dir = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-nodehost-')));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('create refuses an existing file without touching it; overwrite keeps the file mode; no temp files remain', async () => {
	const file = join(dir, 'a/b/c.txt');
	await host.writeText(file, 'one', { mode: 'create', ...utf8 });
	await assert.rejects(host.writeText(file, 'two', { mode: 'create', ...utf8 }), ToolError);
	assert.equal(await readFile(file, 'utf8'), 'one');
	await chmod(file, 0o640);
	await host.writeText(file, 'three', { mode: 'overwrite', ...utf8 });
	assert.equal(await readFile(file, 'utf8'), 'three');
	assert.equal((await stat(file)).mode & 0o777, 0o640);
	assert.deepEqual(await readdir(join(dir, 'a/b')), ['c.txt']);
});

test('a write that cannot be encoded fails before anything is written', async () => {
	const t = await createTestHost(['ws']);
	try {
		const path = join(t.folders[0].path, 'l1.txt');
		await writeFile(path, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
		const spec = filesTools.find((s) => s.name === 'write_file')!;
		await assert.rejects(runTool(spec, { path: 'l1.txt', content: 'price: 5 €' }, t.host), /latin1, which cannot hold/);
		assert.deepEqual(await readFile(path), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
		assert.deepEqual(await readdir(t.folders[0].path), ['l1.txt']);
	} finally {
		await t.dispose();
	}
});

test('rename refuses to clobber unless asked; delete is permanent and says so', async () => {
	await writeFile(join(dir, 'x'), 'x');
	await writeFile(join(dir, 'y'), 'y');
	await assert.rejects(host.rename(join(dir, 'x'), join(dir, 'y'), { overwrite: false }), /already exists/);
	await host.rename(join(dir, 'x'), join(dir, 'sub/z'), { overwrite: false });
	assert.equal(await readFile(join(dir, 'sub/z'), 'utf8'), 'x');
	assert.deepEqual(await host.delete(join(dir, 'sub'), { recursive: true }), { trashed: false });
	assert.deepEqual((await readdir(dir)).sort(), ['y']);
	assert.deepEqual(host.diagnostics(), []);
	assert.equal(host.dirtyText(), undefined);
	assert.equal(host.ripgrepPath(), 'rg');
});
