import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { AuditRecord } from '../../../src/core/audit/auditRecord';
import { detailFields } from '../../../src/webview/detailsView';
import {
	addedIds, decisionText, diffLineKind, formatBytes, formatCountdown, formatDuration, formatTime, moveActive, normalizeFilter, OVERSCAN, pagesFor, ROW_HEIGHT,
	sameFilter, scrollToReveal, serverStatusText, visibleWindow,
} from '../../../src/webview/viewModel';

describe('visibleWindow', () => {
	test('renders the viewport plus overscan, not the whole list', () => {
		assert.deepEqual(visibleWindow(0, 220, 100_000), { first: 0, end: 10 + 1 + OVERSCAN });
		const middle = visibleWindow(50_000 * ROW_HEIGHT, 220, 100_000);
		assert.deepEqual(middle, { first: 50_000 - OVERSCAN, end: 50_000 + 11 + OVERSCAN });
	});

	test('is empty for an empty list or a collapsed viewport', () => {
		assert.deepEqual(visibleWindow(0, 220, 0), { first: 0, end: 0 });
		assert.deepEqual(visibleWindow(0, 0, 10), { first: 0, end: 0 });
	});

	test('always covers every row that intersects the viewport, within bounds and bounded in size', () => {
		fc.assert(fc.property(
			fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 2000 }), fc.double({ min: 0, max: 1, noNaN: true }),
			(total, height, position) => {
				const scrollTop = Math.floor(position * Math.max(0, total * ROW_HEIGHT - height));
				const { first, end } = visibleWindow(scrollTop, height, total);
				const firstVisible = Math.floor(scrollTop / ROW_HEIGHT);
				const lastVisible = Math.min(total - 1, Math.floor((scrollTop + height - 1) / ROW_HEIGHT));
				assert.ok(first >= 0 && end <= total && first <= end);
				assert.ok(first <= firstVisible && end > lastVisible, `${first}-${end} misses ${firstVisible}-${lastVisible}`);
				assert.ok(end - first <= Math.ceil(height / ROW_HEIGHT) + 1 + 2 * OVERSCAN);
			},
		));
	});
});

describe('pagesFor', () => {
	test('lists the pages a window spans', () => {
		assert.deepEqual(pagesFor({ first: 0, end: 1 }, 100), [0]);
		assert.deepEqual(pagesFor({ first: 95, end: 205 }, 100), [0, 1, 2]);
		assert.deepEqual(pagesFor({ first: 100, end: 200 }, 100), [1]);
		assert.deepEqual(pagesFor({ first: 5, end: 5 }, 100), []);
	});
});

describe('scrollToReveal and moveActive', () => {
	test('scrolls only when the row is out of view', () => {
		assert.equal(scrollToReveal(5, 0, 220), undefined);
		assert.equal(scrollToReveal(10, 0, 220), 11 * ROW_HEIGHT - 220);
		assert.equal(scrollToReveal(3, 10 * ROW_HEIGHT, 220), 3 * ROW_HEIGHT);
	});

	test('moves by one, by a page, to the ends, and stays in range', () => {
		assert.equal(moveActive('ArrowDown', -1, 50, 10), 0);
		assert.equal(moveActive('ArrowDown', 3, 50, 10), 4);
		assert.equal(moveActive('ArrowUp', 0, 50, 10), 0);
		assert.equal(moveActive('ArrowDown', 49, 50, 10), 49);
		assert.equal(moveActive('PageDown', 0, 50, 10), 9);
		assert.equal(moveActive('PageUp', 5, 50, 10), 0);
		assert.equal(moveActive('End', 0, 50, 10), 49);
		assert.equal(moveActive('Home', 30, 50, 10), 0);
		assert.equal(moveActive('a', 3, 50, 10), undefined);
		assert.equal(moveActive('ArrowDown', -1, 0, 10), undefined);
	});
});

describe('formatting', () => {
	test('countdowns round up and never go negative', () => {
		assert.equal(formatCountdown(42_000), '0:42');
		assert.equal(formatCountdown(41_001), '0:42');
		assert.equal(formatCountdown(125_000), '2:05');
		assert.equal(formatCountdown(3_723_000), '1:02:03');
		assert.equal(formatCountdown(-5000), '0:00');
	});

	test('durations and sizes', () => {
		assert.equal(formatDuration(4), '4 ms');
		assert.equal(formatDuration(1830), '1.8 s');
		assert.equal(formatDuration(12_400), '12 s');
		assert.equal(formatDuration(125_000), '2 min 5 s');
		assert.equal(formatDuration(119_600), '2 min');
		assert.equal(formatDuration(Number.NaN), '–');
		assert.equal(formatBytes(512), '512 B');
		assert.equal(formatBytes(2048), '2.0 KB');
		assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MB');
	});

	test('times show the clock for today and the date otherwise', () => {
		const now = new Date(2026, 10, 22, 15, 0, 0).getTime();
		assert.equal(formatTime(new Date(2026, 10, 22, 9, 5, 7).toISOString(), now), '09:05:07');
		assert.equal(formatTime(new Date(2026, 10, 21, 9, 5, 7).getTime(), now), '2026-11-21 09:05');
		assert.equal(formatTime('garbage', now), 'garbage');
	});

	test('diff lines by kind', () => {
		assert.deepEqual(['--- a', '+++ b', '@@ -1 +1 @@', '+x', '-y', ' z', '\\ No newline at end of file'].map(diffLineKind),
			['meta', 'meta', 'hunk', 'add', 'del', 'context', 'meta']);
	});

	test('server status', () => {
		assert.equal(serverStatusText({ state: 'running', url: 'http://127.0.0.1:5/mcp', sessions: 1 }), 'Running on http://127.0.0.1:5/mcp · 1 session');
		assert.equal(serverStatusText({ state: 'running', sessions: 2 }), 'Running · 2 sessions');
		assert.equal(serverStatusText({ state: 'error', sessions: 0 }), 'Failed to start');
	});
});

describe('pending announcements and filters', () => {
	test('announces only approvals that are new', () => {
		assert.deepEqual(addedIds(new Set(['a']), [{ id: 'a' }, { id: 'b' }, { id: 'c' }]), ['b', 'c']);
		assert.deepEqual(addedIds(new Set(['a', 'b']), [{ id: 'b' }]), []);
	});

	test('empty filter fields do not count', () => {
		assert.deepEqual(normalizeFilter({ tool: '', decision: 'deny', outcome: undefined, text: '  src ', since: '', until: '2026-01-02' }), { decision: 'deny', text: 'src', until: '2026-01-02' });
		assert.ok(!sameFilter({ since: '2026-01-01' }, {}), 'a date narrows');
		assert.ok(sameFilter({ tool: '' }, {}));
		assert.ok(!sameFilter({ tool: 'a' }, { tool: 'b' }));
	});
});

describe('detailFields', () => {
	const record: AuditRecord = {
		time: '2026-01-01T00:00:00.000Z', client: { name: 'Claude Code', version: '2.0' }, sessionId: 's-1', tool: 'write_file', family: 'files',
		arguments: { path: 'a.ts' }, summary: 'write a.ts', decision: 'deny', decidedBy: 'timeout', reason: 'approval timed out', durationMs: 60_000,
		outcome: 'denied', resultBytes: 0, truncated: false, seq: 12, prev: 'p11', hash: 'h12',
	};

	test('shows who decided, why, how long, the outcome, size, truncation and hashes', () => {
		const fields = Object.fromEntries(detailFields(record));
		assert.equal(fields.Rule, 'timeout');
		assert.equal(fields.Decision, 'Timed out waiting for approval', 'a timeout is not a person saying no');
		assert.equal(fields.Reason, 'approval timed out');
		assert.equal(fields.Duration, '1 min');
		assert.equal(fields.Outcome, 'Denied');
		assert.equal(fields['Result size'], '0 B');
		assert.equal(fields.Truncated, 'No');
		assert.equal(fields.Hash, 'h12');
		assert.equal(fields['Previous hash'], 'p11');
		assert.equal(fields['Client credential'], 'Claude Code 2.0');
	});

	test('a command record shows how it was decided, its exit code and working directory', () => {
		const fields = Object.fromEntries(detailFields({
			...record, tool: 'run_command', decision: 'allow', decidedBy: 'grant:g2', decidedHow: 'Your grant for this session: run_command exactly `ls no-such-dir`',
			outcome: 'ok', exitCode: 2, cwd: '/ws/app',
		}));
		assert.equal(fields.Decision, 'Allowed by your grant', 'a grant is not "the policy"');
		assert.equal(fields.How, 'Your grant for this session: run_command exactly `ls no-such-dir`');
		assert.equal(fields['Exit code'], '2');
		assert.equal(fields['Working directory'], '/ws/app');
	});

	test('each way a call ends has its own words', () => {
		const of = (decision: string, decidedBy: string, outcome = 'denied') => decisionText({ decision, decidedBy, outcome });
		assert.equal(of('allow', 'default:read', 'ok'), 'Allowed by policy');
		assert.equal(of('allow', 'command:read-only', 'ok'), 'Allowed: read-only command');
		assert.equal(of('approve', 'user', 'ok'), 'Approved by you');
		assert.equal(of('approve', 'user:grant:g1', 'ok'), 'Approved by you, with a grant');
		assert.equal(of('deny', 'user'), 'Denied by you');
		assert.equal(of('deny', 'sensitive:.env*'), 'Denied by policy');
		assert.equal(of('deny', 'cancelled', 'cancelled'), 'Withdrawn before a decision');
		assert.equal(of('none', 'none', 'invalid'), 'Refused: invalid call', 'a ../../etc/passwd attempt is not "Not decided"');
		assert.equal(of('none', 'none', 'rate_limited'), 'Refused: rate limit');
	});

	test('leaves out fields the record does not have', () => {
		const { reason: _reason, summary: _summary, ...bare } = record;
		const labels = detailFields({ ...bare, prev: '' }).map(([label]) => label);
		assert.ok(!labels.includes('Reason') && !labels.includes('Summary'));
		assert.ok(labels.includes('Previous hash'));
	});
});
