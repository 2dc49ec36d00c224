// Runs every bench/*.bench.ts in turn (each prints its own table). Arguments filter by substring:
// `npm run bench -- transport files`. Flags after them reach each bench with their values (`-- files --sizes 20000`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
// A flag takes the word after it as its value (`--sizes 20000`): put filters first.
const filters = [];
const flags = [];
for (let i = 0; i < args.length; i++) {
	if (!args[i].startsWith('--')) filters.push(args[i]);
	else flags.push(args[i], ...(i + 1 < args.length && !args[i + 1].startsWith('--') ? [args[++i]] : []));
}
const benches = readdirSync(join(root, 'bench'))
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
	.sort();
// The peer servers some benches compare against are pinned in bench/peers (package.json + lock), installed here on
// first use so they never join the extension's dependencies.
const peers = join(root, 'bench', 'peers');
if (!existsSync(join(peers, 'node_modules')) && benches.some((b) => /smallCalls/.test(b))) {
	console.log('installing the pinned peer servers into bench/peers (first run only)…');
	const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: peers, stdio: 'inherit' });
	if (install.status !== 0) process.exit(install.status ?? 1);
}
let failed = 0;
for (const bench of benches) {
	console.log(`\n=== ${bench} ===`);
	const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join('bench', bench), ...flags], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
