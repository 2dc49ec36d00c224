// The workload a profile of small calls records: the server (scripts/serve.ts, the shipped composition with every
// tool and the real sandbox) runs in its own process under --cpu-prof, so the profile holds the server's side only;
// this process drives it with the SDK client over Streamable HTTP: a small file read and a small folder listed, many
// times. Usage: node --import tsx bench/profile/smallCalls.ts [calls=3000] [profile dir=/tmp/mcpwb-profile]
//        node bench/profile/summarize.mjs <profile dir>/<file>.cpuprofile
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

async function main(): Promise<void> {
	const calls = Number(process.argv[2] ?? 3000);
	const profileDir = process.argv[3] ?? '/tmp/mcpwb-profile';
	setMaxListeners(0);
	const base = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-profile-')));
	const root = join(base, 'app');
	await mkdir(join(root, 'src'), { recursive: true });
	await writeFile(join(root, 'small.txt'), 'export const answer = 42;\n'.repeat(40));
	for (let i = 0; i < 12; i++) await writeFile(join(root, 'src', `file-${i}.ts`), `export const n = ${i};\n`);
	// No rate limit: the workload makes far more calls a minute than the default allows.
	await writeFile(join(base, 'settings.json'), JSON.stringify({ rateLimits: {} }));
	const server = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', 'tsx', 'scripts/serve.ts', '--settings', join(base, 'settings.json'), '--audit', join(base, 'audit'), root], { stdio: ['ignore', 'pipe', 'inherit'] });
	const exited = new Promise((resolve) => server.on('exit', resolve));
	try {
		const first = await new Promise<string>((resolve, reject) => {
			createInterface({ input: server.stdout }).once('line', resolve);
			server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
		});
		const { url, secret } = JSON.parse(first) as { url: string; secret: string };
		const client = new Client({ name: 'profile', version: '1' });
		await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${secret}` } } }));
		const started = performance.now();
		for (let i = 0; i < calls; i++) {
			await client.callTool({ name: 'read_file', arguments: { path: 'small.txt' } });
			await client.callTool({ name: 'list_directory', arguments: { path: 'src' } });
		}
		const ms = performance.now() - started;
		console.log(`${calls * 2} calls in ${ms.toFixed(0)} ms: ${(ms / calls / 2).toFixed(3)} ms a call (profile in ${profileDir})`);
		await client.close();
	} finally {
		server.kill('SIGINT');
		await exited;
		await rm(base, { recursive: true, force: true });
	}
}

void main();
