// Installs each example in examples/ from its own lockfile, as a user would (`npm ci` in that folder: a cold install,
// nothing shared with the extension's node_modules), then runs test/examples/*.test.ts: each example against the real
// server in a temp workspace and a scripted model. Arguments filter the tests by substring: `node scripts/exampleTests.mjs langchain`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
	.filter((entry) => entry.isDirectory() && existsSync(join(root, 'examples', entry.name, 'package-lock.json')))
	.map((entry) => entry.name);

function run(label, command, args, cwd) {
	const begun = Date.now();
	const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
	if (result.status !== 0) {
		console.error(`✖ ${label} failed (${result.signal ?? `exit ${result.status}`})`);
		process.exit(1);
	}
	console.log(`✔ ${label} (${((Date.now() - begun) / 1000).toFixed(1)} s)`);
}

for (const example of examples) {
	if (filters.length > 0 && !filters.some((filter) => example.includes(filter))) continue;
	run(`npm ci in examples/${example}`, 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], join(root, 'examples', example));
}
const tests = readdirSync(join(root, 'test/examples'))
	.filter((name) => name.endsWith('.test.ts'))
	.map((name) => relative(root, join(root, 'test/examples', name)))
	.filter((file) => filters.length === 0 || filters.some((filter) => file.toLowerCase().includes(filter.replace('-', '').toLowerCase()) || file.includes(filter)));
if (tests.length === 0) {
	console.error(`no example tests match ${filters.join(' ')}`);
	process.exit(1);
}
run('example tests', process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=300000', ...tests], root);
