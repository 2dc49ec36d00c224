// Text measured and cut the same way everywhere: answers, audit records and echoed input keep their head and tail.

/** Keeps the head and the tail, which is where errors and summaries usually are. */
export function capText(text: string, maxBytes: number): { text: string; truncated: boolean } {
	const bytes = utf8Length(text);
	if (bytes <= maxBytes) return { text, truncated: false };
	// Scale characters by the text's own bytes-per-character so multi-byte text stays under the cap too.
	const half = Math.floor((text.length * maxBytes) / bytes / 2);
	const head = text.slice(0, half);
	const tail = text.slice(text.length - half);
	const omitted = text.length - head.length - tail.length;
	return { text: `${head}\n… [${omitted} characters omitted: output capped at ${maxBytes} bytes] …\n${tail}`, truncated: true };
}

const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * Bytes of `text` in UTF-8 (a lone surrogate counts as the 3 bytes of U+FFFD, as TextEncoder writes it). Counted,
 * not encoded: encoding allocates a copy, and results of megabytes are measured several times on their way out.
 */
export function utf8Length(text: string): number {
	// ASCII (most output) is one byte a character: the regex engine finds the first other character far faster than
	// a loop over megabytes, and the loop starts there.
	const first = text.search(NOT_ASCII);
	if (first < 0) return text.length;
	let bytes = text.length;
	for (let i = first; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x80) continue;
		if (code < 0x800) {
			bytes += 1;
		} else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
			// A pair: 2 code units, 4 bytes.
			bytes += 2;
			i++;
		} else {
			bytes += 2;
		}
	}
	return bytes;
}

/** At most `max` characters: the head and the tail, and how many characters went in between. */
export function shorten(text: string, max: number): string {
	if (text.length <= max) return text;
	const half = Math.floor(max / 2);
	return `${text.slice(0, half)}… [${text.length - 2 * half} characters omitted] …${text.slice(text.length - half)}`;
}
