// Arguments a JSON parser accepts but a recursive walk does not survive: 200,000 levels of nesting, or arrays of a
// million items. Every such call must still get an answer and exactly one audit record, and the server must keep
// serving: a stack overflow in redaction used to lose the record (2,000 levels were enough).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { openRawSession, type RawSession } from '../helpers/rawMcp';
import { waitUntil } from './attack';

describe('security: pathological arguments are summarised, never a lost record', () => {
	let wb: TestWorkbench;
	let session: RawSession;
	before(async () => {
		wb = await startWorkbench({ settings: { maxBodyBytes: 8 * 1024 * 1024 } });
		session = await openRawSession(wb);
	});
	after(() => wb.close());

	for (const [depth, tool] of [[2_000, 'workspace_info'], [200_000, 'workspace_info'], [200_000, 'no_such_tool']] as const) {
		test(`${depth} levels of nested arrays to ${tool}: an error answer, exactly one record, and the server keeps serving`, { timeout: 60_000 }, async () => {
			const before = wb.records.length;
			const body = `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"${tool}","arguments":{"deep":${'['.repeat(depth)}${']'.repeat(depth)}}}}`;
			const response = await session.post(body);
			assert.equal(response.status, 200, response.body.slice(0, 300));
			const answer = (Array.isArray(response.json) ? response.json.at(-1) : response.json) as { result?: { isError?: boolean; content: { text: string }[] } };
			assert.equal(answer.result?.isError, true, response.body.slice(0, 300));
			assert.match(answer.result.content[0].text, tool === 'no_such_tool' ? /Unknown tool/ : /nested more than 32 levels/);
			await waitUntil(() => wb.records.length > before, 10_000, 'the audit record');
			const records = wb.records.slice(before);
			assert.equal(records.length, 1);
			assert.equal(records[0].tool, tool);
			assert.equal(records[0].outcome, 'invalid');
			const recorded = JSON.stringify(records[0]);
			assert.ok(recorded.length < 16 * 1024, `the record holds a summary, not the nesting (${recorded.length} characters)`);
			assert.match(recorded, /nested deeper: not recorded/);
			const next = await session.request('tools/call', { name: 'workspace_info', arguments: {} });
			assert.ok(next.result && next.result.isError !== true, JSON.stringify(next));
			assert.equal((await wb.audit.verify()).ok, true);
		});
	}

	test('an array of a million items: an answer and one bounded record', { timeout: 60_000 }, async () => {
		const before = wb.records.length;
		const items = new Array(1_000_000).fill('0').join(',');
		const response = await session.post(`{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"workspace_info","arguments":{"wide":[${items}]}}}`);
		assert.equal(response.status, 200);
		await waitUntil(() => wb.records.length > before, 10_000, 'the audit record');
		assert.equal(wb.records.length - before, 1);
		assert.ok(JSON.stringify(wb.records.at(-1)).length < 128 * 1024);
	});
});
