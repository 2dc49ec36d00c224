// What one client can make the server hold. The server runs in a child process (`npm run serve`, composed as the
// extension composes it) so its resident memory is measured alone. Two abuses: 3,000 read_file requests pipelined on
// one connection whose answers are never read (each answer ~200 KB: before the per-connection cap every request ran
// and its answer waited in memory, past 1 GB), and 10,000 sessions opened and abandoned (before the session cap they
// held ~300 MB for the 30-minute idle timeout). The bound: the server's RSS grows by less than RSS_GROWTH_MB.
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initializeBody } from '../helpers/rawHttp';

const root = new URL('../../..', import.meta.url).pathname;
/** Growth allowed over the RSS after start-up and one warm-up call. Without the caps each abuse alone passes 300 MB. */
const RSS_GROWTH_MB = 150;

interface Served {
	readonly child: ChildProcess;
	readonly url: URL;
	readonly secret: string;
}

function rssMb(pid: number): number {
	return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function post(served: Served, body: string, extra: Record<string, string> = {}): Promise<{ status: number; session?: string; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({
			host: served.url.hostname, port: served.url.port, path: '/mcp', method: 'POST', agent,
			headers: { authorization: `Bearer ${served.secret}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...extra },
		}, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, session: res.headers['mcp-session-id'] as string | undefined, body: Buffer.concat(chunks).toString() }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** read_file calls counted by the server's own metrics. */
async function readCalls(served: Served): Promise<number> {
	const metrics = await new Promise<string>((resolve, reject) => {
		request({ host: served.url.hostname, port: served.url.port, path: '/metrics', agent, headers: { authorization: `Bearer ${served.secret}` } }, (res) => {
			let text = '';
			res.on('data', (chunk: Buffer) => (text += chunk.toString()));
			res.on('end', () => resolve(text));
		}).on('error', reject).end();
	});
	return [...metrics.matchAll(/^mcp_workbench_tool_calls_total\{tool="read_file",[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

describe('security: memory stays bounded under abusive clients', { skip: process.platform === 'win32' ? 'measures RSS with ps' : false }, () => {
	let folder: string;
	let served: Served;
	let session: string;
	let baseline: number;

	before(async () => {
		folder = await mkdtemp(join(tmpdir(), 'mcpwb-memory-'));
		await writeFile(join(folder, 'big.txt'), `${'x'.repeat(99)}\n`.repeat(2000));
		// No rate limit: it would refuse most of these calls cheaply and hide what they cost when they run.
		await writeFile(join(folder, 'settings.json'), JSON.stringify({ rateLimits: {} }));
		const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', '--settings', join(folder, 'settings.json'), '--audit', join(folder, 'audit'), folder], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
		const [line] = await once(child.stdout!, 'data') as [Buffer];
		const { url, secret } = JSON.parse(line.toString()) as { url: string; secret: string };
		served = { child, url: new URL(url), secret };
		const init = await post(served, initializeBody);
		assert.equal(init.status, 200, init.body);
		session = String(init.session);
		const warm = await post(served, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'read_file', arguments: { path: 'big.txt' } } }), { 'mcp-session-id': session });
		assert.equal(warm.status, 200, warm.body);
		baseline = rssMb(child.pid!);
	});

	after(async () => {
		agent.destroy();
		if (served.child.exitCode === null) {
			served.child.kill('SIGTERM');
			await once(served.child, 'exit');
		}
		await rm(folder, { recursive: true, force: true });
	});

	test('3,000 pipelined read_file requests whose answers are never read', { timeout: 30_000 }, async (t) => {
		const before = await readCalls(served);
		const socket = connect(Number(served.url.port), served.url.hostname);
		await once(socket, 'connect');
		socket.pause();
		let text = '';
		for (let i = 0; i < 3000; i++) {
			const body = JSON.stringify({ jsonrpc: '2.0', id: 100 + i, method: 'tools/call', params: { name: 'read_file', arguments: { path: 'big.txt' } } });
			text += `POST /mcp HTTP/1.1\r\nHost: ${served.url.host}\r\nAuthorization: Bearer ${served.secret}\r\nContent-Type: application/json\r\nAccept: application/json\r\nMcp-Session-Id: ${session}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
		}
		socket.write(text);
		// The connection's first requests run; then its unread answers hold the rest back. Watch over 40 metric round
		// trips (a second or two) that the count stays at the cap and memory with it.
		let peak = 0;
		let calls = 0;
		for (let i = 0; i < 40; i++) {
			calls = (await readCalls(served)) - before;
			peak = Math.max(peak, rssMb(served.child.pid!));
			await new Promise((resolve) => setImmediate(resolve));
		}
		t.diagnostic(`${calls} calls ran; RSS ${baseline.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`);
		// 8 in hand at once, plus the answers the kernel's socket buffers took (a few MB on loopback) before writes stalled.
		assert.ok(calls <= 100, `${calls} of the pipelined calls ran with none of their answers read`);
		assert.ok(peak - baseline < RSS_GROWTH_MB, `RSS grew by ${(peak - baseline).toFixed(0)} MB (from ${baseline.toFixed(0)} MB)`);
		socket.destroy();
		// The server goes on serving everyone else.
		const after = await post(served, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'read_file', arguments: { path: 'big.txt' } } }), { 'mcp-session-id': session });
		assert.equal(after.status, 200, after.body.slice(0, 200));
	});

	test('10,000 abandoned sessions', { timeout: 30_000 }, async (t) => {
		const opened: string[] = [];
		await Promise.all(Array.from({ length: 16 }, async () => {
			while (opened.length < 10_000) {
				const init = await post(served, initializeBody);
				assert.equal(init.status, 200, init.body);
				opened.push(String(init.session));
			}
		}));
		const rss = rssMb(served.child.pid!);
		t.diagnostic(`RSS ${baseline.toFixed(0)} MB before, ${rss.toFixed(0)} MB after`);
		assert.ok(rss - baseline < RSS_GROWTH_MB, `RSS grew by ${(rss - baseline).toFixed(0)} MB (from ${baseline.toFixed(0)} MB)`);
		// The least recently used sessions made room (the last 1,000 opened are kept); a client of one is told why and
		// what to do. The server remembers the reasons of as many ended sessions as it keeps open.
		const expired = await post(served, JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'ping' }), { 'mcp-session-id': opened[8_500] });
		assert.equal(expired.status, 404, expired.body);
		assert.match(JSON.parse(expired.body).error.message, /Session expired \(closed to make room.*\): send initialize/);
	});
});
