import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorLocations } from '../../../src/prompts/diagnose/errorLocations';

describe('errorLocations: the file:line places an error text names', () => {
	test('reads the forms compilers, runtimes and test runners print, each file once, in order', () => {
		const text = [
			'src/a.ts(12,5): error TS2322: Type string is not assignable',
			'    at f (/work/app/src/b.ts:40:7)',
			'  File "tools/c.py", line 9, in main',
			'main.go:3: undefined: x',
			'    at g (/work/app/src/b.ts:41:2)',
		].join('\n');
		assert.deepEqual(errorLocations(text), [
			{ path: 'src/a.ts', line: 12 },
			{ path: '/work/app/src/b.ts', line: 40 },
			{ path: 'tools/c.py', line: 9 },
			{ path: 'main.go', line: 3 },
		]);
	});

	test('names dotfiles, file:// URLs and Windows paths; leaves out other URLs and node internals', () => {
		const text = 'at load (.env:1)\nat file:///work/app/x.js:3:1\nC:\\src\\y.ts:7\nsee https://example.com:443/z.js:1:1\nat node:internal/modules/cjs/loader:1:1';
		assert.deepEqual(errorLocations(text), [
			{ path: '.env', line: 1 },
			{ path: '/work/app/x.js', line: 3 },
			{ path: 'C:\\src\\y.ts', line: 7 },
		]);
	});

	test('at most five files, and nothing from a text without places', () => {
		const many = Array.from({ length: 9 }, (_, i) => `f${i}.ts:1`).join('\n');
		assert.equal(errorLocations(many).length, 5);
		assert.deepEqual(errorLocations('Segmentation fault (core dumped)'), []);
	});
});
