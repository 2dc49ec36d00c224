import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { commitView, diffView } from '../../../src/vscode/panel/cardViews';

describe('approval card views', () => {
	test('an edit\'s diffstat counts the lines below the header, including added lines that look like one', () => {
		const unified = ['--- a.md', '+++ a.md', '@@ -1,2 +1,2 @@', '---- old rule', '+++ new heading', ' kept', ''].join('\n');
		assert.deepEqual(diffView('a.md', unified, undefined), { path: 'a.md', unified, added: 1, removed: 1 });
		const redacted = diffView('.env', unified, 'REDACTED');
		assert.deepEqual([redacted.unified, redacted.unredacted], ['REDACTED', unified]);
	});

	test('a commit\'s view totals the counts and leaves out the object ids and the absolute root', () => {
		const view = commitView({
			root: '/home/dev/app', repository: '.', branch: 'main', head: '0123456789abcdef0123456789abcdef01234567', base: '0123456789abcdef0123456789abcdef01234567', amend: false,
			message: 'Fix\n', files: [
				{ path: 'a.ts', status: 'modified', added: 3, removed: 1, oldObject: 'aa', newObject: 'bb' },
				{ path: 'logo.png', status: 'added', binary: true, newObject: 'cc' },
				{ path: '.env', status: 'deleted', added: 0, removed: 2, sensitive: true, oldObject: 'dd' },
			],
		});
		assert.deepEqual(view, {
			repository: '.', branch: 'main', head: '0123456', amend: false, message: 'Fix\n', added: 3, removed: 3,
			files: [
				{ path: 'a.ts', status: 'modified', added: 3, removed: 1 },
				{ path: 'logo.png', status: 'added', binary: true },
				{ path: '.env', status: 'deleted', added: 0, removed: 2, sensitive: true },
			],
		});
	});
});
