import { utf8Length } from '../base/text';


/** A full tool result kept after the client received only part of it. */
export interface StoredResult {
	readonly id: string;
	/** Where each page starts and ends, worked out on the first read. */
	pages?: [number, number][];
	readonly sessionId: string;
	readonly tool: string;
	/** The whole result text, already redacted. */
	readonly text: string;
	readonly bytes: number;
	readonly createdAt: number;
}

/** One page of a stored result. */
export interface ResultPage {
	readonly text: string;
	readonly page: number;
	readonly pages: number;
	readonly bytes: number;
}

/** What a session may read of the results kept for it: only its own. */
export interface ResultsPort {
	page(id: string, page: number): ResultPage | undefined;
	/** The URI a stored result is read from, page 1 when `page` is absent. */
	uri(id: string, page?: number): string;
}

export const RESULT_SCHEME = 'workbench';
export const RESULT_URI_TEMPLATE = `${RESULT_SCHEME}://results/{id}{?page}`;

export function resultUri(id: string, page?: number): string {
	return `${RESULT_SCHEME}://results/${id}${page === undefined ? '' : `?page=${page}`}`;
}

/**
 * Kept in memory, for the session that produced them, until the session ends or the store needs the room: an agent
 * pages through a result soon after it arrives, so the oldest go first. 64 MB holds a dozen 5 MB files at once, and
 * one editor window serving a few agents does not need more.
 */
export const DEFAULT_RESULT_STORE_BYTES = 64 * 1024 * 1024;

/**
 * Full results the client received cut to the result budget, read back in pages (`workbench://results/{id}?page=n`).
 * Bounded in bytes: the oldest results go first. Pure: ids come from the caller's random source.
 */
export class ResultStore {
	private readonly results = new Map<string, StoredResult>();
	private totalBytes = 0;

	constructor(
		private readonly maxBytes: () => number,
		private readonly pageBytes: () => number,
		private readonly newId: () => string,
		private readonly now: () => number = Date.now,
	) {}

	get bytes(): number {
		return this.totalBytes;
	}

	get size(): number {
		return this.results.size;
	}

	/** Keeps `text` for `sessionId`; undefined when it cannot be kept (larger than the whole store). */
	put(sessionId: string, tool: string, text: string): StoredResult | undefined {
		const bytes = utf8Length(text);
		const max = this.maxBytes();
		if (bytes > max) return undefined;
		while (this.totalBytes + bytes > max) {
			const oldest = this.results.values().next().value as StoredResult | undefined;
			if (!oldest) break;
			this.remove(oldest.id);
		}
		const stored: StoredResult = { id: this.newId(), sessionId, tool, text, bytes, createdAt: this.now() };
		this.results.set(stored.id, stored);
		this.totalBytes += bytes;
		return stored;
	}

	/** How many pages a stored result has. */
	pagesOf(stored: StoredResult): number {
		return this.pagesFor(stored).length;
	}

	private pagesFor(stored: StoredResult): [number, number][] {
		stored.pages ??= paginate(stored.text, this.pageBytes());
		return stored.pages;
	}

	/** What `sessionId` may read: its own results and nobody else's (another session's id reads as not found). */
	scoped(sessionId: string): ResultsPort {
		return {
			page: (id, page) => {
				const stored = this.results.get(id);
				if (!stored || stored.sessionId !== sessionId) return undefined;
				const pages = this.pagesFor(stored);
				if (page < 1 || page > pages.length) return { text: '', page, pages: pages.length, bytes: stored.bytes };
				const [start, end] = pages[page - 1];
				return { text: stored.text.slice(start, end), page, pages: pages.length, bytes: stored.bytes };
			},
			uri: resultUri,
		};
	}

	/** The session ended: its results can no longer be read by anyone. */
	dropSession(sessionId: string): void {
		for (const stored of [...this.results.values()]) if (stored.sessionId === sessionId) this.remove(stored.id);
	}

	clear(): void {
		this.results.clear();
		this.totalBytes = 0;
	}

	private remove(id: string): void {
		const stored = this.results.get(id);
		if (!stored) return;
		this.results.delete(id);
		this.totalBytes -= stored.bytes;
	}
}

/**
 * Character ranges of at most `maxBytes` bytes each, as JSON carries them (UTF-8, with escapes), ending at a line break when one lies in the page's last
 * quarter (a page then holds whole lines), never inside a surrogate pair.
 */
export function paginate(text: string, maxBytes: number): [number, number][] {
	const ranges: [number, number][] = [];
	let start = 0;
	while (start < text.length) {
		let end = start;
		let bytes = 0;
		while (end < text.length) {
			const code = text.charCodeAt(end);
			const width = code < 0x20 ? (code === 10 || code === 9 || code === 13 || code === 8 || code === 12 ? 2 : 6) : code === 0x22 || code === 0x5c ? 2 : code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? 4 : 3;
			const step = width === 4 ? 2 : 1;
			if (bytes + width > maxBytes && end > start) break;
			bytes += width;
			end += step;
		}
		if (end < text.length) {
			const newline = text.lastIndexOf('\n', end - 1);
			if (newline >= start && newline + 1 > start + Math.floor(((end - start) * 3) / 4)) end = newline + 1;
		}
		ranges.push([start, end]);
		start = end;
	}
	return ranges;
}
