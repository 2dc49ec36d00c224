// Clients connected through "Connect a Client…", each with its token's name and a revoke button.
import { button, codicon, el } from './dom';
import type { ClientView } from './protocol';

export function renderClients(clients: readonly ClientView[], revoke: (clientId: string) => void): HTMLElement {
	if (clients.length === 0) {
		return el('p', { className: 'empty', text: 'No connected clients. "MCP Workbench: Connect a Client…" connects Claude Code, Claude Desktop, Cursor, Codex, Copilot CLI or VS Code, each with a token of its own.' });
	}
	const list = el('ul', { className: 'grants', attrs: { 'aria-label': 'Connected clients', 'data-testid': 'clients' } });
	for (const client of clients) {
		const revokeButton = button('Revoke', { testId: 'revoke-client', secondary: true, ariaLabel: `Revoke the token of ${client.name}` });
		revokeButton.addEventListener('click', () => {
			revokeButton.setAttribute('disabled', '');
			revoke(client.id);
		});
		list.append(el('li', { className: 'grant', attrs: { 'data-testid': 'client', 'data-client-id': client.id } },
			codicon('plug', 'grant-icon'),
			el('span', { className: 'grant-text' },
				el('span', { className: 'grant-tool', text: client.name }),
				el('span', { className: 'grant-detail', text: `token since ${client.created.slice(0, 10)} · revoking stops it with a message saying so` }),
			),
			revokeButton,
		));
	}
	return list;
}
