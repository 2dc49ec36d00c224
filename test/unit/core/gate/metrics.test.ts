import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Metrics } from '../../../../src/core/gate/metrics';

function within(actual: number | undefined, expected: number, relative: number): void {
	assert.ok(actual !== undefined && Math.abs(actual - expected) <= expected * relative, `${actual} is not within ${relative * 100}% of ${expected}`);
}

describe('Metrics', () => {
	test('counts calls, errors and denials per tool, by outcome', () => {
		const metrics = new Metrics();
		metrics.record('read_file', 'ok', 5);
		metrics.record('read_file', 'ok', 7);
		metrics.record('read_file', 'error', 9);
		metrics.record('read_file', 'timeout', 30_000);
		metrics.record('read_file', 'denied', 0);
		metrics.record('git_status', 'rate_limited', 0);
		const [git, read] = metrics.snapshot();
		assert.deepEqual({ ...read, p50: undefined, p95: undefined }, {
			tool: 'read_file', calls: 5, errors: 2, denied: 1, refused: 1, byOutcome: { ok: 2, error: 1, timeout: 1, denied: 1 }, p50: undefined, p95: undefined,
		});
		assert.equal(git.tool, 'git_status');
		assert.equal(git.calls, 1);
		assert.equal(git.refused, 1, 'a rate-limited call was refused');
		assert.equal(git.errors, 0);
		assert.equal(git.p50, undefined, 'calls that never ran have no latency');
		metrics.record('git_status', 'invalid', 0);
		assert.equal(metrics.snapshot()[0].refused, 2, 'an invalid call counts as refused, not as a call without error');
	});

	test('p50 and p95 are within 1% for uniform and skewed samples', () => {
		const metrics = new Metrics();
		for (let ms = 1; ms <= 10_000; ms++) {
			metrics.record('uniform', 'ok', ms);
		}
		// 90% fast, 10% very slow: the p95 must land among the slow ones.
		for (let i = 0; i < 900; i++) {
			metrics.record('skewed', 'ok', 2 + (i % 10) / 10);
		}
		for (let i = 0; i < 100; i++) {
			metrics.record('skewed', 'ok', 4_000 + i * 10);
		}
		const [skewed, uniform] = metrics.snapshot();
		within(uniform.p50, 5_000, 0.01);
		within(uniform.p95, 9_500, 0.01);
		within(skewed.p50, 2.5, 0.01);
		within(skewed.p95, 4_490, 0.01);
	});

	test('a zero duration is reported as 0', () => {
		const metrics = new Metrics();
		metrics.record('t', 'ok', 0);
		assert.equal(metrics.snapshot()[0].p50, 0);
	});

	test('Prometheus text format: HELP/TYPE, cumulative buckets, +Inf, sum and count', () => {
		const metrics = new Metrics();
		metrics.record('read_file', 'ok', 3); // 0.003 s
		metrics.record('read_file', 'ok', 40); // 0.04 s
		metrics.record('read_file', 'error', 2_000); // 2 s
		metrics.record('read_file', 'denied', 0);
		const text = metrics.toPrometheus();
		const lines = text.split('\n');
		assert.ok(text.endsWith('\n'));
		assert.ok(lines.includes('# TYPE mcp_workbench_tool_calls_total counter'));
		assert.ok(lines.includes('# TYPE mcp_workbench_tool_duration_seconds histogram'));
		assert.ok(lines.includes('mcp_workbench_tool_calls_total{tool="read_file",outcome="ok"} 2'));
		assert.ok(lines.includes('mcp_workbench_tool_calls_total{tool="read_file",outcome="denied"} 1'));
		assert.ok(lines.includes('mcp_workbench_tool_duration_seconds_bucket{tool="read_file",le="0.001"} 0'));
		assert.ok(lines.includes('mcp_workbench_tool_duration_seconds_bucket{tool="read_file",le="0.005"} 1'));
		assert.ok(lines.includes('mcp_workbench_tool_duration_seconds_bucket{tool="read_file",le="0.05"} 2'));
		assert.ok(lines.includes('mcp_workbench_tool_duration_seconds_bucket{tool="read_file",le="1"} 2'));
		assert.ok(lines.includes('mcp_workbench_tool_duration_seconds_bucket{tool="read_file",le="2.5"} 3'));
		assert.ok(lines.includes('mcp_workbench_tool_duration_seconds_bucket{tool="read_file",le="+Inf"} 3'));
		assert.ok(lines.includes('mcp_workbench_tool_duration_seconds_sum{tool="read_file"} 2.043'));
		assert.ok(lines.includes('mcp_workbench_tool_duration_seconds_count{tool="read_file"} 3'));
		// Every sample line parses as `name{labels} value`.
		for (const line of lines.filter((l) => l !== '' && !l.startsWith('#'))) {
			assert.match(line, /^[a-z_]+\{([a-z]+="(?:[^"\\\n]|\\["\\n])*",?)+\} [0-9.e+-]+$/);
		}
	});

	test('label values are escaped', () => {
		const metrics = new Metrics();
		metrics.record('we"ird\\tool\nname', 'ok', 1);
		const text = metrics.toPrometheus();
		assert.ok(text.includes('mcp_workbench_tool_calls_total{tool="we\\"ird\\\\tool\\nname",outcome="ok"} 1'));
		assert.ok(!text.includes('we"ird'));
	});
});
