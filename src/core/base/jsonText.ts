// Text measured as it goes over the wire inside JSON: UTF-8 bytes after JSON escaping. A cap in characters lets a
// string of U+FFFD (3 bytes each) or of control characters (6 bytes each as \u00XX) grow to several times its budget.
import { utf8Length } from './text';


/** The UTF-8 bytes the code unit at `index` takes inside a JSON string (a surrogate pair: 2 + 2). */
function unitBytes(text: string, index: number): number {
	const code = text.charCodeAt(index);
	if (code < 0x20) return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6;
	if (code === 0x22 || code === 0x5c) return 2;
	if (code < 0x80) return 1;
	if (code < 0x800) return 2;
	if (code >= 0xd800 && code <= 0xdbff) {
		const next = text.charCodeAt(index + 1);
		return next >= 0xdc00 && next <= 0xdfff ? 2 : 6;
	}
	if (code >= 0xdc00 && code <= 0xdfff) {
		const previous = text.charCodeAt(index - 1);
		return previous >= 0xd800 && previous <= 0xdbff ? 2 : 6;
	}
	return 3;
}

/** Bytes of `JSON.stringify(text)` in UTF-8, without the two quotes. */
export function jsonBytes(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) bytes += unitBytes(text, i);
	return bytes;
}

/**
 * Bytes of `JSON.stringify(value)` in UTF-8, counted without building it: a result of megabytes is measured several
 * times on its way out, and each serialization of it held the event loop for about 100 ms (issue 12's floods).
 * The walk is the standard's SerializeJSONProperty step for step (toJSON with its key, boxed primitives, what is
 * left out or written as null), so the count is exact for any value, and throws where JSON.stringify throws.
 */
export function jsonValueBytes(value: unknown): number {
	try {
		return propertyBytes(value, '', []) ?? 0;
	} catch (error) {
		// Deeper than this walk's stack allows (JSON.stringify's own limit is higher): measured by serializing.
		if (error instanceof RangeError) return utf8LengthOfJson(value);
		throw error;
	}
}

/** The bytes of one property's JSON, or undefined where JSON.stringify writes nothing for it. */
function propertyBytes(input: unknown, key: string, ancestors: object[]): number | undefined {
	let value = input;
	if ((typeof value === 'object' && value !== null) || typeof value === 'function' || typeof value === 'bigint') {
		const toJSON = (value as { toJSON?: unknown }).toJSON;
		if (typeof toJSON === 'function') value = toJSON.call(value, key) as unknown;
	}
	value = unboxed(value);
	switch (typeof value) {
		case 'string':
			return jsonBytes(value) + 2;
		case 'number':
			return Number.isFinite(value) ? String(value).length : 4;
		case 'boolean':
			return value ? 4 : 5;
		case 'bigint':
			throw new TypeError('Do not know how to serialize a BigInt');
		case 'object':
			return value === null ? 4 : objectBytes(value, ancestors);
		default:
			// undefined, functions and symbols: left out of an object, null in an array.
			return undefined;
	}
}

/** A Number, String, Boolean or BigInt object stands for its primitive, as JSON.stringify converts it. */
function unboxed(value: unknown): unknown {
	if (typeof value !== 'object' || value === null) return value;
	// Plain data, the common case, is told apart without a throw: looking for the slots throws on every other object,
	// about 20 µs an object (2 s for 100,000 search matches). Only a boxed primitive that hides behind a
	// Symbol.toStringTag of "Object" or "Array" would pass here wrongly.
	const tag = Object.prototype.toString.call(value);
	if (tag === '[object Object]' || tag === '[object Array]') return value;
	if (hasSlot(Number.prototype.valueOf, value)) return Number(value);
	if (hasSlot(String.prototype.valueOf, value)) return String(value);
	if (hasSlot(Boolean.prototype.valueOf, value)) return Boolean.prototype.valueOf.call(value);
	if (hasSlot(BigInt.prototype.valueOf, value)) return BigInt.prototype.valueOf.call(value);
	return value;
}

/** Whether `value` carries the internal slot `valueOf` reads (it throws on anything else, whatever its prototype). */
function hasSlot(valueOf: (this: unknown) => unknown, value: object): boolean {
	try {
		valueOf.call(value);
		return true;
	} catch {
		return false;
	}
}

function objectBytes(value: object, ancestors: object[]): number {
	if (ancestors.includes(value)) throw new TypeError('Converting circular structure to JSON');
	ancestors.push(value);
	let bytes = 2;
	if (Array.isArray(value)) {
		const items = value as unknown[];
		for (let i = 0; i < items.length; i++) bytes += (i > 0 ? 1 : 0) + (propertyBytes(items[i], String(i), ancestors) ?? 4);
	} else {
		let fields = 0;
		for (const key of Object.keys(value)) {
			const field = propertyBytes((value as Record<string, unknown>)[key], key, ancestors);
			if (field === undefined) continue;
			bytes += (fields++ > 0 ? 1 : 0) + jsonBytes(key) + 3 + field;
		}
	}
	ancestors.pop();
	return bytes;
}

function utf8LengthOfJson(value: unknown): number {
	const json = JSON.stringify(value) as string | undefined;
	return json === undefined ? 0 : utf8Length(json);
}

/** How many code units from the start fit in `maxBytes`, never splitting a surrogate pair. */
function headFitting(text: string, maxBytes: number): number {
	let bytes = 0;
	let i = 0;
	while (i < text.length && bytes + unitBytes(text, i) <= maxBytes) bytes += unitBytes(text, i++);
	const code = text.charCodeAt(i - 1);
	return i > 0 && code >= 0xd800 && code <= 0xdbff ? i - 1 : i;
}

/** How many code units from the end fit in `maxBytes`, never splitting a surrogate pair. */
function tailFitting(text: string, maxBytes: number): number {
	let bytes = 0;
	let i = text.length;
	while (i > 0 && bytes + unitBytes(text, i - 1) <= maxBytes) bytes += unitBytes(text, --i);
	const code = text.charCodeAt(i);
	return i < text.length && code >= 0xdc00 && code <= 0xdfff ? text.length - i - 1 : text.length - i;
}

/** The longest end of `text` whose JSON form fits in `maxBytes`: for output read from an offset, newest kept. */
export function jsonTail(text: string, maxBytes: number): string {
	return text.slice(text.length - tailFitting(text, maxBytes));
}

/** `text` within `maxBytes` as JSON: whole when it fits, else its head and tail with a marker between. */
export function capJsonText(text: string, maxBytes: number): { text: string; truncated: boolean } {
	if (jsonBytes(text) <= maxBytes) return { text, truncated: false };
	// The marker's own size, with room for any count of omitted characters.
	const room = Math.max(0, maxBytes - jsonBytes(omitted(text.length, maxBytes)));
	const head = headFitting(text, Math.floor(room / 2));
	const tail = tailFitting(text, room - jsonBytes(text.slice(0, head)));
	return { text: `${text.slice(0, head)}${omitted(text.length - head - tail, maxBytes)}${text.slice(text.length - tail)}`, truncated: true };
}

function omitted(count: number, maxBytes: number): string {
	return `\n… [${count} characters omitted: output capped at ${maxBytes} bytes] …\n`;
}
