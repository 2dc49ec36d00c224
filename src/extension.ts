import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { DisposableStore, toDisposable } from './core/base/disposable';
import { Emitter } from './core/base/event';
import { errorMessage } from './core/base/errors';
import { sandboxSummary } from './core/host/sandbox';
import { SENSITIVE_PATHS } from './core/paths/sensitivePaths';
import { Bubblewrap } from './node/sandbox/bubblewrap';
import { ENV_DISCOVERY_FILE, ENV_SERVER_URL, workbenchHome } from './node/discovery/discovery';
import { installLauncher } from './node/discovery/launcherInstall';
import { createWorkbench } from './node/workbench';
import { registerConnectCommands } from './vscode/connectClient';
import { secretVault } from './vscode/secretVault';
import type { McpWorkbenchExports } from '../api/mcp-workbench';
import { callerFromStack } from './core/tools/extensionTools';
import { registerCommands } from './vscode/commands';
import { createLogger } from './vscode/logChannel';
import { PROVIDER_ID, SERVER_LABEL, WorkbenchDefinitionProvider } from './vscode/mcpProvider';
import { EditorClientConnector, editorDefinitionId } from './vscode/editorClient';
import { chooseSinglePrompt, SINGLE_PROMPT_COMMAND, SinglePromptOffer } from './vscode/singlePrompt';
import { registerApprovalCommands } from './vscode/panel/approvalCommands';
import { ApprovalNotifier } from './vscode/panel/approvalNotifier';
import { GatePanelBackend } from './vscode/panel/panelBackend';
import { PANEL_VIEW_ID, PANEL_WEBVIEW_OPTIONS, SidebarViewProvider } from './vscode/panel/sidebarView';
import { VscodeFilesHost } from './vscode/hosts/filesHost';
import { NodeFileIndex } from './node/files/fileIndex';
import { nodeFolderWatcher } from './node/files/nodeFolderWatcher';
import { VsCodeTasksHost } from './vscode/hosts/tasksHost';
import { VsCodeTerminalHost } from './vscode/hosts/terminalHost';
import { VsCodeWorkspaceHost } from './vscode/hosts/workspaceHost';
import { auditMaxFileBytes, enabledFamilies, readApprovedCommandsSandbox, readServerSettings, readTerminalSettings, readWorkbenchSettings, SECTION } from './vscode/settings';
import { StatusBar } from './vscode/statusBar';
import { watchAuditTail } from './vscode/auditAnchor';
import { auditKey } from './vscode/auditKey';

/** What tests (and other extensions) may read; never the secret. Extensions add tools through `getApi(1)`. */
export interface WorkbenchApi extends McpWorkbenchExports {
	serverUrl(): string | undefined;
	serverState(): string;
	/** Open client sessions by transport: VS Code's own client uses the socket from 1.105 on. */
	sessionsByTransport(): { socket: number; tcp: number };
	/** What VS Code's own MCP client asked the server for since it started, by method (prompts/list, tools/list …). */
	editorRequests(): Readonly<Record<string, number>>;
	/** This window's discovery file, while the server runs. */
	discoveryFile(): string | undefined;
}

/** VS Code wiring only: builds the editor's adapters, hands them to the one composition, and registers the views. */
export async function activate(context: vscode.ExtensionContext): Promise<WorkbenchApi> {
	const disposables = new DisposableStore();
	context.subscriptions.push(disposables);
	const version = String(context.extension.packageJSON.version ?? '0.0.0');
	const channel = disposables.add(vscode.window.createOutputChannel('MCP Workbench', { log: true }));
	// The log redacts with the workbench's redactor, which exists once the workbench does.
	let redact = (text: string) => text;
	const log = createLogger(channel, (text) => redact(text));

	const workspace = disposables.add(new VsCodeWorkspaceHost(version, enabledFamilies));
	const files = new VscodeFilesHost();
	// find_files answers from a watched list of each folder's files (exactly what ripgrep would list; ripgrep answers
	// while it builds). Its excludes are read at every query, so a settings change rebuilds it.
	files.index = new NodeFileIndex({ watcher: nodeFolderWatcher, excludes: (folder) => files.excludes(folder), log });
	// Found once: whether commands that run without asking can be bounded by an OS sandbox decides the policy.
	const sandbox = await Bubblewrap.detect({
		home: homedir(),
		folders: () => workspace.folders().map((folder) => folder.path),
		sensitiveGlobs: () => [...SENSITIVE_PATHS, ...readWorkbenchSettings().policy.sensitivePaths],
		rgPath: () => files.ripgrepPath(),
		approvedCommands: readApprovedCommandsSandbox,
	});
	const sandboxStatus = sandbox.status();
	log.info('sandbox', sandboxStatus.available ? { mechanism: sandboxStatus.mechanism } : { unavailable: sandboxStatus.reason });
	const terminal = disposables.add(new VsCodeTerminalHost(readTerminalSettings, log, sandbox));
	const tasks = disposables.add(new VsCodeTasksHost());
	// Where the discovery file, the credential files and the launcher live: the home of the machine the workspace is
	// on (this extension runs in the workspace's extension host, remote or not).
	const discoveryRoot = workbenchHome();
	const vault = secretVault(context.secrets);
	const workbench = createWorkbench({
		version,
		adapters: { workspace, files, terminal, tasks, sandbox },
		settings: readWorkbenchSettings,
		// The workspace's own storage keeps each workspace's audit apart; an empty window falls back to global storage.
		auditFolder: join((context.storageUri ?? context.globalStorageUri).fsPath, 'audit'),
		audit: { maxFileBytes: auditMaxFileBytes() },
		auditKey: await auditKey(context.secrets),
		log,
		useSocket: true,
		vault,
		discoveryRoot,
	});
	redact = (text) => workbench.redactor.redactText(text);
	disposables.add(toDisposable(() => void workbench.dispose()));
	const { server, approvals, registry } = workbench;
	const announcer = workbench.announcer;
	// A client connected or revoked in another window of this profile: the vault is shared, the tokens follow.
	disposables.add(context.secrets.onDidChange((event) => {
		if (event.key === vault.key) void server.tokens.reload();
	}));
	disposables.add(vscode.workspace.onDidChangeWorkspaceFolders(() => void announcer?.sync()));
	// Integrated terminals name this window's server, so a CLI started there needs no lookup. Not persisted: the
	// values change with every start.
	const terminalEnv = context.environmentVariableCollection;
	terminalEnv.persistent = false;
	terminalEnv.description = 'Names the MCP Workbench server of this window (MCP_WORKBENCH_URL, MCP_WORKBENCH_DISCOVERY_FILE).';
	const publishTerminalEnv = () => {
		const file = announcer?.file;
		const url = server.current?.url;
		if (file && url) {
			terminalEnv.replace(ENV_DISCOVERY_FILE, file);
			terminalEnv.replace(ENV_SERVER_URL, url);
		} else {
			terminalEnv.clear();
		}
	};
	disposables.add(server.onDidChangeState(() => void announcer?.sync().then(publishTerminalEnv)));
	// Copied to a path that outlives extension updates, at every start, so configurations written once keep working.
	let launcherInstalled: Promise<string> | undefined;
	const launcher = () => {
		launcherInstalled ??= installLauncher(discoveryRoot, join(context.extensionPath, 'dist', 'mcp-workbench-stdio.mjs'), process.execPath).then(
			(installed) => installed.command,
			(error: unknown) => {
				launcherInstalled = undefined;
				throw error;
			},
		);
		return launcherInstalled;
	};
	void launcher().catch((error: unknown) => log.warn('launcher.install_failed', { error: errorMessage(error) }));
	disposables.add(watchAuditTail(workbench, context.workspaceState, log));

	const provider = disposables.add(new WorkbenchDefinitionProvider({
		ensureRunning: async () => {
			if (server.state !== 'running') await server.start();
			return server.current;
		},
		current: () => server.current,
		toolsVersion: () => registry.version(workbench.settings()),
		preferSocket: () => {
			const choice = readServerSettings().vscodeTransport;
			// VS Code's MCP client learned unix:/pipe: URIs in 1.105.
			return choice === 'socket' || (choice === 'auto' && versionAtLeast(vscode.version, 1, 105));
		},
	}));
	disposables.add(vscode.lm.registerMcpServerDefinitionProvider(PROVIDER_ID, provider));
	// Agent mode gets the tools without "Update Tools", and MCP: List Servers says Running after each restart.
	const editorClient = disposables.add(new EditorClientConnector({
		definitionId: editorDefinitionId(context.extension.id, SERVER_LABEL),
		editorSessions: () => server.sessionsOf(EDITOR_CLIENT),
		onDidChangeSessions: server.onDidChangeSessions,
		running: () => server.state === 'running',
		log,
	}));

	const statusBar = disposables.add(new StatusBar());
	const refreshStatus = () => statusBar.update({
		state: server.state, sessions: server.sessionCount, waiting: approvals.pending().length, sandbox: sandboxSummary(sandbox.status()),
		grants: approvals.grants().map((grant) => `${grant.label} (${grant.client})`),
	});
	/**
	 * The tool set may have changed (a family switched, a contributed tool came or went): the definition's version
	 * follows it, and VS Code stops its connection on any definition change. A client VS Code had open is started
	 * again on the new tool set; one the person stopped stays stopped.
	 */
	const toolSetChanged = () => {
		const editorWasConnected = server.sessionsOf(EDITOR_CLIENT) > 0;
		provider.changed();
		if (editorWasConnected && server.state === 'running') void editorClient.connect();
	};
	disposables.add(server.onDidChangeState((state) => {
		refreshStatus();
		provider.changed();
		if (state === 'running') void editorClient.connect();
	}));
	disposables.add(server.onDidChangeSessions(refreshStatus));
	// A contributed tool came or went: VS Code re-reads the tool list when the definition's version changes.
	disposables.add(registry.onDidChange(toolSetChanged));
	// An extension uninstalled or disabled takes its tools along, whether or not it disposed them itself.
	disposables.add(vscode.extensions.onDidChange(() => workbench.extensionTools.retainOnly(new Set(vscode.extensions.all.map((extension) => extension.id)))));
	disposables.add(approvals.onDidChange(refreshStatus));
	// The keybindings and palette entries for approvals apply only while something waits (or a grant stands).
	const refreshContext = () => {
		void vscode.commands.executeCommand('setContext', 'mcpWorkbench.approvalsWaiting', approvals.pending().length > 0);
		void vscode.commands.executeCommand('setContext', 'mcpWorkbench.grantsActive', approvals.grants().length > 0);
	};
	disposables.add(approvals.onDidChange(refreshContext));
	refreshStatus();
	refreshContext();

	const showPanel = async () => {
		await vscode.commands.executeCommand(`${PANEL_VIEW_ID}.focus`);
	};
	const extensionsChanged = disposables.add(new Emitter<void>());
	disposables.add(registry.onDidChange(() => extensionsChanged.fire()));
	const extensionTools = {
		list: () => workbench.extensionTools.list().map(({ contributor, tools }) => ({
			extensionId: contributor.id,
			extensionName: contributor.name,
			enabled: !(workbench.settings().disabledExtensions ?? []).includes(contributor.id),
			tools,
		})),
		onDidChange: extensionsChanged.event,
	};
	const panelBackend = disposables.add(new GatePanelBackend(approvals, workbench.audit, workbench.metrics, server, extensionTools));
	const sidebar = disposables.add(new SidebarViewProvider(context.extensionUri, panelBackend, (line) => log.warn('panel', { message: line })));
	disposables.add(vscode.window.registerWebviewViewProvider(PANEL_VIEW_ID, sidebar, { webviewOptions: PANEL_WEBVIEW_OPTIONS }));
	const review = async (approvalId: string) => {
		sidebar.focusApproval(approvalId);
		await showPanel();
	};
	disposables.add(new ApprovalNotifier(approvals, () => sidebar.visible, review));
	disposables.add(new SinglePromptOffer({ approvals, editorClient: EDITOR_CLIENT, state: context.workspaceState }));
	disposables.add(vscode.commands.registerCommand(SINGLE_PROMPT_COMMAND, chooseSinglePrompt));
	for (const command of registerCommands({ server, audit: workbench.audit, log: channel, showPanel, listedTools: () => workbench.registry.list(workbench.settings()), allTools: () => workbench.registry.all() })) disposables.add(command);
	for (const command of registerApprovalCommands({ approvals, panelVisible: () => sidebar.visible, review, announce: (text) => sidebar.announce(text) })) disposables.add(command);
	const connectDeps = {
		server,
		launcher,
		announced: async () => announcer?.sync(),
		// globalStorageUri is <profile's User folder>/globalStorage/<extension id>.
		vscodeUserDir: dirname(dirname(context.globalStorageUri.fsPath)),
	};
	for (const command of registerConnectCommands(connectDeps, channel)) disposables.add(command);

	const settingsChanged = () => {
		workbench.settingsChanged();
		extensionsChanged.fire();
		refreshStatus();
		toolSetChanged();
	};
	disposables.add(vscode.workspace.onDidChangeConfiguration((event) => {
		if (event.affectsConfiguration(SECTION)) settingsChanged();
	}));
	disposables.add(vscode.workspace.onDidGrantWorkspaceTrust(settingsChanged));

	if (readServerSettings().autoStart) {
		await server.start().catch((error: unknown) => {
			void vscode.window.showErrorMessage(`MCP Workbench could not start its server: ${errorMessage(error)}`);
		});
	}
	log.info('extension.activated', { version, editor: vscode.version, trusted: vscode.workspace.isTrusted, tools: registry.all().length });
	const selfId = context.extension.id;
	const exports = workbench.extensionTools.exports(() => {
		const limit = Error.stackTraceLimit;
		Error.stackTraceLimit = 50;
		const stack = new Error().stack ?? '';
		Error.stackTraceLimit = limit;
		const extensions = vscode.extensions.all.map((extension) => ({ id: extension.id, path: extension.extensionPath, name: String(extension.packageJSON.displayName ?? extension.id) }));
		const caller = callerFromStack(stack, extensions, selfId);
		if (!caller) throw new Error('MCP Workbench could not tell which extension is registering a tool: call registerTool from your extension\'s own code.');
		return caller;
	});
	return {
		...exports,
		serverUrl: () => server.current?.url,
		serverState: () => server.state,
		sessionsByTransport: () => server.sessionsByTransport(),
		editorRequests: () => server.requestsFrom(EDITOR_CLIENT),
		discoveryFile: () => announcer?.file,
	};
}

export function deactivate(): void {
	// Everything lives in context.subscriptions; VS Code disposes it.
}

/** The credential name of the extension's own secret, the one VS Code's MCP client connects with. */
const EDITOR_CLIENT = 'VS Code';

function versionAtLeast(version: string, major: number, minor: number): boolean {
	const [a, b] = version.split('.').map((part) => Number.parseInt(part, 10));
	return a > major || (a === major && b >= minor);
}
