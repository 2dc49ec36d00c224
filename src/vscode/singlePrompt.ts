import * as vscode from 'vscode';
import type { Disposable } from '../core/base/disposable';
import type { Event } from '../core/base/event';
import type { ApprovalRequest } from '../core/gate/approvals';

export const SINGLE_PROMPT_COMMAND = 'mcpWorkbench.useSinglePrompt';
const OFFERED_KEY = 'mcpWorkbench.singlePromptOffered';
const CHOOSE = 'Choose in Manage Tool Approval…';
const NEVER = "Don't Ask Again";

/**
 * VS Code asks "Run <tool>?" before every MCP tool not marked read-only; for the calls our policy asks about, our card
 * then asks again. VS Code 1.139 has one narrow way to trust one MCP server: "Manage Tool Approval" (also in the
 * dropdown of its own confirmation) allows all tools of one server for the session, this workspace or the profile,
 * stored by the server's definition id: the row "Run any tool without approval" under the server's row. A person sets it there: no setting or API lets an extension do it, and none
 * should. Once set, VS Code runs our tools without its prompt and our gate alone decides, for every client alike.
 * Never solved by calling a tool read-only that is not: other clients run read-only tools without asking.
 */
export function chooseSinglePrompt(): Thenable<unknown> {
	// 'workspace' opens the tree on this workspace's scope, the narrowest that lasts.
	return vscode.commands.executeCommand('workbench.action.chat.editToolApproval', 'workspace');
}

export interface SinglePromptOfferDeps {
	readonly approvals: { readonly onDidChange: Event<void>; pending(): readonly ApprovalRequest[] };
	/** The credential name of VS Code's own client: only its calls were asked twice. */
	readonly editorClient: string;
	/** Where "offered" is remembered: once per workspace. */
	readonly state: vscode.Memento;
}

/**
 * The first time a call from VS Code's own client waits on our card (so the person has just answered VS Code's
 * prompt and now sees ours), offers to make ours the single prompt. Once per workspace, also when dismissed.
 */
export class SinglePromptOffer implements Disposable {
	private readonly listener: Disposable;
	private offered: boolean;

	constructor(private readonly deps: SinglePromptOfferDeps) {
		this.offered = deps.state.get<boolean>(OFFERED_KEY, false);
		this.listener = deps.approvals.onDidChange(() => this.check());
	}

	private check(): void {
		if (this.offered || !this.deps.approvals.pending().some((request) => request.client === this.deps.editorClient)) return;
		this.offered = true;
		void this.deps.state.update(OFFERED_KEY, true);
		void vscode.window.showInformationMessage(
			// Names the exact row: the server's own row has no checkbox, and clicking it closes VS Code's view.
			'MCP Workbench: VS Code asked before this call and MCP Workbench asks again. To be asked once, open VS Code\'s Manage Tool Approval, expand "MCP Workbench" by its arrow and check "Run any tool without approval" (this workspace): MCP Workbench\'s policy still asks for every call it marks, from every client.',
			CHOOSE,
			NEVER,
		).then((choice) => (choice === CHOOSE ? chooseSinglePrompt() : undefined));
	}

	dispose(): void {
		this.listener.dispose();
	}
}
