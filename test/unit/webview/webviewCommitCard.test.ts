// The commit card in real chromium: what a commit records, as the person deciding sees it (its own file, so each
// file stays within the runner's per-file time on a loaded machine).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from './webviewHarness';
import { waitForPosted, withPanel } from './webviewPanelHelpers';

let harness: Harness;

before(async () => {
	harness = await startHarness();
});

after(async () => {
	await harness?.close();
});

describe('the commit card in chromium', () => {
	test('a commit card shows the branch, the message as text, every file with its status and counts, and opens a file\'s diff', () => withPanel(harness, { records: '10', extra: '1' }, async ({ page }) => {
		const card = page.locator('[data-approval-id="approval-commit"]');
		assert.equal(await card.locator('.commit-where').innerText(), 'Branch main at 3f2a9c1');
		// Plain text: newlines kept, quotes and backslashes as typed, nothing escaped.
		assert.equal(await card.locator('[data-testid="commit-message"]').evaluate((pre) => pre.textContent),
			'Read the port from the environment\n\nPORT wins over the default 3000.\n\t- "quoted" \\ and a tab stay as typed');
		assert.equal(await card.locator('[data-testid="commit-stat"]').textContent(), '5 files changed, +6 −13');
		const rows = await card.locator('[data-testid="commit-file"]').evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((td) => td.innerText.trim()).join(' | ')));
		assert.deepEqual(rows, [
			'M | src/app.ts | +3 −1',
			'R | src/port.ts → src/config/port.ts | +1 −0',
			'D | src/legacy.ts | +0 −12',
			'M | assets/logo.png | binary',
			'A | .envSensitive | +2 −0',
		]);
		assert.equal(await card.locator('[data-testid="file-sensitive"]').count(), 1, 'the .env is marked Sensitive');
		// Text files open as a diff; the binary and the sensitive file offer none (the .env's content is never shown).
		assert.deepEqual(await card.locator('[data-testid="commit-file-diff"]').allInnerTexts(), ['src/app.ts', 'src/port.ts → src/config/port.ts', 'src/legacy.ts']);
		await card.locator('[data-testid="commit-file-diff"]').nth(1).click();
		assert.deepEqual(await waitForPosted(page, (m) => m.type === 'openCommitDiff', 'openCommitDiff'), { type: 'openCommitDiff', approvalId: 'approval-commit', path: 'src/config/port.ts' });
		assert.equal(await card.locator('[data-testid="arguments-details"]').getAttribute('open'), null, 'the arguments are folded under the specific view');
		assert.equal(await card.locator('[data-testid="approve"]').getAttribute('disabled'), null);
		// Never clipped: the message box is as tall as its text.
		const box = await card.locator('[data-testid="commit-message"]').evaluate((pre) => ({ client: pre.clientHeight, scroll: pre.scrollHeight }));
		assert.ok(box.scroll <= box.client + 1, JSON.stringify(box));
	}));

	test('a commit of 180 files lists 50, and Approve waits until all are shown', () => withPanel(harness, { records: '10', commitFiles: '180' }, async ({ page }) => {
		const card = page.locator('[data-approval-id="approval-bigcommit"]');
		assert.equal(await card.locator('[data-testid="commit-file"]').count(), 50);
		assert.equal(await card.locator('[data-testid="collapsed-note"]').innerText(), '130 more files: show them to approve.');
		assert.equal(await card.locator('[data-testid="approve"]').getAttribute('disabled'), '', 'Approve waits');
		await card.locator('[data-testid="show-all-files"]').click();
		assert.equal(await card.locator('[data-testid="commit-file"]').count(), 180);
		assert.equal(await card.locator('[data-testid="commit-file"]').last().getAttribute('data-path'), 'generated/file180.ts');
		assert.equal(await card.locator('[data-testid="approve"]').getAttribute('disabled'), null);
		await card.locator('[data-testid="approve"]').click();
		assert.deepEqual(await waitForPosted(page, (m) => m.type === 'decide', 'decide'), { type: 'decide', approvalId: 'approval-bigcommit', decision: { kind: 'approve' } });
	}));
});
