// `npm run test:electron`: the same integration suite (out/integration/index.js, its run() export) in VS Code
// desktop through @vscode/test-electron, on machines that can download VS Code. The VSIX is installed into a fresh
// extensions folder, and a tiny driver extension is the development path, exactly as in the code-server harness.
// There is no Playwright window here: tests that need the UI bridge are reported as skipped.
//
// Environment: MCP_WORKBENCH_VSIX=path   test this VSIX instead of building ours
//              VSCODE_VERSION   the VS Code to download (default: stable)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensurePrerequisites, NEEDS } from './prerequisites.mjs';
import {
	cacheDir, createSampleWorkspace, HarnessError, log, makeTempDir, projectRoot, removeDir, withCleanup, withTimeout,
	writeDriverExtension, writeUserSettings,
} from './vscodeHarness.mjs';

function npmRun(script) {
	const result = spawnSync('npm', ['run', '--silent', script], { cwd: projectRoot, stdio: 'inherit', timeout: 10 * 60_000 });
	if (result.status !== 0) throw new HarnessError(`npm run ${script} failed (${result.signal ?? `exit ${result.status}`})`);
}

async function main() {
	ensurePrerequisites('npm run test:electron', NEEDS.electron);
	const { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } = await import('@vscode/test-electron');
	let vsix = process.env.MCP_WORKBENCH_VSIX ? resolve(process.env.MCP_WORKBENCH_VSIX) : undefined;
	if (!vsix) {
		npmRun('package');
		vsix = join(projectRoot, 'mcp-workbench.vsix');
	}
	if (!existsSync(vsix)) throw new HarnessError(`no VSIX at ${vsix}`);
	await import('./buildIntegration.mjs');

	const unreachable = 'this machine may not reach the VS Code download servers: use npm run test:integration (code-server) instead';
	const vscodeExecutablePath = await withTimeout(
		downloadAndUnzipVSCode({ version: process.env.VSCODE_VERSION || 'stable', cachePath: join(cacheDir(), 'vscode-desktop'), timeout: 30_000 }),
		10 * 60_000,
		`VS Code desktop to download (${unreachable})`,
	).catch((error) => {
		throw error instanceof HarnessError ? error : new HarnessError(`could not download VS Code desktop: ${error?.message ?? error}; ${unreachable}`);
	});

	return withCleanup(async (onCleanup) => {
		const temp = await makeTempDir('mcp-workbench-electron-');
		onCleanup(() => removeDir(temp));
		const userDataDir = join(temp, 'user-data');
		const extensionsDir = join(temp, 'extensions');
		writeUserSettings(userDataDir);
		const workspace = createSampleWorkspace(join(temp, 'sample-workspace'));
		const driver = writeDriverExtension(join(temp, 'test-driver'));

		const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
		const install = spawnSync(cli, [...cliArgs, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
			encoding: 'utf8', stdio: 'inherit', timeout: 120_000,
		});
		if (install.status !== 0) throw new HarnessError(`installing ${vsix} into VS Code desktop failed (${install.signal ?? `exit ${install.status}`})`);

		log(`running the suite in ${vscodeExecutablePath}`);
		try {
			await runTests({
				vscodeExecutablePath,
				extensionDevelopmentPath: driver,
				extensionTestsPath: join(projectRoot, 'out', 'integration', 'index.js'),
				extensionTestsEnv: { MCP_WORKBENCH_TEST_EXTENSIONS_DIR: extensionsDir, MCP_WORKBENCH_TEST_WORKSPACE: workspace, MCP_WORKBENCH_TEST_TRUSTED: '1' },
				launchArgs: [workspace, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
			});
			return 0;
		} catch (error) {
			console.error(`integration tests failed in VS Code desktop: ${error?.message ?? error}`);
			return 1;
		}
	});
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`\nelectron tests could not run: ${error instanceof HarnessError ? error.message : error?.stack ?? error}`);
		process.exit(1);
	},
);
