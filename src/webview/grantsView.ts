// Standing "always allow" grants, each covering the session it was given in, with its revoke button.
import { button, codicon, el } from './dom';
import type { GrantView } from './protocol';
import { formatTime } from './viewModel';

export function renderGrants(grants: readonly GrantView[], now: number, revoke: (grantId: string) => void, revokeAll: () => void): HTMLElement {
	if (grants.length === 0) {
		return el('p', { className: 'empty', text: 'No standing grants. "Always allow" on an approval adds one for this session.' });
	}
	const all = button('Revoke all', { testId: 'revoke-all', secondary: true, icon: 'close-all', ariaLabel: `Revoke all ${grants.length} always-allow grants` });
	all.addEventListener('click', () => {
		all.setAttribute('disabled', '');
		revokeAll();
	});
	const heading = el('div', { className: 'grants-heading' },
		codicon('warning', 'grant-icon'),
		el('span', { className: 'grants-title', text: `Allowed without asking (${grants.length})` }),
		all,
	);
	const list = el('ul', { className: 'grants', attrs: { 'aria-label': 'Always-allow grants', 'data-testid': 'grants' } });
	for (const grant of grants) {
		const what = grant.pattern ?? `${grant.tool} (any arguments)`;
		const revokeButton = button('Revoke', { testId: 'revoke', secondary: true, ariaLabel: `Revoke always allow for ${what}` });
		revokeButton.addEventListener('click', () => {
			revokeButton.setAttribute('disabled', '');
			revoke(grant.id);
		});
		list.append(el('li', { className: 'grant', attrs: { 'data-testid': 'grant', 'data-grant-id': grant.id } },
			codicon('shield', 'grant-icon'),
			el('span', { className: 'grant-text' },
				el('span', { className: 'grant-tool mono', text: what }),
				el('span', { className: 'grant-detail', text: `${grant.client === undefined ? '' : `for ${grant.client}'s session · `}since ${formatTime(grant.createdAt, now)}` }),
			),
			revokeButton,
		));
	}
	return el('div', { className: 'grants-box' }, heading, list);
}
