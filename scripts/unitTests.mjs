// Runs every test/unit/**/*.test.ts with node's own test runner; TypeScript is loaded through tsx.
// Arguments filter by substring: `npm run test:unit -- jail git`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensurePrerequisites, NEEDS } from './prerequisites.mjs';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function collect(dir) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = join(dir, entry.name);
		if (entry.isDirectory()) return collect(full);
		return entry.name.endsWith('.test.ts') ? [full] : [];
	});
}

const files = collect(join(root, 'test/unit'))
	.map((file) => relative(root, file))
	.filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
	.sort();
// chromium (the panel tests), rg and git (the file and git tools run them for real).
ensurePrerequisites('npm run test:unit', NEEDS.unit);
if (files.length === 0) {
	console.error(`no unit test files match ${filters.join(' ')}`);
	process.exit(1);
}
// A test that hangs fails after two minutes instead of holding CI until its deadline.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=120000', ...files], {
	cwd: root,
	stdio: 'inherit',
});
process.exit(result.status ?? 1);
