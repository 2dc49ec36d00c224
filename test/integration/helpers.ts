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

/** Our MCP tool as VS Code lists it (`mcp_<provider id>_<tool>`), matched by suffix so the prefix may change. */
export function findOurTool(tool: string): vscode.LanguageModelToolInformation | undefined {
	return vscode.lm.tools.find((info) => info.name.startsWith('mcp_') && info.name.endsWith(`_${tool}`));
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
