import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalRequest } from '../../../../src/core/gate/approvals';
import { filesTools } from '../../../../src/tools/files/index';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';
import { waitFor } from '../../helpers/waitFor';

let t: TestWorkbench | undefined;
afterEach(async () => {
	await t?.close();
	t = undefined;
});

async function exists(path: string): Promise<boolean> {
	return access(path).then(() => true, () => false);
}

/** A write_file that asks (writes ask by default), and its card once it shows. */
async function waitingWrite(w: TestWorkbench, client: Client, file: string, options: Parameters<Client['callTool']>[2] = {}) {
	const call = client.callTool({ name: 'write_file', arguments: { path: file, content: 'marker\n' } }, undefined, options) as Promise<CallToolResult>;
	// The answer is inspected by each test; a rejection must not go unhandled before then.
	call.catch(() => undefined);
	const card = await waitFor(() => w.approvals.pending().find((request) => (request.arguments as { path?: string }).path === file), 'the card');
	return { call, card };
}

function closedState(w: TestWorkbench, card: ApprovalRequest) {
	return w.approvals.closed().find((closed) => closed.request.id === card.id)?.state;
}

describe('waiting for approval with real clients over HTTP', () => {
	test('a client that resets its timeout on progress keeps waiting past its own timeout, and hears why', async () => {
		t = await startWorkbench({ tools: filesTools, sandbox: 'none' });
		const client = await t.connect('patient');
		const heard: Progress[] = [];
		// Without progress, this client gives up after 8 s; the card waits until three heartbeats (at 0, 5 and 10 s) arrived.
		const { call, card } = await waitingWrite(t, client, 'patient.txt', { timeout: 8000, resetTimeoutOnProgress: true, onprogress: (p) => heard.push(p) });
		assert.equal(card.clientHearsProgress, true);
		await waitFor(() => heard.length >= 3, 'three progress notifications');
		assert.match(heard[0].message ?? '', /Waiting for the user to approve write_file in VS Code \(MCP Workbench\); \d+ s left/);
		for (let i = 1; i < heard.length; i++) assert.ok(heard[i].progress > heard[i - 1].progress, 'progress only rises');
		assert.ok(t.approvals.decide(card.id, { kind: 'approve' }));
		const result = await call;
		assert.ok(!result.isError, JSON.stringify(result.content));
		assert.ok(await exists(join(t.folders[0].path, 'patient.txt')));
	});

	test('a client that disconnects while its card waits: the card closes as disconnected and approving runs nothing', async () => {
		t = await startWorkbench({ tools: filesTools, sandbox: 'none' });
		const client = await t.connect('leaver');
		const { card } = await waitingWrite(t, client, 'marker-disconnect.txt');
		// The SDK client's close aborts the POST whose stream would carry the answer: the connection closes.
		await client.close();
		const w = t;
		await waitFor(() => w.approvals.pending().length === 0, 'the card to close');
		assert.equal(closedState(t, card), 'disconnected');
		assert.equal(t.approvals.decide(card.id, { kind: 'approve' }), false, 'a closed card cannot be approved');
		await waitFor(() => w.records.find((r) => r.tool === 'write_file'), 'the audit record');
		const record = t.records.find((r) => r.tool === 'write_file');
		assert.equal(record?.outcome, 'cancelled');
		assert.equal(record?.decidedBy, 'disconnected');
		assert.equal(await exists(join(t.folders[0].path, 'marker-disconnect.txt')), false, 'nothing ran');
	});

	test('a session deleted while its card waits: the card closes as session ended', async () => {
		t = await startWorkbench({ tools: filesTools, sandbox: 'none' });
		const client = await t.connect('deleter');
		const { call, card } = await waitingWrite(t, client, 'marker-deleted.txt');
		await (client.transport as StreamableHTTPClientTransport).terminateSession();
		const w = t;
		await waitFor(() => closedState(w, card), 'the card to close');
		assert.equal(closedState(t, card), 'session_ended');
		assert.equal(t.approvals.decide(card.id, { kind: 'approve' }), false);
		const result = await call.catch((error: Error) => error);
		assert.match(result instanceof Error ? result.message : JSON.stringify(result), /session ended|ended by DELETE/);
		assert.equal(await exists(join(t.folders[0].path, 'marker-deleted.txt')), false);
	});

	test('a client that cancels: the card closes as cancelled', async () => {
		t = await startWorkbench({ tools: filesTools, sandbox: 'none' });
		const client = await t.connect('canceller');
		const abort = new AbortController();
		const { call, card } = await waitingWrite(t, client, 'marker-cancelled.txt', { signal: abort.signal });
		abort.abort('changed my mind');
		await assert.rejects(call);
		const w = t;
		await waitFor(() => closedState(w, card), 'the card to close');
		assert.equal(closedState(t, card), 'cancelled');
		assert.equal(t.approvals.decide(card.id, { kind: 'approve' }), false);
		assert.equal(await exists(join(t.folders[0].path, 'marker-cancelled.txt')), false);
	});

	test('stopping the server ends every waiting call with a message that says so', async () => {
		t = await startWorkbench({ tools: filesTools, sandbox: 'none' });
		const one = await t.connect('one');
		const two = await t.connect('two');
		const first = await waitingWrite(t, one, 'marker-stop-1.txt');
		const second = await waitingWrite(t, two, 'marker-stop-2.txt');
		await t.server.stop();
		for (const { call, card } of [first, second]) {
			const result = await call;
			assert.equal(result.isError, true);
			const [content] = result.content;
			assert.ok(content.type === 'text');
			assert.match(content.text, /Not run: the user stopped the MCP Workbench server while it waited for approval/);
			assert.doesNotMatch(content.text, /client cancelled/);
			assert.equal(closedState(t, card), 'server_stopped');
			assert.equal(t.approvals.decide(card.id, { kind: 'approve' }), false);
		}
		assert.deepEqual(t.records.filter((r) => r.tool === 'write_file').map((r) => r.decidedBy), ['server_stopped', 'server_stopped']);
		assert.equal(await exists(join(t.folders[0].path, 'marker-stop-1.txt')), false);
	});

	test('a client without a progress token is told, when the card times out, what would let it wait', async () => {
		t = await startWorkbench({ tools: filesTools, sandbox: 'none', settings: { approvalTimeoutMs: 1500 } });
		const client = await t.connect('no-progress');
		const { call, card } = await waitingWrite(t, client, 'marker-timeout.txt');
		assert.equal(card.clientHearsProgress, false);
		const result = await call;
		const [content] = result.content;
		assert.ok(content.type === 'text');
		assert.match(content.text, /nobody approved it in time .*retry the call\. This client sent no progress token/);
		assert.equal(closedState(t, card), 'timeout');
		assert.equal(t.records.find((r) => r.tool === 'write_file')?.outcome, 'timeout');
	});
});
