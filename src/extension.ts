import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ApprovalBroker } from './core/gate/approvals';
import { commandVerdict } from './core/shell/commandPolicy';
import type { Host } from './core/host/host';
import { Gate } from './core/gate/gate';
import { Metrics } from './core/gate/metrics';
import { RateLimiter } from './core/gate/rateLimit';
import { Redactor } from './core/gate/redaction';
import { ToolRegistry } from './core/tools/toolRegistry';
import { ToolError, type AnyToolSpec } from './core/tools/toolSpec';
import { decide } from './core/gate/policy';
import { sha256Hex } from './node/audit/auditChain';
import { AuditStore } from './node/audit/auditStore';
import { analyzeCommandLine } from './node/terminal/bashParser';
import { NodePathJail } from './node/files/pathJail';
import { WorkbenchServer } from './node/server/workbenchServer';
import { registerFileResources } from './tools/files/resources';
import { filesTools } from './tools/files/index';
import { gitTools } from './tools/git';
import { systemTools } from './tools/terminal/systemInfo';
import { tasksTools } from './tools/tasks/index';
import { terminalTools } from './tools/terminal/commands';
import { workspaceTools } from './tools/workspace/index';
import { ApprovalNotifier } from './vscode/panel/approvalNotifier';
import { registerCommands } from './vscode/commands';
import { VscodeFilesHost } from './vscode/hosts/filesHost';
import { createLogger } from './vscode/logChannel';
import { PROVIDER_ID, WorkbenchDefinitionProvider } from './vscode/mcpProvider';
import { GatePanelBackend } from './vscode/panel/panelBackend';
import { approvalTimeoutMs, auditMaxFileBytes, enabledFamilies, readCommandRules, readGateSettings, readRateLimits, readServerSettings, readTerminalSettings, SECTION } from './vscode/settings';
import { PANEL_VIEW_ID, PANEL_WEBVIEW_OPTIONS, SidebarViewProvider } from './vscode/panel/sidebarView';
import { VsCodeTasksHost } from './vscode/hosts/tasksHost';
import { VsCodeTerminalHost } from './vscode/hosts/terminalHost';
import { StatusBar } from './vscode/statusBar';
import { VsCodeWorkspaceHost } from './vscode/hosts/workspaceHost';

/** What tests (and other extensions) may read; never the secret. */
export interface WorkbenchApi {
	serverUrl(): string | undefined;
	serverState(): string;
	/** Open client sessions by transport: VS Code's own client uses the socket from 1.105 on. */
	sessionsByTransport(): { socket: number; tcp: number };
}

/** The composition root: builds every part, wires them, and hands each disposable to VS Code. */
export async function activate(context: vscode.ExtensionContext): Promise<WorkbenchApi> {
	const version = String(context.extension.packageJSON.version ?? '0.0.0');
	const channel = vscode.window.createOutputChannel('MCP Workbench', { log: true });
	const redactor = new Redactor();
	const log = createLogger(channel, (text) => redactor.redactText(text));
	context.subscriptions.push(channel);

	const workspace = new VsCodeWorkspaceHost(version, enabledFamilies);
	context.subscriptions.push(workspace);
	const terminal = new VsCodeTerminalHost(readTerminalSettings, log);
	const tasks = new VsCodeTasksHost();
	context.subscriptions.push(terminal, tasks);
	const host: Host = {
		workspace,
		jail: new NodePathJail(() => workspace.folders()),
		files: new VscodeFilesHost(),
		terminal,
		tasks,
	};

	const tools: AnyToolSpec[] = [...workspaceTools, ...filesTools, ...gitTools, ...terminalTools, ...tasksTools, ...systemTools];
	const registry = new ToolRegistry(tools);
	const approvals = new ApprovalBroker(
		{ now: Date.now, setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
		approvalTimeoutMs,
		() => workspace.folders(),
	);
	// The workspace's own storage keeps each workspace's audit apart; an empty window falls back to global storage.
	const auditFolder = join((context.storageUri ?? context.globalStorageUri).fsPath, 'audit');
	// fsync off: a record whose write completed survives a crash of the extension host, and a tool call should not
	// wait for the disk. Five files of 10 MB keep about 100,000 records.
	const audit = new AuditStore(auditFolder, { maxFileBytes: auditMaxFileBytes(), maxFiles: 5, fsync: false });
	context.subscriptions.push({ dispose: () => void audit.close() });
	// A hash chain cannot show records cut off its end; the last seq and hash, kept outside the folder, can.
	const anchorKey = 'mcpWorkbench.audit.anchor';
	void audit.open().then(
		async (report) => {
			log.info('audit.open', { folder: auditFolder, records: report.records, files: report.files, unreadable: report.unreadableLines });
			if (report.torn) log.warn('audit.torn_line', { file: report.torn.file, bytes: report.torn.bytes, movedTo: report.torn.movedTo });
			const anchor = context.workspaceState.get<{ seq: number; hash: string }>(anchorKey);
			const newest = (await audit.query({ limit: 1 })).rows[0];
			if (anchor && (!newest || newest.seq < anchor.seq || (newest.seq === anchor.seq && newest.hash !== anchor.hash))) {
				log.error('audit.tail_missing', { expectedSeq: anchor.seq, foundSeq: newest?.seq ?? 0 });
				void vscode.window.showWarningMessage(`MCP Workbench: the audit log ends at record ${newest?.seq ?? 0}, but record ${anchor.seq} was written before. Records were removed or the log was replaced.`);
			}
		},
		(error: unknown) => log.error('audit.open_failed', { error: error instanceof Error ? error.message : String(error) }),
	);
	context.subscriptions.push(audit.onDidAppend((record) => void context.workspaceState.update(anchorKey, { seq: record.seq, hash: record.hash })));
	const metrics = new Metrics();
	const rateLimiter = new RateLimiter(readRateLimits());
	let settings = readGateSettings();
	const gate = new Gate({
		registry,
		host,
		approvals,
		audit,
		settings: () => settings,
		rateLimit: rateLimiter,
		metrics,
		redact: { value: (value) => redactor.redact(value), text: (text) => redactor.redactText(text) },
		hash: sha256Hex,
		analyzeCommand: async (line, cwd) =>
			commandVerdict(await analyzeCommandLine(line, { cwd, workspaceRoots: workspace.folders().map((f) => f.path), rules: readCommandRules(), home: homedir() })),
		log,
	});

	const serverSettings = readServerSettings();
	const server = new WorkbenchServer({
		version,
		registry,
		gate,
		offer: () => settings,
		log,
		useSocket: true,
		idleTimeoutMs: serverSettings.idleTimeoutMs,
		maxBodyBytes: serverSettings.maxBodyBytes,
		onSecret: (secret) => redactor.addSecret(secret),
		metricsText: () => metrics.toPrometheus(),
		extend: (mcp) => {
			registerFileResources(mcp, host, {
				authorize: (path) => {
					const readFile = registry.get('read_file');
					if (!readFile || !registry.isOffered(readFile, settings)) throw new ToolError('Workspace files are not offered as resources now (the files family is off).');
					const verdict = decide(readFile, { paths: [path] }, settings.policy, workspace.folders());
					if (verdict.action !== 'allow') throw new ToolError(`This file needs the user's approval (${verdict.rule}): read it with the read_file tool instead.`);
				},
			});
		},
		instructions: 'Tools for the workspace open in VS Code. Call workspace_info first. Calls that change files or run commands may wait for the user to approve them in the editor.',
	});
	context.subscriptions.push({ dispose: () => void server.dispose() }, { dispose: () => approvals.dispose() });

	const provider = new WorkbenchDefinitionProvider({
		ensureRunning: async () => {
			if (server.state !== 'running') await server.start();
			return server.current;
		},
		current: () => server.current,
		toolsVersion: () => registry.version(settings),
		preferSocket: () => {
			const choice = readServerSettings().vscodeTransport;
			// VS Code's MCP client learned unix:/pipe: URIs in 1.105.
			return choice === 'socket' || (choice === 'auto' && versionAtLeast(vscode.version, 1, 105));
		},
	});
	context.subscriptions.push(provider, vscode.lm.registerMcpServerDefinitionProvider(PROVIDER_ID, provider));

	const statusBar = new StatusBar();
	const refreshStatus = () => statusBar.update({ state: server.state, sessions: server.sessionCount, waiting: approvals.pending().length });
	context.subscriptions.push(statusBar);
	const stateSubscription = server.onDidChangeState(() => {
		refreshStatus();
		provider.changed();
	});
	const sessionSubscription = server.onDidChangeSessions(refreshStatus);
	const approvalSubscription = approvals.onDidChange(refreshStatus);
	context.subscriptions.push(stateSubscription, sessionSubscription, approvalSubscription);
	refreshStatus();

	const showPanel = async () => {
		await vscode.commands.executeCommand(`${PANEL_VIEW_ID}.focus`);
	};
	const panelBackend = new GatePanelBackend(approvals, audit, metrics, server);
	const sidebar = new SidebarViewProvider(context.extensionUri, panelBackend, (line) => log.warn('panel', { message: line }));
	context.subscriptions.push(panelBackend, sidebar, vscode.window.registerWebviewViewProvider(PANEL_VIEW_ID, sidebar, { webviewOptions: PANEL_WEBVIEW_OPTIONS }));
	context.subscriptions.push(new ApprovalNotifier(approvals, () => sidebar.visible, showPanel));
	context.subscriptions.push(...registerCommands({ server, log: channel, showPanel }));

	const toolsChanged = () => {
		settings = readGateSettings();
		rateLimiter.configure(readRateLimits());
		server.notifyToolsChanged();
		provider.changed();
	};
	context.subscriptions.push(
		vscode.workspace.onDidChangeConfiguration((event) => {
			if (event.affectsConfiguration(SECTION)) toolsChanged();
		}),
		vscode.workspace.onDidGrantWorkspaceTrust(toolsChanged),
	);

	if (serverSettings.autoStart) {
		await server.start().catch((error: unknown) => {
			void vscode.window.showErrorMessage(`MCP Workbench could not start its server: ${error instanceof Error ? error.message : String(error)}`);
		});
	}
	log.info('extension.activated', { version, editor: vscode.version, trusted: vscode.workspace.isTrusted, tools: registry.all().length });
	return { serverUrl: () => server.current?.url, serverState: () => server.state, sessionsByTransport: () => server.sessionsByTransport() };
}

export function deactivate(): void {
	// Everything lives in context.subscriptions; VS Code disposes it.
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
	const [a, b] = version.split('.').map((part) => Number.parseInt(part, 10));
	return a > major || (a === major && b >= minor);
}
