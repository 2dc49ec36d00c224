// Tools other extensions added through the API, grouped under each extension's name, so the user sees whose code
// an agent can reach and which extensions they switched off.
import { codicon, el } from './dom';
import type { ExtensionToolsView } from './protocol';

export function renderExtensionTools(extensions: readonly ExtensionToolsView[]): HTMLElement {
	if (extensions.length === 0) {
		return el('p', { className: 'empty', text: 'No other extension adds tools. Extensions can, through the MCP Workbench API; their calls pass the same approvals and audit.' });
	}
	const list = el('ul', { className: 'extension-tools', attrs: { 'aria-label': 'Tools from other extensions', 'data-testid': 'extension-tools' } });
	for (const extension of extensions) {
		const state = extension.enabled ? `${extension.tools.length} tool${extension.tools.length === 1 ? '' : 's'}` : 'switched off in mcpWorkbench.tools.disabledExtensions';
		const tools = el('ul', { className: 'extension-tool-list' }, ...extension.tools.map((tool) => el('li', { className: 'extension-tool', attrs: { 'data-testid': 'extension-tool', 'data-tool': tool.name } },
			el('span', { className: 'mono', text: tool.name }),
			el('span', { className: 'extension-tool-detail', text: ` · ${tool.title} · ${tool.risk}` }),
		)));
		list.append(el('li', { className: extension.enabled ? 'extension' : 'extension disabled', attrs: { 'data-testid': 'extension', 'data-extension-id': extension.extensionId } },
			codicon('extensions', 'extension-icon'),
			el('span', { className: 'extension-name', text: extension.extensionName, attrs: { title: extension.extensionId } }),
			el('span', { className: 'extension-state', text: ` (${state})` }),
			tools,
		));
	}
	return list;
}
