// `npm run test:integration`: builds the VSIX, installs it into a fresh profile of a real VS Code (code-server),
// opens a temp copy of the sample workspace in headless chromium, and runs the mocha suite (out/integration/index.js)
// inside the extension host. The suite asks this process to act on the window through the UI bridge.
//
// Options: --restricted  open the workspace untrusted (restricted mode)
//          --keep        keep the temp profile and workspace for a look afterwards
// Environment: MCP_WORKBENCH_VSIX=path   test this VSIX instead of building ours
//              MCP_WORKBENCH_TEST_TIMEOUT_MS   deadline for the whole suite (default 10 minutes)
//              MCP_WORKBENCH_CACHE   where Node 24 and code-server are installed (default ~/.cache/mcp-workbench)
//              MCP_WORKBENCH_GREP=text   run only the tests whose full title matches (a regular expression)
//              MCP_WORKBENCH_TRACE=1   trace-level logs in the window (the terminal's shell-integration sequences)
//              MCP_WORKBENCH_SUITE=bench   run test/integration/bench.suite.ts instead of the tests (bench/vscode.bench.ts)
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { installExample } from './exampleTests.mjs';
import { createExternalClientActions } from './externalClient.mjs';
import { ensurePrerequisites, NEEDS } from './prerequisites.mjs';
import {
	createSampleWorkspace, createUiActions, ensureCodeServer, findChromium, HarnessError, installExtension, launchBrowser,
	log, makeTempDir, openWorkbench, projectRoot, removeDir, startCodeServer, startUiBridge, withCleanup, withTimeout,
	workbenchUrl, writeDriverExtension, writeUserSettings,
} from './vscodeHarness.mjs';

const args = new Set(process.argv.slice(2));
const trusted = !args.has('--restricted');
const keep = args.has('--keep');
const suiteTimeoutMs = Number(process.env.MCP_WORKBENCH_TEST_TIMEOUT_MS) || 10 * 60_000;
// Must match REPORT_PREFIX in test/integration/index.ts.
const REPORT_PREFIX = '[integration] ';
// The suite's closing line (run() in test/integration/index.ts).
const CLOSING_LINE = /^integration: \d+ passed/;
const bench = process.env.MCP_WORKBENCH_SUITE === 'bench';
const artifactsDir = join(projectRoot, 'test-results', bench ? 'integration-bench' : trusted ? 'integration' : 'integration-restricted');
// The bench's floor server is registered from the suite, and VS Code accepts an MCP server definition provider only
// from an extension that declares it: the bundle runs from inside the driver, so its `vscode` is the driver's.
const benchContributes = { mcpServerDefinitionProviders: [{ id: 'benchFloor', label: 'Bench Floor' }] };

function step(what, fn) {
	const started = Date.now();
	return Promise.resolve(fn()).then((value) => {
		log(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
		return value;
	});
}

function npmRun(script) {
	const result = spawnSync('npm', ['run', '--silent', script], { cwd: projectRoot, stdio: 'inherit', timeout: 10 * 60_000 });
	if (result.status !== 0) throw new HarnessError(`npm run ${script} failed (${result.signal ?? `exit ${result.status}`})`);
}

function buildVsix() {
	if (process.env.MCP_WORKBENCH_VSIX) return resolve(process.env.MCP_WORKBENCH_VSIX);
	npmRun('package');
	const vsix = join(projectRoot, 'mcp-workbench.vsix');
	if (!existsSync(vsix)) throw new HarnessError(`npm run package did not produce ${vsix}`);
	return vsix;
}

const SAMPLE = join(projectRoot, 'examples', 'devops-tools');

/** The sample extension that adds tools through our API (examples/devops-tools), installed beside ours. */
function buildSampleVsix() {
	installExample(SAMPLE);
	const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
	const out = join(SAMPLE, 'devops-tools.vsix');
	for (const [command, args] of [['node', ['esbuild.mjs']], [join(projectRoot, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', out]]]) {
		const result = spawnSync(command, args, { cwd: SAMPLE, stdio: 'inherit', env, timeout: 5 * 60_000 });
		if (result.status !== 0) throw new HarnessError(`building the sample extension failed: ${command} ${args.join(' ')}`);
	}
	return out;
}

/**
 * Stand-in kubectl and docker (no cluster or engine here) first on the extension host's PATH: they record their
 * arguments in STANDIN_LOG, so the suite sees exactly what an approved call ran.
 */
function writeStandins(dir) {
	const bin = join(dir, 'bin');
	mkdirSync(bin, { recursive: true });
	// A wrapper naming this node and the log: the extension host's environment is VS Code's resolved shell
	// environment (its PATH, not ours), so the sample is pointed at the wrappers through its settings.
	const standin = join(SAMPLE, 'test', 'standins', 'standin.mjs');
	const log = join(dir, 'calls.log');
	const settings = {};
	for (const program of ['kubectl', 'docker']) {
		writeFileSync(join(bin, program), `#!/bin/sh\nSTANDIN_PROGRAM=${program} STANDIN_LOG='${log}' STANDIN_DIR='${dir}' exec '${process.execPath}' '${standin}' "$@"\n`);
		chmodSync(join(bin, program), 0o755);
		settings[`devopsTools.${program}Path`] = join(bin, program);
	}
	return { env: { STANDIN_LOG: log }, settings };
}

async function main() {
	const started = Date.now();
	// Cheap checks first: a missing browser fails in a second, not after the builds.
	ensurePrerequisites('npm run test:integration', NEEDS.integration);
	const chromiumPath = findChromium();
	const vsix = await step('build the VSIX', buildVsix);
	await step('bundle the integration suite', () => import('./buildIntegration.mjs'));
	const bundlePath = join(projectRoot, 'out', 'integration', 'index.js');
	const codeServer = await step('code-server ready (cache)', ensureCodeServer);
	removeDir(artifactsDir);
	mkdirSync(artifactsDir, { recursive: true });

	const exitCode = await withCleanup(async (onCleanup) => {
		const temp = await makeTempDir('mcp-workbench-it-');
		if (keep) log(`keeping ${temp}`);
		else onCleanup(() => removeDir(temp));
		const dirs = {
			userDataDir: join(temp, 'user-data'),
			extensionsDir: join(temp, 'extensions'),
			scratchDir: join(temp, 'scratch'),
		};
		// The extension host's own logs (our output channel among them) live with code-server, not in the page: kept
		// beside the screenshots, after code-server has stopped and flushed them (cleanups run last registered first).
		onCleanup(() => {
			// None when code-server never started: nothing to keep, and no "cleanup failed" beside the real failure.
			if (existsSync(join(dirs.userDataDir, 'logs'))) cpSync(join(dirs.userDataDir, 'logs'), join(artifactsDir, 'server-logs'), { recursive: true });
		});
		const workspace = createSampleWorkspace(join(temp, 'sample-workspace'));
		const driver = writeDriverExtension(join(temp, 'test-driver'), bench ? { contributes: benchContributes } : {});
		let testsPath = bundlePath;
		if (bench) {
			testsPath = join(driver, 'out', 'index.js');
			mkdirSync(join(driver, 'out'));
			copyFileSync(bundlePath, testsPath);
		}
		const standins = writeStandins(join(temp, 'standins'));
		writeUserSettings(dirs.userDataDir, bench ? {} : standins.settings);
		const serverLog = join(artifactsDir, 'code-server.log');
		await step('install the VSIX into a fresh profile', () => installExtension(codeServer, { vsix, ...dirs, logFile: serverLog }));
		if (!bench) {
			const sample = await step('build the sample extension (examples/devops-tools)', buildSampleVsix);
			await step('install the sample extension beside ours', () => installExtension(codeServer, { vsix: sample, ...dirs, logFile: serverLog }));
		}

		const browser = await step('launch chromium', () => launchBrowser(chromiumPath));
		onCleanup(() => browser.close());
		const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
		const actions = createUiActions(page, { artifactsDir });
		const external = createExternalClientActions({ env: process.env });
		onCleanup(() => external.close());
		// A test may ask for the window to be reloaded once the suite is done (it cannot reload its own extension host
		// and go on): the page loads again, the suite runs again in the new extension host with the grep it named, and
		// `windowLoad` tells the two loads apart. What it hands over (`state`) comes back in the next load.
		let load = 0;
		let reload;
		const bridge = await startUiBridge({
			...actions,
			...external.actions,
			async windowLoad() {
				return { load, ...(load > 1 && reload ? { grep: reload.grep, state: reload.state } : {}) };
			},
			async reloadAfterSuite({ grep, state }) {
				if (load > 1) throw new Error('the window is reloaded once per run');
				reload = { grep, state };
				return { load };
			},
		});
		onCleanup(() => bridge.close());

		const server = await step('start code-server', () => startCodeServer(codeServer, {
			...dirs,
			workspace,
			trusted,
			logFile: serverLog,
			env: {
				MCP_WORKBENCH_UI_BRIDGE: bridge.url,
				MCP_WORKBENCH_UI_BRIDGE_TOKEN: bridge.token,
				MCP_WORKBENCH_TEST_EXTENSIONS_DIR: dirs.extensionsDir,
				MCP_WORKBENCH_TEST_WORKSPACE: workspace,
				MCP_WORKBENCH_TEST_TRUSTED: trusted ? '1' : '0',
				MCP_WORKBENCH_SUITE: bench ? 'bench' : 'tests',
				...standins.env,
			},
		}));
		onCleanup(() => server.stop());

		// The smoke-test driver reports the extension host's log lines (the mocha report) and its exit code here, once
		// per page load.
		let resolveExit;
		const nextExit = () => new Promise((resolvePromise) => (resolveExit = resolvePromise));
		let exit = nextExit();
		await page.exposeFunction('codeAutomationExit', (code, logs) => resolveExit({ code, logs }));
		// The mocha report goes to stdout; the window's own console (noisy) to a file beside the screenshots.
		const windowConsole = createWriteStream(join(artifactsDir, 'window-console.log'));
		onCleanup(() => new Promise((done) => windowConsole.end(done)));
		let reported = false;
		await page.exposeFunction('codeAutomationLog', (level, message) => {
			const text = Array.isArray(message) ? message.join(' ') : String(message);
			const at = text.indexOf(REPORT_PREFIX);
			if (at >= 0) {
				const line = text.slice(at + REPORT_PREFIX.length);
				if (CLOSING_LINE.test(line)) reported = true;
				process.stdout.write(`${line}\n`);
			}
			else windowConsole.write(`[${level}] ${text}\n`);
		});
		const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: driver, extensionTestsPath: testsPath });
		const suiteDone = () => withTimeout(exit, suiteTimeoutMs, `the integration suite to finish in the extension host (see ${serverLog})`);
		const failed = async (error) => {
			await actions.screenshot({ name: 'failure' }).catch(() => undefined);
			throw error;
		};
		const result = await step('run the suite', async () => {
			load = 1;
			await openWorkbench(page, url);
			return suiteDone();
		}).catch(failed);
		saveLogs(result.logs, 'logs');
		// An extension host that never started (seen under load: "took longer than 60s to send its ready message")
		// ends the window with code 0 and no report at all: that is a failure, not a pass.
		if (result.code === 0 && !reported) throw new HarnessError(`the suite never reported (its closing "integration: N passed" line is missing); see ${join(artifactsDir, 'window-console.log')}`);
		if (result.code !== 0 || !reload) {
			await actions.screenshot({ name: 'workbench-final' }).catch(() => undefined);
			return result.code;
		}
		// As a user reloads: the palette's command. The page keeps its URL (the test payload with it), so the suite
		// starts again in the new extension host and asks `windowLoad` which tests to run.
		const reloaded = await step(`reload the window, then run "${reload.grep}"`, async () => {
			exit = nextExit();
			reported = false;
			load = 2;
			const loaded = page.waitForEvent('load', { timeout: 90_000 });
			await actions.runCommand({ title: 'Developer: Reload Window' });
			await loaded;
			await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 90_000 });
			return suiteDone();
		}).catch(failed);
		await actions.screenshot({ name: 'workbench-final' }).catch(() => undefined);
		saveLogs(reloaded.logs, 'logs-after-reload');
		if (reloaded.code === 0 && !reported) throw new HarnessError(`the suite never reported after the reload (its closing "integration: N passed" line is missing); see ${join(artifactsDir, 'window-console.log')}`);
		return reloaded.code;
	});
	log(`integration run took ${((Date.now() - started) / 1000).toFixed(1)} s; artifacts in ${artifactsDir}`);
	return exitCode;
}

function saveLogs(logs, folder) {
	if (!Array.isArray(logs)) return;
	const logsDir = join(artifactsDir, folder);
	for (const { relativePath, contents } of logs) {
		const file = resolve(logsDir, relativePath);
		if (!file.startsWith(`${logsDir}/`)) continue;
		mkdirSync(resolve(file, '..'), { recursive: true });
		writeFileSync(file, contents);
	}
}

main().then(
	(code) => process.exit(code === 0 ? 0 : 1),
	(error) => {
		console.error(`\nintegration tests could not run: ${error instanceof HarnessError ? error.message : error?.stack ?? error}`);
		process.exit(1);
	},
);
