/**
 * The sidebar panel's time to first paint: navigation start until the first audit rows are on screen (the panel's
 * own `mcpWorkbench.firstAuditPaint` mark), in headless chromium with the extension's HTML and CSP and a fake host
 * answering from N generated audit records. Each load is a fresh page, like a view shown again after being hidden.
 * Target: under 300 ms with 100,000 records. Also prints chromium's first-contentful-paint (page chrome, before any
 * audit data) and the time from it to the rows: the part the list itself adds, and the least disturbed by a busy
 * machine.
 */
import { loadavg } from 'node:os';
import { openPanel, startHarness, type Harness } from '../test/unit/webview/webviewHarness';
import { printTable, summarize, type Summary } from './stats';

const LOADS = Number(process.env.BENCH_LOADS ?? 15);
const WARMUP = 2;
const FIRST_PAINT_MARK = 'mcpWorkbench.firstAuditPaint';

interface Load {
	readonly firstAuditPaint: number;
	readonly firstContentfulPaint: number;
	readonly rowsInDom: number;
}

async function loadOnce(harness: Harness, records: number): Promise<Load> {
	const { page, problems } = await openPanel(harness, { records: String(records), scenario: 'demo' });
	try {
		await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, FIRST_PAINT_MARK);
		const [firstAuditPaint, firstContentfulPaint, rowsInDom] = await page.evaluate((mark) => [
			performance.getEntriesByName(mark)[0].startTime,
			performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
			document.querySelectorAll('[data-testid="audit-row"]').length,
		], FIRST_PAINT_MARK);
		if (problems.length > 0) {
			throw new Error(`the panel reported problems: ${problems.join('; ')}`);
		}
		return { firstAuditPaint, firstContentfulPaint, rowsInDom };
	} finally {
		await page.close();
	}
}

async function measure(harness: Harness, records: number): Promise<{ paint: Summary; fcp: Summary; afterFcp: Summary; rows: number }> {
	for (let i = 0; i < WARMUP; i++) {
		await loadOnce(harness, records);
	}
	const loads: Load[] = [];
	for (let i = 0; i < LOADS; i++) {
		loads.push(await loadOnce(harness, records));
	}
	const label = `${records.toLocaleString('en-US')} records`;
	return {
		paint: summarize(`${label}: first audit rows painted`, loads.map((l) => l.firstAuditPaint)),
		fcp: summarize(`${label}: first contentful paint`, loads.map((l) => l.firstContentfulPaint)),
		afterFcp: summarize(`${label}: rows after first contentful paint`, loads.map((l) => l.firstAuditPaint - l.firstContentfulPaint)),
		rows: Math.max(...loads.map((l) => l.rowsInDom)),
	};
}

async function main(): Promise<void> {
	const harness = await startHarness();
	try {
		const small = await measure(harness, 1_000);
		const large = await measure(harness, 100_000);
		printTable(`Panel time to first paint, ${LOADS} loads each after ${WARMUP} warm-up (panel bundle ${(harness.bundleBytes / 1024).toFixed(0)} KB minified)`, [
			{ ...small.paint, ratio: 1 },
			{ ...large.paint, ratio: large.paint.p50 / small.paint.p50 },
			small.fcp,
			large.fcp,
			small.afterFcp,
			large.afterFcp,
		]);
		console.log(`rows in the DOM with 100,000 records: ${large.rows}; load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
		const verdict = large.paint.p50 < 300 ? 'meets' : 'misses';
		console.log(`median time to first paint with 100,000 records: ${large.paint.p50.toFixed(0)} ms (${verdict} the 300 ms target)`);
	} finally {
		await harness.close();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
