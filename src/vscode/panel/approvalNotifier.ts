import * as vscode from 'vscode';
import type { Disposable } from '../../core/base/disposable';
import type { ApprovalBroker, ApprovalRequest } from '../../core/gate/approvals';
import { approvalMessage } from './approvalMessage';

/**
 * When the panel is not visible, a new approval also raises a notification with Approve / Deny / Show, so a call
 * never waits unseen. Each request is announced once.
 */
export class ApprovalNotifier implements vscode.Disposable {
	private readonly announced = new Set<string>();
	private readonly subscription: Disposable;

	constructor(
		private readonly approvals: ApprovalBroker,
		private readonly panelVisible: () => boolean,
		private readonly showPanel: () => Promise<void>,
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
		const choice = await vscode.window.showInformationMessage(
			approvalMessage(request),
			'Approve',
			'Deny',
			'Show',
		);
		if (choice === 'Approve') this.approvals.decide(request.id, { kind: 'approve' });
		else if (choice === 'Deny') this.approvals.decide(request.id, { kind: 'deny' });
		else if (choice === 'Show') await this.showPanel();
	}

	dispose(): void {
		this.subscription.dispose();
	}
}
