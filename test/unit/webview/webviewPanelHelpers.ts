// Helpers for the panel's chromium tests: what the fake host saw, messages from the host, themes and contrast.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import type { HostToPanelMessage, PanelToHostMessage } from '../../../src/webview/protocol';
import { openPanel, startHarness, type Harness, type OpenedPanel, type ThemeName } from './webviewHarness';

export const THEMES: { name: ThemeName; bodyClass: string }[] = [
	{ name: 'dark', bodyClass: 'vscode-dark' },
	{ name: 'light', bodyClass: 'vscode-light' },
	{ name: 'high-contrast', bodyClass: 'vscode-high-contrast' },
	{ name: 'high-contrast-light', bodyClass: 'vscode-high-contrast-light' },
];

/** WCAG 2 contrast ratio of two `rgb()`/`rgba()` colours as getComputedStyle gives them (opaque ones). */
export function contrast(a: string, b: string): number {
	const luminance = (color: string) => {
		const [r, g, bl] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((v) => {
			const c = v / 255;
			return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
		});
		return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
	};
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (hi + 0.05) / (lo + 0.05);
}

/** The first opaque background at or above an element, as the eye sees it behind the text. */
export async function effectiveBackground(page: Page, selector: string): Promise<string> {
	return page.evaluate((sel) => {
		let node: Element | null = document.querySelector(sel);
		while (node) {
			const bg = getComputedStyle(node).backgroundColor;
			if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) {
				// A translucent block over the card: blend it over the card's colour.
				const alpha = /rgba\([^)]*,\s*([\d.]+)\)/.exec(bg);
				if (!alpha) return bg;
				const under = node.parentElement ? getComputedStyle(node.parentElement.closest('.approval') ?? document.body).backgroundColor : 'rgb(255,255,255)';
				const [r, g, b] = (bg.match(/[\d.]+/g) ?? []).map(Number);
				const [ur, ug, ub] = (under.match(/[\d.]+/g) ?? []).map(Number);
				const a = Number(alpha[1]);
				return `rgb(${Math.round(r * a + ur * (1 - a))}, ${Math.round(g * a + ug * (1 - a))}, ${Math.round(b * a + ub * (1 - a))})`;
			}
			node = node.parentElement;
		}
		return getComputedStyle(document.body).backgroundColor;
	}, selector);
}

export function posted(page: Page): Promise<PanelToHostMessage[]> {
	return page.evaluate(() => (window as unknown as { __posted: PanelToHostMessage[] }).__posted);
}

export async function waitForPosted(page: Page, predicate: (message: PanelToHostMessage) => boolean, what: string): Promise<PanelToHostMessage> {
	const deadline = Date.now() + 5000;
	for (;;) {
		const found = (await posted(page)).find(predicate);
		if (found) {
			return found;
		}
		if (Date.now() > deadline) {
			throw new Error(`the panel never posted ${what}; posted: ${JSON.stringify((await posted(page)).map((m) => m.type))}`);
		}
		await page.waitForTimeout(20);
	}
}

export function sendFromHost(page: Page, message: HostToPanelMessage): Promise<void> {
	return page.evaluate((m) => (window as unknown as { __host: { send(m: HostToPanelMessage): void } }).__host.send(m), message);
}

/** No console errors, page errors or CSP violations. */
export async function assertClean(opened: OpenedPanel): Promise<void> {
	const violations = await opened.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
	assert.deepEqual([...opened.problems, ...violations], []);
}

export async function withPanel(harness: Harness, params: Record<string, string>, body: (opened: OpenedPanel) => Promise<void>): Promise<void> {
	const opened = await openPanel(harness, params);
	try {
		await body(opened);
		await assertClean(opened);
	} finally {
		await opened.page.close();
	}
}


/**
 * One chromium harness for the test file that calls this at its top: started before its tests, closed after them.
 * Returns `withPanel` on that harness.
 */
export function usePanelHarness(): (params: Record<string, string>, body: (opened: OpenedPanel) => Promise<void>) => Promise<void> {
	let harness: Harness | undefined;
	before(async () => {
		harness = await startHarness();
	});
	after(async () => {
		await harness?.close();
	});
	return (params, body) => {
		if (!harness) throw new Error('the panel harness starts in the file\'s before hook; open panels inside tests');
		return withPanel(harness, params, body);
	};
}
