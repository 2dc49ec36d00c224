// Entry point of the integration suite inside the extension host: the @vscode/test-electron contract (a `run()`
// export), used as-is by the code-server harness through the smoke-test driver's extensionTestsPath.
import Mocha from 'mocha';
import { format } from 'node:util';
import { windowLoad, type WindowLoad } from './helpers';

// In run order. The suites are bundled into this file; the dynamic imports keep each one from evaluating before
// mocha has put `describe`/`it` on the global object.
const testSuites = [
	() => import('./activation.test'),
	// Before any tool call: it opens the panel on an empty audit.
	() => import('./auditLive.test'),
	() => import('./editorClient.test'),
	() => import('./mcpServer.test'),
	() => import('./sidebar.test'),
	() => import('./git.test'),
	() => import('./approvals.test'),
	() => import('./singlePrompt.test'),
	() => import('./approvalUx.test'),
	() => import('./newUser.test'),
	() => import('./extensionApi.test'),
	() => import('./files.test'),
	() => import('./terminal.test'),
	() => import('./prompts.test'),
	() => import('./connectClient.test'),
];

// After a test asked the harness to reload the window (connectClient.test.ts), the new extension host runs the
// tests that check what survived the reload, with the grep that test named.
const afterReloadSuites = [() => import('./afterReload.test')];

// `npm run bench -- vscode` (MCP_WORKBENCH_SUITE=bench, set by the harness) times calls instead of testing.
function suitesFor(load: WindowLoad): { suites: (() => Promise<unknown>)[]; grep?: string } {
	if (process.env.MCP_WORKBENCH_SUITE === 'bench') return { suites: [() => import('./bench.suite')] };
	if (load.load > 1) return { suites: afterReloadSuites, grep: load.grep };
	return { suites: testSuites, grep: process.env.MCP_WORKBENCH_GREP || undefined };
}

// Marks the report's lines, so the harness can tell them from the window's own console noise.
const REPORT_PREFIX = '[integration] ';

function report(...args: unknown[]): void {
	for (const line of format(...args).split('\n')) console.log(`${REPORT_PREFIX}${line}`);
}

export async function run(): Promise<void> {
	Mocha.reporters.Base.consoleLog = report;
	// MCP_WORKBENCH_GREP=terminal runs only the tests whose full title matches (set in the harness's environment).
	const { suites, grep } = suitesFor(await windowLoad());
	const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, grep });
	mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'integration', mocha);
	for (const load of suites) await load();
	const stats = await new Promise<Mocha.Stats>((resolve) => {
		const runner = mocha.run(() => resolve(runner.stats ?? { passes: 0, failures: 1, pending: 0 } as Mocha.Stats));
	});
	// The closing line CI reads, alone on a line.
	report(`integration: ${stats.passes} passed, ${stats.failures} failed${stats.pending ? `, ${stats.pending} skipped` : ''}`);
	if (stats.failures > 0) throw new Error(`${stats.failures} integration test(s) failed`);
}
