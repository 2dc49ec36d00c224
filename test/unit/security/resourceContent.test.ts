// What a resource read returns: text is redacted, and a file is only ever its own content. Attacks here: secrets in
// a file the resource returns as base64 bytes (binary contents pass the redactor untouched), and hard links, which
// give a sensitive file's (or an outside file's) content a second, harmless-looking name the jail cannot see.
import assert from 'node:assert/strict';
import { link, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { filesResources } from '../../../src/tools/files/resources';
import { filesTools } from '../../../src/tools/files';
import { prepareTool } from '../helpers/host';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { assertNoMarker, denyEveryApproval, newRecords, plantSecrets } from './attack';

const GITHUB_TOKEN = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const PRIVATE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n';

/** Every view of the bytes a reader could decode: latin1 (one char per byte), UTF-8, UTF-16 both ways. */
function views(blob: string): string[] {
	const bytes = Buffer.from(blob, 'base64');
	const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
	const swapped = Buffer.from(even).swap16();
	return [bytes.toString('latin1'), bytes.toString('utf8'), even.toString('utf16le'), swapped.toString('utf16le')];
}

function everyText(result: { contents: ({ text: string } | { blob: string })[] }): string {
	return result.contents.map((item) => ('text' in item ? item.text : views(item.blob).join('\n'))).join('\n');
}

describe('security: resource contents', () => {
	let wb: TestWorkbench;
	let client: Client;
	let app: string;
	let denying: { dispose(): void };
	before(async () => {
		wb = await startWorkbench({ resources: filesResources, tools: filesTools });
		app = wb.folders[0].path;
		await plantSecrets(app, wb.outside);
		denying = denyEveryApproval(wb);
		client = await wb.connect();
	});
	after(() => wb.close());

	test('a text file with secrets comes back redacted (the guard the binary cases must not skip)', async () => {
		await writeFile(join(app, 'config.txt'), `token ${GITHUB_TOKEN}\naws ${AWS_KEY}\n${PRIVATE_KEY}`);
		const read = await client.readResource({ uri: 'workspace-file://app/config.txt' });
		const text = everyText(read as never);
		assert.ok(!text.includes(GITHUB_TOKEN) && !text.includes(AWS_KEY) && !text.includes('b3BlbnNzaC1rZXkt'), text);
	});

	for (const [name, bytes] of [
		['one NUL byte before the secrets', Buffer.concat([Buffer.from([0]), Buffer.from(`token ${GITHUB_TOKEN}\naws ${AWS_KEY}\n${PRIVATE_KEY}`)])],
		['a database page with a token in it', Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(84), Buffer.from(`\x05\x17session${GITHUB_TOKEN}\x00\x00${AWS_KEY}`)])],
		['UTF-16LE text without a byte-order mark', Buffer.from(`token ${GITHUB_TOKEN}\r\naws ${AWS_KEY}\r\n`, 'utf16le')],
		['UTF-16BE text without a byte-order mark', Buffer.from(`token ${GITHUB_TOKEN}\r\naws ${AWS_KEY}\r\n`, 'utf16le').swap16()],
	] as const) {
		test(`a file the resource returns as binary does not carry secrets out unredacted: ${name}`, async () => {
			const file = `bin-${name.replace(/\W+/g, '-')}.dat`;
			await writeFile(join(app, file), bytes);
			const from = wb.records.length;
			const answer = await client.readResource({ uri: `workspace-file://app/${file}` }).then((read) => everyText(read as never), (error: Error) => error.message);
			for (const secret of [GITHUB_TOKEN, AWS_KEY, 'b3BlbnNzaC1rZXkt']) {
				assert.ok(!answer.includes(secret), `${name}: ${secret} went out in the bytes`);
			}
			const records = newRecords(wb, from);
			assert.equal(records.length, 1);
			assert.equal(records[0].outcome, 'denied');
			assert.equal(records[0].decidedBy, 'redaction:binary');
		});
	}

	test('a harmless binary file still reads as bytes', async () => {
		const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);
		await writeFile(join(app, 'logo.png'), bytes);
		const read = await client.readResource({ uri: 'workspace-file://app/logo.png' });
		assert.equal((read.contents[0] as { blob: string }).blob, bytes.toString('base64'));
	});

	test('a hard link planted under a harmless name does not hand out .env: the resource is refused, read_file asks', async () => {
		await link(join(app, '.env'), join(app, 'readme-hl.txt'));
		const from = wb.records.length;
		const viaResource = await client.readResource({ uri: 'workspace-file://app/readme-hl.txt' }).then((read) => JSON.stringify(read), (error: Error) => error.message);
		assertNoMarker(viaResource, 'resources/read of a hard link to .env');
		const viaTool = JSON.stringify(await client.callTool({ name: 'read_file', arguments: { path: 'readme-hl.txt' } }));
		assertNoMarker(viaTool, 'read_file of a hard link to .env (the user denies every approval)');
		// The resource was refused by the policy's hard-link rule (nobody to ask); the tool asked, and the user denied.
		assert.deepEqual(newRecords(wb, from).map((r) => [r.tool, r.outcome, r.decidedBy]), [['resources/read', 'denied', 'hard-link'], ['read_file', 'denied', 'user']]);
	});

	test('a hard link planted under a harmless name does not hand out a file outside the workspace', async () => {
		await link(join(wb.outside, 'secret.txt'), join(app, 'data-hl.txt'));
		const viaResource = await client.readResource({ uri: 'workspace-file://app/data-hl.txt' }).then((read) => JSON.stringify(read), (error: Error) => error.message);
		assertNoMarker(viaResource, 'resources/read of a hard link to a file outside');
		const viaTool = JSON.stringify(await client.callTool({ name: 'read_file', arguments: { path: 'data-hl.txt' } }));
		assertNoMarker(viaTool, 'read_file of a hard link to a file outside (the user denies every approval)');
	});

	test('a person who approves the read of a hard-linked file gets its content; nothing else does', async () => {
		await writeFile(join(app, 'shared-source.txt'), 'shared content line\n');
		await link(join(app, 'shared-source.txt'), join(app, 'shared-hl.txt'));
		denying.dispose();
		const approving = wb.approvals.onDidChange(() => {
			for (const request of wb.approvals.pending()) {
				if (request.summary.includes('shared-hl.txt')) wb.approvals.decide(request.id, { kind: 'approve' });
			}
		});
		try {
			const result = await client.callTool({ name: 'read_file', arguments: { path: 'shared-hl.txt' } });
			assert.ok(JSON.stringify(result).includes('shared content line'), JSON.stringify(result));
		} finally {
			approving.dispose();
			denying = denyEveryApproval(wb);
		}
	});

	test('a hard link made after the policy looked is still refused at the read', async () => {
		const spec = filesTools.find((tool) => tool.name === 'read_file');
		assert.ok(spec);
		await writeFile(join(app, 'late.txt'), 'late harmless\n');
		const input = spec.input.parse({ path: 'late.txt' });
		const prepared = await prepareTool(spec, { path: 'late.txt' }, wb.host);
		assert.equal(prepared.subject.hardLinked, undefined, 'no link yet: the policy sees a plain file');
		await unlink(join(app, 'late.txt'));
		await link(join(app, '.env'), join(app, 'late.txt'));
		const answer = await Promise.resolve(spec.handler(input, { host: wb.host, signal: new AbortController().signal, progress() {}, maxOutputBytes: 65536, plan: prepared.plan, subject: prepared.subject, approvedByPerson: false }))
			.then((result) => JSON.stringify(result), (error: Error) => error.message);
		assertNoMarker(answer, 'read_file of a file swapped for a hard link to .env after the policy looked');
		assert.match(answer, /hard links/);
	});

	test('search_text withholds the lines of a hard-linked file and says why', async () => {
		await link(join(app, '.env'), join(app, 'search-hl.txt'));
		const result = await client.callTool({ name: 'search_text', arguments: { query: 'MARKER' } });
		const text = JSON.stringify(result);
		assertNoMarker(text, 'search_text over a hard link to .env');
		const withheld = (result.structuredContent as { withheld: string[] }).withheld;
		assert.ok(withheld.includes('search-hl.txt'), JSON.stringify(withheld));
	});
});
