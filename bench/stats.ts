/** Percentiles and a plain table: every bench prints the same way. */
export interface Summary {
	readonly label: string;
	readonly n: number;
	readonly p50: number;
	readonly p99: number;
	readonly mean: number;
}

export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index];
}

export function summarize(label: string, samples: readonly number[]): Summary {
	const sorted = [...samples].sort((a, b) => a - b);
	return { label, n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

export function printTable(title: string, rows: readonly (Summary & { ratio?: number })[]): void {
	console.log(`\n${title}`);
	const width = Math.max(...rows.map((r) => r.label.length));
	console.log(`${'case'.padEnd(width)}  ${'p50 ms'.padStart(9)}  ${'p99 ms'.padStart(9)}  ${'ratio'.padStart(7)}`);
	for (const row of rows) {
		console.log(`${row.label.padEnd(width)}  ${row.p50.toFixed(3).padStart(9)}  ${row.p99.toFixed(3).padStart(9)}  ${row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`.padStart(7)}`);
	}
}
