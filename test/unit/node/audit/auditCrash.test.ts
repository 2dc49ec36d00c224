import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditStore } from '../../../../src/node/audit/auditStore';
import { auditEntry, TEST_AUDIT_KEY } from '../../fixtures/auditEntry';

const writer = join(__dirname, '..', '..', 'fixtures', 'auditWriter.ts');

test('SIGKILL while appending: every acknowledged record survives, the chain verifies and continues', async () => {
	const root = await mkdtemp(join(tmpdir(), 'mcpwb-audit-crash-'));
	const folder = join(root, 'audit');
	try {
		const child = spawn(process.execPath, ['--import', 'tsx', writer, folder, '20000'], { stdio: ['ignore', 'pipe', 'pipe'] });
		const acknowledged: number[] = [];
		let stderr = '';
		let pending = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
		// Kill once the writer is well into its stream (and past a few file rotations), wherever it is.
		await new Promise<void>((resolve, reject) => {
			child.stdout.on('data', (chunk: Buffer) => {
				pending += chunk.toString();
				const lines = pending.split('\n');
				pending = lines.pop()!;
				acknowledged.push(...lines.map(Number));
				if (acknowledged.length >= 300) {
					child.kill('SIGKILL');
					resolve();
				}
			});
			child.on('exit', (code) => reject(new Error(`the writer exited early (${code}): ${stderr}`)));
		});
		assert.equal(await exited, 'SIGKILL');

		const store = new AuditStore(folder, { key: TEST_AUDIT_KEY, maxFileBytes: 20_000, fsync: false });
		const report = await store.open();
		assert.equal(report.unreadableLines, 0);
		assert.ok(report.records >= acknowledged.length, `${report.records} records on disk, ${acknowledged.length} acknowledged`);
		const verified = await store.verify();
		assert.deepEqual(verified, { ok: true, records: report.records });
		const stored = new Set(JSON.parse(await store.exportJson()).map((record: { seq: number }) => record.seq));
		const missing = acknowledged.filter((seq) => !stored.has(seq));
		assert.deepEqual(missing, [], 'acknowledged records that are missing');
		assert.ok((await readdir(folder)).filter((name) => name.endsWith('.jsonl')).length >= 2, 'the writer rotated files');

		const next = await store.append(auditEntry({ summary: 'after the crash' }));
		assert.equal(next.seq, report.records);
		assert.deepEqual(await store.verify(), { ok: true, records: report.records + 1 });
		await store.close();
	} finally {
		await rm(root, { recursive: true, force: true });
	}
});
