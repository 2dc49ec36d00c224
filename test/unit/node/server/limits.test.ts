import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { initializeBody, rawRequest } from '../../helpers/rawHttp';
import { initializeRaw, mcpHeaders } from '../../helpers/rawMcp';
import { heldTool } from '../../helpers/testTools';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';
import { waitFor } from '../../helpers/waitFor';

/** Calls of `hold` wait until the test lets one go (or the session ends). */
const hold = heldTool();


describe('transport: limits on what one client holds', () => {
	let wb: TestWorkbench;
	before(async () => {
		wb = await startWorkbench({ tools: [hold.tool] });
	});
	after(() => wb.close());

	const headers = (session: string) => mcpHeaders(wb.secret, { 'mcp-session-id': session });
	const call = (id: number | string) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'hold', arguments: {} } });

	test('a session with 64 requests in flight gets a busy error that says to wait, and the held calls still finish', { timeout: 30_000 }, async () => {
		const session = await initializeRaw(wb);
		const from = hold.started;
		const waiting = Array.from({ length: 64 }, (_, i) => rawRequest(wb, { headers: headers(session), body: call(i + 1) }));
		await waitFor(() => hold.started - from === 64, '64 calls running');
		const busy = await rawRequest(wb, { headers: headers(session), body: call('one-too-many') });
		assert.equal(busy.status, 200, busy.body);
		const answer = JSON.parse(busy.body) as { id: string; error?: { code: number; message: string } };
		assert.equal(answer.id, 'one-too-many');
		assert.equal(answer.error?.code, -32000);
		assert.match(answer.error.message, /Server busy: this session already has 64 requests in flight.*Wait for one of their answers, then send this request again/);
		// Another session is not affected.
		const other = await initializeRaw(wb);
		const ping = await rawRequest(wb, { headers: headers(other), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
		assert.deepEqual(JSON.parse(ping.body), { jsonrpc: '2.0', id: 1, result: {} });
		hold.releaseAll();
		const answers = await Promise.all(waiting);
		assert.ok(answers.every((r) => JSON.parse(r.body).result?.content?.[0]?.text === 'released'));
	});

	test('past 1,000 sessions the least recently used idle one makes room, never one with a call in flight', { timeout: 60_000 }, async () => {
		const busy = await initializeRaw(wb);
		const from = hold.started;
		const heldCall = rawRequest(wb, { headers: headers(busy), body: call('held') });
		await waitFor(() => hold.started > from, 'the held call running');
		const idle = await initializeRaw(wb);
		for (let i = 0; i < 1000; i++) await initializeRaw(wb);
		assert.ok(wb.server.sessionCount <= 1000, `${wb.server.sessionCount} sessions`);
		const ping = (session: string) => rawRequest(wb, { headers: headers(session), body: JSON.stringify({ jsonrpc: '2.0', id: 'p', method: 'ping' }) });
		const evicted = await ping(idle);
		assert.equal(evicted.status, 404, evicted.body);
		assert.match(JSON.parse(evicted.body).error.message, /Session expired \(closed to make room: at most 1000 sessions/);
		assert.deepEqual(JSON.parse((await ping(busy)).body), { jsonrpc: '2.0', id: 'p', result: {} });
		hold.releaseAll();
		assert.equal(JSON.parse((await heldCall).body).result?.content?.[0]?.text, 'released');
	});

	// A refusal must come before the limit: VS Code retrying a refused start must not close other clients' sessions.
	test('at 1,000 sessions, an initialize the server refuses (VS Code on another client\'s credential) evicts no one', { timeout: 60_000 }, async () => {
		const initializeAs = (token: string, says: string) => rawRequest(wb, { headers: mcpHeaders(token), body: initializeBody.replace('"name":"raw"', JSON.stringify(says).replace(/^/, '"name":')) });
		const cursor = await wb.server.tokens.connect('Cursor', 'cursor');
		assert.equal((await initializeAs(cursor.token, 'cursor')).status, 200);
		// 999 newer sessions, whatever was open before: the limit is reached and every session older than Cursor's made
		// room, so Cursor's is now the least recently used, the next to go.
		for (let i = 0; i < 999; i++) await initializeRaw(wb);
		assert.equal(wb.server.sessionCount, 1000);
		assert.equal(wb.server.sessionsOf('Cursor'), 1);
		const claudeCode = await wb.server.tokens.connect('Claude Code', 'claude-code');
		const refused = await initializeAs(claudeCode.token, 'Visual Studio Code');
		assert.equal(refused.status, 403, refused.body);
		assert.match(JSON.parse(refused.body).error.message, /built into VS Code already/);
		assert.equal(wb.server.sessionsOf('Cursor'), 1, 'the refused initialize closed no one\'s session');
		// The control: an initialize that is admitted does make room, and Cursor's session is the one that goes.
		assert.equal((await initializeAs(claudeCode.token, 'claude-code')).status, 200);
		assert.equal(wb.server.sessionsOf('Cursor'), 0);
	});

	test('one connection has at most 8 requests in hand; the ninth starts when one is answered', async () => {
		const session = await initializeRaw(wb);
		const socket = connect(Number(new URL(wb.url).port), '127.0.0.1');
		await once(socket, 'connect');
		let received = '';
		socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
		const from = hold.started;
		let text = '';
		for (let i = 0; i < 12; i++) {
			const body = call(`p${i}`);
			text += `POST /mcp HTTP/1.1\r\nHost: ${new URL(wb.url).host}\r\nAuthorization: Bearer ${wb.secret}\r\nContent-Type: application/json\r\nAccept: application/json\r\nMcp-Session-Id: ${session}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
		}
		socket.write(text);
		await waitFor(() => hold.started - from === 8, '8 pipelined calls running');
		// A full round trip on another connection: the server has read the pipelined requests by now and held 4 back.
		const other = await rawRequest(wb, { headers: headers(session), body: JSON.stringify({ jsonrpc: '2.0', id: 'x', method: 'ping' }) });
		assert.equal(other.status, 200);
		assert.equal(hold.started - from, 8);
		hold.releaseNext();
		await waitFor(() => hold.started - from === 9, 'the ninth call started');
		for (let i = 0; i < 3; i++) {
			const before = hold.started;
			hold.releaseNext();
			await waitFor(() => hold.started === before + 1, 'the next call started');
		}
		hold.releaseAll();
		await waitFor(() => (received.match(/HTTP\/1\.1 200/g) ?? []).length === 12, 'all 12 answers');
		socket.destroy();
	});
});
