// Each theme's colours that matter for a decision, measured from the rendered styles (WCAG contrast), with
// screenshots of the cards in test-results/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { contrast, effectiveBackground, THEMES, usePanelHarness } from './webviewPanelHelpers';

const RESULTS = resolve(__dirname, '../../../test-results');

const withPanel = usePanelHarness();

describe('approval cards in every theme', () => {
	test('command text, risk edges and badges stay readable and bordered in all four themes (contrast from rendered styles)', () => withPanel({ records: '10', extra: '1' }, async ({ page }) => {
		await mkdir(RESULTS, { recursive: true });
		for (const theme of THEMES) {
			await page.evaluate(async ([name, bodyClass]) => {
				const link = document.querySelector<HTMLLinkElement>('link[href*="/harness/theme-"]');
				if (link && !link.href.endsWith(`theme-${name}.css`)) {
					const loaded = new Promise((done) => link.addEventListener('load', done, { once: true }));
					link.href = link.href.replace(/theme-[a-z-]+\.css/, `theme-${name}.css`);
					await loaded;
				}
				document.body.className = bodyClass;
			}, [theme.name, theme.bodyClass]);
			const cmd = '[data-approval-id="approval-cmd"] [data-testid="command-line"]';
			const text = await page.locator(cmd).evaluate((node) => getComputedStyle(node).color);
			const behind = await effectiveBackground(page, cmd);
			const ratio = contrast(text, behind);
			assert.ok(ratio >= 4.5, `${theme.name}: command text ${text} on ${behind} is ${ratio.toFixed(2)}:1`);
			const edge = await page.locator('[data-approval-id="approval-cmd"]').evaluate((card) => ({ color: getComputedStyle(card).borderLeftColor, width: getComputedStyle(card).borderLeftWidth, bg: getComputedStyle(card).backgroundColor }));
			assert.equal(edge.width, '3px');
			assert.ok(contrast(edge.color, edge.bg) >= 3, `${theme.name}: the Execute edge ${edge.color} on ${edge.bg} is ${contrast(edge.color, edge.bg).toFixed(2)}:1`);
			const badge = await page.locator('[data-approval-id="approval-cmd"] .risk-badge').evaluate((node) => getComputedStyle(node).borderTopColor);
			assert.ok(contrast(badge, edge.bg) >= 3, `${theme.name}: the Execute badge border ${badge}`);
			const sensitive = await page.locator('[data-approval-id="approval-env"] [data-testid="sensitive-badge"]').evaluate((node) => ({ color: getComputedStyle(node).color, border: getComputedStyle(node).borderTopColor }));
			const sensitiveBg = await effectiveBackground(page, '[data-approval-id="approval-env"] [data-testid="sensitive-badge"]');
			assert.ok(contrast(sensitive.color, sensitiveBg) >= 4.5, `${theme.name}: Sensitive text ${sensitive.color} on ${sensitiveBg}`);
			// The commit card's message, file links and counts.
			for (const selector of ['[data-testid="commit-message"]', '[data-testid="commit-file-diff"]', '.commit-where', '.commit-counts', '.status-deleted .status-letter', '[data-testid="commit-stat"]']) {
				const target = `[data-approval-id="approval-commit"] ${selector}`;
				const color = await page.locator(target).first().evaluate((node) => getComputedStyle(node).color);
				const ground = await effectiveBackground(page, target);
				assert.ok(contrast(color, ground) >= 4.5, `${theme.name}: commit card ${selector} ${color} on ${ground} is ${contrast(color, ground).toFixed(2)}:1`);
			}
			await page.locator('[data-approval-id="approval-cmd"]').screenshot({ path: join(RESULTS, `card-command-${theme.name}.png`) });
			await page.locator('[data-approval-id="approval-commit"]').screenshot({ path: join(RESULTS, `card-commit-${theme.name}.png`) });
			await page.locator('[data-approval-id="approval-env"]').screenshot({ path: join(RESULTS, `card-sensitive-${theme.name}.png`) });
		}
	}));

});
