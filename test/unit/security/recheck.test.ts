// The re-check of approved calls: a person approved what the card showed (approvals.pending()[i].subject); while the
// card waited, the agent or a local process changed the world. The call must act on what was approved, or be refused
// with `binding` and change nothing.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ApprovalRequest } from '../../../src/core/gate/approvals';
import { allTools } from '../../../src/tools/allTools';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { waitUntil, within } from './attack';

type CallResult = { isError?: boolean; content: { text: string }[] };

describe('security: the re-check of approved calls', () => {
	let wb: TestWorkbench;
	let client: Client;
	let app: string;
	before(async () => {
		wb = await startWorkbench({ tools: allTools });
		app = wb.folders[0].path;
		client = await wb.connect();
	});
	after(() => wb.close());
	beforeEach(async () => {
		for (const request of wb.approvals.pending()) wb.approvals.decide(request.id, { kind: 'deny' });
	});

	/** Starts a call, waits for its card, lets `meanwhile` change the world, approves, and returns the answer. */
	async function approveAfter(name: string, args: Record<string, unknown>, meanwhile: (card: ApprovalRequest) => Promise<void>): Promise<{ result: CallResult; card: ApprovalRequest }> {
		const from = wb.records.length;
		const call = client.callTool({ name, arguments: args }) as Promise<CallResult>;
		await waitUntil(() => wb.approvals.pending().length === 1, 5000, `the card for ${name}`);
		const [card] = wb.approvals.pending();
		await meanwhile(card);
		wb.approvals.decide(card.id, { kind: 'approve' });
		const result = await within(call, 10_000, `${name} after approval`);
		assert.equal(wb.records.length, from + 1, 'one record for the approved call');
		return { result, card };
	}

	test('delete_file: a file approved for deletion is replaced by a folder full of work; the folder survives', async () => {
		await writeFile(join(app, 'scratch.txt'), 'scratch\n');
		const { result, card } = await approveAfter('delete_file', { path: 'scratch.txt', recursive: true }, async () => {
			await rm(join(app, 'scratch.txt'));
			await mkdir(join(app, 'scratch.txt'));
			await writeFile(join(app, 'scratch.txt', 'precious.ts'), 'months of work\n');
		});
		assert.doesNotMatch(card.summary, /folder/, 'the card showed a file');
		assert.ok(existsSync(join(app, 'scratch.txt', 'precious.ts')), `the folder the card never showed was deleted: ${result.content[0].text}`);
		assert.equal(result.isError, true);
		assert.equal(wb.records.at(-1)?.decidedBy, 'binding');
	});

	test('delete_file: a folder approved for deletion is replaced by a link to another folder; the link goes, not the folder', async () => {
		await mkdir(join(app, 'gone'));
		await writeFile(join(app, 'gone', 'x.txt'), 'x\n');
		await mkdir(join(app, 'keep'));
		await writeFile(join(app, 'keep', 'y.txt'), 'keep me\n');
		await approveAfter('delete_file', { path: 'gone', recursive: true }, async () => {
			await rm(join(app, 'gone'), { recursive: true });
			await symlink(join(app, 'keep'), join(app, 'gone'));
		});
		assert.equal(readFileSync(join(app, 'keep', 'y.txt'), 'utf8'), 'keep me\n', 'the folder behind the link was not touched');
	});

	test('write_file on a file too large for a diff: a change made while the card waited is not overwritten', async () => {
		const big = `${'line of text\n'.repeat(50_000)}`;
		await writeFile(join(app, 'big.txt'), big);
		const { result, card } = await approveAfter('write_file', { path: 'big.txt', content: 'replacement\n' }, async () => {
			await writeFile(join(app, 'big.txt'), `${big}the user's own change, made while the card waited\n`);
		});
		assert.equal(card.subject.diff, undefined, 'the card had no diff to bind to');
		assert.match(await readFile(join(app, 'big.txt'), 'utf8'), /the user's own change/, `the change made after the card was shown was overwritten: ${result.content[0].text}`);
		assert.equal(wb.records.at(-1)?.decidedBy, 'binding');
	});

	test('edit_file on a file too large for a diff: a change made while the card waited refuses the edit', async () => {
		const big = `${'line of text\n'.repeat(50_000)}TARGET\n`;
		await writeFile(join(app, 'big2.txt'), big);
		await approveAfter('edit_file', { path: 'big2.txt', edits: [{ oldText: 'TARGET', newText: 'EDITED' }] }, async () => {
			await writeFile(join(app, 'big2.txt'), big.replace('line of text\n', 'someone else rewrote the start\n'));
		});
		assert.match(await readFile(join(app, 'big2.txt'), 'utf8'), /TARGET/, 'the edit ran on text nobody approved');
		assert.equal(wb.records.at(-1)?.decidedBy, 'binding');
	});

	test('edit_file: the file is swapped for a link to another file with the same text; the other file is not edited', async () => {
		await writeFile(join(app, 'e1.txt'), 'same text\n');
		await writeFile(join(app, 'e2.txt'), 'same text\n');
		await approveAfter('edit_file', { path: 'e1.txt', edits: [{ oldText: 'same', newText: 'changed' }] }, async () => {
			await rename(join(app, 'e1.txt'), join(app, 'e1.old'));
			await symlink(join(app, 'e2.txt'), join(app, 'e1.txt'));
		});
		assert.equal(readFileSync(join(app, 'e2.txt'), 'utf8'), 'same text\n', 'the file behind the swapped-in link was edited');
		assert.equal(wb.records.at(-1)?.decidedBy, 'binding');
	});

	test('edit_file: the file is replaced by a folder; refused, nothing changed', async () => {
		await writeFile(join(app, 'e3.txt'), 'text\n');
		const { result } = await approveAfter('edit_file', { path: 'e3.txt', edits: [{ oldText: 'text', newText: 'TEXT' }] }, async () => {
			await rm(join(app, 'e3.txt'));
			await mkdir(join(app, 'e3.txt'));
		});
		assert.equal(result.isError, true);
		assert.equal(wb.records.at(-1)?.decidedBy, 'binding');
	});

	test('write_file: the same text re-saved as UTF-16 with a BOM still ends as exactly the approved text', async () => {
		await writeFile(join(app, 'enc.txt'), 'hello\n');
		const { card } = await approveAfter('write_file', { path: 'enc.txt', content: 'bye\n' }, async () => {
			await writeFile(join(app, 'enc.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hello\n', 'utf16le')]));
		});
		const bytes = await readFile(join(app, 'enc.txt'));
		const text = bytes[0] === 0xff ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8');
		assert.equal(text, card.subject.diff?.after, 'the file holds what the card said it would');
	});

	test('create_file: the file appears while the card waits; nothing is overwritten', async () => {
		await approveAfter('create_file', { path: 'fresh.txt', content: 'from the agent\n' }, async () => {
			await writeFile(join(app, 'fresh.txt'), 'from the user\n');
		});
		assert.equal(readFileSync(join(app, 'fresh.txt'), 'utf8'), 'from the user\n');
	});

	test('create_file: the parent folder becomes a link out of the workspace while the card waits; nothing is written outside', async () => {
		await mkdir(join(app, 'drop'));
		await approveAfter('create_file', { path: 'drop/note.txt', content: 'x\n' }, async () => {
			await rm(join(app, 'drop'), { recursive: true });
			await symlink(wb.outside, join(app, 'drop'));
		});
		assert.equal(existsSync(join(wb.outside, 'note.txt')), false, 'the approved write landed outside the workspace');
	});

	test('rename_file: the target appears while the card waits; the new file is not replaced without being asked', async () => {
		await writeFile(join(app, 'r-from.txt'), 'from\n');
		await approveAfter('rename_file', { from: 'r-from.txt', to: 'r-to.txt', overwrite: true }, async () => {
			await writeFile(join(app, 'r-to.txt'), 'precious\n');
		});
		assert.equal(readFileSync(join(app, 'r-to.txt'), 'utf8'), 'precious\n');
		assert.equal(wb.records.at(-1)?.decidedBy, 'binding');
	});

	test('run_command: the working folder becomes a link out of the workspace while the card waits; the command does not run there', async () => {
		await mkdir(join(app, 'work'));
		await approveAfter('run_command', { line: 'touch made-here', cwd: 'work' }, async () => {
			await rm(join(app, 'work'), { recursive: true });
			await symlink(wb.outside, join(app, 'work'));
		});
		assert.equal(existsSync(join(wb.outside, 'made-here')), false, 'the approved command ran outside the workspace');
	});
});
