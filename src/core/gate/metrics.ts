import type { Outcome } from '../audit/auditRecord';

/** Prometheus histogram bounds in seconds: from a cached file read to a long build task. */
const PROMETHEUS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] as const;

// Percentiles come from log-spaced buckets (HDR-like): each bucket is 2% wider than the one before, so any
// percentile is within 1% of the true value, for any number of calls, in at most ~1,200 buckets per tool.
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
/** Durations below this (ms) count as zero; nothing we run is that fast. */
const MIN_MS = 0.001;

/** Outcomes where the tool ran (or was running) and its duration says something about the tool. */
const TIMED_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(['ok', 'error', 'timeout', 'cancelled']);
const ERROR_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(['error', 'timeout']);
/** Outcomes where the gate refused the call before it ran: an invalid call is not a call without error. */
const REFUSED_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(['denied', 'invalid', 'rate_limited']);

export interface ToolMetrics {
	readonly tool: string;
	readonly calls: number;
	/** Calls that ran and failed or timed out. */
	readonly errors: number;
	readonly denied: number;
	/** Calls refused before they ran: denied, invalid or rate limited. */
	readonly refused: number;
	readonly byOutcome: Readonly<Partial<Record<Outcome, number>>>;
	/** Milliseconds; undefined until the tool has run at least once. */
	readonly p50?: number;
	readonly p95?: number;
}

class ToolStats {
	readonly byOutcome = new Map<Outcome, number>();
	/** Per Prometheus bucket (not cumulative); the last slot is +Inf. */
	readonly promCounts = new Array<number>(PROMETHEUS_BUCKETS.length + 1).fill(0);
	/** Log-bucket index → count; index -1 holds durations below MIN_MS. */
	readonly logCounts = new Map<number, number>();
	sumSeconds = 0;
	timed = 0;

	record(outcome: Outcome, durationMs: number): void {
		this.byOutcome.set(outcome, (this.byOutcome.get(outcome) ?? 0) + 1);
		if (!TIMED_OUTCOMES.has(outcome) || !Number.isFinite(durationMs)) {
			return;
		}
		const ms = Math.max(0, durationMs);
		const seconds = ms / 1000;
		this.timed++;
		this.sumSeconds += seconds;
		let slot = PROMETHEUS_BUCKETS.findIndex((bound) => seconds <= bound);
		if (slot < 0) {
			slot = PROMETHEUS_BUCKETS.length;
		}
		this.promCounts[slot]++;
		const index = ms < MIN_MS ? -1 : Math.floor(Math.log(ms / MIN_MS) / LOG_GROWTH);
		this.logCounts.set(index, (this.logCounts.get(index) ?? 0) + 1);
	}

	/** Nearest-rank percentile, reported at the bucket's geometric middle. */
	percentile(p: number): number | undefined {
		if (this.timed === 0) {
			return undefined;
		}
		const rank = Math.max(1, Math.ceil(p * this.timed));
		let seen = 0;
		for (const index of [...this.logCounts.keys()].sort((a, b) => a - b)) {
			seen += this.logCounts.get(index) ?? 0;
			if (seen >= rank) {
				return index < 0 ? 0 : MIN_MS * Math.pow(GROWTH, index + 0.5);
			}
		}
		return undefined;
	}

	count(outcomes: ReadonlySet<Outcome>): number {
		let total = 0;
		for (const [outcome, count] of this.byOutcome) {
			if (outcomes.has(outcome)) {
				total += count;
			}
		}
		return total;
	}
}

/** Escapes a label value for the Prometheus text format (backslash, double quote, line feed). */
function escapeLabel(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
	if (value === Infinity) {
		return '+Inf';
	}
	return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
}

/** Per-tool call counters and latency histograms; the gate records every call, the panel and /metrics read. */
export class Metrics {
	private readonly tools = new Map<string, ToolStats>();

	record(tool: string, outcome: Outcome, durationMs: number): void {
		let stats = this.tools.get(tool);
		if (!stats) {
			stats = new ToolStats();
			this.tools.set(tool, stats);
		}
		stats.record(outcome, durationMs);
	}

	reset(): void {
		this.tools.clear();
	}

	snapshot(): ToolMetrics[] {
		return this.sortedTools().map(([tool, stats]) => ({
			tool,
			calls: [...stats.byOutcome.values()].reduce((sum, count) => sum + count, 0),
			errors: stats.count(ERROR_OUTCOMES),
			denied: stats.byOutcome.get('denied') ?? 0,
			refused: stats.count(REFUSED_OUTCOMES),
			byOutcome: Object.fromEntries(stats.byOutcome),
			p50: stats.percentile(0.5),
			p95: stats.percentile(0.95),
		}));
	}

	/** Text exposition format 0.0.4. */
	toPrometheus(): string {
		const tools = this.sortedTools();
		const lines: string[] = [
			'# HELP mcp_workbench_tool_calls_total Tool calls through the gate, by final outcome.',
			'# TYPE mcp_workbench_tool_calls_total counter',
		];
		for (const [tool, stats] of tools) {
			for (const [outcome, count] of [...stats.byOutcome].sort(([a], [b]) => a.localeCompare(b))) {
				lines.push(`mcp_workbench_tool_calls_total{tool="${escapeLabel(tool)}",outcome="${escapeLabel(outcome)}"} ${count}`);
			}
		}
		lines.push(
			'# HELP mcp_workbench_tool_duration_seconds Time tool handlers ran (calls that were denied or invalid are not timed).',
			'# TYPE mcp_workbench_tool_duration_seconds histogram',
		);
		for (const [tool, stats] of tools) {
			const label = `tool="${escapeLabel(tool)}"`;
			let cumulative = 0;
			[...PROMETHEUS_BUCKETS, Infinity].forEach((bound, slot) => {
				cumulative += stats.promCounts[slot];
				lines.push(`mcp_workbench_tool_duration_seconds_bucket{${label},le="${formatNumber(bound)}"} ${cumulative}`);
			});
			lines.push(`mcp_workbench_tool_duration_seconds_sum{${label}} ${formatNumber(stats.sumSeconds)}`);
			lines.push(`mcp_workbench_tool_duration_seconds_count{${label}} ${stats.timed}`);
		}
		return lines.join('\n') + '\n';
	}

	private sortedTools(): [string, ToolStats][] {
		return [...this.tools].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	}
}
