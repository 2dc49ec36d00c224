import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { checkConfig, configPath, CONNECT_TARGETS, launcherArgs, serverEntry, serverName, updatedConfig, type ConnectKind, type ConnectScope } from '../core/server/connectClient';
import type { WorkbenchServer } from '../node/server/workbenchServer';

export interface ConnectDeps {
	readonly server: WorkbenchServer;
	/** The launcher's shim at its stable path; undefined when it could not be installed. */
	readonly launcher: () => Promise<string>;
	/** Resolves once the discovery file lists every connected client. */
	readonly announced: () => Promise<void>;
	/** This profile's user folder (its mcp.json). */
	readonly vscodeUserDir: string;
}

/** What tests (and the palette with arguments) may preset; without them, each is asked. */
export interface ConnectArgs {
	readonly client?: ConnectKind;
	readonly scope?: ConnectScope;
	readonly name?: string;
	/** Write without the preview's confirmation (tests). */
	readonly confirmed?: boolean;
}

export interface ConnectResult {
	readonly clientId: string;
	readonly name: string;
	readonly path: string;
	readonly backup?: string;
	readonly command: string;
	readonly args: readonly string[];
	readonly tools: number;
}

const PREVIEW_SCHEME = 'mcp-workbench-preview';

/** Shows proposed file contents in a diff editor, read-only. */
export class PreviewDocuments implements vscode.TextDocumentContentProvider {
	private readonly texts = new Map<string, string>();
	private next = 0;

	register(): vscode.Disposable {
		return vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this);
	}

	add(name: string, text: string): vscode.Uri {
		const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${++this.next}/${name}` });
		this.texts.set(uri.toString(), text);
		return uri;
	}

	provideTextDocumentContent(uri: vscode.Uri): string {
		return this.texts.get(uri.toString()) ?? '';
	}
}

/**
 * "MCP Workbench: Connect a Client…": a token for the client, its configuration file changed to start the launcher
 * (shown first, the old file backed up, the new one read back as the client reads it), and a test connection
 * through the launcher. Returns undefined when the user cancels; nothing is left behind then.
 */
export async function connectClient(deps: ConnectDeps, previews: PreviewDocuments, args: ConnectArgs = {}): Promise<ConnectResult | undefined> {
	const folder = vscode.workspace.workspaceFolders?.[0];
	if (!folder || folder.uri.scheme !== 'file') throw new Error('open a folder first: a client is connected to the server of a workspace.');
	if (deps.server.state !== 'running') await deps.server.start();

	const kind = args.client ?? (await vscode.window.showQuickPick(CONNECT_TARGETS.map((t) => ({ label: t.label, client: t.kind })), { title: 'Connect a Client', placeHolder: vscode.env.remoteName ? `Which client? Files are written on the ${vscode.env.remoteName} machine, beside the workspace; for a client on this computer use Copy Client Configuration` : 'Which MCP client should use this workspace\'s tools?' }))?.client;
	const target = CONNECT_TARGETS.find((t) => t.kind === kind);
	if (!target) return undefined;
	const at = { home: homedir(), platform: process.platform, appData: process.env.APPDATA, codexHome: process.env.CODEX_HOME, vscodeUserDir: deps.vscodeUserDir, workspaceFolder: folder.uri.fsPath };
	const scope = args.scope ?? (target.scopes.length === 1 ? target.scopes[0] : (await vscode.window.showQuickPick(
		target.scopes.map((s) => ({ label: s === 'user' ? 'User' : 'Project', detail: configPath(target.kind, s, at), scope: s })),
		{ title: `Connect ${target.label}`, placeHolder: 'Where should the configuration go?' },
	))?.scope);
	if (!scope) return undefined;
	const name = args.name ?? (await vscode.window.showInputBox({
		title: `Connect ${target.label}`,
		prompt: 'Approval cards and the audit show this name for its calls; it gets a token of its own, revocable in the panel.',
		value: target.label,
		validateInput: (value) => (value.trim() === '' ? 'Give the client a name' : undefined),
	}));
	if (name === undefined) return undefined;

	const command = await deps.launcher();
	const client = await deps.server.tokens.connect(name, target.kind);
	try {
		const path = configPath(target.kind, scope, at);
		const launcher = { command, clientId: client.id, workspaceFolder: folder.uri.fsPath };
		const entryArgs = launcherArgs(target, scope, launcher);
		const entry = serverEntry(target.kind, command, entryArgs);
		const entryName = serverName(scope, folder.name);
		const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return undefined;
			throw error;
		});
		const text = updatedConfig(target.kind, existing, entryName, entry);

		if (!args.confirmed) {
			const before = previews.add(basename(path), existing ?? '');
			const after = previews.add(basename(path), text);
			await vscode.commands.executeCommand('vscode.diff', before, after, `${basename(path)}: ${existing === undefined ? 'new file' : 'proposed change'} (${target.label})`);
			const choice = await vscode.window.showInformationMessage(
				`Write the ${target.label} configuration?`,
				{ modal: true, detail: `${path}\n\nThe entry "${entryName}" starts MCP Workbench's launcher as "${client.name}". It holds no port and no secret.${existing === undefined ? '' : ' The current file is backed up beside it first.'}${target.kind === 'claude-code' && scope === 'project' ? ' VS Code lists this file\'s entries too: this one is refused there (MCP Workbench is built in), so leave it stopped in VS Code.' : ''}` },
				'Write',
			);
			if (choice !== 'Write') {
				await deps.server.tokens.revoke(client.id);
				return undefined;
			}
		}

		const backup = await writeWithBackup(path, existing, text, scope === 'user');
		const problem = checkConfig(target.kind, await readFile(path, 'utf8'), entryName, entry, existing);
		if (problem) {
			if (backup) await copyFile(backup, path);
			else await rm(path, { force: true });
			throw new Error(`${path} did not read back as written (${problem}); the old file was restored.`);
		}
		await deps.announced();
		const tools = await testConnection(command, entryArgs, folder.uri.fsPath);
		return { clientId: client.id, name: client.name, path, ...(backup ? { backup } : {}), command, args: entryArgs, tools };
	} catch (error) {
		await deps.server.tokens.revoke(client.id).catch(() => undefined);
		throw error;
	}
}

/** The old file copied beside it (name + date), then the new text written through a temp file and a rename. */
async function writeWithBackup(path: string, existing: string | undefined, text: string, privateFile: boolean): Promise<string | undefined> {
	await mkdir(dirname(path), { recursive: true });
	let backup: string | undefined;
	let mode = privateFile ? 0o600 : 0o644;
	if (existing !== undefined) {
		backup = `${path}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
		await copyFile(path, backup);
		mode = (await stat(path)).mode & 0o777;
	}
	const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
	await writeFile(temp, text, { mode, flag: 'w' });
	await rename(temp, path);
	return backup;
}

/** Starts the launcher as the client will and lists the tools: proof that the entry works before the user relies on it. */
async function testConnection(command: string, args: readonly string[], cwd: string): Promise<number> {
	const client = new Client({ name: 'MCP Workbench connection test', version: '1' });
	const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
	try {
		await client.connect(new StdioClientTransport({ command, args: args.map((arg) => arg.replace('${workspaceFolder}', cwd)), cwd, env, stderr: 'pipe' }));
		const { tools } = await client.listTools();
		return tools.length;
	} finally {
		await client.close().catch(() => undefined);
	}
}

/** "MCP Workbench: Revoke a Client…": ends a connected client's token; its next request is refused with a message. */
export async function revokeClient(server: WorkbenchServer, id?: string): Promise<string | undefined> {
	await server.tokens.reload();
	const chosen = id ?? (await vscode.window.showQuickPick(
		server.tokens.clients().map((client) => ({ label: client.name, description: `connected ${client.created.slice(0, 10)}`, id: client.id })),
		{ title: 'Revoke a client\'s token', placeHolder: server.tokens.clients().length === 0 ? 'No client is connected' : 'Its next request is refused with a message saying so' },
	))?.id;
	if (!chosen) return undefined;
	const revoked = await server.tokens.revoke(chosen);
	return revoked?.name;
}

/** The two palette commands. Failures show as messages; the results are returned for tests. */
export function registerConnectCommands(deps: ConnectDeps, log: vscode.LogOutputChannel): vscode.Disposable[] {
	const previews = new PreviewDocuments();
	const report = (id: string, error: unknown) => {
		const message = error instanceof Error ? error.message : String(error);
		log.error(`command.failed command=${id} error=${JSON.stringify(message)}`);
		void vscode.window.showErrorMessage(`MCP Workbench: ${message}`);
	};
	return [
		previews.register(),
		vscode.commands.registerCommand('mcpWorkbench.connectClient', async (args?: ConnectArgs) => {
			try {
				const result = await connectClient(deps, previews, args);
				if (result) {
					log.info(`client.connected name=${JSON.stringify(result.name)} file=${JSON.stringify(result.path)} tools=${result.tools}`);
					void vscode.window.showInformationMessage(`MCP Workbench: "${result.name}" is connected through ${result.path}${result.backup ? ` (the old file is in ${basename(result.backup)})` : ''}. Test connection: ${result.tools} tools listed. Restart the client to pick it up.`);
				}
				return result;
			} catch (error) {
				report('mcpWorkbench.connectClient', error);
				return undefined;
			}
		}),
		vscode.commands.registerCommand('mcpWorkbench.revokeClient', async (args?: { readonly id?: string }) => {
			try {
				const name = await revokeClient(deps.server, args?.id);
				if (name) {
					await deps.announced();
					log.info(`client.revoked name=${JSON.stringify(name)}`);
					void vscode.window.showInformationMessage(`MCP Workbench: the token of "${name}" is revoked; its next request is refused with a message saying so.`);
				}
				return name;
			} catch (error) {
				report('mcpWorkbench.revokeClient', error);
				return undefined;
			}
		}),
	];
}
