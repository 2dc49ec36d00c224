import { ranked } from '../../core/base/ranked';
import type { Completer } from '../../core/tools/completion';

/** Handles of this session's background commands (the host is the session's own: see scopedTerminal), newest first. */
export const completeCommand: Completer = ({ value, host }) => {
	if (!host.terminal.available) return Promise.resolve([]);
	const ids = host.terminal.list().map((handle) => handle.id).reverse();
	const needle = value.toLowerCase();
	return Promise.resolve(needle === '' ? ids : ranked(ids, value));
};
