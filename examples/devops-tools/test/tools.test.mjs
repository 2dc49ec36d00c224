// The sample's tools against real SQLite (sql.js) and stand-in docker/kubectl executables on PATH that record
// their arguments: no Docker engine or Kubernetes cluster exists here, the exact argument arrays are what matter.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { devopsTools } = require('../dist/tools.js');
const initSqlJs = require('sql.js');

const base = realpathSync(mkdtempSync(join(tmpdir(), 'devops-tools-')));
const bin = join(base, 'bin');
const empty = join(base, 'empty-bin');
const canned = join(base, 'canned');
const workspace = join(base, 'workspace');
const log = join(base, 'calls.log');
const wasmPath = join(here, '..', 'dist', 'sql-wasm.wasm');
const tools = Object.fromEntries(devopsTools({ wasmPath, folders: () => [workspace] }).map((tool) => [tool.name, tool]));
const originalPath = process.env.PATH;

function context() {
	return { signal: new AbortController().signal, progress() {}, maxOutputBytes: 256 * 1024, approvedByPerson: false };
}
function calls() {
	return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
}
function answer(program, subcommand, text, exit) {
	writeFileSync(join(canned, `${program}.${subcommand}.out`), text);
	if (exit !== undefined) writeFileSync(join(canned, `${program}.${subcommand}.exit`), String(exit));
}

before(() => {
	for (const dir of [bin, empty, canned, workspace]) mkdirSync(dir, { recursive: true });
	for (const program of ['docker', 'kubectl']) {
		copyFileSync(join(here, 'standins', 'standin.mjs'), join(bin, program));
		chmodSync(join(bin, program), 0o755);
	}
	process.env.STANDIN_LOG = log;
	process.env.STANDIN_DIR = canned;
	process.env.PATH = `${bin}:${originalPath}`;
});
beforeEach(() => rmSync(log, { force: true }));
after(() => {
	process.env.PATH = originalPath;
	rmSync(base, { recursive: true, force: true });
});

describe('docker tools', () => {
	test('docker_ps runs `docker ps` with an argument array and parses its JSON lines', async () => {
		answer('docker', 'ps', `${JSON.stringify({ ID: 'abc123def4567890', Names: 'web', Image: 'nginx:1.27', State: 'running', Status: 'Up 2 hours' })}\n`);
		const result = await tools.docker_ps.handler({ all: true }, context());
		assert.deepEqual(calls(), [['docker', 'ps', '--all', '--no-trunc', '--format', '{{json .}}']]);
		assert.deepEqual(result.structured.containers, [{ id: 'abc123def4567890', name: 'web', image: 'nginx:1.27', state: 'running', status: 'Up 2 hours' }]);
		assert.match(result.text, /web {2}nginx:1\.27 {2}running/);
	});

	test('docker_logs passes the container as one argument: shell syntax in it runs nothing', async () => {
		const marker = join(base, 'injected');
		answer('docker', 'logs', 'line 1\nline 2\n');
		const result = await tools.docker_logs.handler({ container: `web; touch ${marker}`, tail: 50, since: '10m' }, context());
		assert.deepEqual(calls(), [['docker', 'logs', '--tail', '50', '--since', '10m', `web; touch ${marker}`]]);
		assert.ok(!existsSync(marker), 'no shell ran the text after the semicolon');
		assert.equal(result, 'line 1\nline 2\n');
	});

	test('docker_restart names the container in its card and restarts exactly it', async () => {
		assert.deepEqual(tools.docker_restart.describe({ container: 'web' }), { summary: 'restart the Docker container web' });
		assert.equal(tools.docker_restart.risk, 'execute');
		const result = await tools.docker_restart.handler({ container: 'web', timeoutSeconds: 5 }, context());
		assert.deepEqual(calls(), [['docker', 'restart', '--time', '5', 'web']]);
		assert.equal(result, 'Restarted web.');
	});

	test('a failing docker answers with its exit code and stderr as an error', async () => {
		answer('docker', 'restart', '', 1);
		const result = await tools.docker_restart.handler({ container: 'nope' }, context());
		assert.equal(result.isError, true);
		assert.match(result.text, /exited with code 1/);
		rmSync(join(canned, 'docker.restart.exit'));
	});
});

describe('kubectl tools', () => {
	test('kubectl_get_pods asks for JSON and summarizes phase, readiness and restarts', async () => {
		answer('kubectl', 'get', JSON.stringify({
			items: [{ metadata: { name: 'web-1', namespace: 'shop' }, spec: { nodeName: 'n1' }, status: { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 2 }, { ready: false, restartCount: 1 }] } }],
		}));
		const result = await tools.kubectl_get_pods.handler({ namespace: 'shop', context: 'prod', selector: 'app=web' }, context());
		assert.deepEqual(calls(), [['kubectl', 'get', 'pods', '--context', 'prod', '--namespace', 'shop', '--selector', 'app=web', '--output', 'json']]);
		assert.deepEqual(result.structured.pods, [{ name: 'web-1', namespace: 'shop', phase: 'Running', ready: '1/2', restarts: 3, node: 'n1' }]);
	});

	test('kubectl_logs reads one pod\'s log', async () => {
		answer('kubectl', 'logs', 'started\n');
		const result = await tools.kubectl_logs.handler({ pod: 'web-1', container: 'app', namespace: 'shop', tail: 10, previous: true }, context());
		assert.deepEqual(calls(), [['kubectl', 'logs', 'web-1', '--namespace', 'shop', '--container', 'app', '--tail', '10', '--previous']]);
		assert.equal(result, 'started\n');
	});

	test('kubectl_scale asks (risk write), says what it will do, and scales exactly that deployment', async () => {
		assert.equal(tools.kubectl_scale.risk, 'write');
		assert.deepEqual(tools.kubectl_scale.describe({ deployment: 'web', replicas: 3, namespace: 'shop' }), { summary: 'scale deployment web to 3 replicas in namespace shop' });
		answer('kubectl', 'scale', 'deployment.apps/web scaled\n');
		const result = await tools.kubectl_scale.handler({ deployment: 'web', replicas: 3, namespace: 'shop' }, context());
		assert.deepEqual(calls(), [['kubectl', 'scale', 'deployment/web', '--replicas=3', '--namespace', 'shop']]);
		assert.equal(result, 'deployment.apps/web scaled');
	});
});

describe('a missing program', () => {
	test('says which program is missing and how to get it; nothing ran', async () => {
		process.env.PATH = empty;
		try {
			await assert.rejects(tools.kubectl_get_pods.handler({}, context()), /kubectl was not found on PATH, so nothing ran\. Install kubectl/);
			await assert.rejects(tools.docker_ps.handler({}, context()), /docker was not found on PATH, so nothing ran\. Install Docker/);
		} finally {
			process.env.PATH = `${bin}:${originalPath}`;
		}
		assert.deepEqual(calls(), []);
	});

	test('a program path from the settings runs without PATH', async () => {
		const configured = Object.fromEntries(devopsTools({ wasmPath, folders: () => [workspace], kubectl: () => join(bin, 'kubectl') }).map((tool) => [tool.name, tool]));
		// Only node on PATH (the stand-in needs it), no kubectl.
		const nodeOnly = join(base, 'node-only');
		mkdirSync(nodeOnly, { recursive: true });
		symlinkSync(process.execPath, join(nodeOnly, 'node'));
		process.env.PATH = nodeOnly;
		try {
			await configured.kubectl_scale.handler({ deployment: 'api', replicas: 0 }, context());
		} finally {
			process.env.PATH = `${bin}:${originalPath}`;
		}
		assert.deepEqual(calls(), [['kubectl', 'scale', 'deployment/api', '--replicas=0']]);
	});
});

describe('sqlite_query (real SQLite through sql.js)', () => {
	const file = join(workspace, 'shop.db');
	let digest;
	before(async () => {
		const SQL = await initSqlJs({ locateFile: () => wasmPath });
		const db = new SQL.Database();
		db.run("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL); INSERT INTO orders (customer, total) VALUES ('ada', 12.5), ('bob', 7), ('cy', NULL);");
		writeFileSync(file, db.export());
		db.close();
		digest = createHash('sha256').update(readFileSync(file)).digest('hex');
	});
	const unchanged = () => assert.equal(createHash('sha256').update(readFileSync(file)).digest('hex'), digest, 'the database file is unchanged');

	test('a SELECT returns columns and rows', async () => {
		const result = await tools.sqlite_query.handler({ database: 'shop.db', sql: 'SELECT customer, total FROM orders ORDER BY id' }, context());
		assert.deepEqual(result.structured, { columns: ['customer', 'total'], rows: [['ada', 12.5], ['bob', 7], ['cy', null]], truncated: false });
		assert.match(result.text, /cy\tNULL/);
	});

	test('maxRows cuts and says so', async () => {
		const result = await tools.sqlite_query.handler({ database: file, sql: 'SELECT id FROM orders', maxRows: 2 }, context());
		assert.equal(result.structured.rows.length, 2);
		assert.equal(result.structured.truncated, true);
	});

	for (const sql of [
		"INSERT INTO orders (customer) VALUES ('mallory')",
		'UPDATE orders SET total = 0',
		'DELETE FROM orders',
		'DROP TABLE orders',
		'CREATE TABLE t (x)',
		// Keywords hidden where a keyword filter would not look: the database still refuses.
		"WITH x AS (SELECT 1) INSERT INTO orders (customer) SELECT 'cte' FROM x",
		'/* SELECT */ REPLACE INTO orders (id, customer) VALUES (1, \'eve\')',
	]) {
		test(`the database refuses a write: ${sql.slice(0, 40)}`, async () => {
			const result = await tools.sqlite_query.handler({ database: 'shop.db', sql }, context());
			assert.equal(result.isError, true);
			assert.match(result.text, /SQLite refused the statement: attempt to write a readonly database/);
			unchanged();
		});
	}

	test('a statement that turns query_only off cannot be followed by a write in the same call', async () => {
		const result = await tools.sqlite_query.handler({ database: 'shop.db', sql: "PRAGMA query_only = OFF; DELETE FROM orders" }, context());
		assert.equal(result.isError, true);
		assert.match(result.text, /one statement per call/);
		const count = await tools.sqlite_query.handler({ database: 'shop.db', sql: 'SELECT count(*) AS n FROM orders' }, context());
		assert.deepEqual(count.structured.rows, [[3]]);
		unchanged();
	});

	test('a database outside the workspace folders is refused', async () => {
		const outside = join(base, 'outside.db');
		copyFileSync(file, outside);
		await assert.rejects(tools.sqlite_query.handler({ database: outside, sql: 'SELECT 1' }, context()), /outside the workspace folders/);
		await assert.rejects(tools.sqlite_query.handler({ database: '../outside.db', sql: 'SELECT 1' }, context()), /outside the workspace folders/);
	});
});

describe('system_metrics', () => {
	test('reports CPU, memory, disk and network', async () => {
		const result = await tools.system_metrics.handler({}, context());
		const { cpu, memory, disks, network } = result.structured;
		assert.ok(cpu.cores > 0 && cpu.busyPercent >= 0 && cpu.busyPercent <= 100 && cpu.loadAverage.length === 3);
		assert.ok(memory.totalBytes > memory.freeBytes && memory.freeBytes > 0);
		assert.ok(disks.some((disk) => disk.path === '/' && disk.totalBytes > 0));
		assert.ok(disks.some((disk) => disk.path === workspace));
		assert.ok(network.some((n) => n.name === 'lo'));
		assert.match(result.text, /^CPU: \d+ cores/);
	});
});
