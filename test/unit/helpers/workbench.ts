import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AuditRecord } from '../../../src/core/audit/auditRecord';
import type { ApprovalBroker } from '../../../src/core/gate/approvals';
import type { Gate } from '../../../src/core/gate/gate';
import type { Metrics } from '../../../src/core/gate/metrics';
import type { PolicySettings } from '../../../src/core/gate/policy';
import type { Host, WorkspaceFolderInfo } from '../../../src/core/host/host';
import type { AnyResourceSpec } from '../../../src/core/tools/resourceSpec';
import type { AnyToolSpec } from '../../../src/core/tools/toolSpec';
import type { AuditStore } from '../../../src/node/audit/auditStore';
import { nodeAdapters, type NodeAdapterOptions } from '../../../src/node/nodeAdapters';
import { Bubblewrap, noSandbox } from '../../../src/node/sandbox/bubblewrap';
import { SENSITIVE_PATHS } from '../../../src/core/paths/sensitivePaths';
import type { SandboxMode } from '../../../src/core/host/sandbox';
import type { WorkbenchServer } from '../../../src/node/server/workbenchServer';
import { createWorkbench, defaultSettings, type Workbench, type WorkbenchSettings } from '../../../src/node/workbench';
import { workspaceTools } from '../../../src/tools/workspace';
import { TEST_AUDIT_KEY } from '../fixtures/auditEntry';

export interface WorkbenchOptions {
	/** The tools to offer; workspace_info is always there. Pass `allTools` for everything the extension ships. */
	readonly tools?: readonly AnyToolSpec[];
	readonly resources?: readonly AnyResourceSpec[];
	readonly folderCount?: number;
	readonly trusted?: boolean;
	readonly policy?: Partial<PolicySettings>;
	/** Any other setting, over the extension's defaults. */
	readonly settings?: Partial<Omit<WorkbenchSettings, 'policy'>>;
	readonly useSocket?: boolean;
	readonly files?: NodeAdapterOptions['files'];
	/**
	 * The OS sandbox: real bubblewrap by default, as the extension runs on Linux; `none` for the strict policy of a
	 * host without one. With `approvedCommands`, how approved commands run.
	 */
	readonly sandbox?: 'bubblewrap' | 'none';
	readonly approvedCommands?: SandboxMode;
	/** The home folder commands see (`~`, and what the sandbox hides): a fake one keeps secrets planted by a test apart. */
	readonly home?: string;
	/** Announce the server in discovery files under this folder (the stdio launcher's tests). */
	readonly discoveryRoot?: string;
}

export interface TestWorkbench {
	readonly folders: WorkspaceFolderInfo[];
	/** Outside every folder, for files an escape must not reach. */
	readonly outside: string;
	readonly workbench: Workbench;
	readonly server: WorkbenchServer;
	readonly approvals: ApprovalBroker;
	/** The real JSONL store; `records` mirrors what it appended, oldest first. */
	readonly audit: AuditStore;
	readonly records: AuditRecord[];
	readonly gate: Gate;
	readonly host: Host;
	readonly metrics: Metrics;
	readonly url: string;
	readonly secret: string;
	/** A client with a token minted for `name` (or the given one), declaring itself `says` (default: `name`). */
	connect(name?: string, options?: { readonly token?: string; readonly says?: string }): Promise<Client>;
	close(): Promise<void>;
}

/**
 * The shipped composition (createWorkbench) on a real port, with real temp folders, the real audit store, redactor
 * and command analyser; only the editor is absent (Node adapters).
 */
export async function startWorkbench(options: WorkbenchOptions = {}): Promise<TestWorkbench> {
	const base = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-')));
	const folders: WorkspaceFolderInfo[] = [];
	for (let i = 0; i < (options.folderCount ?? 1); i++) {
		const name = i === 0 ? 'app' : `lib${i}`;
		const path = join(base, name);
		await mkdir(path);
		folders.push({ name, path, uri: `file://${path}`, index: i });
	}
	const outside = join(base, 'outside');
	await mkdir(outside);
	const trusted = options.trusted ?? true;
	const home = options.home ?? homedir();
	const sandbox = options.sandbox === 'none'
		? noSandbox('the test runs without a sandbox')
		: await Bubblewrap.detect({
			home,
			folders: () => folders.map((folder) => folder.path),
			sensitiveGlobs: () => [...SENSITIVE_PATHS, ...(options.policy?.sensitivePaths ?? [])],
			rgPath: () => 'rg',
			approvedCommands: () => options.approvedCommands ?? 'off',
		});
	const adapters = nodeAdapters({ folders, trusted, sandbox, versions: { editor: '1.139.1', appName: 'test', extension: '0.0.0-test' }, ...(options.files ? { files: options.files } : {}) });
	// No rate limit unless a test sets one: a property test makes more calls a minute than the default allows.
	const settings = defaultSettings({ trusted, approvalTimeoutMs: 60_000, callTimeoutMs: 30_000, rateLimits: {}, ...options.settings, policy: options.policy ?? {} });
	const workbench = createWorkbench({
		version: '0.0.0-test',
		adapters,
		settings: () => settings,
		auditFolder: join(base, 'audit'),
		auditKey: TEST_AUDIT_KEY,
		// allTools holds the workspace tools already: each tool once.
		tools: [...workspaceTools.filter((tool) => !options.tools?.some((given) => given.name === tool.name)), ...(options.tools ?? [])],
		resources: options.resources ?? [],
		useSocket: options.useSocket ?? false,
		home,
		...(options.discoveryRoot ? { discoveryRoot: options.discoveryRoot } : {}),
	});
	const records: AuditRecord[] = [];
	const subscription = workbench.audit.onDidAppend((record) => records.push(record));
	await workbench.server.start();
	const connection = workbench.server.current;
	if (!connection) throw new Error('server did not start');
	const clients: Client[] = [];
	return {
		folders,
		outside,
		workbench,
		server: workbench.server,
		approvals: workbench.approvals,
		audit: workbench.audit,
		records,
		gate: workbench.gate,
		host: workbench.host,
		metrics: workbench.metrics,
		url: connection.url,
		secret: connection.secret,
		async connect(name = 'test-client', options = {}) {
			// Each client gets a token of its own, named like the client, as "Copy Client Configuration" issues them.
			const token = options.token ?? workbench.server.mintToken(name).token;
			const client = new Client({ name: options.says ?? name, version: '1.0.0' });
			await client.connect(new StreamableHTTPClientTransport(new URL(connection.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
			clients.push(client);
			return client;
		},
		async close() {
			await Promise.allSettled(clients.map((c) => c.close()));
			subscription.dispose();
			await workbench.dispose();
			await adapters.terminal.dispose();
			await rm(base, { recursive: true, force: true });
		},
	};
}
