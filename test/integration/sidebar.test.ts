import * as assert from 'node:assert/strict';
import { ensureServerStarted, harness, hasUi, invokeOurTool, ui } from './helpers';

// Also the proof that the UI bridge reaches into webviews (nested iframes), where approval tests click.
describe('sidebar panel', function () {
	this.timeout(120_000);

	it('shows the approvals and audit panel in its webview', async function () {
		if (!hasUi()) this.skip();
		await ui('runCommand', { title: 'MCP Workbench: Show Approvals and Audit' });
		await ui('waitForVisible', { selector: '[data-testid="audit-list"]', scope: 'webviews' });
		await ui('screenshot', { name: 'sidebar-panel' });
	});

	it('lists a call made through VS Code in the audit history', async function () {
		// Restricted runs cannot start the server (see mcpServer.test.ts).
		if (!hasUi() || !harness.trusted) this.skip();
		await ensureServerStarted();
		await invokeOurTool('workspace_info', {});
		await ui('runCommand', { title: 'MCP Workbench: Show Approvals and Audit' });
		const { text } = await ui<{ text: string }>('waitForVisible', { selector: '[data-testid="audit-list"] >> text=workspace_info', scope: 'webviews' });
		assert.match(text, /workspace_info/);
		await ui('screenshot', { name: 'sidebar-audit' });
	});
});
