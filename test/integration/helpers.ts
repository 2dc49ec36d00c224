// Shared by the integration suites: what the harness told the extension host, polling with deadlines, and the UI
// bridge through which a test asks the window (Playwright) to click, type or take a screenshot.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'mcp-workbench.mcp-workbench';
export const SERVER_LABEL = 'MCP Workbench';

/** Set by scripts/integrationTests.mjs when it starts the editor; absent under @vscode/test-electron. */
export const harness = {
	uiBridge: process.env.MCP_WORKBENCH_UI_BRIDGE,
	uiBridgeToken: process.env.MCP_WORKBENCH_UI_BRIDGE_TOKEN,
	extensionsDir: process.env.MCP_WORKBENCH_TEST_EXTENSIONS_DIR,
	workspace: process.env.MCP_WORKBENCH_TEST_WORKSPACE,
	/** False in a restricted-mode (untrusted workspace) run: `npm run test:integration -- --restricted`. */
	trusted: process.env.MCP_WORKBENCH_TEST_TRUSTED !== '0',
};

/** Polls until `check` returns a value other than undefined/false; the error names what was awaited. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
			throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${cause}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

export function hasUi(): boolean {
	return harness.uiBridge !== undefined;
}

/**
 * Asks the Playwright side to act (see test/integration/README.md for the actions). Resolves with the action's
 * result once it is done; rejects with the window's error message.
 */
export async function ui<T = unknown>(action: string, args: Record<string, unknown> = {}): Promise<T> {
	if (!harness.uiBridge) throw new Error(`UI action "${action}" needs the code-server harness (npm run test:integration)`);
	const response = await fetch(`${harness.uiBridge}/${encodeURIComponent(action)}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${harness.uiBridgeToken}`, 'content-type': 'application/json' },
		body: JSON.stringify(args),
	});
	const body = (await response.json()) as { result?: T; error?: string };
	if (!response.ok) throw new Error(`UI action "${action}" failed: ${body.error ?? response.status}`);
	return body.result as T;
}

/** Which page load of the window this is (the harness may reload it once), and what the first load handed over. */
export interface WindowLoad {
	readonly load: number;
	/** After a reload: the tests to run (a mocha grep) and what the test that asked for the reload left for them. */
	readonly grep?: string;
	readonly state?: Record<string, unknown>;
}

/** Asks the harness which load this is; without the harness (VS Code desktop) there is only the first. */
export async function windowLoad(): Promise<WindowLoad> {
	return hasUi() ? ui<WindowLoad>('windowLoad') : { load: 1 };
}

/**
 * Our MCP tool as VS Code lists it (`mcp_<provider id>_<tool>`), matched by suffix so the prefix may change. Not the
 * same tool through a project's .mcp.json (VS Code starts those too, as `mcp_workspace-dot-mcp…`): that path goes
 * through the stdio launcher with the token of whichever client "Connect a Client…" wrote it for.
 */
export function findOurTool(tool: string): vscode.LanguageModelToolInformation | undefined {
	return vscode.lm.tools.find((info) => info.name.startsWith('mcp_') && !info.name.startsWith('mcp_workspace-dot-mcp') && info.name.endsWith(`_${tool}`));
}

/**
 * Starts our server from code unless an earlier test already did (VS Code starts MCP servers lazily), and waits
 * until VS Code's MCP client has listed its tools.
 */
export async function ensureServerStarted(): Promise<void> {
	if (findOurTool('workspace_info')) return;
	// Asked again every few seconds: a request made before our provider reached VS Code's list starts nothing. Not
	// awaited on its own: a start that waits on a prompt nobody answers would otherwise hang the test.
	let lastAsked = 0;
	await waitFor(() => {
		if (Date.now() - lastAsked > 5_000) {
			lastAsked = Date.now();
			vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true }).then(undefined, () => undefined);
		}
		return findOurTool('workspace_info');
	}, 'workspace_info in vscode.lm.tools after workbench.mcp.startServer', 90_000);
}

/** Calls one of our tools the way agent mode does, through VS Code's MCP client, and parses its JSON answer. */
export async function invokeOurTool<T>(tool: string, input: object): Promise<T> {
	const info = findOurTool(tool);
	if (!info) throw new Error(`${tool} is not in vscode.lm.tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
	const cancel = new vscode.CancellationTokenSource();
	try {
		const result = await vscode.lm.invokeTool(info.name, { input, toolInvocationToken: undefined }, cancel.token);
		return parseJsonResult<T>(result);
	} finally {
		cancel.dispose();
	}
}

// VS Code may hand back more than one text part (the JSON text, a rendering of structured content): take the first
// that parses.
function parseJsonResult<T>(result: vscode.LanguageModelToolResult): T {
	const texts = result.content.flatMap((part) => (part instanceof vscode.LanguageModelTextPart ? [part.value] : []));
	for (const text of texts) {
		try {
			return JSON.parse(text) as T;
		} catch {
			// Not JSON: try the next part.
		}
	}
	throw new Error(`no JSON part in the tool result: ${JSON.stringify(texts).slice(0, 500)}`);
}

/**
 * Calls one of our tools and returns its text. VS Code's tool API has no isError flag: a failed MCP call either
 * throws or comes back as text, so both are folded into `isError` here (our refusals start with these words).
 */
export async function invokeOurToolText(tool: string, input: object): Promise<{ isError: boolean; text: string }> {
	const info = findOurTool(tool);
	if (!info) throw new Error(`${tool} is not in vscode.lm.tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
	const cancel = new vscode.CancellationTokenSource();
	try {
		const result = await vscode.lm.invokeTool(info.name, { input, toolInvocationToken: undefined }, cancel.token);
		const text = result.content.flatMap((part) => (part instanceof vscode.LanguageModelTextPart ? [part.value] : [])).join('\n');
		return { isError: /^(Not run|Denied by policy|Invalid arguments|Tool "[^"]+" is not available|[\w_]+ (failed|timed out))/.test(text), text };
	} catch (error) {
		return { isError: true, text: error instanceof Error ? error.message : String(error) };
	} finally {
		cancel.dispose();
	}
}

/** The window's first workspace folder (the temp copy of the sample workspace). */
export function workspaceFolder(): string {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
	if (!folder) throw new Error('no workspace folder open');
	return folder;
}

/** Where keyboard focus is, as the window's `focused` action describes it (innermost focused frame). */
export interface FocusedElement {
	readonly testId: string | null;
	readonly tag: string;
	readonly text: string;
	readonly ariaLabel: string | null;
	readonly approvalId: string | null;
}

export async function focusedElement(): Promise<FocusedElement | null> {
	return (await ui<{ focused: FocusedElement | null }>('focused', { scope: 'webviews' })).focused;
}

/** Waits until keyboard focus is on an element `matches` accepts; the error says where focus was instead. */
export async function waitForFocus(matches: (focused: FocusedElement) => boolean, what: string, timeoutMs = 20_000): Promise<FocusedElement> {
	let last: FocusedElement | null = null;
	try {
		return await waitFor(async () => {
			last = await focusedElement();
			return last && matches(last) ? last : undefined;
		}, what, timeoutMs);
	} catch (error) {
		throw new Error(`${(error as Error).message}; focus was on ${JSON.stringify(last)}`);
	}
}

/** Opens our sidebar panel and waits for its webview to draw. */
export async function showPanel(): Promise<void> {
	await vscode.commands.executeCommand('mcpWorkbench.panel.focus');
	await ui('waitForVisible', { selector: '[data-testid="audit-list"]', scope: 'webviews' });
}

/** Shows the Explorer in the side bar instead of our panel: a waiting call then raises a notification. */
export async function hidePanel(): Promise<void> {
	await vscode.commands.executeCommand('workbench.view.explorer');
	await waitFor(async () => (await ui<{ texts: string[] }>('texts', { selector: '[data-testid="audit-list"]', scope: 'webviews' })).texts.length === 0, 'our panel to be hidden');
}

// VS Code shows no notification toasts while the smoke-test driver runs (NotificationsToasts.addToast returns early on
// enableSmokeTestDriver), and the harness needs that driver: the notification is read and clicked where it is still
// listed, in the Notifications Center. A notification with actions is always expanded there, buttons included.
function notificationItem(text: string): string {
	return `.notifications-center .notification-list-item:has-text(${JSON.stringify(text)})`;
}

/** The buttons of the notification whose text contains `text` (waits for it in the Notifications Center). */
export async function notificationButtons(text: string, timeoutMs = 30_000): Promise<string[]> {
	await vscode.commands.executeCommand('notifications.showList');
	try {
		await ui('waitForVisible', { selector: notificationItem(text), scope: 'workbench', timeoutMs });
		return (await ui<{ texts: string[] }>('texts', { selector: `${notificationItem(text)} .monaco-button`, scope: 'workbench' })).texts;
	} finally {
		await vscode.commands.executeCommand('notifications.hideList');
	}
}

/** Clicks the button labelled `label` on the notification whose text contains `text`. */
export async function clickNotificationButton(text: string, label: string): Promise<void> {
	await vscode.commands.executeCommand('notifications.showList');
	await ui('click', { selector: `${notificationItem(text)} .monaco-button:has-text(${JSON.stringify(label)})`, scope: 'workbench' });
}

/**
 * Denies every call still waiting (a failed test must not leave cards that later tests would find first). The panel
 * is shown so the cards can be counted; Deny is always safe.
 */
export async function denyAllWaiting(): Promise<void> {
	await showPanel();
	const count = async () => (await ui<{ texts: string[] }>('texts', { selector: '[data-testid="approval-card"]', scope: 'webviews' })).texts.length;
	for (let left = await count(); left > 0; ) {
		await vscode.commands.executeCommand('mcpWorkbench.denyOldest');
		const before = left;
		left = await waitFor(async () => {
			const now = await count();
			return now < before ? now : undefined;
		}, 'a waiting card to close after Deny Oldest');
	}
}

/**
 * A computed colour as [r, g, b, alpha] on 0..255 (alpha 0..1): `rgb()`/`rgba()`, and `color(srgb r g b / a)` with
 * channels on 0..1, which Chromium gives for colours mixed by color-mix().
 */
export function parseColor(color: string): [number, number, number, number] {
	const numbers = (color.match(/-?[\d.]+/g) ?? []).map(Number);
	const scale = color.trim().startsWith('color(') ? 255 : 1;
	const [r = 0, g = 0, b = 0] = numbers.slice(0, 3).map((v) => v * scale);
	return [r, g, b, numbers[3] ?? 1];
}

/**
 * WCAG 2 contrast ratio of a colour drawn on an opaque background, as getComputedStyle gives them. A translucent
 * foreground (a border at 33% alpha) is blended onto the background first: that is the colour a person sees.
 */
export function contrast(foreground: string, background: string): number {
	const [br, bg, bb] = parseColor(background);
	const [fr, fg, fb, alpha] = parseColor(foreground);
	const seen = [fr * alpha + br * (1 - alpha), fg * alpha + bg * (1 - alpha), fb * alpha + bb * (1 - alpha)];
	const luminance = (channels: number[]) => {
		const [r, g, bl] = channels.map((v) => {
			const c = v / 255;
			return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
		});
		return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
	};
	const [hi, lo] = [luminance(seen), luminance([br, bg, bb])].sort((x, y) => y - x);
	return (hi + 0.05) / (lo + 0.05);
}

/** Rendered colours of the first visible match in our webview (see the window's `styles` action). */
export async function renderedStyles(selector: string, properties: string[]): Promise<{ styles: Record<string, string>; background: string }> {
	return ui('styles', { selector, properties, scope: 'webviews' });
}

/**
 * Waits for `step` while `call` is meant to be waiting for a person: if the call ends first (refused, failed), the
 * error says how it ended instead of timing out on what never came.
 */
export async function whileWaiting<T>(call: Promise<{ isError: boolean; text: string }>, step: Promise<T>): Promise<T> {
	step.catch(() => undefined);
	const ended = call.then((result) => {
		throw new Error(`the call ended before a person decided: ${result.isError ? 'error' : 'ok'}: ${result.text.slice(0, 500)}`);
	});
	ended.catch(() => undefined);
	return Promise.race([step, ended]);
}
