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

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
	return encoder.encode(text).length;
}

/** At most `max` characters: the head and the tail, and how many characters went in between. */
export function shorten(text: string, max: number): string {
	if (text.length <= max) return text;
	const half = Math.floor(max / 2);
	return `${text.slice(0, half)}… [${text.length - 2 * half} characters omitted] …${text.slice(text.length - half)}`;
}
