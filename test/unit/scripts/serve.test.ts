import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { allTools } from '../../../src/tools/allTools';

const root = join(__dirname, '..', '..', '..');

test('npm run serve: the shipped composition without the editor, reachable by an MCP client', async () => {
	const base = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-serve-')));
	const folder = join(base, 'project');
	const audit = join(base, 'audit');
	await import('node:fs/promises').then((fs) => fs.mkdir(folder));
	await writeFile(join(folder, 'hello.txt'), 'hello from the workspace\n');
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', '--audit', audit, folder], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	try {
		const first = await new Promise<string>((resolve, reject) => {
			createInterface({ input: child.stdout }).once('line', resolve);
			child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening`)));
		});
		const { url, secret, auditFolder } = JSON.parse(first) as { url: string; secret: string; auditFolder: string };
		assert.equal(auditFolder, audit);
		const client = new Client({ name: 'outside-checker', version: '1' });
		await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${secret}` } } }));
		const names = (await client.listTools()).tools.map((tool) => tool.name);
		assert.deepEqual(names, allTools.map((tool) => tool.name), 'every tool the extension ships');
		const read = await client.callTool({ name: 'read_file', arguments: { path: 'hello.txt' } });
		assert.match((read.content as { text: string }[])[0].text, /hello from the workspace/);
		await client.close();
		const files = await readdir(audit);
		assert.equal(files.length, 1);
		const lines = (await readFile(join(audit, files[0]), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { tool: string; client: { name: string; says?: string } });
		// The credential's name, and what the client called itself beside it.
		assert.deepEqual(lines.map((line) => [line.tool, line.client.name, line.client.says]), [['read_file', 'npm run serve', 'outside-checker']]);
	} finally {
		child.kill('SIGTERM');
		assert.equal(await exited, 0, 'stops cleanly on SIGTERM');
		await rm(base, { recursive: true, force: true });
	}
});
