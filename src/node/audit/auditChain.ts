import { createHash } from 'node:crypto';
import type { AuditEntry, AuditRecord } from '../../core/audit/auditRecord';
import { byKey, canonicalJson, membersJson, plainMembers } from '../../core/base/canonicalJson';

const chainFields: ReadonlySet<string> = new Set(['seq', 'prev', 'hash']);

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hash a record must carry: over its canonical JSON without `hash`. */
export function recordHash(record: Omit<AuditRecord, 'hash'> | AuditRecord): string {
	const { hash: _hash, ...rest } = record as AuditRecord;
	return sha256Hex(canonicalJson(rest));
}

/**
 * Numbers and links an entry into the chain; `line` is what the store writes (canonical, no newline). Each value
 * is serialized once: the hashed text and the line share every member but `hash`.
 */
export function chainEntry(entry: AuditEntry, seq: number, prev: string): { record: AuditRecord; line: string } {
	const members = plainMembers(entry as unknown as Record<string, unknown>, chainFields);
	members.push(['seq', JSON.stringify(seq)], ['prev', JSON.stringify(prev)]);
	members.sort(byKey);
	const hash = sha256Hex(membersJson(members));
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
 * would like. `allowMissingStart` accepts a first record that is not seq 0 (older files removed by retention).
 */
export class ChainVerifier {
	private expectedSeq: number | undefined;
	private previousHash = '';
	records = 0;

	constructor(private readonly allowMissingStart = false) { }

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
		if (this.expectedSeq === undefined) {
			if (!this.allowMissingStart && (record.seq !== 0 || record.prev !== '')) {
				return { seq: 0, reason: `${where}: the chain starts at seq ${record.seq}; earlier records are missing` };
			}
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
		if (sha256Hex(hashed) !== record.hash) {
			return { seq: record.seq, reason: `${where}: hash does not match the record's content (the record was changed)` };
		}
		this.expectedSeq = record.seq + 1;
		this.previousHash = record.hash;
		this.records++;
		return undefined;
	}
}
