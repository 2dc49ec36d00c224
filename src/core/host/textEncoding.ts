// Bytes <-> text for the file tools, with byte-order marks detected on read and kept on write.
import type { TextEncodingName } from './filesHost';

export interface DecodedText {
	readonly text: string;
	readonly encoding: TextEncodingName;
	readonly bom: boolean;
}

const BOMS: readonly { readonly encoding: TextEncodingName; readonly bytes: readonly number[] }[] = [
	{ encoding: 'utf8', bytes: [0xef, 0xbb, 0xbf] },
	{ encoding: 'utf16le', bytes: [0xff, 0xfe] },
	{ encoding: 'utf16be', bytes: [0xfe, 0xff] },
];

function bomOf(bytes: Uint8Array): (typeof BOMS)[number] | undefined {
	return BOMS.find((bom) => bom.bytes.every((byte, i) => bytes[i] === byte));
}

/** A NUL byte in the first 8 KB marks a binary file, as git and ripgrep decide; UTF-16 text is exempt by its BOM. */
export function looksBinary(bytes: Uint8Array, encoding?: TextEncodingName): boolean {
	if (encoding === 'utf16le' || encoding === 'utf16be') {
		return false;
	}
	const bom = bomOf(bytes);
	if (bom && bom.encoding !== 'utf8') {
		return false;
	}
	return bytes.subarray(0, 8192).includes(0);
}

function swapBytePairs(bytes: Uint8Array): Uint8Array {
	const swapped = new Uint8Array(bytes.length - (bytes.length % 2));
	for (let i = 0; i + 1 < bytes.length; i += 2) {
		swapped[i] = bytes[i + 1];
		swapped[i + 1] = bytes[i];
	}
	return swapped;
}

/**
 * Decodes with the BOM's encoding, else the requested one; 'auto' without a BOM tries strict UTF-8 and falls
 * back to latin1, which never fails, so legacy files still read.
 */
export function decodeText(bytes: Uint8Array, requested: TextEncodingName | 'auto'): DecodedText {
	const bom = bomOf(bytes);
	const encoding: TextEncodingName = bom && (requested === 'auto' || requested === bom.encoding) ? bom.encoding : requested === 'auto' ? 'utf8' : requested;
	const body = bom && bom.encoding === encoding ? bytes.subarray(bom.bytes.length) : bytes;
	switch (encoding) {
		case 'utf8':
			try {
				return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding, bom: !!bom };
			} catch {
				if (requested === 'utf8') {
					return { text: new TextDecoder('utf-8').decode(body), encoding, bom: !!bom };
				}
				return { text: new TextDecoder('latin1').decode(body), encoding: 'latin1', bom: false };
			}
		case 'utf16le':
			return { text: new TextDecoder('utf-16le').decode(body), encoding, bom: !!bom };
		case 'utf16be':
			return { text: new TextDecoder('utf-16le').decode(swapBytePairs(body)), encoding, bom: !!bom };
		case 'latin1':
			return { text: Array.from(body, (byte) => String.fromCharCode(byte)).join(''), encoding, bom: false };
	}
}

/** Encodes text; characters latin1 cannot hold are an error rather than silent '?' corruption. */
export function encodeText(text: string, encoding: TextEncodingName, bom: boolean): Uint8Array {
	let body: Uint8Array;
	switch (encoding) {
		case 'utf8':
			body = new TextEncoder().encode(text);
			break;
		case 'utf16le':
		case 'utf16be': {
			const le = new Uint8Array(text.length * 2);
			for (let i = 0; i < text.length; i++) {
				const code = text.charCodeAt(i);
				le[i * 2] = code & 0xff;
				le[i * 2 + 1] = code >> 8;
			}
			body = encoding === 'utf16le' ? le : swapBytePairs(le);
			break;
		}
		case 'latin1': {
			body = new Uint8Array(text.length);
			for (let i = 0; i < text.length; i++) {
				const code = text.charCodeAt(i);
				if (code > 0xff) {
					throw new RangeError(`character U+${code.toString(16).padStart(4, '0')} cannot be written in latin1`);
				}
				body[i] = code;
			}
			break;
		}
	}
	const mark = bom ? BOMS.find((b) => b.encoding === encoding)?.bytes : undefined;
	if (!mark) {
		return body;
	}
	const out = new Uint8Array(mark.length + body.length);
	out.set(mark);
	out.set(body, mark.length);
	return out;
}
