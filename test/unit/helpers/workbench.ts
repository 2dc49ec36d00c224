import { createHash } from 'node:crypto';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ApprovalBroker } from '../../../src/core/gate/approvals';
import type { AuditEntry, AuditRecord, AuditSink } from '../../../src/core/audit/auditRecord';
import { Gate, type GateDeps, type GateSettings } from '../../../src/core/gate/gate';
import type { Host, WorkspaceFolderInfo } from '../../../src/core/host/host';
import { silentLogger } from '../../../src/core/base/log';
import { Metrics } from '../../../src/core/gate/metrics';
import type { PolicySettings } from '../../../src/core/gate/policy';
import { ToolRegistry } from '../../../src/core/tools/toolRegistry';
import type { AnyToolSpec, ToolFamily } from '../../../src/core/tools/toolSpec';
import { NodeFilesHost } from '../../../src/node/files/nodeFilesHost';
import { NodePathJail } from '../../../src/node/files/pathJail';
import { WorkbenchServer } from '../../../src/node/server/workbenchServer';
import { workspaceTools } from '../../../src/tools/workspace/index';

/** Keeps entries in memory, chained like the real store, so gate tests can read what was recorded. */
export class MemoryAudit implements AuditSink {
	readonly records: AuditRecord[] = [];
	async append(entry: AuditEntry): Promise<AuditRecord> {
		const prev = this.records.at(-1)?.hash ?? '';
		const record = { ...entry, seq: this.records.length + 1, prev, hash: createHash('sha256').update(prev + JSON.stringify(entry)).digest('hex') };
		this.records.push(record);
		return record;
	}
}

export interface WorkbenchOptions {
	readonly tools?: readonly AnyToolSpec[];
	readonly folderCount?: number;
	readonly trusted?: boolean;
	readonly policy?: Partial<PolicySettings>;
	readonly approvalTimeoutMs?: number;
	readonly useSocket?: boolean;
	readonly settings?: Partial<GateSettings>;
	readonly rateLimit?: GateDeps['rateLimit'];
	readonly idleTimeoutMs?: number;
	readonly maxBodyBytes?: number;
	/** The real JSONL store, say, instead of the in-memory chain. */
	readonly auditSink?: AuditSink;
}

export interface TestWorkbench {
	readonly folders: WorkspaceFolderInfo[];
	readonly server: WorkbenchServer;
	readonly approvals: ApprovalBroker;
	readonly audit: MemoryAudit;
	readonly gate: Gate;
	readonly host: Host;
	readonly metrics: Metrics;
	readonly url: string;
	readonly secret: string;
	connect(name?: string): Promise<Client>;
	close(): Promise<void>;
}

export const ALL_FAMILIES: ToolFamily[] = ['workspace', 'files', 'git', 'terminal', 'tasks'];

/** A real server on a real port with real temp folders; only the editor is absent. */
export async function startWorkbench(options: WorkbenchOptions = {}): Promise<TestWorkbench> {
	const base = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-')));
	const folders: WorkspaceFolderInfo[] = [];
	for (let i = 0; i < (options.folderCount ?? 1); i++) {
		const name = i === 0 ? 'app' : `lib${i}`;
		const path = join(base, name);
		await import('node:fs/promises').then((fs) => fs.mkdir(path));
		folders.push({ name, path, uri: `file://${path}`, index: i });
	}
	const trusted = options.trusted ?? true;
	const host = {
		workspace: {
			folders: () => folders,
			isTrusted: () => trusted,
			versions: { editor: '1.139.1', appName: 'test', extension: '0.0.0-test' },
			enabledFamilies: () => ALL_FAMILIES,
		},
		jail: new NodePathJail(() => folders),
		files: new NodeFilesHost(),
	} as unknown as Host;
	const registry = new ToolRegistry([...workspaceTools, ...(options.tools ?? [])]);
	const approvals = new ApprovalBroker(
		{ now: Date.now, setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
		() => options.approvalTimeoutMs ?? 60_000,
		() => folders,
	);
	const audit = new MemoryAudit();
	const sink = options.auditSink ?? audit;
	const metrics = new Metrics();
	const settings: GateSettings = {
		trusted,
		families: ALL_FAMILIES,
		policy: { tools: {}, rules: [], sensitivePaths: [], ...options.policy },
		callTimeoutMs: 30_000,
		maxOutputBytes: 256 * 1024,
		...options.settings,
	};
	const gate = new Gate({
		registry,
		host,
		approvals,
		audit: sink,
		settings: () => settings,
		rateLimit: options.rateLimit ?? { check: () => ({ ok: true }) },
		metrics,
		redact: { value: (v) => v, text: (t) => t },
		hash: (text) => createHash('sha256').update(text).digest('hex'),
		log: silentLogger,
	});
	const server = new WorkbenchServer({ version: '0.0.0-test', registry, gate, offer: () => settings, log: silentLogger, useSocket: options.useSocket ?? false, idleTimeoutMs: options.idleTimeoutMs, maxBodyBytes: options.maxBodyBytes, metricsText: () => metrics.toPrometheus() });
	await server.start();
	const connection = server.current;
	if (!connection) throw new Error('server did not start');
	const clients: Client[] = [];
	return {
		folders,
		server,
		approvals,
		audit,
		gate,
		host,
		metrics,
		url: connection.url,
		secret: connection.secret,
		async connect(name = 'test-client') {
			const client = new Client({ name, version: '1.0.0' });
			await client.connect(new StreamableHTTPClientTransport(new URL(connection.url), { requestInit: { headers: { Authorization: `Bearer ${connection.secret}` } } }));
			clients.push(client);
			return client;
		},
		async close() {
			await Promise.allSettled(clients.map((c) => c.close()));
			approvals.dispose();
			await server.dispose();
			await rm(base, { recursive: true, force: true });
		},
	};
}
