// Every example in examples/ as a user meets it: each folder with its own package.json is installed from its own
// lockfile (`npm ci`: nothing shared with the extension's node_modules; skipped when node_modules is newer than the
// lockfile) and, when it has a test script, runs its own `npm test` (the devops-tools sample extension). Then
// test/examples/*.test.ts run each client bridge (OpenAI, LangChain) against the real server in a temp workspace and
// a scripted model. Arguments filter by folder or test name: `node scripts/exampleTests.mjs devops-tools langchain`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
const wanted = (name) => filters.length === 0 || filters.some((filter) => name.toLowerCase().includes(filter.replace('-', '').toLowerCase()) || name.includes(filter));

// The outer npm's settings (a user agent, a prefix) would win over the example's own: each example runs as if
// started from its own folder.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));

function run(label, command, args, cwd) {
	const begun = Date.now();
	const result = spawnSync(command, args, { cwd, stdio: 'inherit', env });
	if (result.status !== 0) {
		console.error(`✖ ${label} failed (${result.signal ?? `exit ${result.status}`})`);
		process.exit(1);
	}
	console.log(`✔ ${label} (${((Date.now() - begun) / 1000).toFixed(1)} s)`);
}

/** Installs the example's locked dependencies unless node_modules is newer than the lockfile. */
export function installExample(folder) {
	const lock = join(folder, 'package-lock.json');
	const installed = join(folder, 'node_modules', '.package-lock.json');
	if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
	run(`npm ci in ${relative(root, folder)}`, 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], folder);
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && existsSync(join(root, 'examples', entry.name, 'package.json')))
		.map((entry) => entry.name);
	for (const name of examples) {
		const folder = join(root, 'examples', name);
		installExample(folder);
		const scripts = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).scripts ?? {};
		if (scripts.test && wanted(name)) run(`npm test in examples/${name}`, 'npm', ['test'], folder);
	}
	const tests = readdirSync(join(root, 'test/examples'))
		.filter((name) => name.endsWith('.test.ts'))
		.map((name) => relative(root, join(root, 'test/examples', name)))
		.filter(wanted);
	if (tests.length > 0) run('example bridge tests', process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=300000', ...tests], root);
}
