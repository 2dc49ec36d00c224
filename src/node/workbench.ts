// The one composition of MCP Workbench: everything between a client's request and the editor. The extension calls
// it with VS Code's adapters; unit tests, benchmarks and any script that needs a real server without the editor call
// it with the Node adapters. What they run is what ships.
import { homedir } from 'node:os';
import type { Disposable } from '../core/base/disposable';
import { silentLogger, type Logger } from '../core/base/log';
import { ApprovalBroker } from '../core/gate/approvals';
import { Gate, type GateSettings } from '../core/gate/gate';
import { Metrics } from '../core/gate/metrics';
import { DEFAULT_RESULT_BUDGET_BYTES } from '../core/gate/resultBudget';
import type { PolicySettings } from '../core/gate/policy';
import { RateLimiter, type RateLimitSettings } from '../core/gate/rateLimit';
import { Redactor } from '../core/gate/redaction';
import type { FilesHost } from '../core/host/filesHost';
import type { Host, WorkspaceHost } from '../core/host/host';
import { NO_SANDBOX } from '../core/host/sandbox';
import type { TasksHost } from '../core/host/tasksHost';
import type { TerminalHost } from '../core/host/terminalHost';
import { commandVerdict, type CommandRule } from '../core/shell/commandPolicy';
import type { AnyResourceSpec } from '../core/tools/resourceSpec';
import { ExtensionTools } from '../core/tools/extensionTools';
import { ToolRegistry } from '../core/tools/toolRegistry';
import type { AnyToolSpec, ToolFamily } from '../core/tools/toolSpec';
import type { PromptSpec } from '../core/prompts/promptSpec';
import type { Completers } from '../core/tools/completion';
import { allPrompts } from '../prompts/allPrompts';
import { allCompleters, allResources, allTools } from '../tools/allTools';
import { auditHost } from './audit/auditHost';
import { AuditStore, type AuditOpenReport } from './audit/auditStore';
import type { Sandbox } from './sandbox/bubblewrap';
import { NodePathJail } from './files/pathJail';
import { removeNoHooksDir } from './git/gitRunner';
import { ServerAnnouncer } from './discovery/announcer';
import type { TokenVault } from './server/clientTokens';
import { WorkbenchServer } from './server/workbenchServer';
import { analyzeCommandLine } from './terminal/bashParser';
import { killOrphanedCalls } from './terminal/callToken';

/** Every setting the composition reads, as one snapshot; `settingsChanged()` takes a new one. */
export interface WorkbenchSettings extends GateSettings {
	readonly rateLimits: RateLimitSettings;
	readonly approvalTimeoutMs: number;
	readonly commandRules: readonly CommandRule[];
	readonly idleTimeoutMs: number;
	readonly maxBodyBytes: number;
}

export const ALL_FAMILIES: readonly ToolFamily[] = ['workspace', 'files', 'git', 'terminal', 'tasks'];

/** The defaults of package.json's `contributes.configuration`, for hosts without the editor's settings. */
export function defaultSettings(overrides: Partial<Omit<WorkbenchSettings, 'policy'>> & { readonly policy?: Partial<PolicySettings> } = {}): WorkbenchSettings {
	return {
		trusted: true,
		families: ALL_FAMILIES,
		callTimeoutMs: 120_000,
		maxOutputBytes: 8 * 1024 * 1024,
		resultBudgetBytes: DEFAULT_RESULT_BUDGET_BYTES,
		rateLimits: { defaultPerToolPerMinute: 600, perSessionPerMinute: 1200, perToolPerMinute: {} },
		approvalTimeoutMs: 300_000,
		commandRules: [],
		idleTimeoutMs: 30 * 60_000,
		maxBodyBytes: 4 * 1024 * 1024,
		...overrides,
		policy: { tools: {}, rules: [], sensitivePaths: [], ...overrides.policy },
	};
}

/** The editor's side: what tools reach through the Host ports. The path jail is built here, over the folders. */
export interface WorkbenchAdapters {
	readonly workspace: WorkspaceHost;
	readonly files: FilesHost;
	readonly terminal: TerminalHost;
	readonly tasks: TasksHost;
	/** The OS sandbox; without one, commands the policy cannot prove harmless ask. */
	readonly sandbox?: Sandbox;
}

export interface WorkbenchOptions {
	readonly version: string;
	readonly adapters: WorkbenchAdapters;
	/** The current settings; read once now and again on every `settingsChanged()`. */
	readonly settings: () => WorkbenchSettings;
	/** Where the append-only audit lives, one folder per workspace. */
	readonly auditFolder: string;
	/**
	 * The key of the audit chain's HMAC, kept outside the audit folder (the extension: SecretStorage). The same key
	 * must come back on every start, or the records written before no longer verify.
	 */
	readonly auditKey: string;
	/**
	 * fsync off: a record whose write completed survives a crash of the extension host, and a call should not wait
	 * for the disk. Five files of 10 MB keep about 100,000 records.
	 */
	readonly audit?: { readonly maxFileBytes?: number; readonly maxFiles?: number; readonly fsync?: boolean };
	readonly log?: Logger;
	/** Whose credential the server's secret is, on cards and in the audit. Default "VS Code". */
	readonly secretName?: string;
	/** Also listen on a private Unix socket / named pipe (VS Code's own client uses it). */
	readonly useSocket?: boolean;
	/** Defaults to every tool and resource template the extension ships. */
	readonly tools?: readonly AnyToolSpec[];
	readonly resources?: readonly AnyResourceSpec[];
	/** Defaults to every prompt the extension ships. */
	readonly prompts?: readonly PromptSpec[];
	/** Where argument completions come from; defaults to the tool families' completers. */
	readonly completers?: Completers;
	/** Where `~` in a command line points, for the command policy. */
	readonly home?: string;
	/** Where connected clients' tokens persist (the extension: SecretStorage). Default: memory, for this process. */
	readonly vault?: TokenVault;
	/**
	 * Announce the running server in a discovery file under this folder (`workbenchHome()`, `~/.mcp-workbench`), with
	 * the connected clients' credential files beside it, for the stdio launcher. Off when absent.
	 */
	readonly discoveryRoot?: string;
}

export interface Workbench extends Disposable {
	readonly host: Host;
	readonly registry: ToolRegistry;
	/** Tools other extensions contribute through the API (api/mcp-workbench.d.ts), by extension. */
	readonly extensionTools: ExtensionTools;
	readonly approvals: ApprovalBroker;
	readonly gate: Gate;
	readonly audit: AuditStore;
	/** The audit's state when it was opened (records found, a torn last line set aside). */
	readonly auditOpened: Promise<AuditOpenReport>;
	readonly metrics: Metrics;
	readonly redactor: Redactor;
	readonly server: WorkbenchServer;
	/** The discovery file's keeper, when `discoveryRoot` was given. */
	readonly announcer?: ServerAnnouncer;
	/** The settings the gate runs with now. */
	settings(): WorkbenchSettings;
	/** Re-reads the settings, resets the rate limits and tells clients when the offered tools may have changed. */
	settingsChanged(): void;
	/** Stops the server, denies what still waits for approval, and closes the audit. */
	dispose(): Promise<void>;
}

const INSTRUCTIONS = 'Tools for the workspace open in VS Code. Call workspace_info first. Calls that change files or run commands may wait for the user to approve them in the editor.';

/**
 * Builds registry, approvals, redactor, command analyser, audit, rate limits, metrics, gate and server, wired as the
 * extension runs them. Nothing starts listening until `server.start()`.
 */
export function createWorkbench(options: WorkbenchOptions): Workbench {
	const log = options.log ?? silentLogger;
	let current = options.settings();
	const { workspace, files, terminal, tasks } = options.adapters;
	const sandbox = options.adapters.sandbox;
	const host: Host = {
		workspace,
		files,
		terminal,
		tasks,
		sandbox: sandbox ?? NO_SANDBOX,
		jail: new NodePathJail(() => workspace.folders()),
		sensitivePaths: () => current.policy.sensitivePaths,
	};
	const registry = new ToolRegistry(options.tools ?? allTools, options.resources ?? allResources, options.prompts ?? allPrompts, options.completers ?? allCompleters);
	const approvals = new ApprovalBroker(
		{ now: Date.now, setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
		() => current.approvalTimeoutMs,
		() => workspace.folders(),
	);
	// A quiet command outlives a killed extension host (its process group is its own): end what a dead one left.
	void killOrphanedCalls(1500).then((count) => {
		if (count > 0) log.info('terminal.orphans_killed', { count });
	});
	const redactor = new Redactor();
	const audit = new AuditStore(options.auditFolder, { maxFileBytes: 10 * 1024 * 1024, maxFiles: 5, fsync: false, ...options.audit, key: options.auditKey });
	const auditOpened = audit.open();
	// Nobody may be left without an answer: a failure to open shows in the log, and each append reports its own.
	auditOpened.catch((error: unknown) => log.error('audit.open_failed', { error: error instanceof Error ? error.message : String(error) }));
	const metrics = new Metrics();
	const rateLimiter = new RateLimiter(current.rateLimits);
	const home = options.home ?? homedir();
	const gate = new Gate({
		registry,
		host,
		approvals,
		audit,
		settings: () => current,
		rateLimit: rateLimiter,
		metrics,
		redact: { value: (value) => redactor.redact(value), text: (text) => redactor.redactText(text) },
		// With a sandbox under it, the read-only table may allow; without one, only the short strict list does.
		analyzeCommand: (line, cwd) => analyzeCommandLine(line, { cwd, workspaceRoots: workspace.folders().map((f) => f.path), rules: current.commandRules, home, sensitivePaths: current.policy.sensitivePaths, sandboxed: host.sandbox.status().available }),
		commandVerdict,
		log,
		auditHost: auditHost(audit),
		metricsHost: { snapshot: () => metrics.snapshot(), prometheus: () => metrics.toPrometheus(), onDidRecord: audit.onDidAppend },
	});
	const server = new WorkbenchServer({
		version: options.version,
		registry,
		gate,
		host,
		offer: () => current,
		log,
		useSocket: options.useSocket ?? false,
		idleTimeoutMs: current.idleTimeoutMs,
		maxBodyBytes: current.maxBodyBytes,
		onSecret: (secret) => redactor.addSecret(secret),
		...(options.secretName ? { secretName: options.secretName } : {}),
		metricsText: () => metrics.toPrometheus(),
		instructions: INSTRUCTIONS,
		onDidRecord: audit.onDidAppend,
		...(options.vault ? { vault: options.vault } : {}),
	});
	const announcer = options.discoveryRoot === undefined
		? undefined
		: new ServerAnnouncer({ root: options.discoveryRoot, server, folders: () => workspace.folders().map((folder) => folder.path), version: options.version, log });
	const extensionTools = new ExtensionTools(registry);
	// A contributed tool that comes or goes changes tools/list: connected clients hear of it at once.
	const registryChanged = registry.onDidChange(() => server.notifyToolsChanged());
	return {
		host,
		registry,
		extensionTools,
		approvals,
		gate,
		audit,
		auditOpened,
		metrics,
		redactor,
		server,
		...(announcer ? { announcer } : {}),
		settings: () => current,
		settingsChanged() {
			current = options.settings();
			rateLimiter.configure(current.rateLimits);
			server.notifyToolsChanged();
		},
		async dispose() {
			registryChanged.dispose();
			extensionTools.dispose();
			approvals.dispose();
			await server.dispose();
			await announcer?.dispose();
			await audit.close();
			await sandbox?.dispose();
			options.adapters.files.index?.dispose();
			removeNoHooksDir();
		},
	};
}
