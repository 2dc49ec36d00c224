// Turns what a command prints into text an agent can read: escape sequences stripped, head and tail kept.
/**
 * Removes ANSI/OSC escape sequences and stray control characters from a stream of text. Stateful, because a
 * sequence can be split across two chunks; `\r\n` and lone `\r` become `\n` so progress bars read as lines.
 */
export class ControlSequenceStripper {
	private state: 'text' | 'esc' | 'csi' | 'string' | 'stringEsc' | 'intermediate' = 'text';
	private pendingCr = false;
	/** Control characters dropped outside escape sequences, and U+FFFD from invalid UTF-8: a sign of binary data. */
	suspicious = 0;
	/** Where push() writes the characters it keeps; reused, so a flood allocates no buffer per chunk. */
	private buffer = new Uint16Array(0);

	push(input: string): string {
		let chunk = input;
		if (this.state === 'text' && !this.pendingCr) {
			if (isPlain(chunk)) {
				return chunk;
			}
			// Whole colour and title sequences go in one native pass; the loop below sees only what is left.
			chunk = chunk.replace(completeSequence, '');
			if (isPlain(chunk)) {
				return chunk;
			}
		}
		// One pass over character codes into a code buffer: no regular expression, no string per character. Binary
		// output is mostly characters that need a look (NUL, U+FFFD, lone CRs); a match object and a piece for each
		// cost 30 ms and more per 64 KB chunk, and a stream may deliver 32 chunks in one turn of the event loop.
		const length = chunk.length;
		// A carriage return held from the chunk before may come out here as one more character than came in.
		const out = this.codes(length + 1);
		let n = 0;
		let i = 0;
		while (i < length) {
			if (this.state !== 'text') {
				i = this.sequence(chunk.charCodeAt(i), i);
				continue;
			}
			const code = chunk.charCodeAt(i);
			// A carriage return waits for the next visible character: an invisible sequence between \r and \n
			// must not turn one line break into two.
			if (this.pendingCr && code !== 0x1b && code !== 0x9b && code !== 0x9d) {
				this.pendingCr = false;
				out[n++] = 0x0a;
				if (code === 0x0a) {
					i++;
					continue;
				}
			}
			if (!needsLook(code)) {
				out[n++] = code;
			} else if (code === 0xfffd) {
				// Kept in the text, and counted: invalid UTF-8 is a sign of binary data.
				this.suspicious++;
				out[n++] = code;
			} else {
				this.control(code);
			}
			i++;
		}
		return fromCodes(out, n);
	}

	/** A reused buffer of at least `size` code units (a stream's chunks are about the same size every time). */
	private codes(size: number): Uint16Array {
		if (this.buffer.length < size) {
			this.buffer = new Uint16Array(size);
		}
		return this.buffer;
	}

	private control(code: number): void {
		if (code === 0x1b) {
			this.state = 'esc';
		} else if (code === 0x9b) {
			this.state = 'csi';
		} else if (code === 0x9d) {
			this.state = 'string';
		} else if (code === 0x0d) {
			this.pendingCr = true;
		} else if (code !== 0x07) {
			this.suspicious++;
		}
	}

	/** Consumes one character inside an escape sequence; returns the index to continue at. */
	private sequence(code: number, i: number): number {
		switch (this.state) {
			case 'esc':
				if (code === 0x5b) {
					this.state = 'csi';
				} else if (code === 0x5d || code === 0x50 || code === 0x58 || code === 0x5e || code === 0x5f) {
					// OSC, DCS, SOS, PM, APC: a string terminated by BEL or ST.
					this.state = 'string';
				} else if (code >= 0x20 && code <= 0x2f) {
					this.state = 'intermediate';
				} else {
					this.state = 'text';
				}
				return i + 1;
			case 'intermediate':
				if (code < 0x20 || code > 0x2f) {
					this.state = 'text';
				}
				return i + 1;
			case 'csi':
				if (code >= 0x40 && code <= 0x7e) {
					this.state = 'text';
				} else if (code < 0x20 || code > 0x3f) {
					// Not a valid CSI byte: give up on the sequence rather than eat the text after it.
					this.state = 'text';
					return i;
				}
				return i + 1;
			case 'string':
				if (code === 0x07 || code === 0x9c) {
					this.state = 'text';
				} else if (code === 0x1b) {
					this.state = 'stringEsc';
				}
				return i + 1;
			default:
				this.state = code === 0x5c ? 'text' : 'string';
				return i + 1;
		}
	}

	/** Text held back at the end of the stream (a trailing `\r`). */
	end(): string {
		if (this.pendingCr) {
			this.pendingCr = false;
			return '\n';
		}
		return '';
	}
}

/** Anything the stripper must look at; a chunk without these passes through untouched (the common case, fast). */
const needsStripping = /[\x00-\x08\x0b-\x1f\x7f\x9b\x9d\ufffd]/;

/** Code units per String.fromCharCode call: far below any engine's limit on arguments. */
const FROM_CODES_BLOCK = 8192;

/** The string of the first `length` code units, exactly (a lone surrogate stays as it is, for its pair in the next chunk). */
function fromCodes(codes: Uint16Array, length: number): string {
	let text = '';
	for (let start = 0; start < length; start += FROM_CODES_BLOCK) {
		// apply takes the typed array as it is; spreading it into arguments is several times slower.
		text += Reflect.apply(String.fromCharCode, null, codes.subarray(start, Math.min(length, start + FROM_CODES_BLOCK))) as string;
	}
	return text;
}

/** The same set as needsStripping, one character code at a time. */
function needsLook(code: number): boolean {
	return code < 0x20 ? code !== 0x0a && code !== 0x09 : code === 0x7f || code === 0x9b || code === 0x9d || code === 0xfffd;
}
/** A complete CSI sequence (colours, cursor moves) or OSC string (titles, links, shell integration marks). */
const completeSequence = /\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

function isPlain(chunk: string): boolean {
	return !needsStripping.test(chunk);
}

/**
 * Keeps the first and last parts of a stream of text within a fixed budget, however much flows through it, and
 * numbers every character so a reader can ask for "everything after offset N".
 */
export class CappedText {
	private head = '';
	private tailPieces: string[] = [];
	/** Index of the first piece still kept; the ones before it fell off the front. */
	private tailFirst = 0;
	private tailLength = 0;
	private total = 0;
	private readonly headLimit: number;
	private readonly tailLimit: number;

	constructor(maxChars: number) {
		const budget = Math.max(2, Math.floor(maxChars));
		this.headLimit = Math.floor(budget / 2);
		this.tailLimit = budget - this.headLimit;
	}

	get totalChars(): number {
		return this.total;
	}

	get truncated(): boolean {
		return this.droppedChars > 0;
	}

	private get droppedChars(): number {
		return this.total - this.head.length - this.tailLength;
	}

	append(text: string): void {
		if (text.length === 0) {
			return;
		}
		this.total += text.length;
		let rest = text;
		if (this.head.length < this.headLimit) {
			const room = this.headLimit - this.head.length;
			this.head += rest.slice(0, room);
			rest = rest.slice(room);
		}
		if (rest.length === 0) {
			return;
		}
		this.tailPieces.push(rest);
		this.tailLength += rest.length;
		// Whole pieces fall off the front without copying; the kept tail exceeds its budget by less than one piece.
		// An index moves past them, and the array is cut only once half of it is dropped: shift() moved every piece
		// left each time, quadratic in a flood of tiny chunks (400,000 one-character appends took 7 s).
		while (this.tailPieces.length - this.tailFirst > 1 && this.tailLength - this.tailPieces[this.tailFirst].length >= this.tailLimit) {
			this.tailLength -= this.tailPieces[this.tailFirst].length;
			this.tailFirst++;
		}
		if (this.tailFirst > 1024 && this.tailFirst * 2 > this.tailPieces.length) {
			this.tailPieces = this.tailPieces.slice(this.tailFirst);
			this.tailFirst = 0;
		}
	}

	private compactTail(): void {
		const joined = this.tailPieces.slice(this.tailFirst).join('');
		this.tailFirst = 0;
		const kept = joined.slice(joined.length - Math.min(joined.length, this.tailLimit));
		this.tailPieces = kept.length > 0 ? [kept] : [];
		this.tailLength = kept.length;
	}

	/** The kept text, with a marker where the middle was dropped. */
	text(): string {
		this.compactTail();
		const tail = this.tailPieces.join('');
		const dropped = this.droppedChars;
		return dropped > 0 ? `${this.head}${omissionMarker(dropped)}${tail}` : this.head + tail;
	}

	/** Text from offset `since` on, or from the oldest kept character after it. */
	read(since: number): { text: string; from: number; skipped: number } {
		this.compactTail();
		const start = Math.max(0, Math.min(Math.floor(since), this.total));
		const tail = this.tailPieces.join('');
		const tailStart = this.total - tail.length;
		if (start < this.head.length) {
			const dropped = this.droppedChars;
			return { text: this.head.slice(start) + (dropped > 0 ? omissionMarker(dropped) : '') + tail, from: start, skipped: 0 };
		}
		if (start >= tailStart) {
			return { text: tail.slice(start - tailStart), from: start, skipped: 0 };
		}
		return { text: tail, from: tailStart, skipped: tailStart - start };
	}
}

function omissionMarker(dropped: number): string {
	return `\n\n[… ${dropped} characters omitted …]\n\n`;
}

/** Text capture for one command: decode, strip, cap. */
export class OutputCapture {
	private readonly stripper = new ControlSequenceStripper();
	readonly text: CappedText;

	constructor(maxChars: number) {
		this.text = new CappedText(maxChars);
	}

	pushText(raw: string): void {
		this.text.append(this.stripper.push(raw));
	}

	end(): void {
		this.text.append(this.stripper.end());
	}

	/** Binary data decodes to many replacement and control characters; a few are normal in logs. */
	get binary(): boolean {
		const total = this.text.totalChars + this.stripper.suspicious;
		return this.stripper.suspicious > 16 && this.stripper.suspicious * 20 > total;
	}
}
