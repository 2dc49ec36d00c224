import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileFilter, searchText, toCsv, toJson } from '../../../../src/core/audit/auditQuery';
import type { AuditRecord } from '../../../../src/core/audit/auditRecord';
import { auditEntry } from '../../fixtures/auditEntry';

function record(seq: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
	return { ...auditEntry(), seq, prev: 'p', hash: 'h', ...overrides };
}

describe('compileFilter', () => {
	const records = [
		record(0, { tool: 'read_file', decision: 'allow', outcome: 'ok', time: '2026-01-01T00:00:00.000Z' }),
		record(1, { tool: 'write_file', decision: 'approve', outcome: 'ok', summary: 'edit src/Main.ts', time: '2026-01-02T00:00:00.000Z' }),
		record(2, { tool: 'run_command', decision: 'deny', outcome: 'denied', reason: 'Blocked by policy', arguments: { line: 'rm -rf "build"' }, time: '2026-01-03T00:00:00.000Z' }),
	];
	const seqs = (filter: Parameters<typeof compileFilter>[0]) => records.filter((r) => compileFilter(filter).matches(r)).map((r) => r.seq);

	test('empty filter and empty strings match everything', () => {
		assert.deepEqual(seqs({}), [0, 1, 2]);
		assert.deepEqual(seqs({ tool: '', decision: '', outcome: '', text: '  ' }), [0, 1, 2]);
	});

	test('tool, decision, outcome: one value or several', () => {
		assert.deepEqual(seqs({ tool: 'write_file' }), [1]);
		assert.deepEqual(seqs({ tool: ['read_file', 'run_command'] }), [0, 2]);
		assert.deepEqual(seqs({ decision: 'deny' }), [2]);
		assert.deepEqual(seqs({ outcome: ['ok'] }), [0, 1]);
		assert.deepEqual(seqs({ outcome: 'ok', decision: 'approve' }), [1]);
	});

	test('free text: tool, summary, reason, arguments JSON, case-insensitive; not other fields', () => {
		assert.deepEqual(seqs({ text: 'main.TS' }), [1]);
		assert.deepEqual(seqs({ text: 'blocked' }), [2]);
		assert.deepEqual(seqs({ text: 'RUN_' }), [2]);
		assert.deepEqual(seqs({ text: '"line":"rm' }), [2], 'arguments are matched as JSON');
		assert.deepEqual(seqs({ text: 'test-client' }), [], 'client name is not searched');
		assert.deepEqual(seqs({ text: 'default:read' }), [], 'decidedBy is not searched');
	});

	test('time range: since inclusive, until exclusive, ISO or epoch ms', () => {
		assert.deepEqual(seqs({ since: '2026-01-02T00:00:00.000Z' }), [1, 2]);
		assert.deepEqual(seqs({ until: '2026-01-02T00:00:00.000Z' }), [0]);
		assert.deepEqual(seqs({ since: Date.parse('2026-01-01T12:00:00Z'), until: Date.parse('2026-01-03T00:00:00Z') }), [1]);
	});

	test('JSON-escaped spellings: quotes, tabs and backslashes in any searched field', () => {
		const quoted = record(3, { summary: 'say "hi"\tnow', arguments: { path: 'C:\\src\\a.ts' } });
		for (const text of ['say "hi"', '"hi"\tnow', 'SAY', 'C:\\src', '"path":"c:\\\\src']) {
			assert.equal(compileFilter({ text }).matches(quoted), true, text);
		}
		assert.equal(compileFilter({ text: 'absent' }).matches(quoted), false);
	});

	test('a store may match on the kept search text instead of the record', () => {
		const filter = compileFilter({ text: 'Main' });
		assert.equal(filter.matchesSearchText(searchText(records[1])), true);
		assert.equal(filter.matchesSearchText(searchText(records[0])), false);
	});
});

describe('toCsv', () => {
	test('RFC 4180 quoting, CRLF, optional BOM, formula guard on text cells only', () => {
		const csv = toCsv([
			record(7, { summary: 'a, "b"\nc', reason: '=HYPERLINK("http://x")', arguments: { cmd: '-rf' }, durationMs: 12 }),
			record(8, { summary: '@SUM(A1)', reason: undefined, decidedBy: '+1', sessionId: '-s' }),
		], { bom: true });
		assert.ok(csv.startsWith('\uFEFFseq,time,'));
		const rows = csv.slice(1).split('\r\n');
		assert.equal(rows.length, 4, 'header, two rows, trailing empty');
		assert.equal(rows[3], '');
		assert.ok(rows[1].startsWith('7,2026-01-02T03:04:05.000Z,test-client,1.0.0,session-1,read_file,files,allow,default:read,ok,'));
		assert.ok(rows[1].includes(`,"'=HYPERLINK(""http://x"")","a, ""b""\nc",12,`));
		assert.ok(rows[1].includes(`,"{""cmd"":""-rf""}",`), 'JSON starting with { is not guarded');
		assert.ok(rows[2].includes(`,'-s,`));
		assert.ok(rows[2].includes(`,'+1,ok,,'@SUM(A1),`));
		assert.ok(!toCsv([]).startsWith('\uFEFF'));
	});
});

describe('toJson', () => {
	test('a JSON array that round-trips', () => {
		const records = [record(0), record(1, { arguments: { nested: [1, 'two'] } })];
		assert.deepEqual(JSON.parse(toJson(records)), records);
		assert.deepEqual(JSON.parse(toJson([])), []);
	});
});
