// Pure view logic of the panel: window math for the virtual list, keyboard moves and text formatting.
// No DOM here, so node unit tests cover it.
import type { Decision, Outcome } from '../core/audit/auditRecord';
import type { Risk } from '../core/tools/toolSpec';
import type { AuditFilterView, ServerView } from './protocol';

/** Fixed height of one audit row in CSS pixels; the list's geometry depends on it being fixed. */
export const ROW_HEIGHT = 22;
/** Rows fetched per `queryAudit`. */
export const PAGE_SIZE = 100;
/** Rows rendered above and below the viewport so fast scrolling does not show gaps. */
export const OVERSCAN = 8;

export interface RowWindow {
	/** First row index to render. */
	readonly first: number;
	/** One past the last row index to render. */
	readonly end: number;
}

/** Which rows to render for a scroll position. */
export function visibleWindow(scrollTop: number, viewportHeight: number, total: number, rowHeight = ROW_HEIGHT, overscan = OVERSCAN): RowWindow {
	if (total <= 0 || viewportHeight <= 0) {
		return { first: 0, end: 0 };
	}
	const top = Math.max(0, Math.floor(scrollTop / rowHeight));
	const first = Math.min(total, Math.max(0, top - overscan));
	const end = Math.min(total, top + Math.ceil(viewportHeight / rowHeight) + 1 + overscan);
	return { first, end: Math.max(first, end) };
}

/** Page numbers that hold rows `first` to `end - 1`. */
export function pagesFor(window: RowWindow, pageSize = PAGE_SIZE): number[] {
	if (window.end <= window.first) {
		return [];
	}
	const pages: number[] = [];
	for (let page = Math.floor(window.first / pageSize); page <= Math.floor((window.end - 1) / pageSize); page++) {
		pages.push(page);
	}
	return pages;
}

/** The scrollTop that shows row `index` while moving as little as possible, or `undefined` if it is in view. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight = ROW_HEIGHT): number | undefined {
	const rowTop = index * rowHeight;
	if (rowTop < scrollTop) {
		return rowTop;
	}
	if (rowTop + rowHeight > scrollTop + viewportHeight) {
		return rowTop + rowHeight - viewportHeight;
	}
	return undefined;
}

/** Where the active row moves for a key in the list, or `undefined` if the key does not move it. */
export function moveActive(key: string, active: number, total: number, rowsPerPage: number): number | undefined {
	if (total <= 0) {
		return undefined;
	}
	const step = Math.max(1, rowsPerPage - 1);
	const from = active < 0 ? -1 : active;
	let next: number;
	switch (key) {
		case 'ArrowDown': next = from + 1; break;
		case 'ArrowUp': next = from < 0 ? 0 : from - 1; break;
		case 'PageDown': next = from + step; break;
		case 'PageUp': next = from - step; break;
		case 'Home': next = 0; break;
		case 'End': next = total - 1; break;
		default: return undefined;
	}
	return Math.min(total - 1, Math.max(0, next));
}

/** "0:42", "12:05", "1:02:03"; never negative. */
export function formatCountdown(ms: number): string {
	const seconds = Math.max(0, Math.ceil(ms / 1000));
	const h = Math.floor(seconds / 3600);
	const m = Math.floor((seconds % 3600) / 60);
	const s = seconds % 60;
	const ss = String(s).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "850 ms", "1.2 s", "2 min 5 s", "1 min". */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) {
		return '–';
	}
	if (ms < 1000) {
		return `${Math.round(ms)} ms`;
	}
	if (ms < 60_000) {
		return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
	}
	const seconds = Math.round(ms / 1000);
	const rest = seconds % 60;
	return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ''}`;
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) {
		return `${bytes} B`;
	}
	if (bytes < 1024 * 1024) {
		return `${(bytes / 1024).toFixed(1)} KB`;
	}
	return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function pad2(n: number): string {
	return String(n).padStart(2, '0');
}

/** Local "HH:MM:SS" for today, "YYYY-MM-DD HH:MM" for older times; the ISO string itself if unparsable. */
export function formatTime(iso: string | number, now: number): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) {
		return String(iso);
	}
	const today = new Date(now);
	const clock = `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
	if (date.getFullYear() === today.getFullYear() && date.getMonth() === today.getMonth() && date.getDate() === today.getDate()) {
		return `${clock}:${pad2(date.getSeconds())}`;
	}
	return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${clock}`;
}

export function formatCount(n: number): string {
	return n.toLocaleString('en-US');
}

export const DECISIONS: readonly Decision[] = ['allow', 'approve', 'deny', 'none'];
export const OUTCOMES: readonly Outcome[] = ['ok', 'error', 'denied', 'invalid', 'rate_limited', 'timeout', 'cancelled'];

const DECISION_LABELS: Record<Decision, string> = { allow: 'Allowed by policy', approve: 'Approved', deny: 'Denied', none: 'Not decided' };
const OUTCOME_LABELS: Record<Outcome, string> = {
	ok: 'OK', error: 'Error', denied: 'Denied', invalid: 'Invalid', rate_limited: 'Rate limited', timeout: 'Timed out', cancelled: 'Cancelled',
};
const OUTCOME_ICONS: Record<Outcome, string> = {
	ok: 'pass', error: 'error', denied: 'circle-slash', invalid: 'warning', rate_limited: 'watch', timeout: 'clock', cancelled: 'debug-stop',
};

/**
 * How a call was decided, in a few words for the row: a grant is not "the policy", a timeout is not a person saying
 * no, a server stop is not the client cancelling.
 */
export function decisionText(record: { readonly decision: string; readonly decidedBy: string; readonly outcome: string }): string {
	const by = record.decidedBy;
	switch (record.decision) {
		case 'allow':
			if (by.startsWith('grant:')) return 'Allowed by your grant';
			if (by === 'command:read-only') return 'Allowed: read-only command';
			return 'Allowed by policy';
		case 'approve':
			return by.startsWith('user:grant:') ? 'Approved by you, with a grant' : 'Approved by you';
		case 'deny':
			if (by === 'timeout') return 'Timed out waiting for approval';
			if (/server/.test(by)) return 'Ended: the server stopped';
			if (/disconnect|session/.test(by)) return 'Ended: the client went away';
			if (by === 'cancelled') return 'Withdrawn before a decision';
			if (by === 'user') return 'Denied by you';
			if (by === 'binding') return 'Refused: changed after approval';
			return 'Denied by policy';
		default:
			if (record.outcome === 'invalid') return 'Refused: invalid call';
			if (record.outcome === 'rate_limited') return 'Refused: rate limit';
			return decisionLabel(record.decision);
	}
}

export function decisionLabel(decision: string): string {
	return DECISION_LABELS[decision as Decision] ?? decision;
}

export function outcomeLabel(outcome: string): string {
	return OUTCOME_LABELS[outcome as Outcome] ?? outcome;
}

/** Codicon name for an outcome. */
export function outcomeIcon(outcome: string): string {
	return OUTCOME_ICONS[outcome as Outcome] ?? 'question';
}

/** Outcomes shown in the error colour; a command that exited non-zero is a failure although the call was answered. */
export function isFailure(outcome: string, exitCode?: number): boolean {
	return outcome !== 'ok' || (exitCode !== undefined && exitCode !== 0);
}

export function riskLabel(risk: Risk): string {
	return { read: 'Read', write: 'Write', execute: 'Execute', destructive: 'Destructive' }[risk];
}

export type DiffLineKind = 'add' | 'del' | 'hunk' | 'meta' | 'context';

export function diffLineKind(line: string): DiffLineKind {
	if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('Index:') || line.startsWith('===') || line.startsWith('\\')) {
		return 'meta';
	}
	if (line.startsWith('@@')) {
		return 'hunk';
	}
	if (line.startsWith('+')) {
		return 'add';
	}
	if (line.startsWith('-')) {
		return 'del';
	}
	return 'context';
}

/** Ids in `next` that were not in `previous`, in `next`'s order: the approvals to announce. */
export function addedIds(previous: ReadonlySet<string>, next: readonly { readonly id: string }[]): string[] {
	return next.filter((item) => !previous.has(item.id)).map((item) => item.id);
}

export function serverStatusText(server: ServerView): string {
	const sessions = `${server.sessions} ${server.sessions === 1 ? 'session' : 'sessions'}`;
	switch (server.state) {
		case 'running': return server.url ? `Running on ${server.url} · ${sessions}` : `Running · ${sessions}`;
		case 'starting': return 'Starting…';
		case 'stopped': return 'Stopped';
		case 'error': return 'Failed to start';
	}
}

const FILTER_KEYS = ['tool', 'decision', 'outcome', 'text', 'since', 'until'] as const;

/** Whether any field of the filter narrows the list. */
export function isFiltered(filter: AuditFilterView): boolean {
	return FILTER_KEYS.some((key) => Boolean(filter[key]));
}

/** The filter without empty fields, so equal filters compare equal and the host sees only real constraints. */
export function normalizeFilter(filter: AuditFilterView): AuditFilterView {
	const out: { -readonly [K in keyof AuditFilterView]: AuditFilterView[K] } = {};
	for (const key of FILTER_KEYS) {
		const value = filter[key]?.trim();
		if (value) {
			out[key] = value;
		}
	}
	return out;
}

export function sameFilter(a: AuditFilterView, b: AuditFilterView): boolean {
	const na = normalizeFilter(a);
	const nb = normalizeFilter(b);
	return FILTER_KEYS.every((key) => na[key] === nb[key]);
}
