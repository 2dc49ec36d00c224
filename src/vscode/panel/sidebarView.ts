// The "MCP Workbench" sidebar: a webview view whose state lives here in the host. The webview is untrusted input,
// so every message it sends is validated before it reaches the backend.
import { randomBytes } from 'node:crypto';
// Type-only: this module reaches VS Code through the objects it is handed, so unit tests can drive it directly.
import type * as vscode from 'vscode';
import type { AuditRecord } from '../../core/audit/auditRecord';
import { DisposableStore, toDisposable, type Disposable } from '../../core/base/disposable';
import {
	parsePanelMessage, type ApprovalDecision, type AuditFilterView, type HostToPanelMessage, type PanelSnapshot, type PanelToHostMessage,
} from '../../webview/protocol';

/** The view id under `contributes.views.mcpWorkbench`. */
export const PANEL_VIEW_ID = 'mcpWorkbench.panel';

/** Options for `registerWebviewViewProvider`: the panel rebuilds itself from the host on every show. */
export const PANEL_WEBVIEW_OPTIONS = { retainContextWhenHidden: false } as const;

/** What the panel needs from the gate; the gate implements it. */
export interface PanelBackend {
	snapshot(): PanelSnapshot;
	/** Pending approvals, grants, metrics or server state changed. */
	onDidChange(listener: () => void): Disposable;
	onDidAppendAudit(listener: () => void): Disposable;
	decide(approvalId: string, decision: ApprovalDecision): void;
	/** Opens VS Code's diff editor on an edit's preview. */
	openDiff(approvalId: string): void;
	/** Opens VS Code's diff editor on one file of a commit: its base version against the staged one. */
	openCommitDiff(approvalId: string, path: string): void;
	revokeGrant(grantId: string): void;
	/** Revokes a connected client's token (its next request is refused with a message saying so). */
	revokeClient(clientId: string): void;
	revokeAllGrants(): void;
	/** Opens the chat view (the empty panel's button). */
	openChat(): void;
	/** Matching records, newest first. */
	queryAudit(query: { offset: number; limit: number; filter: AuditFilterView }): Promise<{ rows: AuditRecord[]; total: number }>;
	/** Asks where to save, then writes the matching records. */
	exportAudit(format: 'json' | 'csv', filter: AuditFilterView): Promise<void>;
}

/** Snapshot pushes within this window coalesce into one. */
const SNAPSHOT_DELAY_MS = 30;
/** A busy agent appends many records a second; the panel refetches at most this often. */
const AUDIT_REFRESH_MS = 250;

export interface PanelHtmlAssets {
	readonly cspSource: string;
	readonly nonce: string;
	readonly scriptUri: string;
	readonly styleUri: string;
	readonly codiconsUri: string;
}

/**
 * The page the webview loads. The strict CSP allows only our nonce'd script, styles from the extension and
 * constructed stylesheets (lit's adoptedStyleSheets are not governed by style-src), and no network at all.
 */
export function renderPanelHtml(assets: PanelHtmlAssets): string {
	const csp = [
		`default-src 'none'`,
		`style-src ${assets.cspSource} 'nonce-${assets.nonce}'`,
		`font-src ${assets.cspSource}`,
		`img-src ${assets.cspSource} data:`,
		`script-src 'nonce-${assets.nonce}'`,
	].join('; ');
	return `<!DOCTYPE html>
<html lang="en">
<head>
	<meta charset="UTF-8">
	<meta http-equiv="Content-Security-Policy" content="${csp}">
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
	<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${assets.codiconsUri}" nonce="${assets.nonce}">
	<link rel="stylesheet" href="${assets.styleUri}" nonce="${assets.nonce}">
	<title>MCP Workbench</title>
</head>
<body>
	<div id="app" class="panel"></div>
	<script nonce="${assets.nonce}" src="${assets.scriptUri}"></script>
</body>
</html>`;
}

export function createNonce(): string {
	return randomBytes(18).toString('base64');
}

function child(base: vscode.Uri, ...segments: string[]): vscode.Uri {
	return base.with({ path: [base.path.replace(/\/$/, ''), ...segments].join('/') });
}

export class SidebarViewProvider implements vscode.WebviewViewProvider, Disposable {
	/** One store per resolved view: the view reloads on every show. */
	private readonly views = new DisposableStore();
	private currentView: vscode.WebviewView | undefined;

	/** Whether the user can see the panel now; approvals raise a notification when not. */
	get visible(): boolean {
		return this.currentView?.visible ?? false;
	}

	constructor(
		private readonly extensionUri: vscode.Uri,
		private readonly backend: PanelBackend,
		/** Where rejected messages and backend failures are logged. */
		private readonly log: (message: string) => void = () => undefined,
	) {}

	resolveWebviewView(view: vscode.WebviewView): void {
		this.currentView = view;
		const webview = view.webview;
		webview.options = {
			enableScripts: true,
			localResourceRoots: [child(this.extensionUri, 'dist'), child(this.extensionUri, 'media')],
		};
		webview.html = renderPanelHtml({
			cspSource: webview.cspSource,
			nonce: createNonce(),
			scriptUri: webview.asWebviewUri(child(this.extensionUri, 'dist', 'webview.js')).toString(),
			styleUri: webview.asWebviewUri(child(this.extensionUri, 'media', 'panel.css')).toString(),
			codiconsUri: webview.asWebviewUri(child(this.extensionUri, 'dist', 'codicons', 'codicon.css')).toString(),
		});
		const store = this.views.add(new DisposableStore());
		const connection = store.add(new PanelConnection(webview, this.backend, this.log));
		this.connection = connection;
		if (this.focusWanted !== undefined) {
			connection.focusApproval(this.focusWanted);
			this.focusWanted = undefined;
		}
		this.updateBadge();
		store.add(this.backend.onDidChange(() => this.updateBadge()));
		store.add(toDisposable(() => {
			if (this.currentView === view) this.currentView = undefined;
			if (this.connection === connection) this.connection = undefined;
		}));
		store.add(view.onDidDispose(() => this.views.delete(store)));
		store.add(view.onDidChangeVisibility(() => {
			// A hidden view's document is gone; the reloaded one says `ready` again when shown.
			if (!view.visible) {
				connection.pause();
			}
		}));
	}

	private connection: PanelConnection | undefined;
	private focusWanted: string | undefined;

	/** Focuses an approval's Approve button once the view shows (call before revealing the view). */
	focusApproval(approvalId: string): void {
		// A connection holds the focus until its document says `ready`; before any view, this holds it.
		if (this.connection) this.connection.focusApproval(approvalId);
		else this.focusWanted = approvalId;
	}

	announce(text: string): void {
		this.connection?.announce(text);
	}

	/** The activity bar icon's count: calls waiting for a person. */
	private updateBadge(): void {
		const view = this.currentView;
		if (!view) return;
		const waiting = this.backend.snapshot().pending.length;
		view.badge = waiting > 0 ? { value: waiting, tooltip: `${waiting} tool call${waiting === 1 ? '' : 's'} waiting for approval` } : undefined;
	}

	dispose(): void {
		this.views.dispose();
	}
}

/** Message wiring between one webview document and the backend. */
export class PanelConnection implements Disposable {
	private ready = false;
	private disposed = false;
	private snapshotTimer: ReturnType<typeof setTimeout> | undefined;
	private auditTimer: ReturnType<typeof setTimeout> | undefined;
	private auditDirty = false;
	private lastAuditPush = 0;
	private readonly subscriptions = new DisposableStore();

	constructor(
		private readonly webview: Pick<vscode.Webview, 'postMessage' | 'onDidReceiveMessage'>,
		private readonly backend: PanelBackend,
		private readonly log: (message: string) => void,
	) {
		this.subscriptions.add(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
		this.subscriptions.add(backend.onDidChange(() => this.scheduleSnapshot()));
		this.subscriptions.add(backend.onDidAppendAudit(() => this.scheduleAuditChanged()));
	}

	/** Focus for the document that is about to say `ready` (a hidden view reloads when shown). */
	private focusWanted: string | undefined;

	/** Moves focus to an approval's Approve button, now or as soon as the document is ready. */
	focusApproval(approvalId: string): void {
		if (this.ready) this.post({ type: 'focusApproval', approvalId });
		else this.focusWanted = approvalId;
	}

	/** Says something to screen readers through the panel's live region. */
	announce(text: string): void {
		if (this.ready) this.post({ type: 'announce', text });
	}

	/** Stops pushing until the webview says `ready` again. */
	pause(): void {
		this.ready = false;
	}

	dispose(): void {
		this.disposed = true;
		this.ready = false;
		clearTimeout(this.snapshotTimer);
		clearTimeout(this.auditTimer);
		this.subscriptions.dispose();
	}

	private receive(raw: unknown): void {
		const message = parsePanelMessage(raw);
		if (!message) {
			this.log(`sidebar: ignored a malformed message from the webview: ${describeRaw(raw)}`);
			return;
		}
		this.handle(message).catch((error: unknown) => {
			const text = error instanceof Error ? error.message : String(error);
			this.log(`sidebar: ${message.type} failed: ${text}`);
			if (message.type === 'queryAudit') {
				this.post({ type: 'auditFailed', requestId: message.requestId, message: text });
			} else {
				this.post({ type: 'notice', message: text });
			}
		});
	}

	private async handle(message: PanelToHostMessage): Promise<void> {
		switch (message.type) {
			case 'ready':
				this.ready = true;
				this.postSnapshot();
				if (this.focusWanted !== undefined) {
					this.post({ type: 'focusApproval', approvalId: this.focusWanted });
					this.focusWanted = undefined;
				}
				return;
			case 'decide':
				this.backend.decide(message.approvalId, message.decision);
				return;
			case 'openDiff':
				this.backend.openDiff(message.approvalId);
				return;
			case 'openCommitDiff':
				this.backend.openCommitDiff(message.approvalId, message.path);
				return;
			case 'revokeClient':
				this.backend.revokeClient(message.clientId);
				return;
			case 'revokeGrant':
				this.backend.revokeGrant(message.grantId);
				return;
			case 'revokeAllGrants':
				this.backend.revokeAllGrants();
				return;
			case 'openChat':
				this.backend.openChat();
				return;
			case 'queryAudit': {
				const page = await this.backend.queryAudit({ offset: message.offset, limit: message.limit, filter: message.filter });
				this.post({ type: 'auditPage', requestId: message.requestId, offset: message.offset, rows: page.rows, total: page.total });
				return;
			}
			case 'exportAudit':
				await this.backend.exportAudit(message.format, message.filter);
				return;
		}
	}

	private scheduleSnapshot(): void {
		if (!this.ready || this.snapshotTimer !== undefined) {
			return;
		}
		this.snapshotTimer = setTimeout(() => {
			this.snapshotTimer = undefined;
			this.postSnapshot();
		}, SNAPSHOT_DELAY_MS);
	}

	private postSnapshot(): void {
		if (this.ready) {
			this.post({ type: 'snapshot', snapshot: this.backend.snapshot() });
		}
	}

	/** Leading and trailing throttle: the first append shows at once, a burst ends with one more refresh. */
	private scheduleAuditChanged(): void {
		if (!this.ready) {
			return;
		}
		this.auditDirty = true;
		if (this.auditTimer !== undefined) {
			return;
		}
		const wait = Math.max(0, this.lastAuditPush + AUDIT_REFRESH_MS - Date.now());
		this.auditTimer = setTimeout(() => {
			this.auditTimer = undefined;
			if (this.auditDirty && this.ready) {
				this.auditDirty = false;
				this.lastAuditPush = Date.now();
				this.post({ type: 'auditChanged' });
			}
		}, wait);
	}

	private post(message: HostToPanelMessage): void {
		if (this.disposed) {
			return;
		}
		// A webview that went away mid-post rejects; it reloads and asks again, so nothing is lost.
		Promise.resolve(this.webview.postMessage(message)).catch(() => undefined);
	}
}

function describeRaw(raw: unknown): string {
	const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type).slice(0, 40) : typeof raw;
	return `type ${JSON.stringify(type)}`;
}
