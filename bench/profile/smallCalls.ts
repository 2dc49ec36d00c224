// The workload a profile of small calls records: the SDK client over Streamable HTTP against the shipped
// composition (createWorkbench, every tool), reading one small file and listing a small folder, many times.
// Usage: node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile/smallCalls.ts [calls]
//        node bench/profile/summarize.mjs /tmp/prof/<file>.cpuprofile
import { setMaxListeners } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allTools } from '../../src/tools/allTools';
import { startWorkbench } from '../../test/unit/helpers/workbench';

async function main(): Promise<void> {
	const calls = Number(process.argv[2] ?? 3000);
	setMaxListeners(0);
	const wb = await startWorkbench({ tools: allTools });
	try {
		const root = wb.folders[0].path;
		await writeFile(join(root, 'small.txt'), 'export const answer = 42;\n'.repeat(40));
		await mkdir(join(root, 'src'));
		for (let i = 0; i < 12; i++) await writeFile(join(root, 'src', `file-${i}.ts`), `export const n = ${i};\n`);
		const client = await wb.connect('profile');
		const started = performance.now();
		for (let i = 0; i < calls; i++) {
			await client.callTool({ name: 'read_file', arguments: { path: 'small.txt' } });
			await client.callTool({ name: 'list_directory', arguments: { path: 'src' } });
		}
		const ms = performance.now() - started;
		console.log(`${calls * 2} calls in ${ms.toFixed(0)} ms: ${(ms / calls / 2).toFixed(3)} ms a call`);
	} finally {
		await wb.close();
	}
}

void main();
