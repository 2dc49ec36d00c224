import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { AuditEntry } from '../../../../src/core/audit/auditRecord';
import { chainEntry, ChainVerifier, sha256Hex } from '../../../../src/node/audit/auditChain';
import { canonicalJson } from '../../../../src/core/base/canonicalJson';

const baseEntry: AuditEntry = {
	time: '2026-11-22T04:00:00.000Z',
	client: { name: 'test', version: '1' },
	sessionId: 's',
	tool: 'write_file',
	family: 'files',
	arguments: {},
	decision: 'allow',
	decidedBy: 'default:read',
	durationMs: 1,
	outcome: 'ok',
	resultBytes: 0,
	truncated: false,
};

/** The chain as first specified: JSON.stringify's view of the entry, then canonical JSON, hashed without `hash`. */
function reference(entry: AuditEntry, seq: number, prev: string): string {
	const plain = JSON.parse(JSON.stringify(entry, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item))) as Record<string, unknown>;
	const unhashed = { ...plain, seq, prev };
	return canonicalJson({ ...unhashed, hash: sha256Hex(canonicalJson(unhashed)) });
}

describe('audit chain lines', () => {
	test('match canonical JSON of what JSON.stringify keeps, for any arguments', () => {
		const odd = fc.oneof(
			fc.constant(undefined),
			fc.constant(() => 1),
			fc.constant(Symbol('s')),
			fc.bigInt().map((n) => n),
			fc.date({ noInvalidDate: true }),
			fc.constant(new String('boxed')),
			fc.constant({ toJSON: (key: string) => `toJSON(${key})` }),
			fc.constantFrom(Number.NaN, Infinity, -0),
			fc.constant([1, , 3]),
			fc.constant(Object.assign(() => 1, { toJSON: () => 'function with toJSON' })),
		);
		const value = fc.letrec((tie) => ({
			any: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), odd, fc.array(tie('any'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('any'), { maxKeys: 4 })),
		})).any;
		fc.assert(fc.property(value, fc.option(fc.string()), fc.nat(), (args, summary, seq) => {
			const entry = { ...baseEntry, arguments: args, ...(summary === null ? {} : { summary }) } as AuditEntry;
			const { line, record } = chainEntry(entry, seq, 'f'.repeat(64));
			assert.equal(line, reference(entry, seq, 'f'.repeat(64)));
			assert.equal(canonicalJson(record), line);
		}), { numRuns: 500 });
	});

	test('a chain of them verifies, and a changed byte breaks it', () => {
		const verifier = new ChainVerifier();
		let prev = '';
		const lines: string[] = [];
		for (let seq = 0; seq < 5; seq++) {
			const { line, record } = chainEntry({ ...baseEntry, arguments: { seq, text: 'ünïcode \u2028 "quoted"' } }, seq, prev);
			assert.equal(verifier.check(line, `line ${seq}`), undefined);
			prev = record.hash;
			lines.push(line);
		}
		const tampered = new ChainVerifier();
		assert.equal(tampered.check(lines[0], 'line 0'), undefined);
		assert.match(tampered.check(lines[1].replace('"durationMs":1,', '"durationMs":2,'), 'line 1')?.reason ?? '', /hash does not match/);
	});
});
