import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { filesResources } from '../../../../src/tools/files/resources';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';

describe('workspace-file resources, through the gate over real HTTP', () => {
	let wb: TestWorkbench;
	let client: Client;
	before(async () => {
		wb = await startWorkbench({ folderCount: 2, resources: filesResources, policy: { rules: [{ tool: 'resources/read', paths: ['denied/**'], action: 'deny' }] } });
		const [app, lib] = wb.folders;
		await mkdir(join(app.path, 'src'));
		await writeFile(join(app.path, 'src/a b.ts'), 'export {};\n');
		await writeFile(join(app.path, 'src/keys.ts'), 'const token = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";\n');
		await writeFile(join(app.path, '.env'), 'API_KEY=hunter2hunter2\n');
		await mkdir(join(app.path, 'denied'));
		await writeFile(join(app.path, 'denied/x.txt'), 'not for resources\n');
		await writeFile(join(lib.path, 'logo.bin'), Buffer.from([1, 0, 2]));
		await writeFile(join(wb.outside, 'secret.txt'), 'SECRET');
		await symlink(wb.outside, join(lib.path, 'out'));
		client = await wb.connect();
	});
	after(() => wb.close());

	test('lists files with ignores respected, and reads text and binary', async () => {
		const listed = await client.listResources();
		assert.deepEqual(listed.resources.map((r) => r.uri).sort(), [
			'workspace-file://app/.env', 'workspace-file://app/denied/x.txt', 'workspace-file://app/src/a%20b.ts', 'workspace-file://app/src/keys.ts', 'workspace-file://lib1/logo.bin',
		]);
		const templates = await client.listResourceTemplates();
		assert.deepEqual(templates.resourceTemplates.map((t) => t.uriTemplate), ['workspace-file://{folder}/{+path}']);
		const text = await client.readResource({ uri: 'workspace-file://app/src/a%20b.ts' });
		assert.equal((text.contents[0] as { text: string }).text, 'export {};\n');
		const blob = await client.readResource({ uri: 'workspace-file://lib1/logo.bin' });
		assert.equal((blob.contents[0] as { blob: string }).blob, Buffer.from([1, 0, 2]).toString('base64'));
		const completion = await client.complete({ ref: { type: 'ref/resource', uri: 'workspace-file://{folder}/{+path}' }, argument: { name: 'folder', value: 'l' } });
		assert.deepEqual(completion.completion.values, ['lib1']);
	});

	test('each file is titled by its path and typed by its name, in the list and in the read', async () => {
		const listed = await client.listResources();
		const byUri = new Map(listed.resources.map((r) => [r.uri, r]));
		assert.deepEqual([byUri.get('workspace-file://app/src/a%20b.ts')?.title, byUri.get('workspace-file://app/src/a%20b.ts')?.mimeType], ['src/a b.ts', 'text/x-typescript']);
		assert.deepEqual([byUri.get('workspace-file://app/denied/x.txt')?.title, byUri.get('workspace-file://app/denied/x.txt')?.mimeType], ['denied/x.txt', 'text/plain']);
		assert.equal(byUri.get('workspace-file://lib1/logo.bin')?.mimeType, undefined, 'a name that says nothing gets no type');
		assert.equal(new Set(listed.resources.map((r) => r.title)).size, listed.resources.length, 'no two files share a title in one folder');
		const text = await client.readResource({ uri: 'workspace-file://app/src/a%20b.ts' });
		assert.equal(text.contents[0].mimeType, 'text/x-typescript');
		const blob = await client.readResource({ uri: 'workspace-file://lib1/logo.bin' });
		assert.equal(blob.contents[0].mimeType, 'application/octet-stream');
	});

	test('every read leaves one audit record, counts in the metrics, and its text is redacted', async () => {
		const before = wb.records.length;
		const read = await client.readResource({ uri: 'workspace-file://app/src/keys.ts' });
		const text = (read.contents[0] as { text: string }).text;
		assert.doesNotMatch(text, /ghp_0123456789/, 'the token never leaves the server');
		assert.match(text, /\[REDACTED:/);
		assert.equal(wb.records.length, before + 1);
		const record = wb.records.at(-1);
		assert.equal(record?.tool, 'resources/read');
		assert.equal(record?.family, 'files');
		assert.deepEqual(record?.arguments, { uri: 'workspace-file://app/src/keys.ts' });
		assert.equal(record?.decision, 'allow');
		assert.equal(record?.outcome, 'ok');
		assert.equal(record?.summary, 'read resource app/src/keys.ts');
		assert.ok((wb.metrics.snapshot().find((m) => m.tool === 'resources/read')?.calls ?? 0) >= 1);
	});

	test('a sensitive file is refused without its content and with a record that says why', async () => {
		await assert.rejects(client.readResource({ uri: 'workspace-file://app/.env' }), (error: Error) => {
			assert.match(error.message, /needs the user's approval \(sensitive:\*\*\/\.env\).*read_file/);
			assert.doesNotMatch(error.message, /hunter2/);
			return true;
		});
		const record = wb.records.at(-1);
		assert.equal(record?.decision, 'deny');
		assert.equal(record?.decidedBy, 'sensitive:**/.env');
		assert.equal(record?.outcome, 'denied');
		assert.equal(record?.resultBytes, Buffer.byteLength(record?.reason ?? ''), 'only the refusal went out');
		assert.equal(wb.approvals.pending().length, 0, 'a resource read never waits for a person');
	});

	test('a deny rule for resources/read applies', async () => {
		await assert.rejects(client.readResource({ uri: 'workspace-file://app/denied/x.txt' }), /Denied by policy \(setting:rules\[0\]\)/);
		assert.equal(wb.records.at(-1)?.decidedBy, 'setting:rules[0]');
	});

	test('escapes through links, encodings, .. and unknown folders are refused, each on the record', async () => {
		const uris = [
			'workspace-file://lib1/out/secret.txt', 'workspace-file://lib1/%2e%2e/outside/secret.txt', 'workspace-file://lib1/..%2foutside/secret.txt',
			'workspace-file://app/../outside/secret.txt', 'workspace-file://nope/x', 'file:///etc/passwd',
		];
		for (const uri of uris) {
			const before = wb.records.length;
			await assert.rejects(client.readResource({ uri }), (error: Error) => {
				assert.doesNotMatch(error.message, /SECRET/, uri);
				return true;
			}, uri);
			assert.equal(wb.records.length, before + 1, `one record for ${uri}`);
			assert.equal(wb.records.at(-1)?.outcome, 'invalid', uri);
		}
	});
});
