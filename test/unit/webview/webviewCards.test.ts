// The approval cards, grants, focus and the live audit in real chromium (split from webviewBrowser.test.ts so each
// file stays within the runner's per-file time on a loaded machine).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sendFromHost, usePanelHarness, waitForPosted } from './webviewPanelHelpers';

const withPanel = usePanelHarness();

describe('approval cards in chromium', () => {
	test('a command card shows the whole line, its sub-commands marked with why they ask, and the rule; no tool-wide grant for a program', () => withPanel({ records: '10' }, async ({ page }) => {
		const command = page.locator('[data-approval-id="approval-cmd"]');
		assert.equal(await command.locator('[data-testid="why"]').innerText(), 'Why this asks: The command policy asks: npm is not in the read-only list');
		const part = command.locator('[data-testid="command-part"]');
		assert.equal(await part.count(), 1);
		assert.equal(await part.first().getAttribute('data-asks'), 'true');
		assert.match(await part.first().innerText(), /asks[\s\S]*npm test[\s\S]*npm is not in the read-only list/);
		assert.equal(await command.locator('[data-testid="allow-tool"]').count(), 0, 'no "Always allow run_command"');
		// Never clipped: the command box is as tall as its text.
		const box = await command.locator('[data-testid="command-line"]').evaluate((pre) => ({ client: pre.clientHeight, scroll: pre.scrollHeight, overflow: getComputedStyle(pre).overflowY }));
		assert.ok(box.scroll <= box.client + 1 && box.overflow === 'visible', JSON.stringify(box));
		// The specific view says what runs; the raw arguments are folded away.
		assert.equal(await command.locator('[data-testid="arguments-details"]').getAttribute('open'), null);
	}));

	test('a sensitive file\'s card has a Sensitive badge and a redacted preview with a reveal toggle; a long change folds and Approve waits for it', () => withPanel({ records: '10', extra: '1' }, async ({ page }) => {
		const env = page.locator('[data-approval-id="approval-env"]');
		assert.equal(await env.locator('[data-testid="sensitive-badge"]').innerText(), 'Sensitive');
		assert.match(await env.locator('[data-testid="why"]').innerText(), /Sensitive path \(matches \.env\*\)/);
		const diff = env.locator('[data-testid="diff"]');
		assert.doesNotMatch(await diff.innerText(), /ghp_/);
		assert.doesNotMatch(await diff.innerText(), /^(---|\+\+\+) /m, 'no header lines');
		await env.locator('[data-testid="reveal"]').click();
		assert.match(await env.locator('[data-testid="diff"]').innerText(), /ghp_0123456789/);
		await env.locator('[data-testid="reveal"]').click();
		assert.doesNotMatch(await env.locator('[data-testid="diff"]').innerText(), /ghp_/);
		assert.equal(await env.locator('[data-testid="allow-tool"]').count(), 0);

		const long = page.locator('[data-approval-id="approval-long"]');
		assert.equal(await long.locator('[data-testid="diffstat"]').innerText(), 'Changes to src/big.ts (+300 −0)');
		assert.doesNotMatch(await long.locator('[data-testid="diff"]').innerText(), /^(Index:|====)/m);
		assert.equal(await long.locator('.diff-line').count(), 60);
		assert.equal(await long.locator('[data-testid="approve"]').getAttribute('disabled'), '', 'Approve waits until the whole change was shown');
		await long.locator('[data-testid="show-all"]').click();
		assert.equal(await long.locator('.diff-line').count(), 301, 'the hunk line and the 300 lines');
		assert.equal(await long.locator('[data-testid="approve"]').getAttribute('disabled'), null);
		assert.doesNotMatch(await long.locator('[data-testid="arguments"]').innerText({ timeout: 1000 }).catch(() => ''), /line 1/, 'no escaped copy of the content');
	}));

	test('standing grants are listed first, each with its pattern, and Revoke all posts once', () => withPanel({ records: '10' }, async ({ page }) => {
		const order = await page.evaluate(() => [...document.querySelectorAll('#app > *')].filter((node) => !(node as HTMLElement).hidden).map((node) => node.getAttribute('data-testid') ?? node.className));
		assert.ok(order.indexOf('grants-section') < order.indexOf('section-pending'), order.join(', '));
		assert.match(await page.locator('[data-grant-id="grant-2"]').innerText(), /docs\/\*\*/);
		await page.locator('[data-testid="revoke-all"]').click();
		assert.deepEqual(await waitForPosted(page, (m) => m.type === 'revokeAllGrants', 'revokeAllGrants'), { type: 'revokeAllGrants' });
	}));

	test('the host can put focus on a card\'s Approve, and decisions are announced', () => withPanel({ records: '10' }, async ({ page }) => {
		await sendFromHost(page, { type: 'focusApproval', approvalId: 'approval-cmd' });
		await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'approve' && document.activeElement.closest('[data-approval-id]')?.getAttribute('data-approval-id') === 'approval-cmd');
		assert.match(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''), /^Approve once: Run command, npm test/);
		await page.keyboard.press('Enter');
		assert.deepEqual(await waitForPosted(page, (m) => m.type === 'decide', 'decide'), { type: 'decide', approvalId: 'approval-cmd', decision: { kind: 'approve' } });
		await page.waitForFunction(() => document.querySelector('[data-testid="live-region"]')?.textContent?.startsWith('Approved once: Run command'));
		await sendFromHost(page, { type: 'announce', text: 'Denied: Edit file, edit src/app.ts' });
		await page.waitForFunction(() => document.querySelector('[data-testid="live-region"]')?.textContent === 'Denied: Edit file, edit src/app.ts');
	}));

	test('an audit list that starts empty shows records as they arrive, and so does a filter that matched nothing', () => withPanel({ records: '0' }, async ({ page }) => {
		await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '0 records');
		await page.evaluate(() => (window as unknown as { __host: { setRecordCount(n: number): void } }).__host.setRecordCount(3));
		await sendFromHost(page, { type: 'auditChanged' });
		await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '3 records');
		await page.locator('#audit-row-2:not(.loading)').waitFor();

		await page.locator('[data-testid="text-filter"] input').fill('no-such-thing-anywhere');
		await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '0 records');
		await page.locator('[data-testid="text-filter"] input').fill('');
		await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '3 records');
	}));

	test('the date filter sends the chosen days', () => withPanel({ records: '10' }, async ({ page }) => {
		await page.locator('[data-testid="since-filter"]').fill('2026-11-30');
		await page.locator('[data-testid="since-filter"]').dispatchEvent('change');
		await waitForPosted(page, (m) => m.type === 'queryAudit' && m.filter.since === '2026-11-30', 'a date query');
	}));

});
