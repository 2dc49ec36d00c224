import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditEntry, AuditRecord } from '../../core/audit/auditRecord';
import { byKey, canonicalJson, membersJson, plainMembers } from '../../core/base/canonicalJson';

const chainFields: ReadonlySet<string> = new Set(['seq', 'prev', 'hash', 'chain']);

/** Only the records of the first, unkeyed chain carry a plain hash; see ChainVerifier. */
export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The chain's MAC. Keyed, so whoever can write the audit folder cannot rewrite a record and recompute the chain: the
 * key lives elsewhere (the editor's SecretStorage).
 */
export function hmacHex(key: string, text: string): string {
	return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** What `chain` says of a keyed record; a record without it is from before keys (plain SHA-256). */
export const KEYED_CHAIN = 'hmac-sha256';

/** The MAC a record must carry: over its canonical JSON without `hash`. */
export function recordHash(record: Omit<AuditRecord, 'hash'> | AuditRecord, key: string): string {
	const { hash: _hash, ...rest } = record as AuditRecord;
	return hmacHex(key, canonicalJson(rest));
}

/**
 * Numbers and links an entry into the chain; `line` is what the store writes (canonical, no newline). Each value
 * is serialized once: the MACed text and the line share every member but `hash`.
 */
export function chainEntry(entry: AuditEntry, seq: number, prev: string, key: string): { record: AuditRecord; line: string } {
	const members = plainMembers(entry as unknown as Record<string, unknown>, chainFields);
	members.push(['seq', JSON.stringify(seq)], ['prev', JSON.stringify(prev)], ['chain', JSON.stringify(KEYED_CHAIN)]);
	members.sort(byKey);
	const hash = hmacHex(key, membersJson(members));
	members.push(['hash', JSON.stringify(hash)]);
	const line = membersJson(members.sort(byKey));
	return { record: JSON.parse(line) as AuditRecord, line };
}

export interface ChainBreak {
	readonly seq: number;
	readonly reason: string;
}

/**
 * Checks stored lines one by one, in order. Fed line by line so a store can verify files far larger than memory
 * would like. `allowMissingStart` accepts a first record that is not seq 0 (older files removed by retention);
 * `allowGaps` accepts jumps in seq (a filtered export), each record still checked against its own MAC.
 *
 * Records from before the chain was keyed (no `chain` member) are checked with plain SHA-256 and counted as legacy.
 * They are accepted only before the first keyed record, whose MAC then covers the last of them through `prev`; a log
 * of legacy records alone proves nothing (anyone can recompute plain SHA-256), and `finish` says so.
 */
export class ChainVerifier {
	private expectedSeq: number | undefined;
	private previousHash = '';
	records = 0;
	/** Records in the old, unkeyed format. */
	legacy = 0;
	/** Seq jumps accepted under allowGaps. */
	gaps = 0;
	private keyed = 0;

	constructor(private readonly key: string, private readonly allowMissingStart = false, private readonly allowGaps = false) { }

	/** Why the whole is not proven after the last line, or undefined when it is. */
	finish(): ChainBreak | undefined {
		if (this.legacy > 0 && this.keyed === 0) {
			return { seq: this.nextSeq, reason: `all ${this.legacy} records are in the old unkeyed format (plain SHA-256), which anyone can recompute: nothing proves they were not rewritten` };
		}
		return undefined;
	}

	/** The seq the next record must have (0 before the first). */
	get nextSeq(): number {
		return this.expectedSeq ?? 0;
	}

	/** Returns why the line breaks the chain, or undefined when it continues it. */
	check(line: string, where: string): ChainBreak | undefined {
		const seq = this.nextSeq;
		let parsed: unknown;
		try {
			parsed = JSON.parse(line);
		} catch {
			return { seq, reason: `${where}: not valid JSON` };
		}
		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
			return { seq, reason: `${where}: not a record` };
		}
		const record = parsed as Partial<AuditRecord>;
		if (typeof record.seq !== 'number' || typeof record.prev !== 'string' || typeof record.hash !== 'string') {
			return { seq, reason: `${where}: seq, prev or hash missing` };
		}
		// Any byte changed outside a value's meaning (spacing, escapes, key order) still shows.
		if (canonicalJson(parsed) !== line) {
			return { seq, reason: `${where}: not in canonical form (edited by hand?)` };
		}
		const keyed = (record as { chain?: unknown }).chain === KEYED_CHAIN;
		if (!keyed && (record as { chain?: unknown }).chain !== undefined) {
			return { seq: record.seq, reason: `${where}: unknown chain "${String((record as { chain?: unknown }).chain)}"` };
		}
		if (!keyed && this.keyed > 0) {
			return { seq: record.seq, reason: `${where}: an unkeyed record after keyed ones (written without the key)` };
		}
		if (this.expectedSeq === undefined) {
			if (!this.allowMissingStart && !this.allowGaps && (record.seq !== 0 || record.prev !== '')) {
				return { seq: 0, reason: `${where}: the chain starts at seq ${record.seq}; earlier records are missing` };
			}
		} else if (record.seq !== this.expectedSeq && this.allowGaps && record.seq > this.expectedSeq) {
			this.gaps++;
		} else {
			if (record.seq !== this.expectedSeq) {
				return { seq, reason: `${where}: expected seq ${this.expectedSeq}, found ${record.seq} (a record was removed, inserted or moved)` };
			}
			if (record.prev !== this.previousHash) {
				return { seq, reason: `${where}: prev does not match the hash of seq ${this.expectedSeq - 1}` };
			}
		}
		// The line is canonical, so without its top-level `,"hash":"…"` it is exactly the text that was hashed (one
		// canonicalization per record instead of two). It is the last such member: the record's later keys hold
		// scalars, whose quotes are escaped. Should another occurrence come last, the hash fails: never a false pass.
		const member = `,"hash":${JSON.stringify(record.hash)}`;
		const at = line.lastIndexOf(member);
		const hashed = at < 0 ? canonicalJson({ ...record, hash: undefined }) : line.slice(0, at) + line.slice(at + member.length);
		const expected = keyed ? hmacHex(this.key, hashed) : sha256Hex(hashed);
		if (!sameHex(expected, record.hash)) {
			return {
				seq: record.seq,
				reason: keyed
					? `${where}: the MAC does not match the record's content (the record was changed, or this is not the key it was written with)`
					: `${where}: hash does not match the record's content (the record was changed)`,
			};
		}
		this.expectedSeq = record.seq + 1;
		this.previousHash = record.hash;
		this.records++;
		if (keyed) this.keyed++;
		else this.legacy++;
		return undefined;
	}
}

function sameHex(a: string, b: string): boolean {
	return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
