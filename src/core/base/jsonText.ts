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
 * Plain data is walked; anything JSON.stringify treats specially (toJSON, class instances) is serialized and measured.
 */
export function jsonValueBytes(value: unknown): number {
	switch (typeof value) {
		case 'string':
			return jsonBytes(value) + 2;
		case 'number':
			return Number.isFinite(value) ? String(value).length : 4;
		case 'boolean':
			return value ? 4 : 5;
		case 'object':
			return value === null ? 4 : objectBytes(value);
		default:
			// undefined, functions and symbols have no JSON of their own; a bigint throws, as JSON.stringify does.
			return utf8LengthOfJson(value);
	}
}

function objectBytes(value: object): number {
	if (Array.isArray(value)) {
		// Holes and values without JSON (undefined, functions, symbols) are written as null in an array.
		let bytes = 2 + Math.max(0, value.length - 1);
		for (let i = 0; i < value.length; i++) bytes += hasJson(value[i]) ? jsonValueBytes(value[i]) : 4;
		return bytes;
	}
	const prototype = Object.getPrototypeOf(value) as unknown;
	if ((prototype !== Object.prototype && prototype !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
		return utf8LengthOfJson(value);
	}
	let bytes = 2;
	let fields = 0;
	for (const [key, field] of Object.entries(value)) {
		if (!hasJson(field)) continue;
		bytes += jsonBytes(key) + 3 + jsonValueBytes(field);
		fields++;
	}
	return bytes + Math.max(0, fields - 1);
}

/** Whether JSON.stringify writes the value (an object's field without one is left out). */
function hasJson(value: unknown): boolean {
	return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
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
