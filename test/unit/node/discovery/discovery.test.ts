import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { credentialPath, discoveryPath, DISCOVERY_FORMAT, listServers, publishServer, serverFor, serversFolder, type DiscoveryRecord } from '../../../../src/node/discovery/discovery';
import { memoryVault } from '../../../../src/node/server/clientTokens';
import { createWorkbench, defaultSettings } from '../../../../src/node/workbench';
import { nodeAdapters } from '../../../../src/node/nodeAdapters';
import { noSandbox } from '../../../../src/node/sandbox/bubblewrap';
import { TEST_AUDIT_KEY } from '../../fixtures/auditEntry';

function record(overrides: Partial<DiscoveryRecord>): DiscoveryRecord {
	return { format: DISCOVERY_FORMAT, pid: process.pid, id: 'x', workspaceFolders: [], url: 'http://127.0.0.1:1/mcp', protocolVersions: [], extensionVersion: '0', startedAt: new Date().toISOString(), credentials: {}, ...overrides };
}

describe('discovery files', () => {
	let root: string;
	before(async () => {
		root = await mkdtemp(join(tmpdir(), 'mcpwb-discovery-'));
	});
	after(async () => {
		await rm(root, { recursive: true, force: true });
	});

	test('a published file is 0600 in a 0700 folder, and no temp file is left beside it', async () => {
		const path = discoveryPath(root);
		await publishServer(path, record({ workspaceFolders: ['/w'] }));
		assert.equal((await stat(serversFolder(root))).mode & 0o777, 0o700);
		assert.equal((await stat(path)).mode & 0o777, 0o600);
		assert.deepEqual((await readdir(serversFolder(root))).filter((name) => name.endsWith('.tmp')), []);
		await rm(path);
	});

	test('a dead process\'s file is ignored and removed; a live one is listed', async () => {
		const child = spawn(process.execPath, ['-e', '']);
		const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid ?? 0)));
		const dead = discoveryPath(root, deadPid);
		await publishServer(dead, record({ pid: deadPid }));
		const live = discoveryPath(root);
		await publishServer(live, record({}));
		await writeFile(join(serversFolder(root), 'garbage.json'), '{not json');
		const servers = await listServers(root);
		assert.deepEqual(servers.map((server) => server.path), [live]);
		await assert.rejects(stat(dead), /ENOENT/);
		await rm(live);
	});

	test('the server for a folder is the one with the deepest workspace folder holding it', async () => {
		const base = await mkdtemp(join(tmpdir(), 'mcpwb-ws-'));
		await mkdir(join(base, 'nested', 'src'), { recursive: true });
		const outer = { path: 'outer', record: record({ workspaceFolders: [base] }) };
		const inner = { path: 'inner', record: record({ workspaceFolders: [join(base, 'nested')] }) };
		assert.equal((await serverFor([outer, inner], join(base, 'nested', 'src')))?.path, 'inner');
		assert.equal((await serverFor([outer, inner], base))?.path, 'outer');
		assert.equal(await serverFor([outer, inner], tmpdir()), undefined);
		await rm(base, { recursive: true, force: true });
	});

	test('the workbench announces itself while running, with each connected client\'s credential file, and withdraws on stop', async () => {
		const folder = join(root, 'app');
		await mkdir(folder);
		const folders = [{ name: 'app', path: folder, uri: `file://${folder}`, index: 0 }];
		const adapters = nodeAdapters({ folders, trusted: true, sandbox: noSandbox('test'), versions: { editor: '1', appName: 'test', extension: '0' } });
		const workbench = createWorkbench({ version: '0.0.0-test', adapters, settings: () => defaultSettings(), auditFolder: join(root, 'audit'), auditKey: TEST_AUDIT_KEY, vault: memoryVault(), discoveryRoot: root });
		try {
			await workbench.server.start();
			const client = await workbench.server.tokens.connect('Claude Desktop');
			await workbench.announcer?.sync();
			const [server] = await listServers(root);
			assert.equal(server.record.url, workbench.server.current?.url);
			assert.deepEqual(server.record.workspaceFolders, folders.map((folder) => folder.path));
			assert.deepEqual(server.record.credentials[client.id], { name: 'Claude Desktop', path: credentialPath(root, client.id) });
			assert.ok(!JSON.stringify(server.record).includes(client.token), 'the discovery file names where the credential is, never the credential');
			assert.equal((await readFile(credentialPath(root, client.id), 'utf8')).trim(), client.token);
			assert.equal((await stat(credentialPath(root, client.id))).mode & 0o777, 0o600);

			await workbench.server.tokens.revoke(client.id);
			await workbench.announcer?.sync();
			await assert.rejects(stat(credentialPath(root, client.id)), /ENOENT/, 'a revoked client\'s credential file is removed');
			await workbench.server.stop();
			await workbench.announcer?.sync();
			assert.deepEqual(await listServers(root), []);
		} finally {
			await workbench.dispose();
			await adapters.terminal.dispose();
		}
	});
});
