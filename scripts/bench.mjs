// Runs every bench/*.bench.ts in turn (each prints its own table). Arguments filter by substring:
// `npm run bench -- transport files`. Extra flags after `--` reach each bench (e.g. `--sizes 20000`).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
const benches = readdirSync(join(root, 'bench'))
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
	.sort();
let failed = 0;
for (const bench of benches) {
	console.log(`\n=== ${bench} ===`);
	const result = spawnSync(process.execPath, ['--import', 'tsx', join('bench', bench), ...flags], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
