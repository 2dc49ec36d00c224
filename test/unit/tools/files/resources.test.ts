import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerFileResources } from '../../../../src/tools/files/resources';
import { createTestHost } from '../../helpers/host';

test('workspace-file resources list and read through the jail', async () => {
	const t = await createTestHost(['api', 'web']);
	const server = new McpServer({ name: 'test', version: '0.0.0' });
	const client = new Client({ name: 'test-client', version: '0.0.0' });
	try {
		await mkdir(join(t.folders[0].path, 'src'));
		await writeFile(join(t.folders[0].path, 'src/a b.ts'), 'export {};\n');
		await writeFile(join(t.folders[1].path, 'logo.bin'), Buffer.from([1, 0, 2]));
		await mkdir(join(t.base, 'outside'));
		await writeFile(join(t.base, 'outside/secret.txt'), 'SECRET');
		await symlink(join(t.base, 'outside'), join(t.folders[1].path, 'out'));
		registerFileResources(server, t.host);
		const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
		await Promise.all([server.connect(serverSide), client.connect(clientSide)]);

		const listed = await client.listResources();
		assert.deepEqual(listed.resources.map((r) => r.uri).sort(), ['workspace-file://api/src/a%20b.ts', 'workspace-file://web/logo.bin']);
		const text = await client.readResource({ uri: 'workspace-file://api/src/a%20b.ts' });
		assert.equal((text.contents[0] as { text: string }).text, 'export {};\n');
		const blob = await client.readResource({ uri: 'workspace-file://web/logo.bin' });
		assert.equal((blob.contents[0] as { blob: string }).blob, Buffer.from([1, 0, 2]).toString('base64'));
		for (const uri of ['workspace-file://web/out/secret.txt', 'workspace-file://web/%2e%2e/outside/secret.txt', 'workspace-file://web/..%2foutside/secret.txt', 'workspace-file://api/../outside/secret.txt', 'workspace-file://nope/x']) {
			await assert.rejects(client.readResource({ uri }), uri);
		}
	} finally {
		await client.close();
		await server.close();
		await t.dispose();
	}
});
