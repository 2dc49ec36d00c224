// find_files tries its glob only on paths ending with the pattern's literal tail: the shortcut must never change an
// answer, so on every pattern shape (names, paths, braces, classes, extglobs, negations, escapes) it agrees with the
// glob alone on every path, and it does skip the glob where it applies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import picomatch from 'picomatch';
import { withLiteralTail } from '../../../../src/tools/files/search';

const PATTERNS = ['*.ts', '**/*.ts', 'src/**/*.test.ts', '*.{ts,js}', '*.[tj]s', '*.+(ts|md)', '!*.ts', 'a\\*.ts', 'README.md', '**/README*', 'src/*', '*.d.ts', '.*rc', '**/.gitignore', '*s', '*.TS'];
const PATHS = ['a.ts', 'src/a.ts', 'src/deep/b.test.ts', 'src/b.js', 'c.md', 'README.md', 'docs/README.txt', 'x.d.ts', '.eslintrc', 'pkg/.gitignore', 'a*.ts', 'A.TS', 'src/ts', 'bts', 'src/a.tsx'];

test('the literal-tail shortcut agrees with the glob alone on every pattern shape and path', () => {
	for (const pattern of PATTERNS) {
		const options = { dot: true, basename: !pattern.includes('/') };
		const plain = picomatch(pattern, options);
		const fast = withLiteralTail(pattern, picomatch(pattern, options));
		for (const path of PATHS) assert.equal(fast(path), plain(path), `${pattern} on ${path}`);
	}
});

test('paths without the tail never reach the glob', () => {
	const tried: string[] = [];
	const fast = withLiteralTail('**/*.ts', (path) => (tried.push(path), true));
	assert.deepEqual(['a.ts', 'b.js', 'c.md', 'd.ts'].filter(fast), ['a.ts', 'd.ts']);
	assert.deepEqual(tried, ['a.ts', 'd.ts']);
});
