import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { ensureServerStarted, findOurTool, harness, hasUi, invokeOurToolText, ui, waitFor } from './helpers';

const SAMPLE_ID = 'mcp-workbench-samples.devops-tools';
const SAMPLE_NAME = 'DevOps Tools for MCP Workbench';

/** What the stand-in kubectl/docker recorded (one JSON array of program and arguments per line). */
function standinCalls(): string[][] {
	const log = process.env.STANDIN_LOG;
	if (!log || !existsSync(log)) return [];
	return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as string[]);
}

/** Every audit record on disk, in the profile's workspace storage (the harness's user-data folder). */
function auditRecords(): { tool: string; extension?: string; decision: string; outcome: string; summary?: string }[] {
	if (!harness.extensionsDir) return [];
	const storage = join(dirname(harness.extensionsDir), 'user-data', 'User', 'workspaceStorage');
	const files: string[] = [];
	for (const workspace of existsSync(storage) ? readdirSync(storage) : []) {
		const folder = join(storage, workspace, 'mcp-workbench.mcp-workbench', 'audit');
		if (existsSync(folder)) files.push(...readdirSync(folder).filter((name) => name.endsWith('.jsonl')).map((name) => join(folder, name)));
	}
	return files.flatMap((file) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as never));
}

async function setDisabled(ids: string[]): Promise<void> {
	await vscode.workspace.getConfiguration('mcpWorkbench').update('tools.disabledExtensions', ids, vscode.ConfigurationTarget.Global);
}

// Issue 15 in the real editor: another extension (examples/devops-tools, installed beside ours) adds tools through
// our API; they reach VS Code's MCP client and pass our gate: the read tool runs at once, kubectl_scale waits in our
// sidebar, and the audit names the extension.
describe('tools contributed by another extension', function () {
	this.timeout(180_000);

	before(function () {
		if (!hasUi() || !harness.trusted || !vscode.extensions.getExtension(SAMPLE_ID)) this.skip();
	});

	after(() => setDisabled([]));

	it('lists the sample extension\'s tools in VS Code next to ours', async () => {
		await ensureServerStarted();
		await waitFor(() => findOurTool('kubectl_scale') && findOurTool('system_metrics'), 'the sample\'s tools in vscode.lm.tools', 90_000);
	});

	it('runs its read tool without asking, and holds kubectl_scale in our sidebar until Approve', async () => {
		const metrics = await invokeOurToolText('system_metrics', {});
		assert.equal(metrics.isError, false, metrics.text);
		// VS Code hands back the structured content, the text, or both.
		assert.match(metrics.text, /CPU: \d+ cores|"cores":\d+/);

		const call = invokeOurToolText('kubectl_scale', { deployment: 'web', replicas: 3, namespace: 'shop' });
		let settled = false;
		void call.then(() => (settled = true), () => (settled = true));
		await vscode.commands.executeCommand('mcpWorkbench.panel.focus');
		const { text: card } = await ui<{ text: string }>('waitForVisible', { selector: '[data-testid="approval-card"]:has-text("kubectl_scale")', scope: 'webviews', timeoutMs: 60_000 });
		assert.match(card, new RegExp(`${SAMPLE_NAME}: scale deployment web to 3 replicas in namespace shop`));
		assert.equal(settled, false, 'the call waits for the decision');
		assert.deepEqual(standinCalls().filter(([program]) => program === 'kubectl'), [], 'kubectl did not run before approval');
		await ui('screenshot', { name: 'contributed-tool-approval' });
		await ui('click', { selector: '[data-testid="approval-card"] [data-testid="approve"]', scope: 'webviews' });
		const result = await call;
		assert.equal(result.isError, false, result.text);
		assert.match(result.text, /Scaled deployment\/web to 3/);
		assert.deepEqual(standinCalls().filter(([program]) => program === 'kubectl'), [['kubectl', 'scale', 'deployment/web', '--replicas=3', '--namespace', 'shop']]);

		// The panel lists the contributed tools under the extension's name.
		const { text: listed } = await ui<{ text: string }>('waitForVisible', { selector: `[data-testid="extension"][data-extension-id="${SAMPLE_ID}"]`, scope: 'webviews' });
		assert.match(listed, new RegExp(SAMPLE_NAME));
		assert.match(listed, /kubectl_scale/);
		assert.match(listed, /sqlite_query/);

		const records = await waitFor(() => {
			const found = auditRecords().filter((record) => record.tool === 'system_metrics' || record.tool === 'kubectl_scale');
			return found.length >= 2 ? found : undefined;
		}, 'both calls in the audit');
		const metricsRecord = records.find((record) => record.tool === 'system_metrics');
		const scaleRecord = records.find((record) => record.tool === 'kubectl_scale');
		assert.equal(metricsRecord?.extension, SAMPLE_ID);
		assert.equal(metricsRecord?.decision, 'allow');
		assert.equal(scaleRecord?.extension, SAMPLE_ID);
		assert.equal(scaleRecord?.decision, 'approve');
		assert.equal(scaleRecord?.outcome, 'ok');
	});

	it('takes the sample\'s tools out of tools/list when the user switches them off, without a restart', async () => {
		await setDisabled([SAMPLE_ID]);
		await waitFor(() => !findOurTool('system_metrics') && !findOurTool('kubectl_scale'), 'the sample\'s tools gone from vscode.lm.tools', 60_000);
		assert.ok(findOurTool('workspace_info'), 'our own tools stay');
		await setDisabled([]);
		// A changed definition version makes VS Code restart the server lazily, at its next use (a chat request); the
		// test starts it as that request would.
		let lastAsked = 0;
		await waitFor(() => {
			if (Date.now() - lastAsked > 5_000) {
				lastAsked = Date.now();
				vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true }).then(undefined, () => undefined);
			}
			return findOurTool('system_metrics');
		}, 'the sample\'s tools back in vscode.lm.tools', 60_000);
	});
});
