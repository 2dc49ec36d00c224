import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { ApprovalBroker } from './core/approvals';
import type { AuditEntry, AuditRecord, AuditSink } from './core/auditRecord';
import { Gate } from './core/gate';
import { Redactor } from './core/redaction';
import { ToolRegistry } from './core/toolRegistry';
import type { AnyToolSpec } from './core/toolSpec';
import { NodePathJail } from './node/pathJail';
import { WorkbenchServer } from './node/workbenchServer';
import { workspaceTools } from './tools/workspace';
import { ApprovalNotifier } from './vscode/approvalNotifier';
import { registerCommands } from './vscode/commands';
import { createLogger } from './vscode/logChannel';
import { PROVIDER_ID, WorkbenchDefinitionProvider } from './vscode/mcpProvider';
import { approvalTimeoutMs, enabledFamilies, readGateSettings, readServerSettings, SECTION } from './vscode/settings';
import { StatusBar } from './vscode/statusBar';
import { VsCodeWorkspaceHost } from './vscode/workspaceHost';

/** What tests (and other extensions) may read; never the secret. */
export interface WorkbenchApi {
	serverUrl(): string | undefined;
	serverState(): string;
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
	const host = {
		workspace,
		jail: new NodePathJail(() => workspace.folders()),
		files: { dirtyText: () => undefined },
		terminal: { available: false },
		tasks: { available: false },
	} as unknown as import('./core/host').Host;

	const tools: AnyToolSpec[] = [...workspaceTools];
	const registry = new ToolRegistry(tools);
	const approvals = new ApprovalBroker(
		{ now: Date.now, setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
		approvalTimeoutMs,
		() => workspace.folders(),
	);
	const audit = new InterimAudit();
	let settings = readGateSettings();
	const gate = new Gate({
		registry,
		host,
		approvals,
		audit,
		settings: () => settings,
		rateLimit: { check: () => ({ ok: true }) },
		metrics: { record() {} },
		redact: { value: (value) => redactor.redact(value), text: (text) => redactor.redactText(text) },
		hash: (text) => createHash('sha256').update(text).digest('hex'),
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
		await vscode.commands.executeCommand('mcpWorkbench.panel.focus');
	};
	context.subscriptions.push(new ApprovalNotifier(approvals, () => false, showPanel));
	context.subscriptions.push(...registerCommands({ server, log: channel, showPanel }));

	const toolsChanged = () => {
		settings = readGateSettings();
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
	return { serverUrl: () => server.current?.url, serverState: () => server.state };
}

export function deactivate(): void {
	// Everything lives in context.subscriptions; VS Code disposes it.
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
	const [a, b] = version.split('.').map((part) => Number.parseInt(part, 10));
	return a > major || (a === major && b >= minor);
}

/** Stand-in until the JSONL store is wired: keeps the chain in memory. */
class InterimAudit implements AuditSink {
	private last = '';
	private seq = 0;
	async append(entry: AuditEntry): Promise<AuditRecord> {
		const record = { ...entry, seq: ++this.seq, prev: this.last, hash: createHash('sha256').update(this.last + JSON.stringify(entry)).digest('hex') };
		this.last = record.hash;
		return record;
	}
}
