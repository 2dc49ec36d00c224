import * as vscode from 'vscode';
import { CARD_COMMIT_FILES, CARD_DIFF_LINES, diffBodyLines } from '../../core/gate/cardDiff';
import type { ApprovalBroker, ApprovalRequest } from '../../core/gate/approvals';

export interface ApprovalCommandDeps {
	readonly approvals: ApprovalBroker;
	/** Whether the panel, with its cards, is on screen now. */
	readonly panelVisible: () => boolean;
	/** Shows the panel with focus on this approval's Approve button. */
	readonly review: (approvalId: string) => Promise<void>;
	/** Says the outcome through the panel's live region. */
	readonly announce: (text: string) => void;
}

/** Whether the card shows the whole of what an approval covers, with nothing folded away. */
export function cardShowsAll(request: Pick<ApprovalRequest, 'subject'>): boolean {
	const { diff, commit } = request.subject;
	if (commit && commit.files.length > CARD_COMMIT_FILES) return false;
	return !diff || diffBodyLines(diff.unified).length <= CARD_DIFF_LINES;
}

/**
 * Keyboard commands on the oldest waiting call. Approve never decides what the person has not seen: with the panel
 * hidden, or a change the card folds, it reviews (opens the panel on the card) instead. Deny is always safe.
 */
export function registerApprovalCommands({ approvals, panelVisible, review, announce }: ApprovalCommandDeps): vscode.Disposable[] {
	const oldest = (): ApprovalRequest | undefined => {
		const pending = approvals.pending();
		if (pending.length === 0) void vscode.window.showInformationMessage('MCP Workbench: no tool call is waiting for approval.');
		return pending.reduce<ApprovalRequest | undefined>((first, request) => (!first || request.createdAt < first.createdAt ? request : first), undefined);
	};
	return [
		vscode.commands.registerCommand('mcpWorkbench.approveOldest', async () => {
			const request = oldest();
			if (!request) return;
			if (!panelVisible() || !cardShowsAll(request)) {
				await review(request.id);
				return;
			}
			if (approvals.decide(request.id, { kind: 'approve' })) announce(`Approved once: ${request.title}, ${request.summary}`);
		}),
		vscode.commands.registerCommand('mcpWorkbench.denyOldest', () => {
			const request = oldest();
			if (request && approvals.decide(request.id, { kind: 'deny' })) announce(`Denied: ${request.title}, ${request.summary}`);
		}),
		vscode.commands.registerCommand('mcpWorkbench.reviewOldest', async () => {
			const request = oldest();
			if (request) await review(request.id);
		}),
		vscode.commands.registerCommand('mcpWorkbench.revokeAllGrants', () => {
			const count = approvals.clearGrants();
			void vscode.window.showInformationMessage(count === 0 ? 'MCP Workbench: there were no always-allow grants.' : `MCP Workbench: revoked ${count} always-allow grant${count === 1 ? '' : 's'}; those calls ask again.`);
		}),
	];
}
