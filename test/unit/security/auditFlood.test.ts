// The audit keeps a bounded history (files of 10 MB, five of them): the oldest file goes when a new one starts. An
// agent that can make records of megabytes (a refused call still records its arguments, and refusals are not rate
// limited) could push every record of what it did before out of the audit with a dozen requests.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { filesResources } from '../../../src/tools/files/resources';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { openRawSession, type RawSession } from '../helpers/rawMcp';

describe('security: oversized requests cannot rotate the audit history away', () => {
	let wb: TestWorkbench;
	let session: RawSession;
	before(async () => {
		wb = await startWorkbench({ resources: filesResources });
		session = await openRawSession(wb);
	});
	after(() => wb.close());

	test('fifteen refused requests of ~3.9 MB each leave the first record in the audit, and no record is megabytes', { timeout: 60_000 }, async () => {
		const first = await session.request('tools/call', { name: 'workspace_info', arguments: {} });
		assert.ok(first.result);
		const firstRecord = wb.records.at(-1);
		assert.ok(firstRecord);
		const big = 'A'.repeat(3_900_000);
		for (let i = 0; i < 15; i++) {
			const answer = i % 3 === 0
				? await session.request('resources/read', { uri: `workspace-file://app/${big}` })
				: i % 3 === 1
					? await session.request('tools/call', { name: 'no_such_tool', arguments: { filler: big } })
					: await session.request('tools/call', { name: 'workspace_info', arguments: { unexpected: big } });
			assert.ok(JSON.stringify(answer).length < 64 * 1024, `the answer does not echo the payload back (${JSON.stringify(answer).length} characters)`);
			const record = wb.records.at(-1);
			assert.ok(record && JSON.stringify(record).length < 128 * 1024, `record ${record?.seq} is ${JSON.stringify(record).length} characters`);
		}
		const page = await wb.audit.query({ limit: 100_000 });
		assert.ok(page.rows.some((row) => row.seq === firstRecord.seq), `record ${firstRecord.seq} is still in the audit (oldest now: ${page.rows.at(-1)?.seq})`);
		const verified = await wb.audit.verify();
		assert.equal(verified.ok, true, JSON.stringify(verified));
	});
});
