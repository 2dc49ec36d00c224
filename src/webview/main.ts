// Entry of the sidebar webview (bundled to dist/webview.js). All state lives in the host: on every load the panel
// says `ready` and renders what the host sends; vscode.setState keeps only filters, scroll and folded sections.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { AuditList } from './auditList';
import { renderDetails } from './detailsView';
import { button, codicon, el, setText } from './dom';
import { renderClients } from './clientsView';
import { renderExtensionTools } from './extensionToolsView';
import { renderGrants } from './grantsView';
import { renderMetrics } from './metricsView';
import { PendingList } from './pendingView';
import type { AuditFilterView, AuditRecord, HostToPanelMessage, PanelSnapshot, PanelToHostMessage } from './protocol';
import {
	addedIds, DECISIONS, decisionLabel, formatCount, normalizeFilter, OUTCOMES, outcomeLabel, sameFilter, serverStatusText,
} from './viewModel';

interface VsCodeApi {
	postMessage(message: PanelToHostMessage): void;
	getState(): unknown;
	setState(state: SavedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
	readonly filter: AuditFilterView;
	readonly scrollTop: number;
	readonly closed: readonly string[];
}

/** Performance mark the benchmark reads: the first audit rows are on screen. */
const FIRST_PAINT_MARK = 'mcpWorkbench.firstAuditPaint';
const TEXT_FILTER_DEBOUNCE_MS = 250;
const SAVE_STATE_DEBOUNCE_MS = 200;
const TOOL_OPTIONS_DELAY_MS = 300;

type ValueElement = HTMLElement & { value: string };

function readSavedState(raw: unknown): SavedState {
	const state = (raw ?? {}) as Partial<SavedState>;
	return {
		filter: typeof state.filter === 'object' && state.filter !== null ? normalizeFilter(state.filter) : {},
		scrollTop: typeof state.scrollTop === 'number' ? state.scrollTop : 0,
		closed: Array.isArray(state.closed) ? state.closed.filter((s): s is string => typeof s === 'string') : [],
	};
}

class Panel {
	private readonly vscode = acquireVsCodeApi();
	private saved = readSavedState(this.vscode.getState());
	private filter: AuditFilterView = this.saved.filter;
	private snapshot: PanelSnapshot | undefined;
	private knownPending = new Set<string>();
	private readonly knownTools = new Set<string>();
	private toolOptionsKey = '';
	private textTimer: ReturnType<typeof setTimeout> | undefined;
	private saveTimer: ReturnType<typeof setTimeout> | undefined;
	private toolOptionsTimer: ReturnType<typeof setTimeout> | undefined;

	private readonly serverStatus = el('div', { className: 'server-status', attrs: { 'data-testid': 'server-status' } });
	// Assertive: an approval has a countdown, so the user should hear about it now.
	private readonly live = el('div', { className: 'sr-only', attrs: { 'aria-live': 'assertive', 'aria-atomic': 'true', 'data-testid': 'live-region' } });
	private readonly notice = el('div', { className: 'notice', attrs: { role: 'alert', hidden: '', 'data-testid': 'notice' } });
	private readonly pendingBadge = el('vscode-badge', { attrs: { variant: 'counter', slot: 'decorations', hidden: '' } });
	private readonly auditBadge = el('vscode-badge', { attrs: { variant: 'counter', slot: 'decorations' } });
	private readonly pending = new PendingList({
		decide: (approvalId, decision) => {
			const approval = this.snapshot?.pending.find((p) => p.id === approvalId);
			if (approval) this.announce(`${decision.kind === 'deny' ? 'Denied' : decision.kind === 'approve' ? 'Approved once' : 'Approved and allowed for the session'}: ${approval.title}, ${approval.summary}`);
			this.post({ type: 'decide', approvalId, decision });
		},
		openDiff: (approvalId) => this.post({ type: 'openDiff', approvalId }),
		openCommitDiff: (approvalId, path) => this.post({ type: 'openCommitDiff', approvalId, path }),
	});
	private readonly toolSelect = select('tool-filter', 'Filter by tool');
	private readonly decisionSelect = select('decision-filter', 'Filter by decision');
	private readonly outcomeSelect = select('outcome-filter', 'Filter by outcome');
	private readonly textField = el('vscode-textfield', {
		className: 'text-filter',
		attrs: { placeholder: 'Filter (e.g. src/app.ts)', label: 'Filter by text', 'data-testid': 'text-filter' },
	}) as ValueElement;
	private readonly sinceField = dateField('since-filter', 'From date');
	private readonly untilField = dateField('until-filter', 'To date (inclusive)');
	private readonly resultCount = el('span', { className: 'result-count', attrs: { 'data-testid': 'result-count' } });
	private readonly details = el('section', { className: 'details', attrs: { hidden: '', 'aria-label': 'Call details', 'data-testid': 'audit-details' } });
	private readonly metrics = el('div', { className: 'metrics-container' });
	private readonly grants = el('section', { className: 'grants-container', attrs: { 'aria-label': 'Always-allow grants', 'data-testid': 'grants-section', hidden: '' } });
	private readonly clients = el('div', { className: 'grants-container' });
	private readonly extensionTools = el('div', { className: 'extension-tools-container' });
	private readonly welcome = renderWelcome(() => this.post({ type: 'openChat' }));
	private readonly list = new AuditList({
		query: (q) => this.post({ type: 'queryAudit', requestId: q.requestId, offset: q.offset, limit: q.limit, filter: q.filter }),
		open: (record) => this.showDetails(record),
		onTotal: (total) => this.onTotal(total),
		onFirstPaint: () => performance.mark(FIRST_PAINT_MARK),
	});
	private restoredScroll = false;

	mount(root: HTMLElement): void {
		// Ask first, build the DOM while the host answers: the first audit page is what the user waits for.
		window.addEventListener('message', (event: MessageEvent<HostToPanelMessage>) => this.onMessage(event.data));
		this.post({ type: 'ready' });
		this.list.setFilter(this.filter);
		fillOptions(this.decisionSelect, 'All decisions', DECISIONS.map((d) => [d, decisionLabel(d)]));
		fillOptions(this.outcomeSelect, 'All outcomes', OUTCOMES.map((o) => [o, outcomeLabel(o)]));
		fillOptions(this.toolSelect, 'All tools', []);
		this.applyFilterToControls();

		for (const control of [this.toolSelect, this.decisionSelect, this.outcomeSelect, this.sinceField, this.untilField]) {
			control.addEventListener('change', () => this.readFilter());
		}
		this.textField.addEventListener('input', () => {
			clearTimeout(this.textTimer);
			this.textTimer = setTimeout(() => this.readFilter(), TEXT_FILTER_DEBOUNCE_MS);
		});

		const exportJson = button('Export JSON', { testId: 'export-json', secondary: true, icon: 'json', ariaLabel: 'Export the filtered audit history as JSON' });
		exportJson.addEventListener('click', () => this.post({ type: 'exportAudit', format: 'json', filter: this.filter }));
		const exportCsv = button('Export CSV', { testId: 'export-csv', secondary: true, icon: 'table', ariaLabel: 'Export the filtered audit history as CSV' });
		exportCsv.addEventListener('click', () => this.post({ type: 'exportAudit', format: 'csv', filter: this.filter }));

		const filters = el('div', { className: 'filters', attrs: { role: 'search', 'aria-label': 'Audit filters' } },
			this.textField,
			el('div', { className: 'filter-selects' }, this.toolSelect, this.decisionSelect, this.outcomeSelect),
			el('div', { className: 'filter-dates' },
				el('label', { className: 'date-label' }, el('span', { text: 'From' }), this.sinceField),
				el('label', { className: 'date-label' }, el('span', { text: 'To' }), this.untilField),
			),
		);
		const toolbar = el('div', { className: 'audit-toolbar' },
			this.resultCount,
			el('span', { className: 'export-buttons', attrs: { role: 'group', 'aria-label': 'Export' } }, exportJson, exportCsv),
		);

		// Standing grants come first: what runs without asking must never sit below the fold.
		root.append(
			this.serverStatus,
			this.notice,
			this.live,
			this.welcome,
			this.grants,
			this.section('pending', 'Pending approvals', this.pendingBadge, this.pending.element),
			this.section('audit', 'Audit history', this.auditBadge, filters, toolbar, this.list.element, this.details),
			this.section('metrics', 'Tool metrics', undefined, this.metrics),
			this.section('clients', 'Connected clients', undefined, this.clients),
			this.section('extensions', 'Tools from other extensions', undefined, this.extensionTools),
		);
		this.renderServer();

		this.list.element.addEventListener('keydown', (event) => {
			if (event.key === 'Escape' && !this.details.hidden) {
				this.closeDetails();
			}
		});
		this.list.element.addEventListener('scroll', () => this.saveState(), { capture: true, passive: true });
		setInterval(() => {
			if (this.snapshot && this.snapshot.pending.length > 0) {
				this.pending.tick(Date.now());
			}
		}, 1000);

	}

	private post(message: PanelToHostMessage): void {
		this.vscode.postMessage(message);
	}

	private section(id: string, heading: string, badge: HTMLElement | undefined, ...content: HTMLElement[]): HTMLElement {
		const section = el('vscode-collapsible', { className: `section section-${id}`, attrs: { heading, 'data-testid': `section-${id}` } }, badge, ...content);
		if (!this.saved.closed.includes(id)) {
			section.setAttribute('open', '');
		}
		section.addEventListener('vsc-collapsible-toggle', (event) => {
			const open = (event as CustomEvent<{ open: boolean }>).detail.open;
			const closed = new Set(this.saved.closed);
			if (open) {
				closed.delete(id);
			} else {
				closed.add(id);
			}
			this.saved = { ...this.saved, closed: [...closed] };
			this.saveState();
		});
		return section;
	}

	private onMessage(message: HostToPanelMessage): void {
		switch (message?.type) {
			case 'snapshot': this.applySnapshot(message.snapshot); break;
			case 'auditChanged': this.list.invalidate(); break;
			case 'auditPage':
				for (const row of message.rows) {
					this.knownTools.add(row.tool);
				}
				this.list.receive(message.requestId, message.offset, message.rows, message.total);
				this.refreshToolOptions();
				break;
			case 'auditFailed':
				this.list.fail(message.requestId);
				this.showNotice(`Could not read the audit log: ${message.message}`);
				break;
			case 'notice': this.showNotice(message.message); break;
			case 'focusApproval': this.focusApproval(message.approvalId); break;
			case 'announce': this.announce(message.text); break;
		}
	}

	private applySnapshot(snapshot: PanelSnapshot): void {
		const now = Date.now();
		const fresh = addedIds(this.knownPending, snapshot.pending);
		this.knownPending = new Set(snapshot.pending.map((p) => p.id));
		this.snapshot = snapshot;
		this.pending.update(snapshot.pending, now);
		this.pendingBadge.textContent = String(snapshot.pending.length);
		this.pendingBadge.hidden = snapshot.pending.length === 0;
		if (fresh.length > 0) {
			const titles = snapshot.pending.filter((p) => fresh.includes(p.id)).map((p) => `${p.title}: ${p.summary}`);
			this.announce(`Approval needed. ${titles.join('. ')}`);
		}
		this.metrics.replaceChildren(renderMetrics(snapshot.metrics));
		this.grants.replaceChildren(...(snapshot.grants.length === 0 ? [] : [renderGrants(snapshot.grants, now, (grantId) => this.post({ type: 'revokeGrant', grantId }), () => this.post({ type: 'revokeAllGrants' }))]));
		this.grants.hidden = snapshot.grants.length === 0;
		this.clients.replaceChildren(renderClients(snapshot.clients ?? [], (clientId) => this.post({ type: 'revokeClient', clientId })));
		this.extensionTools.replaceChildren(renderExtensionTools(snapshot.extensions ?? []));
		// The welcome explains the panel until the first call; after that the audit and metrics do.
		this.welcome.hidden = snapshot.pending.length > 0 || snapshot.metrics.length > 0 || snapshot.grants.length > 0;
		if (this.focusWanted && this.pending.focusApproval(this.focusWanted)) this.focusWanted = undefined;
		for (const item of [...snapshot.metrics, ...snapshot.pending, ...snapshot.grants]) {
			this.knownTools.add(item.tool);
		}
		this.refreshToolOptions();
		this.renderServer();
	}

	private renderServer(): void {
		const server = this.snapshot?.server;
		const state = server?.state ?? 'starting';
		const icon = { running: 'circle-filled', starting: 'loading', stopped: 'circle-outline', error: 'error' }[state];
		this.serverStatus.className = `server-status server-${state}`;
		this.serverStatus.replaceChildren(codicon(icon, state === 'starting' ? 'codicon-modifier-spin' : ''), el('span', { text: server ? serverStatusText(server) : 'Connecting…' }));
		this.serverStatus.setAttribute('title', server?.url ?? '');
	}

	/** Focus asked for before the card exists (the view was just opened) waits for the snapshot that brings it. */
	private focusWanted: string | undefined;

	private focusApproval(approvalId: string): void {
		if (!this.pending.focusApproval(approvalId)) this.focusWanted = approvalId;
	}

	private announce(text: string): void {
		// Clearing first makes screen readers read a repeated message again.
		this.live.textContent = '';
		requestAnimationFrame(() => setText(this.live, text));
	}

	private showNotice(text: string): void {
		const dismiss = el('vscode-icon', { attrs: { name: 'close', 'action-icon': '', label: 'Dismiss' } });
		dismiss.addEventListener('vsc-click', () => {
			this.notice.hidden = true;
		});
		this.notice.replaceChildren(codicon('warning'), el('span', { text }), dismiss);
		this.notice.hidden = false;
	}

	private onTotal(total: number): void {
		this.auditBadge.textContent = formatCount(total);
		this.resultCount.textContent = `${formatCount(total)} ${total === 1 ? 'record' : 'records'}`;
		if (!this.restoredScroll) {
			this.restoredScroll = true;
			const top = this.saved.scrollTop;
			if (top > 0) {
				requestAnimationFrame(() => {
					this.list.scrollTop = top;
				});
			}
		}
	}

	private showDetails(record: AuditRecord): void {
		const close = el('vscode-icon', { attrs: { name: 'close', 'action-icon': '', label: 'Close details', 'data-testid': 'close-details' } });
		close.addEventListener('vsc-click', () => this.closeDetails());
		const header = el('div', { className: 'details-header' },
			el('span', { className: 'details-title', text: `${record.tool} · call #${record.seq}` }),
			close,
		);
		this.details.replaceChildren(header, renderDetails(record));
		this.details.hidden = false;
	}

	private closeDetails(): void {
		this.details.hidden = true;
		this.details.replaceChildren();
		this.list.focus();
	}

	private readFilter(): void {
		const next = normalizeFilter({
			tool: (this.toolSelect as ValueElement).value,
			decision: (this.decisionSelect as ValueElement).value,
			outcome: (this.outcomeSelect as ValueElement).value,
			text: this.textField.value,
			since: this.sinceField.value,
			until: this.untilField.value,
		});
		if (sameFilter(next, this.filter)) {
			return;
		}
		this.filter = next;
		this.saved = { ...this.saved, filter: next };
		this.saveState();
		this.details.hidden = true;
		this.list.setFilter(next);
	}

	private applyFilterToControls(): void {
		(this.decisionSelect as ValueElement).value = this.filter.decision ?? '';
		(this.outcomeSelect as ValueElement).value = this.filter.outcome ?? '';
		this.textField.value = this.filter.text ?? '';
		this.sinceField.value = this.filter.since ?? '';
		this.untilField.value = this.filter.until ?? '';
		if (this.filter.tool) {
			this.knownTools.add(this.filter.tool);
			this.refreshToolOptions();
		}
	}

	/**
	 * Deferred and coalesced: replacing a select's options makes vscode-single-select measure them, a forced layout
	 * that must not sit between an audit page arriving and its rows being painted.
	 */
	private refreshToolOptions(): void {
		if (this.toolOptionsTimer === undefined) {
			this.toolOptionsTimer = setTimeout(() => {
				this.toolOptionsTimer = undefined;
				this.fillToolOptions();
			}, TOOL_OPTIONS_DELAY_MS);
		}
	}

	private fillToolOptions(): void {
		const tools = [...this.knownTools].sort();
		const key = tools.join('\n');
		if (key === this.toolOptionsKey) {
			return;
		}
		this.toolOptionsKey = key;
		fillOptions(this.toolSelect, 'All tools', tools.map((t) => [t, t]));
		(this.toolSelect as ValueElement).value = this.filter.tool ?? '';
	}

	/** Debounced: in VS Code every setState is a message to the workbench, and scrolling fires many. */
	private saveState(): void {
		clearTimeout(this.saveTimer);
		this.saveTimer = setTimeout(() => {
			this.vscode.setState({ ...this.saved, filter: this.filter, scrollTop: this.list.scrollTop });
		}, SAVE_STATE_DEBOUNCE_MS);
	}
}

/** A native date input: it speaks the platform's date picker to keyboards and screen readers. */
function dateField(testId: string, label: string): HTMLInputElement {
	const input = el('input', { className: 'date-filter', attrs: { type: 'date', 'aria-label': label, 'data-testid': testId } }) as HTMLInputElement;
	return input;
}

/** First contact: what the panel is for, what asks, and the way to the agent. */
function renderWelcome(openChat: () => void): HTMLElement {
	const open = button('Open Chat', { testId: 'open-chat', icon: 'comment-discussion', ariaLabel: 'Open the chat view in agent mode' });
	open.addEventListener('click', openChat);
	return el('section', { className: 'welcome', attrs: { 'data-testid': 'welcome', 'aria-label': 'Getting started' } },
		el('p', { text: 'Agents use this workspace through MCP Workbench: reads run at once; edits, commands and commits wait here for your approval, and every call is recorded below.' }),
		open,
	);
}

function select(testId: string, label: string): HTMLElement {
	return el('vscode-single-select', { className: 'filter-select', attrs: { label, 'data-testid': testId, 'aria-label': label } });
}

function fillOptions(target: HTMLElement, allLabel: string, options: [string, string][]): void {
	target.replaceChildren(
		el('vscode-option', { text: allLabel, attrs: { value: '' } }),
		...options.map(([value, label]) => el('vscode-option', { text: label, attrs: { value } })),
	);
}

new Panel().mount(document.getElementById('app') ?? document.body);
