import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { toolWideGrantAllowed, type ApprovalBroker, type ApprovalRequest, type Grant } from '../../core/gate/approvals';
import { sensitiveGlob } from '../../core/gate/ruleText';
import type { AuditFilter } from '../../core/audit/auditQuery';
import { DisposableStore, type Disposable } from '../../core/base/disposable';
import type { Metrics } from '../../core/gate/metrics';
import type { AuditStore } from '../../node/audit/auditStore';
import type { WorkbenchServer } from '../../node/server/workbenchServer';
import type { Event } from '../../core/base/event';
import type { CommitFileChange, CommitPreview } from '../../core/tools/toolSpec';
import { readGitObject } from '../../node/git/gitRunner';
import type { AuditFilterView, ExtensionToolsView, PanelSnapshot, PendingApprovalView } from '../../webview/protocol';
import { commitView, diffView } from './cardViews';
import type { PanelBackend } from './sidebarView';

/**
 * Not connectClient's `mcp-workbench-preview`: with two providers on one scheme VS Code asks only one of them, and the
 * approval diffs opened empty.
 */
const PREVIEW_SCHEME = 'mcp-workbench-approval';

/** Largest file version the commit diff opens; its counts are on the card whatever its size. */
const COMMIT_DIFF_BYTES = 16 * 1024 * 1024;

/**
 * The panel's view of the gate: pending approvals, grants and metrics from memory, the audit from the store. The
 * panel answers approvals through here and nothing else; it never reaches tools or settings.
 */
export class GatePanelBackend implements PanelBackend, vscode.Disposable {
	private readonly previews = new PreviewDocuments();
	private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this.previews);

	constructor(
		private readonly approvals: ApprovalBroker,
		private readonly audit: AuditStore,
		private readonly metrics: Metrics,
		private readonly server: WorkbenchServer,
		/** Tools other extensions contributed, and when that list (or the user's switch-off setting) changes. */
		private readonly extensions?: { list(): ExtensionToolsView[]; readonly onDidChange: Event<void> },
	) {}

	snapshot(): PanelSnapshot {
		const connection = this.server.current;
		return {
			pending: this.approvals.pending().map(toPendingView),
			closed: this.approvals.closed().map((closed) => ({
				id: closed.request.id,
				tool: closed.request.tool,
				summary: closed.request.summary,
				client: closed.request.client,
				state: closed.state,
				closedAt: closed.closedAt,
				...(closed.detail !== undefined ? { detail: closed.detail } : {}),
			})),
			grants: this.approvals.grants().map(toGrantView),
			clients: this.server.tokens.clients().map((client) => ({ id: client.id, name: client.name, created: client.created })),
			metrics: this.metrics.snapshot().map((m) => ({ tool: m.tool, calls: m.calls, errors: m.errors, refused: m.refused, p50Ms: m.p50 ?? 0, p95Ms: m.p95 ?? 0 })),
			server: { state: this.server.state, ...(connection ? { url: connection.url } : {}), sessions: this.server.sessionCount },
			...(this.extensions ? { extensions: this.extensions.list() } : {}),
		};
	}

	onDidChange(listener: () => void): Disposable {
		const subscriptions = new DisposableStore();
		subscriptions.add(this.approvals.onDidChange(listener));
		subscriptions.add(this.server.onDidChangeState(listener));
		subscriptions.add(this.server.onDidChangeSessions(listener));
		subscriptions.add(this.server.tokens.onDidChange(listener));
		// Every call ends with a record: the metrics in the snapshot change with it.
		subscriptions.add(this.audit.onDidAppend(() => listener()));
		if (this.extensions) subscriptions.add(this.extensions.onDidChange(listener));
		return subscriptions;
	}

	onDidAppendAudit(listener: () => void): Disposable {
		return this.audit.onDidAppend(() => listener());
	}

	decide(approvalId: string, decision: Parameters<ApprovalBroker['decide']>[1]): void {
		this.approvals.decide(approvalId, decision);
	}

	openDiff(approvalId: string): void {
		const request = this.approvals.pending().find((p) => p.id === approvalId);
		const diff = request?.subject.diff;
		if (!request || !diff) return;
		const left = this.previews.put(`${approvalId}/before/${diff.path}`, diff.before);
		const right = this.previews.put(`${approvalId}/after/${diff.path}`, diff.after);
		const name = diff.path.split(/[\\/]/).pop() ?? diff.path;
		void vscode.commands.executeCommand('vscode.diff', left, right, `${name}: proposed by ${request.client} (${request.tool})`, { preview: true });
	}

	/**
	 * One file of a commit card, read from the object ids prepare() recorded: exactly what the approval covers, even
	 * if the index changes meanwhile (the re-check then refuses the commit). Our own read-only documents rather than
	 * the git extension's `git:` URIs: those show the index as it is now, and only for repositories the git extension
	 * has opened (code-server 4.139 opens them lazily, and not nested ones beyond its scan depth).
	 */
	openCommitDiff(approvalId: string, path: string): void {
		const request = this.approvals.pending().find((p) => p.id === approvalId);
		const commit = request?.subject.commit;
		const file = commit?.files.find((f) => f.path === path);
		if (!request || !commit || !file) return;
		if (file.sensitive || file.binary || file.submodule) {
			// The webview offers no button for these; a message naming one anyway is answered with the reason.
			void vscode.window.showInformationMessage(`MCP Workbench: ${path} is ${file.sensitive ? 'a sensitive file: its content is not shown in approvals' : file.binary ? 'a binary file: there is no text diff' : 'a submodule: open it to see its commits'}.`);
			return;
		}
		void this.showCommitDiff(approvalId, request, commit, file);
	}

	private async showCommitDiff(approvalId: string, request: ApprovalRequest, commit: CommitPreview, file: CommitFileChange): Promise<void> {
		const read = async (object: string | undefined) => (object === undefined ? { text: '', truncated: false } : readGitObject(commit.root, object, COMMIT_DIFF_BYTES));
		let before: { text: string; truncated: boolean };
		let after: { text: string; truncated: boolean };
		try {
			[before, after] = await Promise.all([read(file.oldObject), read(file.newObject)]);
		} catch (error) {
			void vscode.window.showWarningMessage(`MCP Workbench: could not read ${file.path} from the repository: ${error instanceof Error ? error.message : String(error)}`);
			return;
		}
		if (before.truncated || after.truncated) {
			void vscode.window.showWarningMessage(`MCP Workbench: ${file.path} is over ${COMMIT_DIFF_BYTES / 1024 / 1024} MB; the diff editor cannot show it. Its line counts are on the card.`);
			return;
		}
		const oldName = file.oldPath ?? file.path;
		const base = commit.base === undefined ? 'nothing' : commit.base.slice(0, 7);
		const left = this.previews.put(`${approvalId}/commit/${base}/${oldName}`, before.text);
		const right = this.previews.put(`${approvalId}/commit/staged/${file.path}`, after.text);
		const name = file.path.split('/').pop() ?? file.path;
		const title = `${file.oldPath !== undefined ? `${file.oldPath} → ` : ''}${name} (${base} ↔ staged): commit by ${request.client}`;
		await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
	}

	revokeClient(clientId: string): void {
		void this.server.tokens.revoke(clientId);
	}

	revokeGrant(grantId: string): void {
		this.approvals.revoke(grantId);
	}

	revokeAllGrants(): void {
		this.approvals.clearGrants();
	}

	openChat(): void {
		void vscode.commands.executeCommand('workbench.action.chat.open', { mode: 'agent' });
	}

	queryAudit(query: { offset: number; limit: number; filter: AuditFilterView }) {
		return this.audit.query({ offset: query.offset, limit: query.limit, filter: toFilter(query.filter) });
	}

	async exportAudit(format: 'json' | 'csv', filter: AuditFilterView): Promise<void> {
		const stamp = new Date().toISOString().replace(/[:.]/g, '-');
		// Not the workspace: the agent reads the workspace, and the audit holds what every client did.
		const target = await vscode.window.showSaveDialog({
			title: 'Export MCP Workbench audit',
			defaultUri: vscode.Uri.file(join(exportFolder(), `mcp-workbench-audit-${stamp}.${format}`)),
			filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
		});
		if (!target) return;
		// A BOM makes spreadsheet programs read the CSV as UTF-8.
		const text = format === 'csv' ? await this.audit.exportCsv(toFilter(filter), { bom: true }) : await this.audit.exportJson(toFilter(filter));
		await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
		void vscode.window.showInformationMessage(`Exported the audit to ${target.fsPath}`);
	}

	dispose(): void {
		this.registration.dispose();
	}
}

/** The Downloads folder when there is one, else the home folder. */
function exportFolder(): string {
	const downloads = join(homedir(), 'Downloads');
	return existsSync(downloads) ? downloads : homedir();
}

export function toFilter(view: AuditFilterView): AuditFilter {
	const { since, until, ...rest } = view;
	const filter: Record<string, string | number> = Object.fromEntries(Object.entries(rest).filter(([, value]) => typeof value === 'string' && value !== ''));
	// Dates are the person's own days: from the start of `since` to the end of `until`, in local time.
	if (since) filter.since = localDay(since, 0);
	if (until) filter.until = localDay(until, 1);
	return filter as AuditFilter;
}

/** Start of a local day, `after` days later (a day is not always 24 hours). */
function localDay(date: string, after: number): number {
	const [year, month, day] = date.split('-').map(Number);
	return new Date(year, month - 1, day + after).getTime();
}

function toPendingView(request: ApprovalRequest): PendingApprovalView {
	const { subject } = request;
	return {
		id: request.id,
		tool: request.tool,
		title: request.title,
		family: request.family,
		risk: request.risk,
		summary: request.summary,
		argumentsJson: JSON.stringify(subject.diff ? withoutLongText(request.arguments, 'in the diff above') : subject.commit ? withoutLongText(request.arguments, 'above') : request.arguments, null, 2),
		...(subject.diff ? { diff: diffView(subject.diff.path, subject.diff.unified, request.redactedDiff) } : {}),
		...(subject.commit ? { commit: commitView(subject.commit) } : {}),
		...(subject.command ? { command: subject.command } : {}),
		...(subject.task ? { task: subject.task } : {}),
		client: request.client,
		...(request.clientSays !== undefined ? { clientSays: request.clientSays } : {}),
		createdAt: request.createdAt,
		expiresAt: request.expiresAt,
		...(request.grantable && request.patternLabel ? { patternLabel: request.patternLabel } : {}),
		grantable: request.grantable,
		toolWideGrant: request.grantable && toolWideGrantAllowed(request.risk),
		...(request.rule ? { rule: request.rule } : {}),
		...(request.why ? { why: request.why } : {}),
		...(request.rule && sensitiveGlob(request.rule) ? { sensitive: sensitiveGlob(request.rule) } : {}),
		...(request.commandParts ? { commandParts: request.commandParts } : {}),
		...(request.clientHearsProgress !== undefined ? { clientHearsProgress: request.clientHearsProgress } : {}),
	};
}

/** Text arguments this long are the content the card already shows; it does not repeat them as escaped JSON. */
const LONG_TEXT = 200;

function withoutLongText(value: unknown, where: string): unknown {
	if (typeof value === 'string') return value.length > LONG_TEXT ? `(${value.length.toLocaleString('en-US')} characters: shown ${where})` : value;
	if (Array.isArray(value)) return value.map((item) => withoutLongText(item, where));
	if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutLongText(item, where)]));
	return value;
}

function toGrantView(grant: Grant) {
	return { id: grant.id, tool: grant.tool, client: grant.client, ...(grant.pattern ? { pattern: grant.label } : {}), createdAt: grant.createdAt };
}

/** Read-only documents for the diff editor: the text before and after a proposed edit. */
class PreviewDocuments implements vscode.TextDocumentContentProvider {
	private readonly texts = new Map<string, string>();

	put(key: string, text: string): vscode.Uri {
		// Keep memory bounded: previews of long-decided approvals are not needed.
		if (this.texts.size > 50) this.texts.delete(this.texts.keys().next().value as string);
		this.texts.set(key, text);
		return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${key}` });
	}

	provideTextDocumentContent(uri: vscode.Uri): string {
		return this.texts.get(uri.path.slice(1)) ?? '';
	}
}
