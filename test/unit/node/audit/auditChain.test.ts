import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { AuditEntry } from '../../../../src/core/audit/auditRecord';
import { chainEntry, ChainVerifier, hmacHex, sha256Hex } from '../../../../src/node/audit/auditChain';
import { TEST_AUDIT_KEY } from '../../fixtures/auditEntry';
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

/** The chain as specified: JSON.stringify's view of the entry, then canonical JSON, MACed without `hash`. */
function reference(entry: AuditEntry, seq: number, prev: string): string {
	const plain = JSON.parse(JSON.stringify(entry, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item))) as Record<string, unknown>;
	const unhashed = { ...plain, seq, prev, chain: 'hmac-sha256' };
	return canonicalJson({ ...unhashed, hash: hmacHex(TEST_AUDIT_KEY, canonicalJson(unhashed)) });
}

/** A record as written before the chain was keyed: plain SHA-256, no `chain`. */
function legacyLine(entry: AuditEntry, seq: number, prev: string): { line: string; hash: string } {
	const unhashed = { ...(JSON.parse(JSON.stringify(entry)) as Record<string, unknown>), seq, prev };
	const hash = sha256Hex(canonicalJson(unhashed));
	return { line: canonicalJson({ ...unhashed, hash }), hash };
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
			const { line, record } = chainEntry(entry, seq, 'f'.repeat(64), TEST_AUDIT_KEY);
			assert.equal(line, reference(entry, seq, 'f'.repeat(64)));
			assert.equal(canonicalJson(record), line);
		}), { numRuns: 500 });
	});

	test('a chain of them verifies, and a changed byte breaks it', () => {
		const verifier = new ChainVerifier(TEST_AUDIT_KEY);
		let prev = '';
		const lines: string[] = [];
		for (let seq = 0; seq < 5; seq++) {
			const { line, record } = chainEntry({ ...baseEntry, arguments: { seq, text: 'ünïcode \u2028 "quoted"' } }, seq, prev, TEST_AUDIT_KEY);
			assert.equal(verifier.check(line, `line ${seq}`), undefined);
			prev = record.hash;
			lines.push(line);
		}
		const tampered = new ChainVerifier(TEST_AUDIT_KEY);
		assert.equal(tampered.check(lines[0], 'line 0'), undefined);
		assert.match(tampered.check(lines[1].replace('"durationMs":1,', '"durationMs":2,'), 'line 1')?.reason ?? '', /MAC does not match/);
	});

	test('a log rewritten with plain SHA-256 or with another key fails; old unkeyed records before keyed ones verify as legacy', () => {
		const keyed: string[] = [];
		let prev = '';
		for (let seq = 0; seq < 3; seq++) {
			const { line, record } = chainEntry({ ...baseEntry, summary: `call ${seq}` }, seq, prev, TEST_AUDIT_KEY);
			keyed.push(line);
			prev = record.hash;
		}
		const run = (lines: string[], key = TEST_AUDIT_KEY) => {
			const verifier = new ChainVerifier(key);
			return lines.map((line, i) => verifier.check(line, `line ${i}`)).find((broken) => broken !== undefined) ?? verifier.finish();
		};
		assert.equal(run(keyed), undefined);
		// Another key: the first record already fails.
		assert.match(run(keyed, 'some-other-key')?.reason ?? '', /line 0: the MAC does not match/);
		// The attacker's rewrite: records changed, the chain recomputed with plain SHA-256 (no key needed)...
		const rewritten: string[] = [];
		prev = '';
		for (let seq = 0; seq < 3; seq++) {
			const { line, hash } = legacyLine({ ...baseEntry, summary: seq === 1 ? 'nothing happened' : `call ${seq}` }, seq, prev);
			rewritten.push(line);
			prev = hash;
		}
		assert.match(run(rewritten)?.reason ?? '', /all 3 records are in the old unkeyed format/);
		// ...or with the keyed format's `chain` member but a MAC from a guessed key.
		const { hash: _hash, ...first } = { ...(JSON.parse(rewritten[0]) as Record<string, unknown>), chain: 'hmac-sha256' } as Record<string, unknown>;
		const forged = canonicalJson({ ...first, hash: sha256Hex(canonicalJson(first)) });
		assert.match(run([forged])?.reason ?? '', /line 0: the MAC does not match/);
		// An unkeyed record after keyed ones is refused.
		assert.match(run([...keyed, legacyLine(baseEntry, 3, JSON.parse(keyed[2]).hash as string).line])?.reason ?? '', /unkeyed record after keyed ones/);
		// Legacy records first, then keyed ones that link to them: verifies, and counts the legacy ones.
		const old = legacyLine(baseEntry, 0, '');
		const next = chainEntry(baseEntry, 1, old.hash, TEST_AUDIT_KEY);
		const verifier = new ChainVerifier(TEST_AUDIT_KEY);
		assert.equal(verifier.check(old.line, 'old'), undefined);
		assert.equal(verifier.check(next.line, 'next'), undefined);
		assert.equal(verifier.finish(), undefined);
		assert.deepEqual([verifier.records, verifier.legacy], [2, 1]);
	});
});
