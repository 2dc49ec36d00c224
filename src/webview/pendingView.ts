// Approval cards: what a waiting call will do, and the buttons that decide it.
import { button, codicon, el } from './dom';
import type { ApprovalDecision, CommitFileView, CommitView, PendingApprovalView } from './protocol';
import { CARD_COMMIT_FILES, CARD_DIFF_LINES, diffBodyLines } from '../core/gate/cardDiff';
import { diffLineKind, formatCountdown, riskLabel } from './viewModel';

export interface PendingActions {
	decide(approvalId: string, decision: ApprovalDecision): void;
	openDiff(approvalId: string): void;
	openCommitDiff(approvalId: string, path: string): void;
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

	/** Puts focus on an approval's Approve button (or its card while Approve waits for the whole change to show). */
	focusApproval(approvalId: string): boolean {
		const card = this.cards.get(approvalId);
		if (!card) return false;
		card.element.scrollIntoView({ block: 'nearest' });
		const approve = card.element.querySelector<HTMLElement>('[data-testid="approve"]');
		(approve && !approve.hasAttribute('disabled') ? approve : card.element).focus();
		return true;
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
			approval.sensitive === undefined ? undefined : el('span', { className: 'sensitive-badge', text: 'Sensitive', attrs: { title: `Matches the sensitive path ${approval.sensitive}`, 'data-testid': 'sensitive-badge' } }),
			countdown,
		);
		const bar = el('div', { className: 'countdown-bar', attrs: { 'aria-hidden': 'true' } });
		const card = el('article', {
			className: `approval risk-${approval.risk}`,
			attrs: { 'data-testid': 'approval-card', 'data-approval-id': approval.id, 'aria-labelledby': titleId, tabindex: '-1' },
		}, header, el('div', { className: 'countdown-track' }, bar));

		card.append(el('div', { className: 'approval-summary', text: approval.summary, attrs: { 'data-testid': 'summary' } }));
		card.append(el('div', { className: 'approval-meta' },
			el('code', { text: approval.tool }),
			el('span', { text: ` · requested by ${approval.client}`, attrs: { 'data-testid': 'client' } }),
			approval.clientSays === undefined ? undefined : el('span', { className: 'client-says', text: ` (says it is "${approval.clientSays}")`, attrs: { 'data-testid': 'client-says' } }),
		));
		if (approval.why) {
			card.append(el('p', { className: 'approval-why', attrs: { 'data-testid': 'why' } },
				el('span', { className: 'why-label', text: 'Why this asks: ' }),
				el('span', { text: approval.why }),
			));
		}

		/** Parts of what the approval covers that are folded away; Approve waits until none is. */
		let folded = 0;
		const onFullyShown: (() => void)[] = [];
		const unfolded = (): void => {
			if (--folded === 0) for (const callback of onFullyShown) callback();
		};
		if (approval.command) {
			card.append(field('Command', el('pre', { className: 'code command-line whole', text: approval.command.line, attrs: { 'data-testid': 'command-line' } })));
			if (approval.commandParts && approval.commandParts.length > 1 || approval.commandParts?.some((part) => part.reasons.length > 0)) {
				card.append(field('Runs these commands', renderCommandParts(approval.commandParts)));
			}
			card.append(field('Working directory', el('pre', { className: 'code whole', text: approval.command.cwd, attrs: { 'data-testid': 'command-cwd' } })));
			if (approval.command.sandbox) {
				card.append(field('Runs', el('p', { text: approval.command.sandbox, attrs: { 'data-testid': 'command-sandbox' } })));
			}
		}
		if (approval.task) {
			card.append(field('Task', el('pre', { className: 'code whole', text: approval.task.label, attrs: { 'data-testid': 'task-label' } })));
			if (approval.task.command) {
				card.append(field('Resolved command', el('pre', { className: 'code command-line whole', text: approval.task.command, attrs: { 'data-testid': 'task-command' } })));
			}
		}
		if (approval.diff) {
			const diff = approval.diff;
			const openDiff = button('Open diff', { testId: 'open-diff', secondary: true, icon: 'diff', ariaLabel: `Open diff of ${diff.path} in the diff editor` });
			const stat = diff.added === undefined ? '' : ` (+${diff.added} −${diff.removed ?? 0})`;
			const label = el('div', { className: 'field-label field-label-row' }, el('span', { text: `Changes to ${diff.path}${stat}`, attrs: { 'data-testid': 'diffstat' } }), openDiff);
			const lines = diffBodyLines(diff.unified);
			const view = el('div', { className: 'diff-view' });
			const show = (text: string, all: boolean) => view.replaceChildren(renderDiff(diffBodyLines(text), all ? Infinity : CARD_DIFF_LINES));
			let revealed = false;
			let expanded = lines.length <= CARD_DIFF_LINES;
			if (!expanded) folded++;
			show(diff.unified, expanded);
			const controls = el('div', { className: 'diff-controls' });
			if (!expanded) {
				const more = button(`Show all ${lines.length.toLocaleString('en-US')} lines`, { testId: 'show-all', secondary: true, icon: 'unfold', ariaLabel: `Show all ${lines.length} lines of the change to ${diff.path}` });
				more.addEventListener('click', () => {
					if (expanded) return;
					expanded = true;
					show(revealed && diff.unredacted ? diff.unredacted : diff.unified, true);
					more.remove();
					unfolded();
				});
				controls.append(el('span', { className: 'collapsed-note', text: `${(lines.length - CARD_DIFF_LINES).toLocaleString('en-US')} more lines: show them or open the diff to approve.`, attrs: { 'data-testid': 'collapsed-note' } }), more);
			}
			if (diff.unredacted !== undefined) {
				const reveal = button('Reveal secrets', { testId: 'reveal', secondary: true, icon: 'eye', ariaLabel: `Show the redacted values in the change to ${diff.path}` });
				reveal.setAttribute('aria-pressed', 'false');
				reveal.addEventListener('click', () => {
					revealed = !revealed;
					reveal.setAttribute('aria-pressed', String(revealed));
					reveal.textContent = revealed ? 'Hide secrets' : 'Reveal secrets';
					show(revealed ? diff.unredacted ?? diff.unified : diff.unified, expanded);
				});
				controls.append(el('span', { className: 'redacted-note', text: 'Secrets are redacted here, as in the audit.' }), reveal);
			}
			openDiff.addEventListener('click', () => {
				this.actions.openDiff(approval.id);
				// The diff editor shows the whole change: what the card folded away has now been shown.
				if (!expanded) {
					expanded = true;
					unfolded();
				}
			});
			card.append(el('div', { className: 'field' }, label, view, controls.childElementCount > 0 ? controls : undefined));
		}
		if (approval.commit) {
			const commit = renderCommit(approval.commit, (path) => this.actions.openCommitDiff(approval.id, path));
			card.append(...commit.fields);
			if (commit.folded) {
				folded++;
				commit.onShowAll(unfolded);
			}
		}
		const args = el('pre', { className: 'code arguments', text: approval.argumentsJson, attrs: { 'data-testid': 'arguments', tabindex: '0', 'aria-label': 'Arguments' } });
		if (approval.command || approval.diff || approval.task || approval.commit) {
			// The specific view above shows what the call does; the raw arguments stay one click away.
			card.append(el('details', { className: 'field arguments-details', attrs: { 'data-testid': 'arguments-details' } }, el('summary', { className: 'field-label', text: 'Arguments' }), args));
		} else {
			card.append(field('Arguments', args));
		}

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
		const approve = button('Approve', { testId: 'approve', icon: 'check', ariaLabel: `Approve once: ${approval.title}, ${approval.summary}` });
		approve.addEventListener('click', () => decide({ kind: 'approve' }));
		if (folded > 0) {
			approve.setAttribute('disabled', '');
			approve.setAttribute('title', approval.commit ? 'Show all the files of the commit to approve it' : 'Show the whole change (or open the diff) to approve it');
			onFullyShown.push(() => {
				approve.removeAttribute('disabled');
				approve.removeAttribute('title');
			});
		}
		const deny = button('Deny', { testId: 'deny', secondary: true, icon: 'close', ariaLabel: `Deny: ${approval.title}, ${approval.summary}` });
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
		// Sensitive and destructive calls are asked one by one: no standing grant is offered for them. Programs are
		// never allowed tool-wide: their grants name the exact command line.
		if (approval.grantable && (approval.toolWideGrant ?? (approval.risk === 'read' || approval.risk === 'write'))) {
			const allowTool = button(`Always allow ${approval.tool}`, {
				testId: 'allow-tool', secondary: true, icon: 'shield', ariaLabel: `Always allow every ${approval.tool} call from ${approval.client} for this session`, title: `Allow every ${approval.tool} call from ${approval.client} until the session ends`,
			});
			allowTool.addEventListener('click', () => decide({ kind: 'allowSession', scope: 'tool' }));
			buttons.push(allowTool);
		}
		if (approval.grantable && approval.patternLabel) {
			const allowPattern = button(`Always allow ${approval.patternLabel}`, {
				testId: 'allow-pattern', secondary: true, icon: 'filter', ariaLabel: `Always allow ${approval.patternLabel} from ${approval.client} for this session`, title: `Allow ${approval.patternLabel} from ${approval.client} until the session ends`,
			});
			allowPattern.classList.add('allow-pattern');
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

function renderDiff(lines: readonly string[], limit: number): HTMLElement {
	const pre = el('pre', { className: 'code diff whole', attrs: { 'data-testid': 'diff', tabindex: '0', 'aria-label': 'Diff preview' } });
	for (const line of lines.slice(0, limit)) {
		pre.append(el('span', { className: `diff-line diff-${diffLineKind(line)}`, text: `${line}\n` }));
	}
	return pre;
}

function renderCommandParts(parts: readonly { readonly text: string; readonly reasons: readonly string[] }[]): HTMLElement {
	const list = el('ol', { className: 'command-parts', attrs: { 'data-testid': 'command-parts' } });
	for (const part of parts) {
		const asks = part.reasons.length > 0;
		list.append(el('li', { className: asks ? 'command-part asks' : 'command-part', attrs: { 'data-testid': 'command-part', 'data-asks': String(asks) } },
			asks ? el('span', { className: 'asks-badge', text: 'asks' }) : undefined,
			el('code', { className: 'mono', text: part.text }),
			asks ? el('span', { className: 'part-reasons', text: part.reasons.join('; ') }) : undefined,
		));
	}
	return list;
}

const STATUS_LETTERS: Record<CommitFileView['status'], string> = { added: 'A', modified: 'M', deleted: 'D', renamed: 'R', copied: 'C', 'type-changed': 'T' };

/**
 * A commit's card body: where it goes, the message as text (newlines kept, nothing escaped), and a table of every file
 * with its status and counts, each text file openable as a diff. Past CARD_COMMIT_FILES rows the table folds behind
 * "Show all N files", and the caller keeps Approve waiting until it is shown.
 */
function renderCommit(commit: CommitView, openDiff: (path: string) => void): { fields: HTMLElement[]; folded: boolean; onShowAll(callback: () => void): void } {
	const fields: HTMLElement[] = [];
	const where = commit.branch !== undefined
		? `Branch ${commit.branch}${commit.head === undefined ? ' (its first commit)' : ` at ${commit.head}`}`
		: `Detached HEAD${commit.head === undefined ? '' : ` at ${commit.head}`}: the commit will be on no branch`;
	const notes = [
		commit.amend ? `Replaces the last commit${commit.head === undefined ? '' : ` ${commit.head}`}${commit.amends === undefined ? '' : ` "${commit.amends}"`} (amend)` : undefined,
		commit.operation === 'merge' ? 'Concludes the merge in progress: records a merge commit' : commit.operation !== undefined ? `A ${commit.operation} is in progress` : undefined,
		commit.repository === '.' ? undefined : `Repository ${commit.repository}`,
	].filter((note): note is string => note !== undefined);
	fields.push(field('Commit to', el('div', { attrs: { 'data-testid': 'commit-branch' } },
		el('span', { className: 'commit-where', text: where }),
		...notes.map((note) => el('span', { className: 'commit-note', text: note })),
	)));
	fields.push(field('Message', el('pre', { className: 'code whole commit-message', text: commit.message.replace(/\n$/, ''), attrs: { 'data-testid': 'commit-message', tabindex: '0', 'aria-label': 'Commit message' } })));

	const count = commit.files.length;
	const stat = `${count.toLocaleString('en-US')} file${count === 1 ? '' : 's'} changed, +${commit.added.toLocaleString('en-US')} −${commit.removed.toLocaleString('en-US')}`;
	const table = el('table', { className: 'commit-files', attrs: { 'data-testid': 'commit-files' } });
	const body = el('tbody');
	table.append(el('thead', { className: 'sr-only' }, el('tr', {},
		el('th', { text: 'Status', attrs: { scope: 'col' } }), el('th', { text: 'File', attrs: { scope: 'col' } }), el('th', { text: 'Lines added and removed', attrs: { scope: 'col' } }),
	)), body);
	const addRows = (from: number, to: number): void => {
		for (const file of commit.files.slice(from, to)) body.append(fileRow(file, openDiff));
	};
	const folded = count > CARD_COMMIT_FILES;
	addRows(0, folded ? CARD_COMMIT_FILES : count);
	const callbacks: (() => void)[] = [];
	const controls = el('div', { className: 'diff-controls' });
	if (folded) {
		const more = button(`Show all ${count.toLocaleString('en-US')} files`, { testId: 'show-all-files', secondary: true, icon: 'unfold', ariaLabel: `Show all ${count} files of the commit` });
		const note = el('span', { className: 'collapsed-note', text: `${(count - CARD_COMMIT_FILES).toLocaleString('en-US')} more files: show them to approve.`, attrs: { 'data-testid': 'collapsed-note' } });
		more.addEventListener('click', () => {
			addRows(CARD_COMMIT_FILES, count);
			more.remove();
			note.remove();
			for (const callback of callbacks) callback();
		}, { once: true });
		controls.append(note, more);
	}
	fields.push(el('div', { className: 'field' },
		el('div', { className: 'field-label', text: stat, attrs: { 'data-testid': 'commit-stat' } }),
		table,
		folded ? controls : undefined,
	));
	return { fields, folded, onShowAll: (callback) => callbacks.push(callback) };
}

function fileRow(file: CommitFileView, openDiff: (path: string) => void): HTMLElement {
	const name = file.oldPath === undefined ? file.path : `${file.oldPath} → ${file.path}`;
	let nameCell: HTMLElement;
	if (file.sensitive || file.binary || file.submodule) {
		nameCell = el('span', { className: 'commit-path', text: name });
	} else {
		nameCell = el('button', { className: 'commit-path link-button', text: name, attrs: { type: 'button', 'data-testid': 'commit-file-diff', title: 'Open the diff: the last commit against the staged version', 'aria-label': `Open diff of ${name}` } });
		nameCell.addEventListener('click', () => openDiff(file.path));
	}
	const counts = file.submodule ? el('span', { className: 'commit-counts', text: 'submodule' })
		: file.binary ? el('span', { className: 'commit-counts', text: 'binary' })
		: el('span', { className: 'commit-counts' },
			el('span', { className: 'count-added', text: `+${file.added ?? 0}` }),
			el('span', { className: 'count-removed', text: ` −${file.removed ?? 0}` }));
	return el('tr', { className: `commit-file status-${file.status}`, attrs: { 'data-testid': 'commit-file', 'data-path': file.path, 'data-status': file.status } },
		el('td', { className: 'commit-status' }, el('span', { className: 'status-letter', text: STATUS_LETTERS[file.status], attrs: { title: file.status, 'aria-label': file.status } })),
		el('td', {}, nameCell, file.sensitive ? el('span', { className: 'sensitive-badge file-sensitive', text: 'Sensitive', attrs: { title: 'A sensitive file: listed with its counts, its content not shown', 'data-testid': 'file-sensitive' } }) : undefined),
		el('td', { className: 'commit-count-cell' }, counts),
	);
}
