// One canonical JSON for everything compared or hashed: audit records, and the subject an approval covers.
/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785 does) and no whitespace, so the same record always
 * has the same bytes and so the same hash. Expects plain JSON data; `plainMembers` canonicalizes any value as
 * JSON.stringify would see it.
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
export function plainMembers(record: Record<string, unknown>, skip?: ReadonlySet<string>): [string, string][] {
	const members: [string, string][] = [];
	for (const key of Object.keys(record)) {
		const text = skip?.has(key) ? undefined : plainCanonical(record[key], key);
		if (text !== undefined) {
			members.push([key, text]);
		}
	}
	return members.sort(byKey);
}

export function byKey([a]: [string, string], [b]: [string, string]): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

export function membersJson(members: readonly [string, string][]): string {
	return `{${members.map(([key, text]) => `${JSON.stringify(key)}:${text}`).join(',')}}`;
}

