import * as vscode from 'vscode';
import { CLIENT_KINDS, clientConfig, SECRET_WARNING } from '../core/server/clientConfig';
import { EXPORT_FORMATS, exportToolsText } from '../core/tools/toolExport';
import { familyChoices, switchesAfter, type FamilySwitches } from '../core/tools/familyChoice';
import type { ListedTool } from '../core/tools/toolRegistry';
import type { AnyToolSpec } from '../core/tools/toolSpec';
import type { AuditStore } from '../node/audit/auditStore';
import { describeVerification } from '../node/audit/auditVerify';
import type { WorkbenchServer } from '../node/server/workbenchServer';

export interface CommandDeps {
	readonly server: WorkbenchServer;
	readonly audit: Pick<AuditStore, 'verify'>;
	readonly log: vscode.LogOutputChannel;
	readonly showPanel: () => Promise<void>;
	/** The tools offered now (trust and the family switch applied), as clients list them. */
	readonly listedTools: () => readonly ListedTool[];
	/** Every registered tool, offered or not: the family switch lists what it would turn back on. */
	readonly allTools: () => readonly AnyToolSpec[];
}

/** Scripted use (tests, keybindings): the families and extensions to leave on, without the picker; one left out keeps its state. */
interface ChooseFamiliesArgs {
	readonly families?: readonly string[];
	readonly extensions?: readonly string[];
}

/** The palette commands. Each reports failure as a message, never as an unhandled rejection. */
export function registerCommands({ server, audit, log, showPanel, listedTools, allTools }: CommandDeps): vscode.Disposable[] {
	const guarded = (id: string, run: () => Promise<unknown>) =>
		vscode.commands.registerCommand(id, async () => {
			try {
				await run();
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				log.error(`command.failed command=${id} error=${JSON.stringify(message)}`);
				void vscode.window.showErrorMessage(`MCP Workbench: ${message}`);
			}
		});

	return [
		guarded('mcpWorkbench.startServer', () => server.start()),
		guarded('mcpWorkbench.stopServer', () => server.stop()),
		guarded('mcpWorkbench.restartServer', () => server.restart()),
		guarded('mcpWorkbench.showLog', async () => log.show(true)),
		guarded('mcpWorkbench.verifyAudit', async () => {
			const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'MCP Workbench: verifying the audit…' }, () => audit.verify());
			const text = `MCP Workbench: ${describeVerification(result)}`;
			log.info(`audit.verify ok=${result.ok} records=${result.records}${result.reason ? ` reason=${JSON.stringify(result.reason)}` : ''}`);
			if (result.ok) void vscode.window.showInformationMessage(text);
			else void vscode.window.showErrorMessage(text, { modal: true });
		}),
		guarded('mcpWorkbench.showPanel', showPanel),
		guarded('mcpWorkbench.exportToolDefinitions', async () => {
			const pick = await vscode.window.showQuickPick(
				EXPORT_FORMATS.map((entry) => ({ label: entry.label, detail: entry.detail, format: entry.format })),
				{ title: 'Export tool definitions', placeHolder: 'Which format?' },
			);
			if (!pick) return;
			const tools = listedTools();
			// An untitled editor: the user reads it, saves it where they want, or copies it; nothing is written unasked.
			const document = await vscode.workspace.openTextDocument({ language: 'json', content: exportToolsText(tools, pick.format) });
			await vscode.window.showTextDocument(document);
			log.info(`tools.export format=${pick.format} tools=${tools.length}`);
		}),
		vscode.commands.registerCommand('mcpWorkbench.chooseToolFamilies', async (args?: ChooseFamiliesArgs) => {
			try {
				await chooseToolFamilies(allTools(), log, args);
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				log.error(`command.failed command=mcpWorkbench.chooseToolFamilies error=${JSON.stringify(message)}`);
				void vscode.window.showErrorMessage(`MCP Workbench: ${message}`);
			}
		}),
		guarded('mcpWorkbench.showConnectionInfo', async () => {
			const connection = server.current;
			if (!connection) {
				const choice = await vscode.window.showInformationMessage('MCP Workbench: the server is stopped.', 'Start Server');
				if (choice) await server.start();
				return;
			}
			// The secret is never shown: screenshots and screen shares must not leak it.
			const lines = [`URL: ${connection.url}`, ...(connection.socketPath ? [`Socket: ${connection.socketPath}`] : []), `Sessions: ${server.sessionCount}`];
			// In a remote window the URL is the remote machine's loopback: VS Code's port forwarding gives the address a
			// client on this machine can use (it still needs a token of its own).
			if (vscode.env.remoteName) {
				const forwarded = await vscode.env.asExternalUri(vscode.Uri.parse(connection.url));
				lines.push(`Forwarded to this machine (${vscode.env.remoteName}): ${forwarded.toString(true)}`);
			}
			const choice = await vscode.window.showInformationMessage(`MCP Workbench is running.\n${lines.join('\n')}`, { modal: false, detail: lines.join('\n') }, 'Copy URL', 'Copy Client Configuration…');
			if (choice === 'Copy URL') await vscode.env.clipboard.writeText(connection.url);
			if (choice === 'Copy Client Configuration…') await vscode.commands.executeCommand('mcpWorkbench.copyClientConfig');
		}),
		guarded('mcpWorkbench.copyClientConfig', async () => {
			const connection = server.current;
			if (!connection) throw new Error('the server is stopped. Start it first: the configuration holds its live address and secret.');
			const pick = await vscode.window.showQuickPick(
				CLIENT_KINDS.map((k) => ({ label: k.label, detail: k.detail, client: k.kind })),
				{ title: 'Copy client configuration (contains a secret)', placeHolder: 'Which MCP client?' },
			);
			if (!pick) return;
			// In a remote window the server listens on the remote machine's loopback: a client on the user's own machine
			// needs VS Code's forwarded address (asExternalUri sets the forwarding up), one in a remote terminal does not.
			let url = connection.url;
			if (vscode.env.remoteName) {
				const forwarded = (await vscode.env.asExternalUri(vscode.Uri.parse(connection.url))).toString(true);
				const where = await vscode.window.showQuickPick([
					{ label: 'A client on this computer', detail: `Through VS Code's port forwarding: ${forwarded}`, url: forwarded },
					{ label: `A client on the ${vscode.env.remoteName} machine`, detail: connection.url, url: connection.url },
				], { title: 'Where does the client run?', placeHolder: 'The server runs beside the workspace, on the remote machine' });
				if (!where) return;
				url = where.url;
			}
			// Each configuration carries a token of its own, named here: the name cards and audit records show for its
			// calls, whatever the client calls itself.
			const name = await vscode.window.showInputBox({
				title: 'Name this client',
				prompt: 'Approval cards and the audit show this name for its calls. The configuration gets a token of its own.',
				value: pick.label,
				validateInput: (value) => (value.trim() === '' ? 'Give the client a name' : undefined),
			});
			if (name === undefined) return;
			const minted = server.mintToken(name);
			// The snippet holds no secret: the client reads the token from its environment (or VS Code's secret
			// storage), and the user copies it apart, only when they ask.
			const snippet = clientConfig(pick.client, { url });
			await vscode.env.clipboard.writeText(snippet.text);
			const choice = await vscode.window.showWarningMessage(`Copied the ${pick.label} configuration for "${minted.name}" (no secret in it). ${snippet.tokenSource} ${SECRET_WARNING}`, 'Copy Token');
			if (choice === 'Copy Token') await vscode.env.clipboard.writeText(minted.token);
		}),
	];
}

/**
 * One click per family: VS Code's chat picker groups MCP tools only by server (tool sets for one server's tools are a
 * proposed API in 1.139), so the family switch lives here and applies to every client at once (tools/list_changed).
 * It writes the user's settings; a workspace's own list can only narrow them, and the picker says so.
 */
async function chooseToolFamilies(tools: readonly AnyToolSpec[], log: vscode.LogOutputChannel, args?: ChooseFamiliesArgs): Promise<void> {
	const config = vscode.workspace.getConfiguration('mcpWorkbench');
	const before: FamilySwitches = {
		families: config.inspect<string[]>('tools.families')?.globalValue ?? config.inspect<string[]>('tools.families')?.defaultValue ?? [],
		disabledExtensions: config.inspect<string[]>('tools.disabledExtensions')?.globalValue ?? [],
	};
	const rows = familyChoices(tools, before);
	// Scripted: what the arguments name is on, the rest off; a group the arguments leave out keeps its state.
	let chosen = rows.filter(({ key, on }) => key.kind === 'family'
		? (args?.families ? args.families.includes(key.family) : on)
		: (args?.extensions ? args.extensions.some((id) => id.toLowerCase() === key.id.toLowerCase()) : on));
	if (!args) {
		const narrowed = config.inspect<string[]>('tools.families')?.workspaceValue !== undefined || config.inspect<string[]>('tools.families')?.workspaceFolderValue !== undefined;
		const picks = await vscode.window.showQuickPick(
			rows.map((row) => ({ label: row.label, detail: row.detail, picked: row.on, row })),
			{
				title: 'Tool families offered to agents',
				placeHolder: `Checked families are offered to every client; workspace_info always is.${narrowed ? ' This workspace\'s settings narrow the list further.' : ''}`,
				canPickMany: true,
				matchOnDetail: true,
			},
		);
		if (!picks) return;
		chosen = picks.map((pick) => pick.row);
	}
	const after = switchesAfter(rows, chosen, before);
	await config.update('tools.families', after.families, vscode.ConfigurationTarget.Global);
	await config.update('tools.disabledExtensions', after.disabledExtensions, vscode.ConfigurationTarget.Global);
	log.info(`tools.families families=${after.families.join(',')} disabledExtensions=${after.disabledExtensions.join(',')}`);
}
