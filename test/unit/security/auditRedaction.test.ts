// Redaction must hide the secret and nothing else: the audit and the approval card of an approved command have to
// show everything it ran. `echo '-----BEGIN PRIVATE KEY-----' >/dev/null; touch X` used to be recorded as
// `echo '[REDACTED:private-key]`, the `touch` gone; and several common credential forms reached the audit in clear.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Disposable } from '../../../src/core/base/disposable';
import { terminalTools } from '../../../src/tools/terminal/commands';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';

describe('security: redaction keeps the shape of what ran', () => {
	let wb: TestWorkbench;
	let client: Client;
	let approving: Disposable;
	const shown: string[] = [];
	before(async () => {
		wb = await startWorkbench({ tools: terminalTools });
		client = await wb.connect();
		// The user approves each card, after noting what it showed.
		approving = wb.approvals.onDidChange(() => {
			for (const request of wb.approvals.pending()) {
				shown.push(JSON.stringify(request.arguments) + request.summary);
				wb.approvals.decide(request.id, { kind: 'approve' });
			}
		});
	});
	after(async () => {
		approving.dispose();
		await wb.close();
	});

	test('an approved line with a private-key marker: the card and the record show the whole line', async () => {
		const line = "echo '-----BEGIN PRIVATE KEY-----' >/dev/null; touch X";
		const before = wb.records.length;
		const result = await client.callTool({ name: 'run_command', arguments: { line } });
		assert.notEqual(result.isError, true, JSON.stringify(result));
		assert.ok(existsSync(join(wb.folders[0].path, 'X')), 'the line ran, touch included');
		const record = wb.records.slice(before).find((r) => r.tool === 'run_command');
		assert.ok(record);
		assert.equal(record.decision, 'approve');
		assert.equal((record.arguments as { line: string }).line, line);
		assert.ok(record.summary?.includes('touch X'), record.summary);
		assert.ok(shown.at(-1)?.includes('touch X'), `the card showed ${shown.at(-1)}`);
	});

	test('credential forms in an approved line are masked in the record, the rest of the line kept', async () => {
		const secret = 'Hunter2Zq';
		const lines = [
			`true --password ${secret} db`,
			`true --password=${secret} db`,
			`true --token ${secret} api`,
			`sshpass -p ${secret} ssh host uptime || true`,
			`docker login -u me -p ${secret} registry.example.com || true`,
			`mysql -u root -p${secret} shop || true`,
			`curl -u admin:${secret} http://127.0.0.1:9 || true`,
			`DB_PASS=${secret} true`,
			`APP_TOKEN=${secret} MY_SECRET=${secret} X_PASSWORD=${secret} true`,
			`curl -H 'Authorization: Bearer ${secret}' http://127.0.0.1:9 || true`,
			`git ls-remote https://me:${secret}@127.0.0.1:9/r.git || true`,
		];
		for (const line of lines) {
			const before = wb.records.length;
			await client.callTool({ name: 'run_command', arguments: { line } });
			const record = wb.records.slice(before).find((r) => r.tool === 'run_command');
			assert.ok(record, line);
			const recorded = (record.arguments as { line: string }).line;
			assert.ok(!JSON.stringify(record).includes(secret), `the record of ${line} holds the secret: ${recorded}`);
			assert.match(recorded, /\[REDACTED:[a-z-]+\]|\*\*\*/, recorded);
			// Everything after the secret is still there.
			const tail = line.slice(line.lastIndexOf(secret) + secret.length);
			assert.ok(recorded.endsWith(tail), `${recorded} keeps "${tail}"`);
		}
	});
});
