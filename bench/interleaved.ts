// What the command benches share: the baseline (a bare spawn of the shell line) and interleaved sampling.
import { spawn } from 'node:child_process';
import { summarize, type Summary } from './stats';

/** What any caller would do without our runner: spawn the shell line, drain both pipes, wait for close. */
export function bareSpawn(shell: string, line: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(shell, ['-c', line], { stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.on('data', () => undefined);
		child.stderr.on('data', () => undefined);
		child.on('error', reject);
		child.on('close', () => resolve());
	});
}

export type BenchCase = readonly [label: string, work: () => Promise<unknown>];

/**
 * Each case `runs` times after 20 warm-up rounds, interleaved, each round starting at another case, so drift in
 * machine load hits every case alike. Summaries in the order of `cases`.
 */
export async function sampleInterleaved(cases: readonly BenchCase[], runs: number): Promise<Summary[]> {
	const samples = new Map(cases.map(([label]) => [label, [] as number[]]));
	for (let i = 0; i < 20; i++) for (const [, work] of cases) await work();
	for (let i = 0; i < runs; i++) {
		for (let k = 0; k < cases.length; k++) {
			const [label, work] = cases[(i + k) % cases.length];
			samples.get(label)?.push(await timeMs(work));
		}
	}
	return cases.map(([label]) => summarize(label, samples.get(label) ?? []));
}

/** How long one run of `work` takes, in milliseconds. */
export async function timeMs(work: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await work();
	return performance.now() - start;
}
