// Approval cards: what a waiting call will do, and the buttons that decide it.
import { button, codicon, el } from './dom';
import type { ApprovalDecision, PendingApprovalView } from './protocol';
import { diffLineKind, formatCountdown, riskLabel } from './viewModel';

export interface PendingActions {
	decide(approvalId: string, decision: ApprovalDecision): void;
	openDiff(approvalId: string): void;
}

interface Card {
	readonly element: HTMLElement;
	readonly countdown: HTMLElement;
	readonly countdownText: HTMLElement;
	readonly bar: HTMLElement;
	readonly approval: PendingApprovalView;
}

const FAMILY_ICONS: Record<string, string> = { workspace: 'folder', files: 'file-code', git: 'source-control', terminal: 'terminal', tasks: 'tools' };

/** Seconds left below which the countdown turns to the warning colour. */
const URGENT_MS = 15_000;

export class PendingList {
	readonly element = el('div', { className: 'pending-list', attrs: { 'data-testid': 'pending-list', tabindex: '-1' } });
	private readonly empty = el('p', { className: 'empty', text: 'No calls are waiting for approval.' });
	private readonly cards = new Map<string, Card>();
	private cardCount = 0;

	constructor(private readonly actions: PendingActions) {
		this.element.append(this.empty);
	}

	/**
	 * Keeps the cards of approvals still pending (their typed deny reason and focus survive), drops decided ones,
	 * adds new ones in the host's order.
	 */
	update(pending: readonly PendingApprovalView[], now: number): void {
		const keep = new Set(pending.map((p) => p.id));
		let lostFocus = false;
		for (const [id, card] of this.cards) {
			if (!keep.has(id)) {
				lostFocus ||= card.element.contains(document.activeElement);
				card.element.remove();
				this.cards.delete(id);
			}
		}
		const ordered: HTMLElement[] = [];
		for (const approval of pending) {
			let card = this.cards.get(approval.id);
			if (!card) {
				card = this.createCard(approval);
				this.cards.set(approval.id, card);
			}
			ordered.push(card.element);
		}
		// Appending an element already in place moves it; skip that when the order is unchanged so focus stays put.
		const current = [...this.element.querySelectorAll<HTMLElement>(':scope > .approval')];
		if (current.length !== ordered.length || current.some((node, i) => node !== ordered[i])) {
			this.element.append(...ordered);
		}
		this.empty.hidden = pending.length > 0;
		if (lostFocus) {
			// Keyboard users deciding one approval after another land on the next card, not at the top of the page.
			(ordered[0] ?? this.element).focus();
		}
		this.tick(now);
	}

	tick(now: number): void {
		for (const card of this.cards.values()) {
			const left = card.approval.expiresAt - now;
			const total = Math.max(1, card.approval.expiresAt - card.approval.createdAt);
			const text = formatCountdown(left);
			if (card.countdownText.textContent !== text) {
				card.countdownText.textContent = text;
				card.countdown.setAttribute('aria-label', `Denied automatically in ${text}`);
			}
			card.countdown.classList.toggle('urgent', left <= URGENT_MS);
			// CSSOM writes are not inline style attributes, so the strict CSP allows them.
			card.bar.style.transform = `scaleX(${Math.min(1, Math.max(0, left / total))})`;
		}
	}

	private createCard(approval: PendingApprovalView): Card {
		const titleId = `approval-title-${++this.cardCount}`;
		const countdownText = el('span', { className: 'countdown-text' });
		const countdown = el('span', { className: 'countdown', attrs: { role: 'timer', 'data-testid': 'countdown' } }, codicon('watch'), countdownText);
		const header = el('div', { className: 'approval-header' },
			codicon(FAMILY_ICONS[approval.family] ?? 'tools', 'family-icon'),
			el('span', { className: 'approval-title', text: approval.title, attrs: { id: titleId } }),
			el('span', { className: `risk-badge risk-${approval.risk}`, text: riskLabel(approval.risk) }),
			countdown,
		);
		const bar = el('div', { className: 'countdown-bar', attrs: { 'aria-hidden': 'true' } });
		const card = el('article', {
			className: `approval risk-${approval.risk}`,
			attrs: { 'data-testid': 'approval-card', 'data-approval-id': approval.id, 'aria-labelledby': titleId, tabindex: '-1' },
		}, header, el('div', { className: 'countdown-track' }, bar));

		card.append(el('div', { className: 'approval-summary', text: approval.summary }));
		card.append(el('div', { className: 'approval-meta' },
			el('code', { text: approval.tool }),
			el('span', { text: ` · requested by ${approval.client}`, attrs: { 'data-testid': 'client' } }),
			approval.clientSays === undefined ? undefined : el('span', { className: 'client-says', text: ` (says it is "${approval.clientSays}")`, attrs: { 'data-testid': 'client-says' } }),
		));

		if (approval.command) {
			card.append(field('Command', el('pre', { className: 'code command-line', text: approval.command.line, attrs: { 'data-testid': 'command-line' } })));
			card.append(field('Working directory', el('pre', { className: 'code', text: approval.command.cwd, attrs: { 'data-testid': 'command-cwd' } })));
			if (approval.command.sandbox) {
				card.append(field('Runs', el('p', { text: approval.command.sandbox, attrs: { 'data-testid': 'command-sandbox' } })));
			}
		}
		if (approval.task) {
			card.append(field('Task', el('pre', { className: 'code', text: approval.task.label, attrs: { 'data-testid': 'task-label' } })));
			if (approval.task.command) {
				card.append(field('Resolved command', el('pre', { className: 'code command-line', text: approval.task.command, attrs: { 'data-testid': 'task-command' } })));
			}
		}
		if (approval.diff) {
			const openDiff = button('Open diff', { testId: 'open-diff', secondary: true, icon: 'diff', ariaLabel: `Open diff of ${approval.diff.path} in the diff editor` });
			openDiff.addEventListener('click', () => this.actions.openDiff(approval.id));
			const label = el('div', { className: 'field-label field-label-row' }, el('span', { text: `Changes to ${approval.diff.path}` }), openDiff);
			card.append(el('div', { className: 'field' }, label, renderDiff(approval.diff.unified)));
		}
		card.append(field('Arguments', el('pre', { className: 'code arguments', text: approval.argumentsJson, attrs: { 'data-testid': 'arguments', tabindex: '0', 'aria-label': 'Arguments' } })));

		const reason = el('vscode-textfield', {
			className: 'deny-reason',
			attrs: { placeholder: 'Deny reason (optional, sent to the agent)', label: 'Reason for denying', 'data-testid': 'deny-reason' },
		});
		card.append(reason);

		const buttons: HTMLElement[] = [];
		const decide = (decision: ApprovalDecision): void => {
			// One decision per approval: the card stays until the host's next snapshot drops it. A disabled button
			// drops focus to the page, so the card holds it until then.
			if (card.contains(document.activeElement)) {
				card.focus();
			}
			for (const b of buttons) {
				b.setAttribute('disabled', '');
			}
			card.classList.add('deciding');
			this.actions.decide(approval.id, decision);
		};
		const approve = button('Approve', { testId: 'approve', icon: 'check', ariaLabel: `Approve ${approval.title} once` });
		approve.addEventListener('click', () => decide({ kind: 'approve' }));
		const deny = button('Deny', { testId: 'deny', secondary: true, icon: 'close', ariaLabel: `Deny ${approval.title}` });
		const denyWithReason = (): void => {
			const text = (reason as HTMLElement & { value?: string }).value?.trim();
			decide(text ? { kind: 'deny', reason: text } : { kind: 'deny' });
		};
		deny.addEventListener('click', denyWithReason);
		reason.addEventListener('keydown', (event) => {
			if ((event as KeyboardEvent).key === 'Enter') {
				denyWithReason();
			}
		});
		buttons.push(approve, deny);
		// Sensitive and destructive calls are asked one by one: no standing grant is offered for them.
		if (approval.grantable) {
			const allowTool = button('Always allow tool', {
				testId: 'allow-tool', secondary: true, icon: 'shield', ariaLabel: `Always allow ${approval.tool} for this session`, title: `Allow every ${approval.tool} call until the session ends`,
			});
			allowTool.addEventListener('click', () => decide({ kind: 'allowSession', scope: 'tool' }));
			buttons.push(allowTool);
		}
		if (approval.grantable && approval.patternLabel) {
			const allowPattern = button('Always allow pattern', {
				testId: 'allow-pattern', secondary: true, icon: 'filter', ariaLabel: `Always allow ${approval.patternLabel} for this session`, title: `Allow ${approval.patternLabel} until the session ends`,
			});
			allowPattern.addEventListener('click', () => decide({ kind: 'allowSession', scope: 'pattern' }));
			buttons.push(allowPattern);
		}
		card.append(el('div', { className: 'approval-actions', attrs: { role: 'group', 'aria-label': 'Decision' } }, ...buttons));
		return { element: card, countdown, countdownText, bar, approval };
	}
}

function field(label: string, content: HTMLElement): HTMLElement {
	return el('div', { className: 'field' }, el('div', { className: 'field-label', text: label }), content);
}

function renderDiff(unified: string): HTMLElement {
	const pre = el('pre', { className: 'code diff', attrs: { 'data-testid': 'diff', tabindex: '0', 'aria-label': 'Diff preview' } });
	for (const line of unified.split('\n')) {
		pre.append(el('span', { className: `diff-line diff-${diffLineKind(line)}`, text: `${line}\n` }));
	}
	return pre;
}
