/**
 * Fifty edit_file calls on one file through the real server and SDK client (issue 12): all at once, against the
 * same fifty one after the other. Each call replaces its own line; a round counts how many of the fifty edits are
 * in the file afterwards, which must be all of them.
 * Usage: node --import tsx bench/edits.bench.ts [--runs 10] [--edits 50]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { filesTools } from '../src/tools/files/index';
import { startWorkbench } from '../test/unit/helpers/workbench';
import { printTable, summarize } from './stats';

function option(name: string, fallback: number): number {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 && process.argv[at + 1] ? Number(process.argv[at + 1]) : fallback;
}

const RUNS = option('runs', 10);
const EDITS = option('edits', 50);

async function round(client: Client, file: string, parallel: boolean): Promise<{ ms: number; survived: number; failed: number }> {
	const lines = Array.from({ length: EDITS }, (_, i) => `line ${i}: old`);
	await writeFile(file, `${lines.join('\n')}\n`);
	const edit = (i: number) => client.callTool({ name: 'edit_file', arguments: { path: 'many.txt', edits: [{ oldText: lines[i], newText: `line ${i}: new` }] } });
	const started = performance.now();
	const results = parallel ? await Promise.all(lines.map((_, i) => edit(i))) : await lines.reduce<Promise<Awaited<ReturnType<typeof edit>>[]>>(async (done, _, i) => [...(await done), await edit(i)], Promise.resolve([]));
	const ms = performance.now() - started;
	const text = await readFile(file, 'utf8');
	return { ms, survived: lines.filter((_, i) => text.includes(`line ${i}: new\n`)).length, failed: results.filter((result) => result.isError).length };
}

async function main(): Promise<void> {
	const wb = await startWorkbench({ tools: filesTools, policy: { tools: { edit_file: 'allow' } } });
	try {
		const client = await wb.connect('edits-bench');
		const file = join(wb.folders[0].path, 'many.txt');
		await round(client, file, true);
		const samples = { parallel: [] as number[], sequential: [] as number[] };
		let worst = { survived: EDITS, failed: 0 };
		for (let i = 0; i < RUNS; i++) {
			// Alternating, so load from anything else on the machine falls on both alike.
			for (const mode of ['parallel', 'sequential'] as const) {
				const result = await round(client, file, mode === 'parallel');
				samples[mode].push(result.ms);
				if (result.survived < worst.survived || result.failed > worst.failed) worst = { survived: Math.min(worst.survived, result.survived), failed: Math.max(worst.failed, result.failed) };
			}
		}
		const sequential = summarize(`${EDITS} edits one after the other`, samples.sequential);
		const parallel = summarize(`${EDITS} edits at once (all answered)`, samples.parallel);
		printTable(`edit_file, ${EDITS} edits of one file through the server, ${RUNS} rounds each`, [sequential, { ...parallel, ratio: parallel.p50 / sequential.p50 }]);
		console.log(`\nsurvived: ${worst.survived}/${EDITS} in the worst round; calls refused: ${worst.failed} at most`);
		if (worst.survived !== EDITS || worst.failed !== 0) process.exitCode = 1;
	} finally {
		await wb.close();
	}
}

void main();
