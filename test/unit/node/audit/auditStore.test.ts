import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AuditRecord } from '../../../../src/core/audit/auditRecord';
import { ChainVerifier, recordHash } from '../../../../src/node/audit/auditChain';
import { canonicalJson } from '../../../../src/core/base/canonicalJson';
import { AuditStore } from '../../../../src/node/audit/auditStore';
import { auditEntry, TEST_AUDIT_KEY } from '../../fixtures/auditEntry';

const roots: string[] = [];

async function tempFolder(): Promise<string> {
	const root = await mkdtemp(join(tmpdir(), 'mcpwb-audit-'));
	roots.push(root);
	return join(root, 'audit');
}

after(async () => {
	await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function fill(folder: string, count: number, options: Partial<ConstructorParameters<typeof AuditStore>[1]> = {}): Promise<AuditRecord[]> {
	const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false, ...options });
	const records: AuditRecord[] = [];
	for (let i = 0; i < count; i++) {
		records.push(await store.append(auditEntry({ summary: `call ${i}`, arguments: { i, note: `n${i}` } })));
	}
	await store.close();
	return records;
}

async function auditFiles(folder: string): Promise<string[]> {
	return (await readdir(folder)).filter((name) => /^audit-\d+\.jsonl$/.test(name)).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
}

/** All lines of all files, in chain order, with the file each came from. */
async function allLines(folder: string): Promise<{ file: string; line: string }[]> {
	const lines: { file: string; line: string }[] = [];
	for (const file of await auditFiles(folder)) {
		for (const line of (await readFile(join(folder, file), 'utf8')).split('\n').filter((l) => l !== '')) {
			lines.push({ file, line });
		}
	}
	return lines;
}

async function verifyFresh(folder: string): Promise<Awaited<ReturnType<AuditStore['verify']>>> {
	const store = new AuditStore(folder, { key: TEST_AUDIT_KEY });
	try {
		return await store.verify();
	} finally {
		await store.close();
	}
}

describe('AuditStore: the chain', () => {
	test('numbers, links and hashes records; the first has prev ""', async () => {
		const folder = await tempFolder();
		const records = await fill(folder, 3);
		assert.deepEqual(records.map((r) => r.seq), [0, 1, 2]);
		assert.equal(records[0].prev, '');
		assert.equal(records[1].prev, records[0].hash);
		assert.equal(records[2].prev, records[1].hash);
		assert.match(records[0].hash, /^[0-9a-f]{64}$/);
		assert.equal(records[2].hash, recordHash(records[2], TEST_AUDIT_KEY));
		const lines = (await readFile(join(folder, 'audit-1.jsonl'), 'utf8')).split('\n');
		assert.equal(lines.length, 4, 'three lines, each ending in \\n');
		assert.equal(lines[3], '');
		assert.deepEqual(JSON.parse(lines[1]), records[1]);
		assert.equal(lines[1], canonicalJson(records[1]), 'stored as canonical JSON');
		assert.deepEqual(await verifyFresh(folder), { ok: true, records: 3 });
	});

	test('canonical JSON sorts keys at every depth and drops undefined', () => {
		assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: 'x' } }), '{"a":{"c":"x","d":[3,{"z":1}]},"b":1}');
		assert.equal(canonicalJson({ '10': 1, '9': 2 }), '{"10":1,"9":2}', 'sorted as strings, not in JS integer-key order');
		assert.equal(canonicalJson({ a: [undefined, 1] }), '{"a":[null,1]}');
		assert.equal(canonicalJson(JSON.parse('{"a":1,"b":{"c":"\\u2028é"}}')), '{"a":1,"b":{"c":"\u2028é"}}');
	});

	test('entries with undefined fields, dates and bigints are stored as JSON would keep them', async () => {
		const folder = await tempFolder();
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false });
		const record = await store.append(auditEntry({ summary: undefined, arguments: { when: new Date(0), big: 10n, skip: undefined } }));
		assert.equal('summary' in record, false);
		assert.deepEqual(record.arguments, { when: '1970-01-01T00:00:00.000Z', big: '10' });
		await store.close();
		assert.equal((await verifyFresh(folder)).ok, true);
	});

	describe('tampering', () => {
		let pristine: string;
		let lines: { file: string; line: string }[];
		before(async () => {
			pristine = await tempFolder();
			await fill(pristine, 12, { maxFileBytes: 1_500 });
			lines = await allLines(pristine);
			assert.ok((await auditFiles(pristine)).length >= 3, 'the records span several files');
		});

		async function tamperedCopy(change: (line: string, seq: number) => string | undefined, seq: number): Promise<string> {
			const folder = await tempFolder();
			await cp(pristine, folder, { recursive: true });
			const file = lines[seq].file;
			const content = lines.filter((l) => l.file === file).map((l) => {
				const seqOfLine = lines.indexOf(l);
				return seqOfLine === seq ? change(l.line, seq) : l.line;
			}).filter((l) => l !== undefined).map((l) => `${l}\n`).join('');
			await writeFile(join(folder, file), content);
			return folder;
		}

		test('changing any one byte of a record fails the chain at that seq', () => {
			// Every byte position, checked in memory with the verifier the store uses (the file round trip is covered below).
			const seq = 5;
			const line = lines[seq].line;
			for (let at = 0; at < line.length; at++) {
				const bytes = Buffer.from(line);
				bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
				const verifier = new ChainVerifier(TEST_AUDIT_KEY);
				const broken = lines.map((l, i) => (i === seq ? bytes.toString() : l.line)).map((l, i) => verifier.check(l, `line ${i}`)).find((b) => b !== undefined);
				assert.equal(broken?.seq, seq, `byte ${at} (${line[at]}): ${broken?.reason}`);
			}
		});

		test('editing any record on disk, one at a time, fails verify at that record', async () => {
			for (let seq = 0; seq < lines.length; seq++) {
				const folder = await tamperedCopy((line) => line.replace(`"call ${seq}"`, `"call ${seq}!"`), seq);
				const result = await verifyFresh(folder);
				assert.deepEqual([result.ok, result.firstBadSeq], [false, seq], result.reason);
			}
		});

		test('a record edited and re-hashed still breaks the link to the next one', async () => {
			const seq = 4;
			const folder = await tamperedCopy((line) => {
				const { hash: _hash, ...rest } = JSON.parse(line) as AuditRecord;
				const edited = { ...rest, summary: 'nothing to see' };
				return canonicalJson({ ...edited, hash: recordHash(edited, TEST_AUDIT_KEY) });
			}, seq);
			const result = await verifyFresh(folder);
			assert.deepEqual([result.ok, result.firstBadSeq], [false, seq + 1], result.reason);
		});

		test('removing a record fails at its seq', async () => {
			for (const seq of [0, 3, 7]) {
				const folder = await tamperedCopy(() => undefined, seq);
				const result = await verifyFresh(folder);
				assert.deepEqual([result.ok, result.firstBadSeq], [false, seq], result.reason);
			}
		});

		test('swapping two records fails at the first of them', async () => {
			const folder = await tempFolder();
			await cp(pristine, folder, { recursive: true });
			const file = lines[1].file;
			const inFile = lines.filter((l) => l.file === file).map((l) => l.line);
			assert.ok(inFile.length >= 2);
			[inFile[0], inFile[1]] = [inFile[1], inFile[0]];
			await writeFile(join(folder, file), inFile.map((l) => `${l}\n`).join(''));
			const first = lines.findIndex((l) => l.file === file);
			const result = await verifyFresh(folder);
			assert.deepEqual([result.ok, result.firstBadSeq], [false, first], result.reason);
		});

		test('removing a whole file in the middle fails', async () => {
			const folder = await tempFolder();
			await cp(pristine, folder, { recursive: true });
			await rm(join(folder, 'audit-2.jsonl'));
			const firstMissing = lines.findIndex((l) => l.file === 'audit-2.jsonl');
			const result = await verifyFresh(folder);
			assert.deepEqual([result.ok, result.firstBadSeq], [false, firstMissing], result.reason);
		});

		test('the untouched copy verifies', async () => {
			assert.deepEqual(await verifyFresh(pristine), { ok: true, records: 12 });
		});
	});
});

describe('AuditStore: rotation, reopening, concurrency', () => {
	test('a tiny maxFileBytes spreads records over many files; each seq appears once; reopening continues', async () => {
		const folder = await tempFolder();
		await fill(folder, 40, { maxFileBytes: 2_000 });
		const files = await auditFiles(folder);
		assert.ok(files.length >= 5, `${files.length} files`);
		for (const file of files) {
			const size = (await readFile(join(folder, file))).length;
			assert.ok(size <= 2_000, `${file} has ${size} bytes`);
		}
		const reopened = new AuditStore(folder, { key: TEST_AUDIT_KEY, maxFileBytes: 2_000, fsync: false });
		assert.deepEqual(await reopened.open(), { records: 40, files: files.length, torn: undefined, unreadableLines: 0 });
		const next = await reopened.append(auditEntry());
		assert.equal(next.seq, 40);
		await reopened.close();
		const seqs = (await allLines(folder)).map(({ line }) => (JSON.parse(line) as AuditRecord).seq);
		assert.deepEqual(seqs, Array.from({ length: 41 }, (_, i) => i));
		assert.deepEqual(await verifyFresh(folder), { ok: true, records: 41 });
	});

	test('a record larger than maxFileBytes gets a file of its own', async () => {
		const folder = await tempFolder();
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, maxFileBytes: 500, fsync: false });
		await store.append(auditEntry());
		await store.append(auditEntry({ arguments: { big: 'x'.repeat(2_000) } }));
		await store.append(auditEntry());
		await store.close();
		assert.deepEqual(await auditFiles(folder), ['audit-1.jsonl', 'audit-2.jsonl', 'audit-3.jsonl']);
		assert.equal((await verifyFresh(folder)).ok, true);
	});

	test('concurrent appends keep one linear chain', async () => {
		const folder = await tempFolder();
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, maxFileBytes: 5_000 });
		const records = await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(auditEntry({ summary: `c${i}` }))));
		assert.deepEqual(records.map((r) => r.seq).sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i));
		// Appends run in call order.
		assert.deepEqual(records.map((r) => r.summary), Array.from({ length: 200 }, (_, i) => `c${i}`));
		assert.deepEqual(await store.verify(), { ok: true, records: 200 });
		await store.close();
	});

	test('a failed append does not break the queue', async () => {
		const folder = await tempFolder();
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false });
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		const results = await Promise.allSettled([store.append(auditEntry()), store.append(auditEntry({ arguments: cyclic })), store.append(auditEntry())]);
		assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
		assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value.seq : -1)), [0, -1, 1]);
		await store.close();
		await assert.rejects(store.append(auditEntry()), /closed/);
		assert.deepEqual(await verifyFresh(folder), { ok: true, records: 2 });
	});

	test('maxFiles deletes the oldest files; the rest still verifies', async () => {
		const folder = await tempFolder();
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, maxFileBytes: 1_000, maxFiles: 2, fsync: false });
		for (let i = 0; i < 20; i++) {
			await store.append(auditEntry({ summary: `r${i}` }));
		}
		assert.equal((await auditFiles(folder)).length, 2);
		const page = await store.query({ limit: 100 });
		assert.equal(page.total, store.count);
		assert.equal(page.rows[0].summary, 'r19');
		assert.ok(page.total < 20);
		const result = await store.verify();
		assert.deepEqual(result, { ok: true, records: page.total });
		await store.close();
		const strict = await verifyFresh(folder);
		assert.equal(strict.ok, false, 'without retention configured, missing early records are reported');
		assert.match(strict.reason!, /earlier records are missing/);
	});

	test('listeners hear every append; disposed ones do not; a throwing one does not fail the append', async () => {
		const folder = await tempFolder();
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false });
		const heard: number[] = [];
		const subscription = store.onDidAppend((record) => heard.push(record.seq));
		store.onDidAppend(() => {
			throw new Error('view failed');
		});
		await store.append(auditEntry());
		await store.append(auditEntry());
		subscription.dispose();
		await store.append(auditEntry());
		assert.deepEqual(heard, [0, 1]);
		await store.close();
	});
});

describe('AuditStore: torn and damaged files', () => {
	test('a torn last line is moved aside, complete records are kept, and the chain continues', async () => {
		const folder = await tempFolder();
		const records = await fill(folder, 5);
		const torn = '{"arguments":{"path":"src/a.ts"},"client":{"name":"te';
		await appendFile(join(folder, 'audit-1.jsonl'), torn);
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false });
		const report = await store.open();
		assert.equal(report.records, 5);
		assert.equal(report.torn?.bytes, Buffer.byteLength(torn));
		assert.equal(await readFile(report.torn!.movedTo, 'utf8'), torn, 'the fragment is kept for inspection');
		const kept = await readFile(join(folder, 'audit-1.jsonl'), 'utf8');
		assert.equal(kept.split('\n').length, 6, 'five complete lines remain');
		assert.ok(kept.endsWith('}\n'));
		const next = await store.append(auditEntry());
		assert.deepEqual([next.seq, next.prev], [5, records[4].hash]);
		assert.deepEqual(await store.verify(), { ok: true, records: 6 });
		await store.close();
	});

	test('a torn first record (nothing complete yet) leaves an empty, usable file', async () => {
		const folder = await tempFolder();
		await mkdir(folder, { recursive: true });
		await writeFile(join(folder, 'audit-1.jsonl'), '\u0000\u0000\u0000');
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false });
		assert.equal((await store.open()).torn?.bytes, 3);
		assert.equal((await store.append(auditEntry())).seq, 0);
		assert.deepEqual(await store.verify(), { ok: true, records: 1 });
		await store.close();
	});

	test('verify reports an incomplete line it finds on disk', async () => {
		const folder = await tempFolder();
		await fill(folder, 3, { maxFileBytes: 700 });
		const files = await auditFiles(folder);
		assert.ok(files.length >= 2);
		await appendFile(join(folder, files[0]), '{"half');
		const result = await verifyFresh(folder);
		assert.equal(result.ok, false);
		assert.match(result.reason!, /incomplete/);
	});

	test('a corrupt line in the middle is reported, not repaired, and left out of queries', async () => {
		const folder = await tempFolder();
		await fill(folder, 3);
		const path = join(folder, 'audit-1.jsonl');
		const lines = (await readFile(path, 'utf8')).split('\n');
		lines[1] = 'garbage';
		await writeFile(path, lines.join('\n'));
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false });
		assert.equal((await store.open()).unreadableLines, 1);
		assert.equal((await store.query()).total, 2);
		assert.deepEqual(await store.verify(), { ok: false, records: 1, firstBadSeq: 1, reason: 'audit-1.jsonl:2: not valid JSON' });
		await store.close();
		assert.ok((await readFile(path, 'utf8')).includes('garbage'));
	});
});

describe('AuditStore: query and export', () => {
	async function sample(): Promise<AuditStore> {
		const folder = await tempFolder();
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false });
		for (let i = 0; i < 30; i++) {
			await store.append(auditEntry({
				tool: i % 3 === 0 ? 'run_command' : 'read_file',
				outcome: i % 5 === 0 ? 'denied' : 'ok',
				decision: i % 5 === 0 ? 'deny' : 'allow',
				summary: `call ${i}`,
				time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
				arguments: { line: i === 7 ? 'echo "=cmd|calc"' : `n${i}` },
			}));
		}
		return store;
	}

	test('newest first, paged, with the total', async () => {
		const store = await sample();
		const page = await store.query({ offset: 5, limit: 10 });
		assert.equal(page.total, 30);
		assert.deepEqual(page.rows.map((r) => r.seq), [24, 23, 22, 21, 20, 19, 18, 17, 16, 15]);
		assert.deepEqual((await store.query({ offset: 28, limit: 10 })).rows.map((r) => r.seq), [1, 0]);
		await store.close();
	});

	test('filters narrow rows and total', async () => {
		const store = await sample();
		const denied = await store.query({ filter: { outcome: 'denied', tool: 'run_command' } });
		assert.deepEqual(denied.rows.map((r) => r.seq), [15, 0]);
		assert.equal(denied.total, 2);
		const text = await store.query({ filter: { text: 'CALL 1' }, limit: 3 });
		assert.equal(text.total, 11, 'call 1 and call 10..19');
		assert.deepEqual(text.rows.map((r) => r.seq), [19, 18, 17]);
		const quoted = await store.query({ filter: { text: '"=cmd' } });
		assert.deepEqual(quoted.rows.map((r) => r.seq), [7]);
		const window = await store.query({ filter: { since: '2026-01-01T00:10:00Z', until: '2026-01-01T00:12:00Z' } });
		assert.deepEqual(window.rows.map((r) => r.seq), [11, 10]);
		await store.append(auditEntry({ summary: 'call 1 more' }));
		assert.equal((await store.query({ filter: { text: 'call 1' } })).total, 12, 'records appended after a text query are searchable');
		await store.close();
	});

	test('JSON export: oldest first, exactly the stored records', async () => {
		const store = await sample();
		const all = JSON.parse(await store.exportJson()) as AuditRecord[];
		assert.equal(all.length, 30);
		assert.deepEqual(all.map((r) => r.seq), Array.from({ length: 30 }, (_, i) => i));
		assert.ok(all.every((r, i) => i === 0 || r.prev === all[i - 1].hash));
		const denied = JSON.parse(await store.exportJson({ decision: 'deny' })) as AuditRecord[];
		assert.deepEqual(denied.map((r) => r.seq), [0, 5, 10, 15, 20, 25]);
		assert.deepEqual(JSON.parse(await store.exportJson({ tool: 'nothing' })), []);
		await store.close();
	});

	test('CSV export with the formula guard', async () => {
		const store = await sample();
		const csv = await store.exportCsv({ text: 'calc' }, { bom: true });
		const rows = csv.split('\r\n');
		assert.equal(rows.length, 3);
		assert.ok(rows[0].startsWith('\uFEFFseq,'));
		assert.ok(rows[1].startsWith('7,'));
		assert.ok(rows[1].includes('"{""line"":""echo \\""=cmd|calc\\""""}"'));
		await store.close();
	});

	test('open on a folder that does not exist yet creates it', async () => {
		const folder = join(await tempFolder(), 'deeper', 'still');
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY });
		assert.deepEqual(await store.open(), { records: 0, files: 0, torn: undefined, unreadableLines: 0 });
		assert.deepEqual(await store.query(), { rows: [], total: 0 });
		assert.deepEqual(await store.verify(), { ok: true, records: 0 });
		await store.close();
	});
});

// The index used to keep every record's line in memory (~540 bytes more per call, without bound). Now it keeps a
// window of the newest and reads older records from the files; queries must not be able to tell the difference.
describe('audit store: a bounded window in memory', () => {
	const tools = ['read_file', 'write_file', 'run_command'];
	const entryAt = (i: number) => auditEntry({ tool: tools[i % 3], outcome: i % 5 === 0 ? 'denied' : 'ok', summary: `call ${i}${i % 7 === 0 ? ' needle' : ''}`, time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() });

	test('200 records with a window of 20: memory stays bounded, every page, filter, total and export as with everything in memory', async () => {
		const folder = await tempFolder();
		const small = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false, memoryRecords: 20, maxFileBytes: 4_000 });
		for (let i = 0; i < 200; i++) await small.append(entryAt(i));
		assert.ok(small.inMemory <= 25, `${small.inMemory} records in memory`);
		assert.equal(small.count, 200);
		const full = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false, memoryRecords: 1_000 });
		assert.equal((await full.open()).records, 200);
		assert.equal(full.inMemory, 200);
		const filters = [undefined, { tool: 'write_file' }, { outcome: 'denied' as const }, { text: 'needle' }, { tool: 'run_command', text: 'needle' }, { since: '2026-01-01T00:01:00Z', until: '2026-01-01T00:02:30Z' }];
		for (const filter of filters) {
			for (const [offset, limit] of [[0, 10], [0, 30], [15, 10], [18, 5], [40, 40], [190, 20], [0, 500], [250, 10]]) {
				const expected = await full.query({ offset, limit, filter });
				const got = await small.query({ offset, limit, filter });
				assert.deepEqual(got.rows.map((row) => row.seq), expected.rows.map((row) => row.seq), `${JSON.stringify(filter)} ${offset}+${limit}`);
				assert.equal(got.total, expected.total, `${JSON.stringify(filter)} total`);
			}
			assert.equal(await small.exportJson(filter), await full.exportJson(filter));
			assert.equal(await small.exportCsv(filter), await full.exportCsv(filter));
		}
		// Reopened with a small window: the same.
		const reopened = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false, memoryRecords: 20 });
		assert.equal((await reopened.open()).records, 200);
		assert.ok(reopened.inMemory <= 25);
		assert.deepEqual((await reopened.query({ offset: 150, limit: 5 })).rows.map((row) => row.seq), [49, 48, 47, 46, 45]);
		assert.deepEqual(await small.verify(), { ok: true, records: 200 });
		await Promise.all([small.close(), full.close(), reopened.close()]);
	});

	test('retention with a small window: removed files leave memory and queries alike', async () => {
		const folder = await tempFolder();
		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, fsync: false, memoryRecords: 10, maxFileBytes: 3_000, maxFiles: 3 });
		for (let i = 0; i < 120; i++) await store.append(entryAt(i));
		const page = await store.query({ limit: 1_000 });
		assert.equal(page.total, store.count);
		assert.equal(page.rows.length, store.count);
		assert.equal(page.rows[0].seq, 119);
		assert.deepEqual(page.rows.map((row) => row.seq), Array.from({ length: store.count }, (_, i) => 119 - i));
		assert.ok(store.inMemory <= 13);
		await store.close();
	});
});
