import { createHash } from 'node:crypto';
import type { AuditEntry, AuditRecord } from '../../core/audit/auditRecord';

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785 does) and no whitespace, so the same record always
 * has the same bytes and so the same hash. Expects plain JSON data (see `toPlainJson`).
 */
export function canonicalJson(value: unknown): string {
	// Records parsed from a canonical line already have their keys in order; then the native stringify is the same
	// text, and verify runs that way for nearly every record.
	return inCanonicalOrder(value) ? JSON.stringify(value) : sortedJson(value);
}

function inCanonicalOrder(value: unknown): boolean {
	if (value === null || typeof value !== 'object') {
		return typeof value !== 'undefined' && typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint';
	}
	if (Array.isArray(value)) {
		return value.every(inCanonicalOrder);
	}
	if (Object.getPrototypeOf(value) !== Object.prototype) {
		return false;
	}
	let previous: string | undefined;
	for (const key in value) {
		if ((previous !== undefined && !(previous < key)) || !inCanonicalOrder((value as Record<string, unknown>)[key])) {
			return false;
		}
		previous = key;
	}
	return true;
}

function sortedJson(value: unknown): string {
	if (value === null || typeof value !== 'object') {
		return JSON.stringify(value) ?? 'null';
	}
	if (Array.isArray(value)) {
		return `[${value.map((item) => (item === undefined ? 'null' : sortedJson(item))).join(',')}]`;
	}
	const record = value as Record<string, unknown>;
	const parts: string[] = [];
	for (const key of Object.keys(record).sort()) {
		if (record[key] !== undefined) {
			parts.push(`${JSON.stringify(key)}:${sortedJson(record[key])}`);
		}
	}
	return `{${parts.join(',')}}`;
}

/**
 * Canonical JSON of what JSON.stringify would keep of a value (toJSON, boxed primitives, bigints as strings),
 * straight from the value: undefined when JSON.stringify would drop it (undefined, functions, symbols).
 */
function plainCanonical(value: unknown, key: string): string | undefined {
	if (value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
		value = (value as { toJSON(key: string): unknown }).toJSON(key);
	}
	if (value instanceof Number || value instanceof String || value instanceof Boolean) {
		value = value.valueOf();
	}
	switch (typeof value) {
		case 'undefined':
		case 'function':
		case 'symbol':
			return undefined;
		case 'bigint':
			return JSON.stringify(value.toString());
		case 'object':
			break;
		default:
			return JSON.stringify(value);
	}
	if (value === null) {
		return 'null';
	}
	if (Array.isArray(value)) {
		// By index, not map(): a hole in a sparse array is null to JSON.stringify, and map() would skip it.
		const items: string[] = [];
		for (let index = 0; index < value.length; index++) {
			items.push(plainCanonical(value[index], String(index)) ?? 'null');
		}
		return `[${items.join(',')}]`;
	}
	return membersJson(plainMembers(value as Record<string, unknown>));
}

/** An object's members as [key, canonical value] pairs, in canonical (sorted) order. */
function plainMembers(record: Record<string, unknown>, skip?: ReadonlySet<string>): [string, string][] {
	const members: [string, string][] = [];
	for (const key of Object.keys(record)) {
		const text = skip?.has(key) ? undefined : plainCanonical(record[key], key);
		if (text !== undefined) {
			members.push([key, text]);
		}
	}
	return members.sort(byKey);
}

function byKey([a]: [string, string], [b]: [string, string]): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function membersJson(members: readonly [string, string][]): string {
	return `{${members.map(([key, text]) => `${JSON.stringify(key)}:${text}`).join(',')}}`;
}

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
