// A command's output goes over the wire once, within the output cap (issue 12): structuredContent carries it, the
// text content is a summary. Measured on the bytes of the HTTP answers the real SDK client receives.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Disposable } from '../../../../src/core/base/disposable';
import { terminalTools } from '../../../../src/tools/terminal/commands';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';

const MAX_OUTPUT_BYTES = 64 * 1024;

describe('command output on the wire', () => {
	let wb: TestWorkbench;
	let client: Client;
	let approveAll: Disposable;
	/** Bytes of the body of every POST answer since the last reset. */
	let received = 0;

	before(async () => {
		wb = await startWorkbench({ tools: terminalTools, settings: { maxOutputBytes: MAX_OUTPUT_BYTES } });
		approveAll = wb.approvals.onDidChange(() => {
			for (const request of wb.approvals.pending()) wb.approvals.decide(request.id, { kind: 'approve' });
		});
		// The SDK client over real HTTP, with a fetch that counts what each answer weighs.
		client = new Client({ name: 'wire-meter', version: '1.0.0' });
		const counting = async (url: string | URL, init?: RequestInit): Promise<Response> => {
			const response = await fetch(url, init);
			if (init?.method !== 'POST' || !response.body) return response;
			const body = await response.arrayBuffer();
			received += body.byteLength;
			return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
		};
		await client.connect(new StreamableHTTPClientTransport(new URL(wb.url), { fetch: counting, requestInit: { headers: { Authorization: `Bearer ${wb.secret}` } } }));
	});
	after(async () => {
		approveAll.dispose();
		await client.close();
		await wb.close();
	});

	async function measured(line: string): Promise<{ bytes: number; text: string; output: string; structured: Record<string, unknown> }> {
		received = 0;
		const result = await client.callTool({ name: 'run_command', arguments: { line } });
		const text = (result.content as { text: string }[]).map((item) => item.text).join('\n');
		const structured = result.structuredContent as Record<string, unknown>;
		return { bytes: received, text, output: String(structured.output), structured };
	}

	for (const [name, line] of [
		['1 MB of text', 'head -c 1000000 /dev/zero | tr \'\\0\' x'],
		['1 MB of invalid UTF-8', 'head -c 1000000 /dev/zero | tr \'\\0\' \'\\377\''],
		['1 MB of accented text', 'yes é | head -c 1000000'],
	] as const) {
		test(`${name}: the output is in structuredContent only, and the whole answer fits the cap`, async () => {
			const { bytes, text, output, structured } = await measured(line);
			console.log(`${name}: ${bytes} bytes on the wire (cap ${MAX_OUTPUT_BYTES}), text ${Buffer.byteLength(text)} bytes, output ${Buffer.byteLength(JSON.stringify(output))} bytes as JSON`);
			assert.equal(structured.exitCode, 0);
			assert.equal(structured.truncated, true);
			assert.ok(output.length > MAX_OUTPUT_BYTES / 8, 'most of the budget goes to the output');
			assert.ok(bytes <= MAX_OUTPUT_BYTES, `${bytes} bytes on the wire for a ${MAX_OUTPUT_BYTES}-byte cap`);
			assert.ok(Buffer.byteLength(text) < 2048, `the text content is a summary: ${text.slice(0, 300)}`);
			assert.match(text, /exit code 0/);
			assert.match(text, /structuredContent\.output/);
		});
	}

	test('a short output is whole in structuredContent and the text says how long it is', async () => {
		const { text, output } = await measured('echo hello');
		assert.equal(output, 'hello\n');
		assert.match(text, /6 characters of output/);
	});
});
