import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ensureServerStarted, EXTENSION_ID, harness, hasUi, ui, waitFor } from './helpers';

interface Api {
	editorRequests(): Readonly<Record<string, number>>;
}

const QUICK_INPUT = '.quick-input-widget .quick-input-box input';

function api(): Api {
	const exported = vscode.extensions.getExtension<Api>(EXTENSION_ID)?.exports;
	assert.ok(exported, 'the extension exports its API');
	return exported;
}

describe('MCP prompts and resources inside VS Code', function () {
	this.timeout(120_000);

	after(async () => {
		if (hasUi()) await ui('closeQuickInput');
	});

	it("VS Code's own MCP client lists our prompts (its slash commands /mcp.<server>.<prompt>)", async function () {
		// Restricted mode: VS Code asks for trust before it starts any MCP server, and tests cannot answer.
		if (!harness.trusted) this.skip();
		await ensureServerStarted();
		// The server counts what each credential asked for: VS Code's client fetches the prompts of a server that
		// declares the prompts capability when it starts it, to offer them as slash commands.
		const requests = await waitFor(() => {
			const seen = api().editorRequests();
			return (seen['prompts/list'] ?? 0) > 0 ? seen : undefined;
		}, 'prompts/list from VS Code\'s MCP client', 60_000);
		assert.ok((requests['tools/list'] ?? 0) > 0, JSON.stringify(requests));
	});

	it('shows our resources in MCP: Browse Resources..., read through the resource list and templates', async function () {
		if (!harness.trusted || !hasUi()) this.skip();
		await ensureServerStarted();
		const before = api().editorRequests();
		await ui('runCommand', { title: 'MCP: Browse Resources...' });
		// VS Code's client asks our server for its resources and templates to fill the picker.
		await waitFor(() => {
			const seen = api().editorRequests();
			return (seen['resources/list'] ?? 0) > (before['resources/list'] ?? 0) || (seen['resources/templates/list'] ?? 0) > (before['resources/templates/list'] ?? 0);
		}, 'resources/list or resources/templates/list from VS Code\'s MCP client', 60_000);
		// The picker shows templates with their URI template (the list is virtual: only the first rows are drawn).
		const { rows } = await ui<{ rows: string[] }>('waitForQuickPickRow', { text: 'git://diff{?repository,staged,path}', timeoutMs: 30_000 });
		assert.ok(rows.some((row) => row.includes('Resource template: command://{id}/output')), JSON.stringify(rows));
		await ui('screenshot', { name: 'mcp-browse-resources' });
		await ui('closeQuickInput');
	});

	it("asks our server for completions of a resource template's variable as the user types it (completion/complete)", async function () {
		if (!harness.trusted || !hasUi()) this.skip();
		await ensureServerStarted();
		const completions = (): number => api().editorRequests()['completion/complete'] ?? 0;
		const before = completions();
		await ui('runCommand', { title: 'MCP: Browse Resources...' });
		// Filter the picker down to our metrics resources and template (it is quick access under the prefix 'mcpr ').
		await ui('fill', { selector: QUICK_INPUT, value: 'mcpr metrics' });
		await ui('clickQuickPickRow', { text: 'metrics://{format}' });
		// Picking a template makes VS Code ask for each variable in the same quick input, completing the empty value at once.
		const opened = await waitFor(() => completions() > before && completions(), 'completion/complete for the empty {format}', 30_000);
		await ui('fill', { selector: QUICK_INPUT, value: 'prom' });
		// Typing resets the rows to the typed text; the row 'prometheus' comes only from our completer's answer for 'prom'.
		await waitFor(() => completions() > opened, "completion/complete for 'prom'", 30_000);
		const { rows } = await ui<{ rows: string[] }>('waitForQuickPickRow', { text: 'prometheus', timeoutMs: 30_000 });
		assert.ok(!rows.some((row) => row.includes('tools')), `the answer for 'prom' left out 'tools': ${JSON.stringify(rows)}`);
		await ui('screenshot', { name: 'mcp-resource-template-completion' });
		await ui('closeQuickInput');
	});

	it("asks our server for completions of a prompt's argument when the prompt starts from its chat slash command", async function () {
		if (!harness.trusted || !hasUi()) this.skip();
		await ensureServerStarted();
		const completions = (): number => api().editorRequests()['completion/complete'] ?? 0;
		const before = completions();
		await ui('click', { selector: '.interactive-input-part .monaco-editor', scope: 'workbench' });
		for (const key of '/mcp.') await ui('press', { key });
		// Accepting the suggestion runs VS Code's parameterized-prompt flow: one quick input step per argument.
		await ui('click', { selector: '.suggest-widget .monaco-list-row:has-text("commit_message")', scope: 'workbench' });
		await ui('fill', { selector: QUICK_INPUT, value: 'src' });
		await waitFor(() => completions() > before, "completion/complete for commit_message's first argument", 30_000);
		// Our path completer's answer for 'src' (a file of the sample workspace), shown under VS Code's 'Suggestions'.
		await ui('waitForQuickPickRow', { text: 'src/greet.js', timeoutMs: 30_000 });
		await ui('screenshot', { name: 'mcp-prompt-argument-completion' });
		await ui('closeQuickInput');
	});
});
