// The panel in real chromium, inside the extension's own HTML and CSP, talking to a fake host (webviewFakeHost.ts).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import type { PanelSnapshot } from '../../../src/webview/protocol';
import { posted, sendFromHost, THEMES, usePanelHarness, waitForPosted } from './webviewPanelHelpers';

const RESULTS = resolve(__dirname, '../../../test-results');
const withPanel = usePanelHarness();

describe('sidebar panel in chromium', () => {
	test('renders the pending approval cards, with arguments and commands as text only', () => withPanel({ records: '1000' }, async ({ page }) => {
		const cards = page.locator('[data-testid="approval-card"]');
		assert.equal(await cards.count(), 2);
		const edit = page.locator('[data-approval-id="approval-edit"]');
		assert.match(await edit.locator('.approval-title').innerText(), /Edit file/);
		assert.match(await edit.locator('[data-testid="diff"]').innerText(), /\+const port = Number\(process\.env\.PORT \?\? 3000\);/);
		assert.equal(await edit.locator('[data-testid="open-diff"]').count(), 1);
		assert.equal(await edit.locator('[data-testid="allow-pattern"]').count(), 1);
		assert.match(await edit.locator('[data-testid="countdown"]').innerText(), /^\s*[12]:\d\d\s*$/);

		const command = page.locator('[data-approval-id="approval-cmd"]');
		assert.equal(await command.locator('[data-testid="command-line"]').innerText(), 'npm test -- --grep "<img src=x onerror=alert(1)>"');
		assert.equal(await command.locator('[data-testid="command-cwd"]').innerText(), '/home/dev/project');
		assert.equal(await command.locator('[data-testid="command-sandbox"]').innerText(), 'sandboxed (bubblewrap 0.8.0): may write inside the workspace folders only');
		assert.equal(await command.locator('[data-testid="allow-pattern"]').count(), 0, 'no pattern grant without a pattern label');
		// The markup in the arguments stayed text: no element was created from it.
		assert.equal(await page.locator('img').count(), 0);
		assert.equal(await page.locator('[data-testid="countdown"].urgent').count(), 1, 'the command expires in 10 s: urgent');

		assert.equal(await page.locator('[data-testid="metrics-row"]').count(), 3);
		assert.match(await page.locator('[data-testid="server-status"]').innerText(), /Running on http:\/\/127\.0\.0\.1:39217\/mcp · 1 session/);
	}));

	test('lists tools from other extensions under each extension\'s name, switched-off ones marked, names as text', () => withPanel({ records: '10' }, async ({ page }) => {
		const extensions = page.locator('[data-testid="extension"]');
		assert.equal(await extensions.count(), 2);
		const devops = page.locator('[data-extension-id="acme.devops-tools"]');
		assert.match(await devops.innerText(), /DevOps Tools \(2 tools\)/);
		assert.deepEqual(await devops.locator('[data-testid="extension-tool"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-tool'))), ['kubectl_scale', 'docker_ps']);
		const evil = page.locator('[data-extension-id="evil.ext"]');
		assert.match(await evil.innerText(), /Evil <img src=x onerror=alert\(1\)> \(switched off in mcpWorkbench\.tools\.disabledExtensions\)/);
		assert.equal(await page.locator('img').count(), 0);
	}));

	test('Approve, Deny with a reason, Always allow, Open diff and Revoke post the right messages', () => withPanel({ records: '1000' }, async ({ page }) => {
		const edit = page.locator('[data-approval-id="approval-edit"]');
		await edit.locator('[data-testid="open-diff"]').click();
		assert.deepEqual(await waitForPosted(page, (m) => m.type === 'openDiff', 'openDiff'), { type: 'openDiff', approvalId: 'approval-edit' });
		await edit.locator('[data-testid="allow-pattern"]').click();
		assert.deepEqual(await waitForPosted(page, (m) => m.type === 'decide', 'decide'),
			{ type: 'decide', approvalId: 'approval-edit', decision: { kind: 'allowSession', scope: 'pattern' } });
		assert.equal(await edit.locator('[data-testid="approve"]').getAttribute('disabled'), '', 'one decision per approval');

		const command = page.locator('[data-approval-id="approval-cmd"]');
		await command.locator('[data-testid="deny-reason"] input').fill('run the unit tests only');
		await command.getByRole('button', { name: 'Deny: Run command', exact: false }).click();
		assert.deepEqual(await waitForPosted(page, (m) => m.type === 'decide' && m.approvalId === 'approval-cmd', 'deny'),
			{ type: 'decide', approvalId: 'approval-cmd', decision: { kind: 'deny', reason: 'run the unit tests only' } });

		await page.locator('[data-grant-id="grant-2"] [data-testid="revoke"]').click();
		assert.deepEqual(await waitForPosted(page, (m) => m.type === 'revokeGrant', 'revokeGrant'), { type: 'revokeGrant', grantId: 'grant-2' });
	}));

	test('Approve works from the keyboard and the host snapshot removes decided cards', () => withPanel({ records: '10' }, async ({ page }) => {
		await page.locator('[data-approval-id="approval-edit"] [data-testid="approve"]').focus();
		await page.keyboard.press('Enter');
		assert.deepEqual(await waitForPosted(page, (m) => m.type === 'decide', 'decide'),
			{ type: 'decide', approvalId: 'approval-edit', decision: { kind: 'approve' } });

		const snapshot = await page.evaluate(() => (window as unknown as { __host: { snapshot: PanelSnapshot } }).__host.snapshot);
		await sendFromHost(page, { type: 'snapshot', snapshot: { ...snapshot, pending: snapshot.pending.filter((p) => p.id !== 'approval-edit') } });
		await page.locator('[data-approval-id="approval-edit"]').waitFor({ state: 'detached' });
		assert.equal(await page.locator('[data-testid="approval-card"]').count(), 1);
		assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-approval-id')), 'approval-cmd', 'focus moves to the next card');

		const fresh = { ...snapshot.pending[0], id: 'approval-new', title: 'Write file', summary: 'write docs/new.md', expiresAt: Date.now() + 60_000 };
		await sendFromHost(page, { type: 'snapshot', snapshot: { ...snapshot, pending: [fresh] } });
		await page.locator('[data-approval-id="approval-new"]').waitFor();
		await page.waitForFunction(() => document.querySelector('[data-testid="live-region"]')?.textContent?.includes('Write file: write docs/new.md'));
		assert.equal(await page.locator('[data-testid="approval-card"]').count(), 1);

		await sendFromHost(page, { type: 'snapshot', snapshot: { ...snapshot, pending: [] } });
		await page.locator('[data-testid="approval-card"]').first().waitFor({ state: 'detached' });
		assert.ok(await page.getByText('No calls are waiting for approval.').isVisible());
	}));

	test('the audit list keeps only the visible rows of 100,000 in the DOM and fetches pages on demand', () => withPanel({ records: '100000' }, async ({ page }) => {
		const rows = page.locator('[data-testid="audit-row"]');
		const initial = await rows.count();
		assert.ok(initial > 5 && initial < 60, `${initial} rows in the DOM`);
		assert.equal(await rows.first().getAttribute('aria-setsize'), '100000');
		assert.equal(await rows.first().getAttribute('aria-posinset'), '1');
		assert.equal(await page.locator('[data-testid="result-count"]').innerText(), '100,000 records');

		// New records arrive: the host says so, the panel refetches what it shows.
		await page.evaluate(() => (window as unknown as { __host: { setRecordCount(n: number): void } }).__host.setRecordCount(100_005));
		await sendFromHost(page, { type: 'auditChanged' });
		await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '100,005 records');
		await page.waitForFunction(() => document.querySelector('#audit-row-0')?.getAttribute('aria-label')?.startsWith('git_status'));

		await page.locator('[data-testid="audit-list"]').evaluate((list) => {
			list.scrollTop = list.scrollHeight;
		});
		await page.locator('[data-testid="audit-row"][aria-posinset="100005"]:not(.loading)').waitFor();
		assert.ok(await rows.count() < 60);
		const queries = (await posted(page)).filter((m) => m.type === 'queryAudit');
		assert.ok(queries.some((q) => q.type === 'queryAudit' && q.offset === 100_000), 'fetched the last page');
		assert.ok(queries.length <= 6, `${queries.length} queries: only the pages needed`);
	}));

	test('arrow keys move in the list, Enter opens the details, Escape closes them', () => withPanel({ records: '100000' }, async ({ page }) => {
		const list = page.locator('[data-testid="audit-list"]');
		await list.focus();
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('ArrowDown');
		assert.equal(await list.getAttribute('aria-activedescendant'), 'audit-row-2');
		assert.equal(await page.locator('#audit-row-2').getAttribute('aria-selected'), 'true');

		await page.keyboard.press('Enter');
		const details = page.locator('[data-testid="audit-details"]');
		await details.waitFor();
		assert.match(await details.innerText(), /call #99998/);
		assert.match(await details.locator('[data-testid="details-arguments"]').innerText(), /"path": "src\/module/);
		assert.match(await details.innerText(), /Decision\s+Allowed by policy\s+Rule\s+default:read/);

		await page.keyboard.press('Escape');
		await details.waitFor({ state: 'hidden' });

		await page.keyboard.press('End');
		await page.locator('#audit-row-99999:not(.loading)').waitFor();
		assert.equal(await list.getAttribute('aria-activedescendant'), 'audit-row-99999');
		await page.keyboard.press('Home');
		assert.equal(await list.getAttribute('aria-activedescendant'), 'audit-row-0');
	}));

	test('filters query the host, the text filter once per pause in typing', () => withPanel({ records: '100000' }, async ({ page }) => {
		await page.locator('[data-testid="outcome-filter"]').click();
		await page.locator('[data-testid="outcome-filter"]').getByRole('option', { name: 'Error', exact: true }).click();
		await waitForPosted(page, (m) => m.type === 'queryAudit' && m.filter.outcome === 'error', 'an outcome query');
		await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '10,000 records');
		const outcomes = await page.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((row) => row.className));
		assert.ok(outcomes.length > 0 && outcomes.every((name) => name.includes('outcome-error')), outcomes.join(', '));

		await page.locator('[data-testid="text-filter"] input').pressSequentially('module42/', { delay: 10 });
		await waitForPosted(page, (m) => m.type === 'queryAudit' && m.filter.text === 'module42/', 'a text query');
		const textQueries = (await posted(page)).filter((m) => m.type === 'queryAudit' && m.filter.text !== undefined);
		assert.equal(textQueries.length, 1, `debounced: ${textQueries.map((q) => q.type === 'queryAudit' && q.filter.text).join(', ')}`);

		await page.locator('[data-testid="export-csv"]').click();
		assert.deepEqual(await waitForPosted(page, (m) => m.type === 'exportAudit', 'exportAudit'),
			{ type: 'exportAudit', format: 'csv', filter: { outcome: 'error', text: 'module42/' } });
	}));

	test('a reloaded panel (hidden, then shown) asks the host again and keeps its filter', () => withPanel({
		records: '100000',
		state: JSON.stringify({ filter: { outcome: 'denied' }, scrollTop: 0, closed: ['metrics'] }),
	}, async ({ page }) => {
		const messages = await posted(page);
		assert.equal(messages[0].type, 'ready');
		assert.ok(messages.some((m) => m.type === 'queryAudit' && m.filter.outcome === 'denied'));
		assert.equal(await page.locator('[data-testid="section-metrics"]').getAttribute('open'), null);
		await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '10,000 records');
	}));

	test('control and bidi characters from a client show as ⟨U+…⟩ on the card and in the audit list, never as themselves', () => withPanel({ records: '50', controls: '1' }, async ({ page }) => {
		const hidden = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u;
		const card = page.locator('[data-approval-id="approval-cmd"]');
		const line = await card.locator('[data-testid="command-line"]').innerText();
		assert.equal(line, 'rm -rf ~/⟨U+202E⟩txt.exe⟨U+200B⟩⟨U+0007⟩');
		const cardText = await card.innerText();
		assert.ok(cardText.includes('Claude Code⟨U+202E⟩⟨U+2066⟩'), cardText);
		// The token's name first; the client's own claim only beside it.
		assert.equal((await card.locator('[data-testid="client-says"]').innerText()).trim(), '(says it is "Visual Studio⟨U+202E⟩ Code")');
		// A grant names the client whose session it covers.
		assert.match(await page.locator('[data-grant-id="grant-2"]').innerText(), /for alice⟨U\+202E⟩'s session/);
		await page.locator('#audit-row-0:not(.loading)').waitFor();
		const row = page.locator('#audit-row-0');
		assert.ok((await row.innerText()).includes('rm -rf ~/⟨U+202E⟩txt.exe'), await row.innerText());
		assert.ok((await row.getAttribute('aria-label'))?.includes('⟨U+202E⟩'));
		await row.click();
		const details = page.locator('[data-testid="audit-details"]');
		await details.waitFor();
		assert.ok((await details.innerText()).includes('Claude⟨U+202E⟩'), await details.innerText());
		// Nothing anywhere in the page, text or attributes, holds one of the characters itself.
		const everything = await page.evaluate(() => {
			const parts: string[] = [document.body.innerText];
			for (const element of document.querySelectorAll('*')) for (const attribute of element.attributes) parts.push(attribute.value);
			return parts.join('\n');
		});
		const found = hidden.exec(everything);
		assert.equal(found, null, `U+${found?.[0].codePointAt(0)?.toString(16)} reached the page near ${JSON.stringify(everything.slice(Math.max(0, (found?.index ?? 0) - 40), (found?.index ?? 0) + 40))}`);
	}));

	test('looks right in dark, light and high contrast themes (screenshots in test-results/)', () => withPanel({ records: '100000' }, async ({ page }) => {
		await page.locator('#audit-row-3').click();
		await page.locator('[data-testid="audit-details"]').waitFor();
		await mkdir(RESULTS, { recursive: true });
		const seen = new Set<string>();
		for (const theme of THEMES) {
			// Switching the theme sheet in place, as VS Code swaps its variables, instead of reloading the page.
			await page.evaluate(async ([name, bodyClass]) => {
				const link = document.querySelector<HTMLLinkElement>('link[href*="/harness/theme-"]');
				if (link && !link.href.endsWith(`theme-${name}.css`)) {
					const loaded = new Promise((done) => link.addEventListener('load', done, { once: true }));
					link.href = link.href.replace(/theme-[a-z-]+\.css/, `theme-${name}.css`);
					await loaded;
				}
				document.body.className = bodyClass;
				await document.fonts.ready;
			}, [theme.name, theme.bodyClass]);
			await page.screenshot({ path: join(RESULTS, `webview-${theme.name}.png`), fullPage: true });
			const [color, background] = await page.evaluate(() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]);
			assert.notEqual(color, background);
			seen.add(background);
		}
		assert.equal(seen.size, THEMES.length, 'each theme has its own background');
	}));
});
