import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parsePathInput, relativeInside, resolveWriteTarget } from '../../../../src/core/paths/pathRules';
import { ToolError } from '../../../../src/core/base/errors';
import { createTestHost } from '../../helpers/host';

describe('path rules (lexical)', () => {
	test('containment is separator-aware (CVE-2025-53110 look-alike siblings)', () => {
		assert.equal(relativeInside('/tmp/x/ws', '/tmp/x/ws-evil/a', false), undefined);
		assert.equal(relativeInside('/tmp/x/ws', '/tmp/x/ws_backup', false), undefined);
		assert.equal(relativeInside('/tmp/x/ws', '/tmp/x/ws', false), '');
		assert.equal(relativeInside('/tmp/x/ws/', '/tmp/x/ws/a/b', false), 'a/b');
		assert.equal(relativeInside('/', '/etc', false), 'etc');
	});

	test('case is folded only where the file system folds it', () => {
		assert.equal(relativeInside('/Users/Me/WS', '/users/me/ws/Src/A.ts', true), 'Src/A.ts');
		assert.equal(relativeInside('/Users/Me/WS', '/users/me/ws/Src/A.ts', false), undefined);
		assert.equal(relativeInside('C:\\Code\\ws', 'c:/code/WS/a.txt', true), 'a.txt');
	});

	test('backslashes are separators on Windows only', () => {
		assert.deepEqual(parsePathInput('src\\a.ts', 'win32'), { kind: 'relative', segments: ['src', 'a.ts'] });
		assert.throws(() => parsePathInput('src\\a.ts', 'posix'), ToolError);
		assert.deepEqual(parsePathInput('C:\\ws\\a.ts', 'win32'), { kind: 'absolute', path: 'C:/ws/a.ts' });
		assert.throws(() => parsePathInput('..\\a', 'win32'), ToolError);
	});

	test('clean relative and absolute forms parse; file URIs decode once', () => {
		assert.deepEqual(parsePathInput('./src//a.ts', 'posix'), { kind: 'relative', segments: ['src', 'a.ts'] });
		assert.deepEqual(parsePathInput('/ws/a b.ts', 'posix'), { kind: 'absolute', path: '/ws/a b.ts' });
		assert.deepEqual(parsePathInput('file:///ws/a%20b.ts', 'posix'), { kind: 'absolute', path: '/ws/a b.ts' });
		assert.deepEqual(parsePathInput('file:///C:/ws/a.ts', 'win32'), { kind: 'absolute', path: 'C:/ws/a.ts' });
		assert.deepEqual(parsePathInput('.gitignore', 'posix'), { kind: 'relative', segments: ['.gitignore'] });
		assert.deepEqual(parsePathInput('a~b/x', 'posix'), { kind: 'relative', segments: ['a~b', 'x'] });
	});

	test('refusals say which form to use', () => {
		assert.throws(() => parsePathInput('../x', 'posix'), /relative to a workspace folder/);
		assert.throws(() => parsePathInput('%2e%2e/x', 'posix'), /percent-encoding/);
	});
});

describe('NodePathJail', () => {
	test('multi-root: paths are prefixed by the folder name; bare paths get told the form', async () => {
		const t = await createTestHost(['api', 'web']);
		try {
			await writeFile(join(t.folders[0].path, 'x.ts'), 'x');
			const resolved = await t.host.jail.resolve('api/x.ts', { mustExist: true });
			assert.equal(resolved.folder.name, 'api');
			assert.equal(resolved.relative, 'x.ts');
			await assert.rejects(t.host.jail.resolve('x.ts'), /several folders \(api, web\).*"api\/src\/index.ts"/);
			await assert.rejects(t.host.jail.resolve('web/../api/x.ts'), ToolError);
			const absolute = await t.host.jail.resolve(join(t.folders[1].path, 'new.ts'));
			assert.deepEqual([absolute.folder.name, absolute.relative, absolute.exists], ['web', 'new.ts', false]);
			// A symlink from one folder into another stays inside the workspace and is reported in its real folder.
			await symlink(t.folders[0].path, join(t.folders[1].path, 'api-link'));
			const crossed = await t.host.jail.resolve('web/api-link/x.ts');
			assert.deepEqual([crossed.folder.name, crossed.relative], ['api', 'x.ts']);
		} finally {
			await t.dispose();
		}
	});

	test('single-root: the folder-name prefix is optional unless a child has that name', async () => {
		const t = await createTestHost(['ws']);
		try {
			await mkdir(join(t.folders[0].path, 'src'));
			await writeFile(join(t.folders[0].path, 'src/a.ts'), 'a');
			assert.equal((await t.host.jail.resolve('ws/src/a.ts')).relative, 'src/a.ts');
			assert.equal((await t.host.jail.resolve('src/a.ts')).relative, 'src/a.ts');
			await mkdir(join(t.folders[0].path, 'ws'));
			assert.equal((await t.host.jail.resolve('ws/src/a.ts')).relative, 'ws/src/a.ts');
		} finally {
			await t.dispose();
		}
	});

	test('write targets refuse the folder root; mustExist and file-as-folder are explained', async () => {
		const t = await createTestHost(['ws']);
		try {
			await writeFile(join(t.folders[0].path, 'f.txt'), 'f');
			await assert.rejects(resolveWriteTarget(t.host.jail, '.'), /workspace folder itself/);
			await assert.rejects(resolveWriteTarget(t.host.jail, t.folders[0].path), /workspace folder itself/);
			await assert.rejects(t.host.jail.resolve('missing.txt', { mustExist: true }), /does not exist.*list_directory/);
			await assert.rejects(t.host.jail.resolve('f.txt/child.txt'), /file/);
			assert.equal((await resolveWriteTarget(t.host.jail, 'new/dir/file.txt')).exists, false);
		} finally {
			await t.dispose();
		}
	});

	test('no folder open: a clear refusal', async () => {
		const t = await createTestHost([]);
		try {
			await assert.rejects(t.host.jail.resolve('a.txt'), /No workspace folder/);
		} finally {
			await t.dispose();
		}
	});
});
