import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_RESULT_BUDGET_BYTES } from '../../../../src/core/gate/resultBudget';
import { filesTools } from '../../../../src/tools/files/index';
import { resultResources } from '../../../../src/tools/results/resultResource';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Structured = any;

const BUDGET = DEFAULT_RESULT_BUDGET_BYTES;

/** What the client received, as the budget counts it: every content block and the structured content. */
function answerBytes(result: CallToolResult): number {
	return Buffer.byteLength(JSON.stringify(result.content)) + Buffer.byteLength(JSON.stringify(result.structuredContent ?? null));
}

function linkOf(result: CallToolResult): { uri: string; size?: number } {
	const link = result.content.find((item) => item.type === 'resource_link');
	assert.ok(link && link.type === 'resource_link', 'the answer links the whole result');
	return link;
}

/** Reads every page of a kept result through resources/read, following each page's note to the next. */
async function readWhole(client: Client, uri: string): Promise<{ text: string; pages: number; largestPage: number }> {
	let text = '';
	let pages = 0;
	let largestPage = 0;
	let next: string | undefined = `${uri}?page=1`;
	while (next) {
		const read: ReadResourceResult = await client.readResource({ uri: next });
		largestPage = Math.max(largestPage, Buffer.byteLength(JSON.stringify(read)));
		const [page, note] = read.contents;
		assert.ok('text' in page && 'text' in note);
		text += page.text;
		pages++;
		next = /Next: (\S+)\]$/.exec(note.text)?.[1];
		assert.ok(pages < 10_000);
	}
	return { text, pages, largestPage };
}

let t: TestWorkbench;
let client: Client;

before(async () => {
	t = await startWorkbench({ tools: filesTools, resources: resultResources, sandbox: 'none' });
	client = await t.connect('budget-client');
});
after(() => t.close());

describe('result budget', () => {
	test('a 5 MB read_file answers under the budget, head and tail around a marker, and the link reads the rest', async () => {
		const lines = Array.from({ length: 100_000 }, (_, i) => `line ${String(i + 1).padStart(6, '0')} ${'abcdefghij'.repeat(4)}\n`);
		const content = lines.join('');
		assert.ok(Buffer.byteLength(content) >= 5_000_000);
		await writeFile(join(t.folders[0].path, 'big.txt'), content);

		const result = await client.callTool({ name: 'read_file', arguments: { path: 'big.txt' } }) as CallToolResult;
		assert.ok(!result.isError);
		assert.ok(answerBytes(result) <= BUDGET, `${answerBytes(result)} bytes went out`);
		const [first] = result.content;
		assert.ok(first.type === 'text');
		assert.ok(first.text.startsWith('line 000001 '), 'the head is kept');
		assert.match(first.text, /line 100000 abcdefghij/, 'the tail is kept');
		assert.match(first.text, /bytes cut here to keep the answer under the result budget\. The full result \(\d+ bytes, \d+ pages\) is the resource workbench:\/\/results\//);
		const structured = result.structuredContent as Structured;
		assert.equal(structured.truncated, true);
		assert.match(structured.content, /bytes cut here/);
		assert.equal(structured.totalLines, 100_000);

		const link = linkOf(result);
		const whole = await readWhole(client, link.uri);
		assert.ok(whole.largestPage <= BUDGET, `a page of ${whole.largestPage} bytes`);
		assert.ok(whole.text.startsWith(content), 'the pages hold the whole file, in order');
		assert.equal(Buffer.byteLength(whole.text), link.size);

		const record = t.records.find((r) => r.tool === 'read_file');
		assert.ok(record);
		assert.equal(record.truncated, true);
		assert.equal(record.fullBytes! > 2 * 5_000_000, true, 'bytes before: the text and the structured content');
		assert.ok(record.resultBytes <= BUDGET && record.resultBytes > BUDGET / 2, `bytes after: ${record.resultBytes}`);
		assert.ok(t.records.some((r) => r.tool === 'resources/read' && r.outcome === 'ok'), 'reading a page passes the gate and is audited');
	});

	test('a search_text with 100,000 matches answers under the budget and the link reads every match', async () => {
		const files = 20;
		for (let f = 0; f < files; f++) {
			const body = Array.from({ length: 5000 }, (_, i) => `needle ${f}:${i}\n`).join('');
			await writeFile(join(t.folders[0].path, `hay${String(f).padStart(2, '0')}.txt`), body);
		}
		const result = await client.callTool({ name: 'search_text', arguments: { query: 'needle', limit: 100_000, include: ['hay*.txt'] } }) as CallToolResult;
		assert.ok(!result.isError, JSON.stringify(result.content).slice(0, 300));
		assert.ok(answerBytes(result) <= BUDGET, `${answerBytes(result)} bytes went out`);
		const structured = result.structuredContent as Structured;
		assert.equal(structured.matchCount, 100_000);
		assert.equal(structured.truncated, true);
		const [first] = result.content;
		assert.ok(first.type === 'text');
		assert.match(first.text, /^hay00\.txt\n/);
		assert.match(first.text, /100000 matching lines in 20 files\]$/, 'the tail (the summary) is kept');

		const whole = await readWhole(client, linkOf(result).uri);
		const matches = whole.text.split('\n').filter((line) => / *\d+: needle /.test(line));
		assert.equal(matches.length, 100_000, 'every match is in the kept result');
		assert.ok(whole.largestPage <= BUDGET);
		assert.ok(whole.pages > 1);
	});

	test('a kept result is readable only by the session that made the call, and goes when it ends', async () => {
		await writeFile(join(t.folders[0].path, 'mine.txt'), 'x'.repeat(200_000));
		const owner = await t.connect('owner');
		const result = await owner.callTool({ name: 'read_file', arguments: { path: 'mine.txt' } }) as CallToolResult;
		const { uri } = linkOf(result);
		const other = await t.connect('someone-else');
		await assert.rejects(other.readResource({ uri }), /No result .* is kept for this session/);
		const sameCredential = await t.connect('owner');
		await assert.rejects(sameCredential.readResource({ uri }), /No result .* is kept for this session/, 'another session of the same client is another reader');
		await assert.rejects(owner.readResource({ uri: `${uri}?page=999` }), /has \d+ pages?; ask for page 1 to/);
		const page = await owner.readResource({ uri });
		assert.ok('text' in page.contents[0] && page.contents[0].text.startsWith('xxxx'));

		const kept = t.gate.results.size;
		await owner.close();
		// The SDK client's close ends the HTTP stream, not the session; DELETE ends it.
		const transportOf = (await t.connect('closer'));
		await transportOf.close();
		assert.ok(t.gate.results.size <= kept);
	});

	test('small answers pass unchanged, with no link and no cut recorded', async () => {
		await writeFile(join(t.folders[0].path, 'small.txt'), 'hello\n');
		const result = await client.callTool({ name: 'read_file', arguments: { path: 'small.txt' } }) as CallToolResult;
		assert.equal(result.content.length, 1);
		const record = t.records.filter((r) => r.tool === 'read_file').at(-1);
		assert.equal(record?.fullBytes, undefined);
		assert.equal(record?.truncated, false);
	});
});
