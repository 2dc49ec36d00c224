// Per-tool call counts and latency percentiles, as a plain table screen readers navigate by cell.
import { el } from './dom';
import type { ToolMetricsView } from './protocol';
import { formatCount, formatDuration } from './viewModel';

export function renderMetrics(metrics: readonly ToolMetricsView[]): HTMLElement {
	if (metrics.length === 0) {
		return el('p', { className: 'empty', text: 'No tool calls yet.' });
	}
	// Latency is the tool's own run time: a person's wait for approval is not in it.
	const titles = [undefined, 'Calls that reached the gate', 'Calls that ran and failed or timed out', 'Calls refused before they ran: denied, invalid or rate limited', 'Median run time (not counting the wait for approval)', '95th percentile run time (not counting the wait for approval)'];
	const head = el('tr', {}, ...['Tool', 'Calls', 'Errors', 'Refused', 'p50 run', 'p95 run'].map((label, i) => el('th', {
		text: label,
		className: i > 0 ? 'num' : undefined,
		attrs: { scope: 'col', title: titles[i] },
	})));
	const body = el('tbody');
	for (const m of [...metrics].sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool))) {
		body.append(el('tr', { attrs: { 'data-testid': 'metrics-row', 'data-tool': m.tool } },
			el('th', { text: m.tool, className: 'mono', attrs: { scope: 'row' } }),
			el('td', { text: formatCount(m.calls), className: 'num' }),
			el('td', { text: formatCount(m.errors), className: m.errors > 0 ? 'num has-errors' : 'num' }),
			el('td', { text: formatCount(m.refused ?? 0), className: 'num', attrs: { 'data-testid': 'metrics-refused' } }),
			el('td', { text: formatDuration(m.p50Ms), className: 'num' }),
			el('td', { text: formatDuration(m.p95Ms), className: 'num' }),
		));
	}
	return el('table', { className: 'metrics', attrs: { 'data-testid': 'metrics', 'aria-label': 'Tool metrics' } }, el('thead', {}, head), body);
}
