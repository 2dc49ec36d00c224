// Whoever can write the audit folder could rewrite history: change records and recompute a plain SHA-256 chain that
// verified. The chain is now an HMAC whose key is kept outside the folder; a rewrite without the key fails, in the
// store's own verify and in the verifier for exported files (`npm run verify-audit`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { canonicalJson } from '../../../src/core/base/canonicalJson';
import { hmacHex, sha256Hex } from '../../../src/node/audit/auditChain';
import { TEST_AUDIT_KEY } from '../fixtures/auditEntry';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';

const ROOT = resolve(__dirname, '../../..');

/** Rewrites every record through `edit` and recomputes the chain with `mac`, as an attacker without the key would. */
async function rewrite(folder: string, edit: (record: Record<string, unknown>) => Record<string, unknown>, mac: (text: string) => string): Promise<void> {
	let prev = '';
	for (const name of (await readdir(folder)).filter((file) => file.endsWith('.jsonl')).sort()) {
		const lines = (await readFile(join(folder, name), 'utf8')).split('\n').filter((line) => line !== '');
		const rewritten = lines.map((line) => {
			const { hash: _hash, ...rest } = edit(JSON.parse(line) as Record<string, unknown>);
			const unhashed = { ...rest, prev };
			prev = mac(canonicalJson(unhashed));
			return canonicalJson({ ...unhashed, hash: prev });
		});
		await writeFile(join(folder, name), `${rewritten.join('\n')}\n`);
	}
}

function verifyFile(file: string, key: string | undefined, ...flags: string[]): { status: number | null; out: string } {
	const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verifyAudit.ts', ...flags, file], {
		cwd: ROOT,
		encoding: 'utf8',
		env: { ...process.env, MCP_WORKBENCH_AUDIT_KEY: key ?? '' },
	});
	return { status: run.status, out: run.stdout + run.stderr };
}

describe('security: the audit chain is keyed', () => {
	let wb: TestWorkbench;
	let folder: string;
	before(async () => {
		wb = await startWorkbench();
		folder = join(dirname(wb.outside), 'audit');
		const client = await wb.connect();
		for (let i = 0; i < 4; i++) await client.callTool({ name: 'workspace_info', arguments: {} });
		await client.callTool({ name: 'no_such_tool', arguments: {} });
	});
	after(() => wb.close());

	test('the records carry an HMAC; the store and the file verifier both accept the untouched log and export', async () => {
		assert.ok(wb.records.every((record) => record.chain === 'hmac-sha256'));
		assert.deepEqual(await wb.audit.verify(), { ok: true, records: 5 });
		const exported = join(dirname(wb.outside), 'export.json');
		await writeFile(exported, await wb.audit.exportJson());
		const good = verifyFile(exported, TEST_AUDIT_KEY);
		assert.equal(good.status, 0, good.out);
		assert.match(good.out, /The audit verifies: 5 records/);
		const wrongKey = verifyFile(exported, 'not-the-key');
		assert.equal(wrongKey.status, 1, wrongKey.out);
		assert.match(wrongKey.out, /does NOT verify at record 0: .*MAC does not match/);
		// A filtered export skips records: refused as such, accepted with --allow-gaps (each record still checked).
		const filtered = join(dirname(wb.outside), 'filtered.json');
		await writeFile(filtered, await wb.audit.exportJson({ tool: 'no_such_tool' }));
		assert.equal(verifyFile(filtered, TEST_AUDIT_KEY).status, 1);
		const gaps = verifyFile(filtered, TEST_AUDIT_KEY, '--allow-gaps');
		assert.equal(gaps.status, 0, gaps.out);
		// An export with one record changed fails at that record.
		const tampered = join(dirname(wb.outside), 'tampered.json');
		await writeFile(tampered, (await wb.audit.exportJson()).replace('"outcome":"invalid"', '"outcome":"ok"'));
		const bad = verifyFile(tampered, TEST_AUDIT_KEY);
		assert.equal(bad.status, 1, bad.out);
		assert.match(bad.out, /at record 4/);
	});

	test('a log rewritten with plain SHA-256 (records changed, chain recomputed) fails verification', async () => {
		const original = await Promise.all((await readdir(folder)).map(async (name) => [name, await readFile(join(folder, name), 'utf8')] as const));
		try {
			await rewrite(folder, ({ chain: _chain, ...record }) => ({ ...record, ...(record.tool === 'no_such_tool' ? { tool: 'workspace_info', outcome: 'ok' } : {}) }), sha256Hex);
			const result = await wb.audit.verify();
			assert.equal(result.ok, false);
			assert.match(result.reason ?? '', /old unkeyed format/);
			// The same rewrite keeping the keyed format, MACed with a guessed key.
			await rewrite(folder, (record) => record, (text) => hmacHex('guessed-key', text));
			const guessed = await wb.audit.verify();
			assert.deepEqual([guessed.ok, guessed.firstBadSeq], [false, 0], guessed.reason);
		} finally {
			for (const [name, text] of original) await writeFile(join(folder, name), text);
		}
		assert.equal((await wb.audit.verify()).ok, true);
	});
});
