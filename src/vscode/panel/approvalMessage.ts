import { visibleText } from '../../core/base/visibleText';
import type { ApprovalRequest } from '../../core/gate/approvals';

/**
 * The notification's one line for a waiting call. Everything in it comes from the client, so control and bidi
 * characters are shown (⟨U+202E⟩), never applied: the line must read as what will run.
 */
export function approvalMessage(request: Pick<ApprovalRequest, 'client' | 'clientSays' | 'tool' | 'summary' | 'subject'>): string {
	const where = request.subject.command ? ` in ${request.subject.command.cwd}` : '';
	const says = request.clientSays !== undefined ? ` (says it is "${request.clientSays}")` : '';
	return visibleText(`MCP Workbench: ${request.client}${says} wants to run ${request.tool}: ${request.summary}${where}`);
}
