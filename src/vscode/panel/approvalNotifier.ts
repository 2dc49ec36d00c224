import * as vscode from 'vscode';
import type { Disposable } from '../../core/base/disposable';
import type { ApprovalBroker, ApprovalRequest } from '../../core/gate/approvals';
import { approvalMessage, notificationCanApprove } from './approvalMessage';

/**
 * When the panel is not visible, a new approval also raises a notification, so a call never waits unseen. It offers
 * Approve only for what its one line shows whole (notificationCanApprove); otherwise Review opens the card. Each
 * request is announced once.
 */
export class ApprovalNotifier implements vscode.Disposable {
	private readonly announced = new Set<string>();
	private readonly subscription: Disposable;

	constructor(
		private readonly approvals: ApprovalBroker,
		private readonly panelVisible: () => boolean,
		/** Opens the panel with focus on this approval's Approve button. */
		private readonly review: (approvalId: string) => Promise<void>,
	) {
		this.subscription = approvals.onDidChange(() => this.update());
	}

	private update(): void {
		const pending = this.approvals.pending();
		const live = new Set(pending.map((p) => p.id));
		for (const id of this.announced) if (!live.has(id)) this.announced.delete(id);
		for (const request of pending) {
			if (this.announced.has(request.id)) continue;
			this.announced.add(request.id);
			if (!this.panelVisible()) void this.notify(request);
		}
	}

	private async notify(request: ApprovalRequest): Promise<void> {
		const actions = notificationCanApprove(request) ? ['Approve', 'Deny', 'Review'] : ['Review', 'Deny'];
		const choice = await vscode.window.showInformationMessage(approvalMessage(request), ...actions);
		// VS Code cannot take a notification back once the call was decided in the panel or withdrawn: a late click
		// says so instead of doing nothing silently.
		const decided = choice === 'Approve' ? this.approvals.decide(request.id, { kind: 'approve' }) : choice === 'Deny' ? this.approvals.decide(request.id, { kind: 'deny' }) : true;
		if (!decided) vscode.window.setStatusBarMessage(`MCP Workbench: ${request.title} was already decided or withdrawn; nothing was done.`, 8000);
		if (choice === 'Review') await this.review(request.id);
	}

	dispose(): void {
		this.subscription.dispose();
	}
}
