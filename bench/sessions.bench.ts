/**
 * Throughput and memory of the shipped server under many sessions: `npm run serve` (the extension's composition, the
 * real JSONL audit) in a child process, and SESSIONS clients each making CALLS read_file calls one after another on
 * its own keep-alive connection, all at once. Two rounds; the child's RSS before, between and after shows whether
 * memory stays flat. `--sessions 16 --calls 1000 --rounds 2 --profile` (the last writes a .cpuprofile of the server
 * to a temp folder it prints). The bench's clients share the machine with the server, so calls/s moves with whatever else runs;
 * the server's own CPU time per call (Linux) is the steadier figure to compare builds by.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { printTable, summarize, type Summary } from './stats';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '16' }, calls: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '2' }, profile: { type: 'boolean', default: false } }, strict: false });
const SESSIONS = Number(values.sessions);
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);
const root = new URL('..', import.meta.url).pathname;

interface Served {
	readonly url: URL;
	readonly secret: string;
}

function post(served: Served, agent: Agent, body: string, session?: string): Promise<{ status: number; session?: string; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({
			host: served.url.hostname, port: served.url.port, path: '/mcp', method: 'POST', agent,
			headers: {
				authorization: `Bearer ${served.secret}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body),
				...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' } : {}),
			},
		}, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, session: res.headers['mcp-session-id'] as string | undefined, body: Buffer.concat(chunks).toString() }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** The process's user + system CPU time in ms, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number): number | undefined {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		// utime and stime are fields 14 and 15 of the whole line, counted in clock ticks (100 a second on Linux).
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return undefined;
	}
}

function rssMb(pid: number): number {
	return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
}

async function main(): Promise<void> {
	const folder = await mkdtemp(join(tmpdir(), 'mcpwb-bench-sessions-'));
	await writeFile(join(folder, 'small.txt'), 'export const answer = 42;\n'.repeat(40));
	// No rate limit: the defaults (600 calls a minute per tool) would measure the limiter.
	await writeFile(join(folder, 'settings.json'), JSON.stringify({ rateLimits: {} }));
	const profileDir = values.profile ? await mkdtemp(join(tmpdir(), 'mcpwb-bench-profile-')) : undefined;
	const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
	const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'scripts/serve.ts', '--settings', join(folder, 'settings.json'), '--audit', join(folder, 'audit'), folder], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
	try {
		const [line] = await once(child.stdout, 'data') as [Buffer];
		const { url, secret } = JSON.parse(line.toString()) as { url: string; secret: string };
		const served: Served = { url: new URL(url), secret };
		const clients = await Promise.all(Array.from({ length: SESSIONS }, async () => {
			const agent = new Agent({ keepAlive: true, maxSockets: 1 });
			const init = await post(served, agent, JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }));
			if (init.status !== 200 || !init.session) throw new Error(`initialize failed: ${init.status} ${init.body}`);
			await post(served, agent, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), init.session);
			return { agent, session: init.session };
		}));
		const readBody = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'read_file', arguments: { path: 'small.txt' } } });
		// Warm up: the first calls compile the code paths.
		for (const client of clients) for (let i = 0; i < 20; i++) await post(served, client.agent, readBody(i + 1), client.session);
		const rss = [rssMb(child.pid!)];
		const rows: Summary[] = [];
		const rates: number[] = [];
		const cpuPerCall: number[] = [];
		for (let round = 1; round <= ROUNDS; round++) {
			const samples: number[] = [];
			const cpuBefore = cpuMs(child.pid!);
			const start = process.hrtime.bigint();
			await Promise.all(clients.map(async (client) => {
				for (let i = 0; i < CALLS; i++) {
					const began = process.hrtime.bigint();
					const answer = await post(served, client.agent, readBody(1000 + round * CALLS + i), client.session);
					samples.push(Number(process.hrtime.bigint() - began) / 1e6);
					if (answer.status !== 200 || !answer.body.includes('"result"') || answer.body.includes('"isError":true')) throw new Error(`call failed: ${answer.status} ${answer.body.slice(0, 300)}`);
				}
			}));
			const seconds = Number(process.hrtime.bigint() - start) / 1e9;
			rates.push((SESSIONS * CALLS) / seconds);
			const cpuAfter = cpuMs(child.pid!);
			if (cpuBefore !== undefined && cpuAfter !== undefined) cpuPerCall.push((cpuAfter - cpuBefore) / (SESSIONS * CALLS));
			rows.push(summarize(`round ${round}: ${SESSIONS} sessions x ${CALLS} read_file`, samples));
			rss.push(rssMb(child.pid!));
		}
		printTable(`Sessions: ${SESSIONS} clients, each ${CALLS} read_file calls one after another, all at once (real audit)`, rows);
		console.log(`\ncalls/s: ${rates.map((r) => r.toFixed(0)).join(', ')} (goal: 1,000 on 2 cores)`);
		if (cpuPerCall.length) console.log(`server CPU per call: ${cpuPerCall.map((ms) => `${ms.toFixed(3)} ms`).join(', ')} (${(1000 / Math.min(...cpuPerCall)).toFixed(0)} calls/s per core it has to itself)`);
		console.log(`server RSS: ${rss.map((r) => `${r.toFixed(0)} MB`).join(' -> ')} (after warm-up, then each round; goal: flat)`);
		for (const client of clients) client.agent.destroy();
	} finally {
		// SIGINT lets the server close and, with --profile, write its profile.
		child.kill('SIGINT');
		if (child.exitCode === null) await once(child, 'exit');
		await rm(folder, { recursive: true, force: true });
		if (profileDir) console.log(`server CPU profile: ${profileDir}`);
	}
}

void main();
