// Issue 11, deliverable 3: what the path jail checked is what a change uses. A concurrent local process flips a folder
// in the middle of the path between a real folder and a symbolic link to a folder outside the workspace, thousands of
// times, while the agent writes, creates, renames, deletes and reads through it; every call is allowed (or approved).
// Nothing outside may change and no outside content may come back.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { anchoringAvailable } from '../../../src/node/files/anchoredFs';
import { filesTools } from '../../../src/tools/files';
import { flipsSoFar, startFlipper, stop } from '../helpers/flipper';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { MARKERS, plantSecrets, waitUntil } from './attack';

type CallResult = { isError?: boolean; content: { text: string }[] };

/** Every file outside, by name, with its content: what must come out of the race unchanged. */
function snapshot(dir: string): Record<string, string> {
	return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

describe('security: a folder on the path flipped for a link while files change', { skip: !anchoringAvailable && 'needs /proc/self/fd (Linux)' }, () => {
	let wb: TestWorkbench;
	let client: Client;
	let app: string;
	let outsideBefore: Record<string, string>;
	let flip: string;
	let counter: string;
	let flipper: ChildProcess;
	let exited: string | undefined;

	before(async () => {
		wb = await startWorkbench({ tools: filesTools, policy: { rules: [{ tool: '*_file', paths: ['**'], action: 'allow' }] } });
		app = wb.folders[0].path;
		flip = join(app, 'flip');
		counter = join(wb.outside, '..', 'flips');
		await plantSecrets(app, wb.outside);
		await writeFile(join(wb.outside, 'victim.txt'), `${MARKERS.outside} victim\n`);
		// delete_file always asks: the user approves, so only the jail stands in the way.
		wb.approvals.onDidChange(() => {
			for (const request of wb.approvals.pending()) wb.approvals.decide(request.id, { kind: 'approve' });
		});
		client = await wb.connect();
		outsideBefore = snapshot(wb.outside);
		await mkdir(flip);
		await writeFile(join(flip, 'victim.txt'), 'harmless\n');
		// One flipper for every operation below, started once: a fresh Node process takes a while on a busy machine.
		flipper = startFlipper(flip, wb.outside, counter);
		flipper.once('exit', (code, signal) => (exited = `${code ?? signal}`));
		await waitUntil(() => flipsSoFar(counter) >= 500, 20_000, 'the flipper to start');
	});
	after(async () => {
		await stop(flipper);
		// Links first (removing one never touches its target), then the real folder wherever it was left.
		for (const path of [flip, `${flip}.link`, `${flip}.real`]) {
			if ((await lstat(path).catch(() => undefined))?.isSymbolicLink()) await rm(path);
		}
		await wb.close();
	});

	const operations: [string, (i: number) => [string, Record<string, unknown>]][] = [
		['write_file over a file in the flipped folder', () => ['write_file', { path: 'flip/victim.txt', content: 'agent wrote this\n' }]],
		['create_file in the flipped folder', (i) => ['create_file', { path: `flip/new-${i}.txt`, content: 'agent created this\n' }]],
		['create_file in a folder to be made inside the flipped folder', (i) => ['create_file', { path: `flip/made-${i}/deep.txt`, content: 'agent created this\n' }]],
		['rename_file out of the flipped folder', (i) => ['rename_file', { from: 'flip/victim.txt', to: `moved-${i}.txt` }]],
		['rename_file into the flipped folder, replacing', () => ['rename_file', { from: 'notes.txt', to: 'flip/victim.txt', overwrite: true }]],
		['delete_file of a file in the flipped folder', () => ['delete_file', { path: 'flip/victim.txt' }]],
		['read_file of a file in the flipped folder', () => ['read_file', { path: 'flip/victim.txt' }]],
	];

	for (const [name, operation] of operations) {
		test(`${name}: nothing outside changes, no outside content comes back`, { timeout: 60_000 }, async () => {
			let succeeded = 0;
			let reached = 0;
			let calls = 0;
			const start = flipsSoFar(counter);
			const deadline = Date.now() + 1_200;
			// At least that long, 2,000 flips, and one call that reached the change; at most 15 s.
			const giveUp = Date.now() + 15_000;
			for (let i = 0; (Date.now() < deadline || flipsSoFar(counter) - start < 2_000 || reached === 0) && Date.now() < giveUp; i++) {
				if (name.startsWith('rename_file into')) await writeFile(join(app, 'notes.txt'), 'harmless notes\n');
				const [tool, args] = operation(i);
				const result = await client.callTool({ name: tool, arguments: args }) as CallResult;
				calls++;
				const text = JSON.stringify(result);
				assert.ok(!text.includes(MARKERS.outside), `${tool} returned outside content: ${text.slice(0, 300)}`);
				// Past the jail's check into the change itself: done, or refused there because the folder moved.
				if (!result.isError || /changed while/.test(text)) reached++;
				if (!result.isError) succeeded++;
			}
			const flips = flipsSoFar(counter) - start;
			assert.deepEqual(snapshot(wb.outside), outsideBefore, 'a file outside the workspace was created, changed or removed');
			assert.ok(flips >= 2000, `the folder was flipped ${flips} times (flipper exit: ${exited})`);
			assert.ok(reached > 0, `some of ${calls} calls (${succeeded} done) passed the jail's check: the race had its chance`);
		});
	}
});
