// The official MCP conformance suite (@modelcontextprotocol/conformance, server mode) against the real server, as
// `npm run serve` runs it (createWorkbench, Node adapters) on a temp workspace, for every scenario that applies to a
// server like ours (docs/conformance.md says which do not, and why). Part of `npm test`, after the unit tests.
//
// Two things stand between the suite and our server, and this script bridges both without changing what is tested:
// - the suite's client sends no credentials (it has no option for a header), and our server refuses any request
//   without its bearer token: a loopback relay adds the header and passes everything else through unchanged, Host
//   and Origin included (a Host naming the relay is rewritten to the server's, so the DNS-rebinding scenario still
//   sees a foreign Host refused);
// - the suite needs Node 22 or later (fs.globSync); the project runs on Node 20, so the suite runs on the Node 24 the
//   integration tests install (scripts/vscodeHarness.mjs), or on this Node when it is new enough.
//
// Usage: node scripts/conformance.mjs [scenario…]   (default: every scenario in APPLIES)
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureNode24, projectRoot } from './vscodeHarness.mjs';

/** Scenarios that apply, by protocol era (see the doc). */
export const APPLIES = {
	'2025-11-25': ['server-initialize', 'server-session-lifecycle', 'ping', 'logging-set-level', 'tools-list', 'resources-list', 'prompts-list', 'completion-complete', 'resources-subscribe', 'resources-unsubscribe', 'dns-rebinding-protection', 'server-sse-multiple-streams'],
	'2026-07-28': ['server-stateless', 'caching', 'http-header-validation', 'sep-2164-resource-not-found'],
};
/** Single checks that fail on this server for a reason of their own (docs/conformance.md, "Checks that do not apply"). */
export const EXPECTED_FAILURES = {
	'localhost-host-valid-accepted': 'by design: every request with an Origin header is refused, a localhost one too (no MCP client sends Origin; browsers always do)',
	'sep-2575-server-rejects-undeclared-capability': 'needs the suite\'s diagnostic tool test_missing_capability; no tool here needs a client capability',
	'sep-2575-missing-capability-http-400': 'needs the suite\'s diagnostic tool test_missing_capability; no tool here needs a client capability',
};

const require = createRequire(import.meta.url);
const suite = join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist', 'index.js');

function log(message) {
	process.stdout.write(`[conformance] ${message}\n`);
}

/** `npm run serve` on a fresh workspace; resolves with its URL and secret once it listens. */
async function startServer(workspace, auditFolder) {
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', '--audit', auditFolder, workspace], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
	const line = await new Promise((resolve, reject) => {
		const lines = createInterface({ input: child.stdout });
		lines.once('line', resolve);
		child.once('exit', (code) => reject(new Error(`npm run serve exited (${code}) before it listened`)));
	});
	const { url, secret } = JSON.parse(line);
	return { child, url: new URL(url), secret };
}

/** Loopback relay that adds the bearer token; see the top of this file for why. */
async function startRelay(target, secret) {
	const relay = createServer((req, res) => {
		const headers = { ...req.headers, authorization: `Bearer ${secret}` };
		const ownHosts = [`127.0.0.1:${relay.address().port}`, `localhost:${relay.address().port}`];
		if (ownHosts.includes(req.headers.host ?? '')) headers.host = target.host;
		const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', () => res.destroy());
		res.on('close', () => upstream.destroy());
		req.pipe(upstream);
	});
	await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve));
	return relay;
}

/** Runs one scenario; its checks as the suite records them (checks.json in its output folder). */
async function runScenario(node, url, scenario, outputDir) {
	const output = join(outputDir, scenario);
	mkdirSync(output, { recursive: true });
	const child = spawn(node, [suite, 'server', '--url', url, '--scenario', scenario, '--output-dir', output], { stdio: ['ignore', 'pipe', 'pipe'] });
	let text = '';
	child.stdout.on('data', (chunk) => (text += chunk));
	child.stderr.on('data', (chunk) => (text += chunk));
	const code = await new Promise((resolve) => child.once('exit', resolve));
	const checks = [];
	for (const file of walk(output)) if (file.endsWith('checks.json')) checks.push(...JSON.parse(readFileSync(file, 'utf8')));
	return { code, checks, text };
}

function walk(dir) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
}

async function main() {
	const wanted = process.argv.slice(2);
	const node = Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : (await ensureNode24()).node;
	const scratch = mkdtempSync(join(tmpdir(), 'mcp-workbench-conformance-'));
	const workspace = join(scratch, 'workspace');
	mkdirSync(workspace);
	writeFileSync(join(workspace, 'README.md'), '# conformance workspace\n');
	const server = await startServer(workspace, join(scratch, 'audit'));
	const relay = await startRelay(server.url, server.secret);
	const url = `http://localhost:${relay.address().port}${server.url.pathname}`;
	const scenarios = wanted.length > 0 ? wanted : [...APPLIES['2025-11-25'], ...APPLIES['2026-07-28']];
	const failed = [];
	try {
		for (const scenario of scenarios) {
			const { checks, text } = await runScenario(node, url, scenario, join(scratch, 'results'));
			const failures = checks.filter((check) => check.status === 'FAILURE');
			const unexpected = failures.filter((check) => !Object.hasOwn(EXPECTED_FAILURES, check.id));
			const warnings = checks.filter((check) => check.status === 'WARNING');
			const verdict = checks.length === 0 ? 'NO CHECKS' : unexpected.length === 0 ? 'pass' : 'FAIL';
			log(`${scenario}: ${verdict} (${checks.length - failures.length - warnings.length}/${checks.length} checks passed${warnings.length ? `, ${warnings.length} warnings` : ''})`);
			for (const check of [...failures, ...warnings]) {
				const known = EXPECTED_FAILURES[check.id];
				log(`    ${check.status} ${check.id}: ${check.errorMessage ?? check.description}${known ? ` [expected: ${known}]` : ''}`);
			}
			if (checks.length === 0) log(text.trim().split('\n').slice(-5).join('\n'));
			if (unexpected.length > 0 || checks.length === 0) failed.push(scenario);
		}
	} finally {
		relay.close();
		server.child.kill('SIGTERM');
		await new Promise((resolve) => server.child.once('exit', resolve));
		rmSync(scratch, { recursive: true, force: true });
	}
	if (failed.length > 0) {
		log(`failed: ${failed.join(', ')}`);
		process.exit(1);
	}
	log('every scenario that applies passed');
}

await main();
