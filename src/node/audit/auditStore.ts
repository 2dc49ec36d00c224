import { ftruncateSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AuditEntry, AuditRecord, AuditSink } from '../../core/audit/auditRecord';
import { compileFilter, searchText, toCsv } from '../../core/audit/auditQuery';
import { Emitter } from '../../core/base/event';
import type { AuditFilter, CompiledAuditFilter } from '../../core/audit/auditQuery';
import { ChainVerifier, chainEntry } from './auditChain';
import { readUpTo } from '../files/fileBytes';

const FILE_PATTERN = /^audit-(\d+)\.jsonl$/;
const NEWLINE = 0x0a;

export interface AuditStoreOptions {
	/**
	 * The key of the chain's HMAC. It must live outside the audit folder (the extension keeps it in SecretStorage):
	 * whoever can write the folder could otherwise rewrite a record and recompute the chain.
	 */
	readonly key: string;
	/** A file that would grow past this starts the next one. Default 10 MB. */
	readonly maxFileBytes?: number;
	/** Keep at most this many files, deleting the oldest. Default: keep everything. */
	readonly maxFiles?: number;
	/**
	 * Records whose lines the store keeps in memory, the newest; older ones are read from the files when a query
	 * reaches them. Default 10,000 (about 6 MB); the index no longer grows with every call.
	 */
	readonly memoryRecords?: number;
	/**
	 * fdatasync after every record. Default true: a record whose append resolved survives a power cut, not just a
	 * crash of the extension host. Tool calls are far slower than a sync, so the cost does not show.
	 */
	readonly fsync?: boolean;
}

export interface AuditOpenReport {
	readonly records: number;
	readonly files: number;
	/** An incomplete last line (a crash mid-write), moved out of the file into `movedTo`. */
	readonly torn?: { readonly file: string; readonly bytes: number; readonly movedTo: string };
	/** Complete lines that did not parse; left in place (verify reports them) and left out of queries. */
	readonly unreadableLines: number;
}

export interface AuditQuery {
	readonly offset?: number;
	readonly limit?: number;
	readonly filter?: AuditFilter;
}

export interface AuditPage {
	/** Newest first. */
	readonly rows: AuditRecord[];
	/** Records matching the filter, across all pages. */
	readonly total: number;
}

export interface AuditVerifyResult {
	readonly ok: boolean;
	readonly records: number;
	/** Records from before the chain was keyed (plain SHA-256); present when there are any. */
	readonly legacy?: number;
	readonly firstBadSeq?: number;
	readonly reason?: string;
}

interface AuditFile {
	readonly number: number;
	readonly path: string;
	size: number;
	/** Records of this file in the in-memory index, so retention can drop them. */
	records: number;
}

async function readPrefix(path: string, size: number): Promise<Buffer> {
	const handle = await open(path, 'r');
	try {
		return await readUpTo(handle, size);
	} finally {
		await handle.close();
	}
}

/** Makes a new file's directory entry durable. Windows cannot open directories; there the file sync suffices. */
async function syncDirectory(folder: string): Promise<void> {
	let handle: FileHandle | undefined;
	try {
		handle = await open(folder, 'r');
		await handle.sync();
	} catch {
		// Best effort: see above.
	} finally {
		await handle?.close();
	}
}

/** Whether a complete line is a record the index counts: the same test on open and when older records are read. */
function isRecordLine(line: string): boolean {
	if (line === '') return false;
	try {
		const record = JSON.parse(line) as AuditRecord;
		return record !== null && typeof record === 'object' && typeof record.seq === 'number' && typeof record.hash === 'string';
	} catch {
		return false;
	}
}

async function listAuditFiles(folder: string): Promise<{ number: number; path: string }[]> {
	const files: { number: number; path: string }[] = [];
	for (const name of await readdir(folder)) {
		const match = FILE_PATTERN.exec(name);
		if (match) {
			files.push({ number: Number(match[1]), path: join(folder, name) });
		}
	}
	return files.sort((a, b) => a.number - b.number);
}

/**
 * The audit trail: append-only JSONL files `audit-<n>.jsonl` in one folder, chained by an HMAC whose key is kept
 * elsewhere.
 *
 * Every record is written by one `write` of a whole line, appends are serialized through a promise queue so the
 * chain never forks, and opening cuts off (but keeps aside) a line torn by a crash. For the panel the store keeps
 * the newest records' JSON lines plus the few fields filters need in memory (~615 B of heap per 530-byte record), a
 * bounded window (`memoryRecords`): a page of recent rows is a scan of arrays, and a query that reaches further back
 * (a later page, a filter's total) reads the older records from the files. `verify` re-reads the files, trusting
 * nothing in memory.
 */
export class AuditStore implements AuditSink {
	private readonly maxFileBytes: number;
	private readonly maxFiles: number | undefined;
	private readonly fsync: boolean;
	private readonly key: string;
	private readonly memoryRecords: number;
	/** Records in the files (readable ones), in memory or not. */
	private total = 0;

	private opening: Promise<AuditOpenReport> | undefined;
	private queue: Promise<unknown> = Promise.resolve();
	private closed = false;
	/** Set when a failed write could not be undone: appending after a torn fragment would corrupt the next record. */
	private broken: Error | undefined;
	private files: AuditFile[] = [];
	private handle: FileHandle | undefined;
	private nextSeq = 0;
	private lastHash = '';

	// In-memory index, oldest first. Parallel arrays rather than objects: 100,000 records stay a few small arrays.
	private lines: string[] = [];
	private tools: string[] = [];
	private decisions: string[] = [];
	private outcomes: string[] = [];
	private times: number[] = [];
	/** Built on the first free-text query only (~150 B per record), then kept up to date. */
	private searchTexts: string[] | undefined;
	/** One string per distinct tool/decision/outcome, instead of one per record. */
	private readonly interned = new Map<string, string>();
	// A failing view must not fail the tool call that is being audited: the emitter keeps listener errors apart.
	private readonly _onDidAppend = new Emitter<AuditRecord>();
	/** Fires once per record, after its line was written. */
	readonly onDidAppend = this._onDidAppend.event;

	constructor(private readonly folder: string, options: AuditStoreOptions) {
		this.key = options.key;
		this.maxFileBytes = options.maxFileBytes ?? 10 * 1024 * 1024;
		this.maxFiles = options.maxFiles;
		this.fsync = options.fsync ?? true;
		this.memoryRecords = Math.max(1, options.memoryRecords ?? 10_000);
	}

	/** Loads the folder; every other method calls it, calling it first only gets the report early. */
	open(): Promise<AuditOpenReport> {
		this.opening ??= this.load();
		return this.opening;
	}

	get count(): number {
		return this.total;
	}

	/** Records whose lines are in memory now: at most a quarter more than `memoryRecords`. */
	get inMemory(): number {
		return this.lines.length;
	}

	append(entry: AuditEntry): Promise<AuditRecord> {
		return this.enqueue(async () => {
			await this.open();
			if (this.closed) {
				throw new Error('The audit store is closed.');
			}
			if (this.broken) {
				throw this.broken;
			}
			const { record, line } = chainEntry(entry, this.nextSeq, this.lastHash, this.key);
			const bytes = Buffer.from(line + '\n', 'utf8');
			let file = this.files.at(-1);
			if (!file || (file.size > 0 && file.size + bytes.length > this.maxFileBytes)) {
				file = await this.startFile();
			}
			this.handle ??= await open(file.path, 'a');
			this.writeLine(this.handle, file, bytes);
			file.size += bytes.length;
			file.records++;
			this.nextSeq = record.seq + 1;
			this.lastHash = record.hash;
			this.index(record, line);
			if (this.fsync) {
				await this.handle.datasync();
			}
			this._onDidAppend.fire(record);
			return record;
		});
	}

	/** Re-reads every file and checks seq, prev and hash of each record, and that each line is exactly as written. */
	async verify(): Promise<AuditVerifyResult> {
		// Listed and measured between appends; the bytes are then read without holding up the queue.
		const files = await this.enqueue(async () => {
			await this.open();
			return Promise.all((await listAuditFiles(this.folder)).map(async (file) => ({ ...file, size: (await stat(file.path)).size })));
		});
		const verifier = new ChainVerifier(this.key, this.maxFiles !== undefined);
		const legacy = () => (verifier.legacy > 0 ? { legacy: verifier.legacy } : {});
		for (const file of files) {
			const text = (await readPrefix(file.path, file.size)).toString('utf8');
			const lines = text.split('\n');
			if (lines.at(-1) !== '') {
				return { ok: false, records: verifier.records, ...legacy(), firstBadSeq: verifier.nextSeq, reason: `${basename(file.path)}: the last line is incomplete` };
			}
			for (let i = 0; i < lines.length - 1; i++) {
				if (lines[i] === '') {
					continue;
				}
				const broken = verifier.check(lines[i], `${basename(file.path)}:${i + 1}`);
				if (broken) {
					return { ok: false, records: verifier.records, ...legacy(), firstBadSeq: broken.seq, reason: broken.reason };
				}
			}
		}
		const unproven = verifier.finish();
		if (unproven) return { ok: false, records: verifier.records, ...legacy(), firstBadSeq: unproven.seq, reason: unproven.reason };
		return { ok: true, records: verifier.records, ...legacy() };
	}

	async query(request: AuditQuery = {}): Promise<AuditPage> {
		await this.open();
		const offset = Math.max(0, request.offset ?? 0);
		const limit = Math.max(0, request.limit ?? 100);
		const filter = compileFilter(request.filter);
		// Taken together, before any await: the records older than the window stay where they are while appends go on.
		const older = this.total - this.lines.length;
		const files = this.files.map((file) => ({ ...file }));
		const rows: AuditRecord[] = [];
		let total = 0;
		for (let i = this.lines.length - 1; i >= 0; i--) {
			if (!this.match(i, filter)) {
				continue;
			}
			if (total >= offset && rows.length < limit) {
				rows.push(this.parse(i));
			}
			total++;
		}
		if (older === 0 || (filter.matchesAll && offset + limit <= total)) {
			return { rows, total: total + (filter.matchesAll ? older : 0) };
		}
		// Further back than memory: count the older matches first (a filter's total needs them all), then pick the
		// page's rows, newest first, on a second pass.
		let olderMatches = 0;
		if (filter.matchesAll) {
			olderMatches = older;
		} else {
			await this.readOlder(files, older, (line) => {
				if (filter.matches(JSON.parse(line) as AuditRecord)) olderMatches++;
			});
		}
		// Positions among the older matches, newest first, that the page still wants; as oldest-first counts.
		const from = Math.max(0, offset - total);
		const to = Math.min(olderMatches, offset + limit - total);
		if (to > from) {
			const wanted: AuditRecord[] = [];
			let k = 0;
			await this.readOlder(files, older, (line) => {
				const record = filter.matchesAll ? undefined : JSON.parse(line) as AuditRecord;
				if (record && !filter.matches(record)) return;
				const position = olderMatches - 1 - k++;
				if (position >= from && position < to) wanted.push(record ?? JSON.parse(line) as AuditRecord);
			});
			rows.push(...wanted.reverse());
		}
		return { rows, total: total + olderMatches };
	}

	/** Matching records as a JSON array, oldest first (so the export can be verified link by link). */
	async exportJson(filter?: AuditFilter): Promise<string> {
		const compiled = compileFilter(filter);
		const lines: string[] = [];
		// Stored lines are already the records' canonical JSON.
		await this.forEachLine((line, record) => {
			if (compiled.matches(record())) lines.push(line);
		});
		return `[${lines.join(',\n')}]\n`;
	}

	async exportCsv(filter?: AuditFilter, options: { readonly bom?: boolean } = {}): Promise<string> {
		const compiled = compileFilter(filter);
		const records: AuditRecord[] = [];
		await this.forEachLine((_line, record) => {
			if (compiled.matches(record())) records.push(record());
		});
		return toCsv(records, options);
	}

	/** Every record, oldest first: those older than the window from the files, then the window. */
	private async forEachLine(callback: (line: string, record: () => AuditRecord) => void): Promise<void> {
		await this.open();
		const older = this.total - this.lines.length;
		const window = this.lines.slice();
		await this.readOlder(this.files.map((file) => ({ ...file })), older, (line) => {
			let parsed: AuditRecord | undefined;
			callback(line, () => (parsed ??= JSON.parse(line) as AuditRecord));
		});
		for (const line of window) {
			let parsed: AuditRecord | undefined;
			callback(line, () => (parsed ??= JSON.parse(line) as AuditRecord));
		}
	}

	/**
	 * The first `count` readable records of the files (those older than the window), oldest first. A file removed
	 * by retention meanwhile is skipped: its records are gone for everyone.
	 */
	private async readOlder(files: readonly AuditFile[], count: number, onLine: (line: string) => void): Promise<void> {
		let left = count;
		for (const file of files) {
			if (left <= 0) return;
			let text: string;
			try {
				text = (await readPrefix(file.path, file.size)).toString('utf8');
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
				throw error;
			}
			for (const line of text.split('\n')) {
				if (left <= 0) return;
				if (!isRecordLine(line)) continue;
				onLine(line);
				left--;
			}
		}
	}

	/** Waits for pending appends, then refuses new ones. */
	close(): Promise<void> {
		return this.enqueue(async () => {
			this.closed = true;
			await this.handle?.close();
			this.handle = undefined;
		});
	}

	private enqueue<T>(task: () => Promise<T>): Promise<T> {
		const run = this.queue.then(task);
		this.queue = run.catch(() => undefined);
		return run;
	}

	private match(i: number, filter: CompiledAuditFilter): boolean {
		if (!filter.matchesFields({ tool: this.tools[i], decision: this.decisions[i], outcome: this.outcomes[i], timeMs: this.times[i] })) {
			return false;
		}
		if (!filter.hasText) {
			return true;
		}
		this.searchTexts ??= this.lines.map((_line, j) => searchText(this.parse(j)));
		return filter.matchesSearchText(this.searchTexts[i]);
	}

	private parse(i: number): AuditRecord {
		return JSON.parse(this.lines[i]) as AuditRecord;
	}

	private intern(value: unknown): string {
		const text = typeof value === 'string' ? value : '';
		let shared = this.interned.get(text);
		if (shared === undefined) {
			shared = text;
			this.interned.set(text, text);
		}
		return shared;
	}

	private index(record: AuditRecord, line: string): void {
		this.total++;
		this.lines.push(line);
		this.tools.push(this.intern(record.tool));
		this.decisions.push(this.intern(record.decision));
		this.outcomes.push(this.intern(record.outcome));
		this.times.push(typeof record.time === 'string' ? Date.parse(record.time) : NaN);
		this.searchTexts?.push(searchText(record));
		// Dropped in batches of a quarter window, so the arrays are not shifted on every append.
		if (this.lines.length > this.memoryRecords + Math.ceil(this.memoryRecords / 4)) {
			this.forgetOldest(this.lines.length - this.memoryRecords);
		}
	}

	/** Drops the oldest `count` records from memory (they stay in the files). */
	private forgetOldest(count: number): void {
		for (const column of [this.lines, this.tools, this.decisions, this.outcomes, this.times, this.searchTexts ?? []]) {
			column.splice(0, count);
		}
	}

	private async load(): Promise<AuditOpenReport> {
		await mkdir(this.folder, { recursive: true });
		const found = await listAuditFiles(this.folder);
		let torn: AuditOpenReport['torn'];
		let unreadableLines = 0;
		for (const [position, { number, path }] of found.entries()) {
			const handle = await open(path, 'r');
			let buffer: Buffer;
			try {
				buffer = await handle.readFile();
			} finally {
				await handle.close();
			}
			const complete = buffer.lastIndexOf(NEWLINE) + 1;
			let size = buffer.length;
			if (complete < buffer.length) {
				if (position === found.length - 1) {
					torn = await this.setAsideTornLine(path, buffer, complete);
					size = complete;
				} else {
					// Not the file we append to: leave it as it is; verify will name it.
					unreadableLines++;
				}
			}
			const file: AuditFile = { number, path, size, records: 0 };
			for (const line of buffer.toString('utf8', 0, complete).split('\n')) {
				if (line === '') {
					continue;
				}
				let record: AuditRecord;
				try {
					record = JSON.parse(line) as AuditRecord;
				} catch {
					unreadableLines++;
					continue;
				}
				if (record === null || typeof record !== 'object' || typeof record.seq !== 'number' || typeof record.hash !== 'string') {
					unreadableLines++;
					continue;
				}
				this.index(record, line);
				file.records++;
				this.nextSeq = record.seq + 1;
				this.lastHash = record.hash;
			}
			this.files.push(file);
		}
		return { records: this.total, files: this.files.length, torn, unreadableLines };
	}

	/** Copies the torn bytes to a side file first, then truncates: no byte is ever only in memory. */
	private async setAsideTornLine(path: string, buffer: Buffer, complete: number): Promise<AuditOpenReport['torn']> {
		const movedTo = `${path}.torn-${new Date().toISOString().replace(/[:.]/g, '-')}`;
		await writeFile(movedTo, buffer.subarray(complete), { flag: 'wx' });
		await truncate(path, complete);
		return { file: path, bytes: buffer.length - complete, movedTo };
	}

	private async startFile(): Promise<AuditFile> {
		await this.handle?.close();
		this.handle = undefined;
		const number = (this.files.at(-1)?.number ?? 0) + 1;
		const file: AuditFile = { number, path: join(this.folder, `audit-${number}.jsonl`), size: 0, records: 0 };
		// 'ax': a file already there was not written by this chain; refuse rather than append into it.
		this.handle = await open(file.path, 'ax');
		if (this.fsync) {
			await syncDirectory(this.folder);
		}
		this.files.push(file);
		while (this.maxFiles !== undefined && this.files.length > Math.max(1, this.maxFiles)) {
			const oldest = this.files[0];
			await unlink(oldest.path);
			this.files.shift();
			this.total -= oldest.records;
			// Only the part of the removed file that was still in memory.
			if (this.lines.length > this.total) this.forgetOldest(this.lines.length - this.total);
		}
		return file;
	}

	/**
	 * One synchronous write of one short line. When it returns the kernel has the record, so a crash of the process
	 * cannot lose it; it costs microseconds, where a thread-pool round trip would add a tenth of a millisecond to
	 * every tool call.
	 */
	private writeLine(handle: FileHandle, file: AuditFile, bytes: Buffer): void {
		try {
			let written = 0;
			while (written < bytes.length) {
				written += writeSync(handle.fd, bytes, written, bytes.length - written);
			}
		} catch (error) {
			// Cut off whatever part of the line reached the file, so the next record starts on a clean line.
			try {
				ftruncateSync(handle.fd, file.size);
			} catch {
				this.broken = new Error(`The audit file ${file.path} has an incomplete line after a failed write; reopen the store to repair it.`);
			}
			throw error;
		}
	}
}
