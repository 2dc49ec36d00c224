import { visibleText } from '../../core/base/visibleText';
import type { ApprovalRequest } from '../../core/gate/approvals';

/** Longest summary a notification shows whole; anything longer could hide its end, so it offers Review only. */
const NOTIFICATION_SUMMARY_CHARS = 120;

/**
 * Whether a notification may offer Approve: only for a call it shows whole, whose effect the one line says. Programs
 * (Execute), Destructive and Sensitive calls, commits, and any summary that is long, multi-line or already shortened, are
 * reviewed in the panel.
 */
export function notificationCanApprove(request: Pick<ApprovalRequest, 'risk' | 'summary' | 'subject' | 'rule' | 'grantable'>): boolean {
	if (request.risk !== 'read' && request.risk !== 'write') return false;
	if (!request.grantable || request.rule?.startsWith('sensitive:')) return false;
	if (request.subject.command || request.subject.task) return false;
	// A commit's one line cannot list what it records: the card's file table can.
	if (request.subject.commit) return false;
	const summary = request.summary;
	return summary.length <= NOTIFICATION_SUMMARY_CHARS && !/[\n\r…]/.test(summary) && !/\.\.\.$/.test(summary);
}

/**
 * The notification's one line for a waiting call. Everything in it comes from the client, so control and bidi
 * characters are shown (⟨U+202E⟩), never applied: the line must read as what will run.
 */
export function approvalMessage(request: Pick<ApprovalRequest, 'client' | 'clientSays' | 'tool' | 'summary' | 'subject'>): string {
	const where = request.subject.command ? ` in ${request.subject.command.cwd}` : '';
	const says = request.clientSays !== undefined ? ` (says it is "${request.clientSays}")` : '';
	return visibleText(`MCP Workbench: ${request.client}${says} wants to run ${request.tool}: ${request.summary}${where}`);
}
