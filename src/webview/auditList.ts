// The audit history as a virtual listbox: fixed-height rows, only the visible ones in the DOM, pages fetched from
// the host on demand. A hundred thousand records cost no more to paint than a hundred.
import { codicon, el, setAttrs } from './dom';
import type { AuditFilterView, AuditRecord } from './protocol';
import {
	decisionText, formatTime, isFailure, isFiltered, moveActive, outcomeIcon, outcomeLabel, PAGE_SIZE, pagesFor, ROW_HEIGHT, scrollToReveal, visibleWindow,
} from './viewModel';

export interface AuditQuery {
	readonly requestId: number;
	readonly offset: number;
	readonly limit: number;
	readonly filter: AuditFilterView;
}

export interface AuditListOptions {
	query(query: AuditQuery): void;
	open(record: AuditRecord, index: number): void;
	/** Called whenever the number of matching records changes. */
	onTotal(total: number): void;
	/** Called once, after the first page of rows has been painted. */
	onFirstPaint(): void;
}

/** Until the resize observer reports, render enough rows for the tallest the list gets (see panel.css). */
const ESTIMATED_VIEWPORT_HEIGHT = 440;

/** Rows of height the list keeps even when empty, for its message. */
const MIN_VISIBLE_ROWS = 3;

/** Pages kept in memory at most; the ones farthest from the viewport go first. */
const MAX_CACHED_PAGES = 30;

interface RowElement extends HTMLElement {
	auditRecord?: AuditRecord | null;
}

export class AuditList {
	readonly element: HTMLElement;
	private readonly viewport: HTMLElement;
	private readonly spacer = el('div', { className: 'audit-spacer' });
	private readonly emptyMessage = el('div', { className: 'empty audit-empty', text: 'No tool calls recorded yet.', attrs: { hidden: '' } });
	private readonly rows = new Map<number, RowElement>();
	private pages = new Map<number, readonly AuditRecord[]>();
	/** Pages from before the last append: shown until fresh ones arrive, so rows do not flash "Loading". */
	private stalePages = new Map<number, readonly AuditRecord[]>();
	private readonly requests = new Map<number, { readonly page: number; readonly generation: number }>();
	private readonly inflightPages = new Set<number>();
	private filter: AuditFilterView = {};
	private generation = 0;
	private nextRequestId = 1;
	private total = 0;
	private totalReported = false;
	private loaded = false;
	private active = -1;
	/** By sequence number, not index: appends shift indexes, and the opened record must stay highlighted. */
	private selectedSeq: number | undefined;
	private renderQueued = false;
	private painted = false;
	/**
	 * Geometry kept from scroll events and the resize observer: reading it from the DOM while rendering would force
	 * a synchronous layout of the whole page, the largest cost of the first paint.
	 */
	private viewportHeight = ESTIMATED_VIEWPORT_HEIGHT;
	private scrollPosition = 0;

	constructor(private readonly options: AuditListOptions) {
		this.viewport = el('div', {
			className: 'audit-viewport',
			attrs: { role: 'listbox', tabindex: '0', 'aria-label': 'Audit history, newest first', 'data-testid': 'audit-list' },
		}, this.spacer);
		this.element = el('div', { className: 'audit-list' }, this.viewport, this.emptyMessage);
		this.viewport.addEventListener('scroll', () => {
			this.scrollPosition = this.viewport.scrollTop;
			this.scheduleRender();
		}, { passive: true });
		this.viewport.addEventListener('keydown', (event) => this.onKeyDown(event));
		this.viewport.addEventListener('click', (event) => this.onClick(event));
		this.viewport.addEventListener('focus', () => {
			if (this.active < 0 && this.total > 0) {
				this.setActive(0);
			}
		});
		new ResizeObserver((entries) => {
			this.viewportHeight = entries[entries.length - 1].contentRect.height;
			this.scheduleRender();
		}).observe(this.viewport);
	}

	get scrollTop(): number {
		return this.scrollPosition;
	}

	set scrollTop(value: number) {
		this.scrollTo(value);
	}

	/** Starts over with a new filter: nothing from the old one is shown. */
	setFilter(filter: AuditFilterView): void {
		this.filter = filter;
		this.generation++;
		this.pages = new Map();
		this.stalePages = new Map();
		this.inflightPages.clear();
		this.loaded = false;
		this.totalReported = false;
		this.active = -1;
		this.selectedSeq = undefined;
		if (this.scrollPosition !== 0) {
			this.scrollTo(0);
		}
		this.fetchVisible();
		this.render();
	}

	/** New records were appended: refetch what is visible, keep showing the old rows meanwhile. */
	invalidate(): void {
		this.generation++;
		this.stalePages = new Map([...this.stalePages, ...this.pages]);
		this.pages = new Map();
		this.inflightPages.clear();
		this.fetchVisible();
	}

	/** Accepts a page answer; answers to queries made before the latest filter change or append are dropped. */
	receive(requestId: number, offset: number, rows: readonly AuditRecord[], total: number): void {
		const request = this.requests.get(requestId);
		this.requests.delete(requestId);
		if (!request || request.generation !== this.generation) {
			return;
		}
		this.inflightPages.delete(request.page);
		this.pages.set(Math.floor(offset / PAGE_SIZE), rows);
		this.loaded = true;
		if (total !== this.total || !this.totalReported) {
			this.totalReported = true;
			this.total = total;
			this.options.onTotal(total);
			if (this.active >= total) {
				this.active = total - 1;
			}
		}
		if (this.inflightPages.size === 0) {
			this.stalePages.clear();
		}
		this.fetchVisible();
		this.render();
		if (!this.painted && rows.length > 0) {
			this.painted = true;
			// The callback after the next frame runs once that frame is on screen.
			requestAnimationFrame(() => setTimeout(() => this.options.onFirstPaint(), 0));
		}
	}

	/** A query failed: forget it so scrolling asks again. */
	fail(requestId: number): void {
		const request = this.requests.get(requestId);
		this.requests.delete(requestId);
		if (request && request.generation === this.generation) {
			this.inflightPages.delete(request.page);
		}
	}

	focus(): void {
		this.viewport.focus();
	}

	private scrollTo(top: number): void {
		this.viewport.scrollTop = top;
		// The browser clamps to the scrollable range; read back only when clamping could have happened.
		this.scrollPosition = top === 0 ? 0 : this.viewport.scrollTop;
	}

	private scheduleRender(): void {
		if (this.renderQueued) {
			return;
		}
		this.renderQueued = true;
		requestAnimationFrame(() => {
			this.renderQueued = false;
			this.fetchVisible();
			this.render();
		});
	}

	private currentWindow(): { first: number; end: number } {
		// Before the first answer the total is unknown: ask for the first page without reading layout, which
		// would force a synchronous layout pass before anything is on screen.
		if (!this.loaded) {
			return { first: 0, end: 1 };
		}
		return visibleWindow(this.scrollPosition, this.viewportHeight, this.total);
	}

	private fetchVisible(): void {
		// An empty list (a fresh install, a filter that matches nothing) has no visible rows, yet must still ask for
		// the first page: that answer is how it learns that records arrived.
		const visible = this.currentWindow();
		const window = visible.end > visible.first ? visible : { first: 0, end: 1 };
		for (const page of pagesFor(window)) {
			if (this.pages.has(page) || this.inflightPages.has(page)) {
				continue;
			}
			const requestId = this.nextRequestId++;
			this.requests.set(requestId, { page, generation: this.generation });
			this.inflightPages.add(page);
			this.options.query({ requestId, offset: page * PAGE_SIZE, limit: PAGE_SIZE, filter: this.filter });
		}
	}

	private recordAt(index: number): AuditRecord | undefined {
		const page = Math.floor(index / PAGE_SIZE);
		return (this.pages.get(page) ?? this.stalePages.get(page))?.[index % PAGE_SIZE];
	}

	private render(): void {
		const total = this.loaded ? this.total : 0;
		this.spacer.style.height = `${total * ROW_HEIGHT}px`;
		// A short history gets a short list; from about twenty rows on, the stylesheet's height rules.
		this.viewport.style.maxHeight = `${Math.max(MIN_VISIBLE_ROWS, total) * ROW_HEIGHT}px`;
		this.emptyMessage.hidden = !this.loaded || total > 0;
		this.emptyMessage.textContent = isFiltered(this.filter)
			? 'No records match the filters.'
			: 'No tool calls recorded yet.';
		const { first, end } = this.loaded ? this.currentWindow() : { first: 0, end: 0 };
		for (const [index, row] of this.rows) {
			if (index < first || index >= end) {
				row.remove();
				this.rows.delete(index);
			}
		}
		const now = Date.now();
		for (let index = first; index < end; index++) {
			let row = this.rows.get(index);
			if (!row) {
				row = this.createRow(index);
				this.rows.set(index, row);
				this.viewport.append(row);
			}
			const record = this.recordAt(index) ?? null;
			if (row.auditRecord !== record) {
				fillRow(row, record, now);
				row.auditRecord = record;
			}
			setAttrs(row, { 'aria-setsize': String(total), 'aria-selected': String(index === this.active) });
			row.classList.toggle('active', index === this.active);
			row.classList.toggle('selected', record !== null && record.seq === this.selectedSeq);
		}
		setAttrs(this.viewport, { 'aria-activedescendant': this.rows.has(this.active) ? rowId(this.active) : undefined });
		this.trimCache(first);
	}

	private createRow(index: number): RowElement {
		const row: RowElement = el('div', {
			className: 'audit-row',
			attrs: { role: 'option', id: rowId(index), 'data-index': String(index), 'data-testid': 'audit-row', 'aria-posinset': String(index + 1) },
		});
		row.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
		return row;
	}

	private trimCache(first: number): void {
		if (this.pages.size <= MAX_CACHED_PAGES) {
			return;
		}
		const here = Math.floor(first / PAGE_SIZE);
		const byDistance = [...this.pages.keys()].sort((a, b) => Math.abs(b - here) - Math.abs(a - here));
		for (const page of byDistance.slice(0, this.pages.size - MAX_CACHED_PAGES)) {
			this.pages.delete(page);
		}
	}

	private setActive(index: number): void {
		this.active = index;
		const target = scrollToReveal(index, this.scrollPosition, this.viewportHeight);
		if (target !== undefined) {
			this.scrollTo(target);
		}
		this.fetchVisible();
		this.render();
	}

	private openAt(index: number): void {
		const record = this.recordAt(index);
		if (record) {
			this.selectedSeq = record.seq;
			this.render();
			this.options.open(record, index);
		}
	}

	private onKeyDown(event: KeyboardEvent): void {
		if ((event.key === 'Enter' || event.key === ' ') && this.active >= 0) {
			event.preventDefault();
			this.openAt(this.active);
			return;
		}
		const rowsPerPage = Math.max(1, Math.floor(this.viewportHeight / ROW_HEIGHT));
		const next = moveActive(event.key, this.active, this.loaded ? this.total : 0, rowsPerPage);
		if (next !== undefined) {
			event.preventDefault();
			this.setActive(next);
		}
	}

	private onClick(event: MouseEvent): void {
		const row = (event.target as Element).closest<HTMLElement>('.audit-row');
		if (!row) {
			return;
		}
		const index = Number(row.dataset.index);
		this.active = index;
		this.viewport.focus();
		this.openAt(index);
	}
}

function rowId(index: number): string {
	return `audit-row-${index}`;
}

function fillRow(row: HTMLElement, record: AuditRecord | null, now: number): void {
	if (!record) {
		row.className = 'audit-row loading';
		row.replaceChildren(el('span', { className: 'row-summary', text: 'Loading…' }));
		row.setAttribute('aria-label', 'Loading');
		row.removeAttribute('title');
		return;
	}
	const failed = isFailure(record.outcome, record.exitCode);
	row.className = `audit-row outcome-${record.outcome}${failed ? ' failed' : ''}`;
	const time = formatTime(record.time, now);
	const summary = record.summary ?? '';
	const exit = record.exitCode !== undefined && record.exitCode !== 0 ? `exit ${record.exitCode}` : undefined;
	row.replaceChildren(
		codicon(exit ? 'error' : outcomeIcon(record.outcome), 'row-icon'),
		el('span', { className: 'row-tool', text: record.tool }),
		el('span', { className: 'row-summary', text: summary }),
		...(exit ? [el('span', { className: 'row-exit', text: exit, attrs: { 'data-testid': 'row-exit' } })] : []),
		el('span', { className: 'row-time', text: time }),
	);
	const label = `${record.tool}, ${outcomeLabel(record.outcome)}${exit ? `, ${exit}` : ''}, ${decisionText(record)}${summary ? `, ${summary}` : ''}, ${time}`;
	setAttrs(row, { 'aria-label': label, title: label });
}
