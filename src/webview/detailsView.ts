// The full audit record of one call, shown when a row is opened.
import { el } from './dom';
import type { AuditRecord } from './protocol';
import { decisionText, formatBytes, formatDuration, outcomeLabel } from './viewModel';

/** The record's fields as label/value pairs, in reading order; empty values are left out. */
export function detailFields(record: AuditRecord): [string, string][] {
	const fields: [string, string | undefined][] = [
		['Time', new Date(record.time).toLocaleString()],
		['Tool', `${record.tool} (${record.family})`],
		['Summary', record.summary],
		['Client credential', `${record.client.name} ${record.client.version}`.trim() + (record.client.says !== undefined ? ` (says it is "${record.client.says}")` : '')],
		['Session', record.sessionId],
		['Decision', decisionText(record)],
		['How', record.decidedHow],
		['Rule', record.decidedBy],
		['Reason', record.reason],
		['Outcome', outcomeLabel(record.outcome)],
		['Exit code', record.exitCode === undefined ? undefined : String(record.exitCode)],
		['Working directory', record.cwd],
		['Duration', formatDuration(record.durationMs)],
		['Result size', formatBytes(record.resultBytes)],
		['Truncated', record.truncated ? 'Yes' : 'No'],
		['Sequence', String(record.seq)],
		['Hash', record.hash],
		['Previous hash', record.prev || '(first record)'],
	];
	return fields.filter((field): field is [string, string] => field[1] !== undefined && field[1] !== '');
}

export function renderDetails(record: AuditRecord): HTMLElement {
	const list = el('dl', { className: 'details-fields' });
	for (const [label, value] of detailFields(record)) {
		const mono = label === 'Hash' || label === 'Previous hash' || label === 'Session';
		list.append(el('dt', { text: label }), el('dd', { text: value, className: mono ? 'mono' : undefined }));
	}
	const args = el('pre', {
		className: 'code arguments',
		text: JSON.stringify(record.arguments, null, 2) ?? 'undefined',
		attrs: { tabindex: '0', 'aria-label': 'Arguments', 'data-testid': 'details-arguments' },
	});
	return el('div', { className: 'details-body' }, list, el('div', { className: 'field-label', text: 'Arguments' }), args);
}
