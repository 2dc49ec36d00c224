import { jsonBytes, jsonValueBytes } from '../base/jsonText';
import { utf8Length } from '../base/text';

/**
 * The default result budget: what one tool result may put in front of a client. Claude Code refuses results over
 * 25,000 tokens (MAX_MCP_OUTPUT_TOKENS), the smallest cap among the clients we know; dense text (code, JSON, paths)
 * runs at about 3 bytes a token, so 64 KB is about 22,000 tokens at worst and 16,000 for prose. The budget counts
 * the text and the structured content together, since a client may pass both to the model.
 */
export const DEFAULT_RESULT_BUDGET_BYTES = 64 * 1024;

/** Where the rest of a cut result is, as the marker and the link name it. */
export interface ResultLink {
	readonly uri: string;
	readonly pages: number;
	readonly bytes: number;
}

export interface FittedResult {
	readonly text: string;
	readonly structured?: unknown;
}

/** About how long a marker is: strings shorter than a cut plus this are not worth cutting. */
const MARKER_CHARS = 400;
/** Room kept for the marker and the resource link the answer carries besides the text and the structured content. */
const ENVELOPE_BYTES = 1024;

/** How big an answer is, as the budget counts it: the text and the structured content, as JSON carries them. */
export function resultBytes(text: string, structured: unknown): number {
	const measured = measureResult(text, structured);
	return measured.textBytes + measured.structuredBytes;
}

/** An answer's parts measured once, so cutting a result of megabytes does not walk it again for each step. */
export interface ResultSize {
	readonly textBytes: number;
	readonly structuredBytes: number;
}

export function measureResult(text: string, structured: unknown): ResultSize {
	return { textBytes: jsonBytes(text), structuredBytes: structured === undefined ? 0 : jsonValueBytes(structured) };
}


/** The marker that stands where a cut removed something: what was cut and how to read the whole. */
export function cutMarker(omittedBytes: number, link: ResultLink): string {
	const pages = link.pages === 1 ? 'one page' : `${link.pages} pages`;
	return `[… ${omittedBytes} bytes cut here to keep the answer under the result budget. The full result (${link.bytes} bytes, ${pages}) is the resource ${link.uri}: read it with resources/read, page by page (${link.uri}?page=1 to ?page=${link.pages}) …]`;
}

/**
 * Cuts an answer to `budget` bytes: the text keeps its head and tail around a marker that names the full result;
 * structured content keeps its shape (the tool's output schema still holds), with long strings keeping head and tail
 * around the same marker and long arrays keeping their first and last items.
 */
export function fitResult(text: string, structured: unknown, budget: number, link: ResultLink, size: ResultSize = measureResult(text, structured)): FittedResult {
	const room = Math.max(256, budget - ENVELOPE_BYTES);
	if (structured === undefined) return { text: cutText(text, room, link) };
	const { textBytes, structuredBytes } = size;
	// Each part keeps a share of the room in proportion to its size, and at least a quarter: both say the same thing.
	const textShare = Math.min(Math.max(Math.floor((room * textBytes) / (textBytes + structuredBytes)), Math.floor(room / 4)), Math.floor((room * 3) / 4));
	const fittedText = textBytes <= textShare ? text : cutText(text, textShare, link);
	const fittedStructured = fitValue(structured, room - jsonBytes(fittedText), link, structuredBytes);
	return { text: fittedText, structured: fittedStructured };
}

/** Head and tail of `text` around the marker, within `maxBytes`. */
export function cutText(text: string, maxBytes: number, link: ResultLink): string {
	const bytes = jsonBytes(text);
	if (bytes <= maxBytes) return text;
	const marker = `\n${cutMarker(bytes, link)}\n`;
	const keep = Math.max(0, maxBytes - jsonBytes(marker));
	// Characters scaled by the text's own bytes per character, so multi-byte text stays within the bytes too.
	const half = Math.floor((text.length * keep) / bytes / 2);
	let head = text.slice(0, half);
	let tail = text.slice(text.length - half);
	// Never split a surrogate pair.
	if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
	if (/^[\uDC00-\uDFFF]/.test(tail)) tail = tail.slice(1);
	const omitted = utf8Length(text) - utf8Length(head) - utf8Length(tail);
	return `${head}\n${cutMarker(omitted, link)}\n${tail}`;
}

/**
 * The value with its strings and arrays shortened until its JSON fits `maxBytes`: one scale, applied to every string
 * and array alike, so no field is emptied while another stays whole. The scale is searched on an estimate (each
 * string's bytes per character, measured once), since serializing megabytes at every step of the search took seconds;
 * the result is then checked for real, and cut further in the rare case the estimate was short.
 */
function fitValue(value: unknown, maxBytes: number, link: ResultLink, valueBytes: number): unknown {
	const fits = (candidate: unknown) => jsonValueBytes(candidate) <= maxBytes;
	if (valueBytes <= maxBytes) return value;
	const shape = shapeOf(value);
	const longest = measure(value);
	const markerBytes = jsonBytes(cutMarker(Number.MAX_SAFE_INTEGER, link)) + 2;
	let low = 0;
	let high = 1;
	for (let step = 0; step < 20; step++) {
		const scale = (low + high) / 2;
		if (estimate(shape, limitsAt(scale, longest), markerBytes) <= maxBytes) low = scale;
		else high = scale;
	}
	let scale = low;
	for (let attempt = 0; attempt < 8; attempt++) {
		const candidate = shrink(value, limitsAt(scale, longest), link);
		if (fits(candidate) || scale === 0) return candidate;
		scale = attempt === 6 ? 0 : scale * 0.8;
	}
	return shrink(value, limitsAt(0, longest), link);
}

interface Longest {
	string: number;
	array: number;
}

interface Limits {
	readonly chars: number;
	readonly items: number;
}

function limitsAt(scale: number, longest: Longest): Limits {
	return { chars: Math.max(64, Math.floor(longest.string * scale)), items: Math.max(2, Math.floor(longest.array * scale)) };
}

/** A value's JSON size by parts, so a cut's size is arithmetic rather than a serialization. */
type Shape =
	| { readonly kind: 'string'; readonly length: number; readonly bytesPerChar: number }
	| { readonly kind: 'array'; readonly items: readonly Shape[] }
	| { readonly kind: 'object'; readonly fields: readonly (readonly [number, Shape])[] }
	| { readonly kind: 'other'; readonly bytes: number };

function shapeOf(value: unknown): Shape {
	if (typeof value === 'string') return { kind: 'string', length: value.length, bytesPerChar: value.length === 0 ? 1 : jsonBytes(value) / value.length };
	if (Array.isArray(value)) return { kind: 'array', items: value.map(shapeOf) };
	if (value !== null && typeof value === 'object') {
		return { kind: 'object', fields: Object.entries(value).filter(([, field]) => field !== undefined).map(([key, field]) => [jsonBytes(key) + 3, shapeOf(field)] as const) };
	}
	return { kind: 'other', bytes: utf8Length(JSON.stringify(value) ?? 'null') };
}

function estimate(shape: Shape, limits: Limits, markerBytes: number): number {
	switch (shape.kind) {
		case 'string':
			return shape.length <= limits.chars + MARKER_CHARS ? shape.length * shape.bytesPerChar + 2 : Math.ceil(limits.chars * shape.bytesPerChar) + markerBytes + 2;
		case 'array': {
			const { items } = shape;
			const kept = items.length <= limits.items ? items : [...items.slice(0, Math.ceil(limits.items / 2)), ...items.slice(items.length - Math.floor(limits.items / 2))];
			return kept.reduce((sum, item) => sum + estimate(item, limits, markerBytes) + 1, 2);
		}
		case 'object':
			return shape.fields.reduce((sum, [keyBytes, field]) => sum + keyBytes + estimate(field, limits, markerBytes), 2);
		case 'other':
			return shape.bytes;
	}
}

function measure(value: unknown, longest: Longest = { string: 0, array: 0 }): Longest {
	if (typeof value === 'string') longest.string = Math.max(longest.string, value.length);
	else if (Array.isArray(value)) {
		longest.array = Math.max(longest.array, value.length);
		for (const item of value) measure(item, longest);
	} else if (value !== null && typeof value === 'object') {
		for (const item of Object.values(value)) measure(item, longest);
	}
	return longest;
}

/** Strings longer than the limit keep head and tail around the marker; longer arrays keep their first and last items. */
function shrink(value: unknown, limits: Limits, link: ResultLink): unknown {
	const maxChars = limits.chars;
	const maxItems = limits.items;
	const walk = (item: unknown): unknown => {
		if (typeof item === 'string') {
			// A string only a little longer than the cut would grow by the marker: kept whole.
			if (item.length <= maxChars + MARKER_CHARS) return item;
			const half = Math.floor(maxChars / 2);
			return `${item.slice(0, half)}\n${cutMarker(utf8Length(item.slice(half, item.length - half)), link)}\n${item.slice(item.length - half)}`;
		}
		if (Array.isArray(item)) {
			const kept = item.length <= maxItems ? item : [...item.slice(0, Math.ceil(maxItems / 2)), ...item.slice(item.length - Math.floor(maxItems / 2))];
			return kept.map(walk);
		}
		if (item !== null && typeof item === 'object') {
			const out: Record<string, unknown> = {};
			for (const [key, field] of Object.entries(item)) out[key] = walk(field);
			// The tools' own flag for a partial answer, where their schema has one.
			if (item === value && typeof out.truncated === 'boolean') out.truncated = true;
			return out;
		}
		return item;
	};
	return walk(value);
}
