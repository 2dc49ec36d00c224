// `npm start`: builds the extension and opens it in a real VS Code on a sample workspace.
// With a local `code` CLI, that is VS Code desktop in development mode. Without one, it serves code-server on
// 127.0.0.1 (installed into the cache on first use), prints the URL to open, and stays up until Ctrl+C.
//
// Options: --code-server   use code-server even when `code` is on PATH
//          --restricted    open the sample workspace untrusted (code-server only)
// Environment: PORT   the loopback port for code-server (default: a free one)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ensurePrerequisites, NEEDS } from './prerequisites.mjs';
import {
	createSampleWorkspace, ensureCodeServer, HarnessError, log, projectRoot, removeDir, startCodeServer,
	withCleanup, workbenchUrl, writeUserSettings,
} from './vscodeHarness.mjs';

const args = new Set(process.argv.slice(2));

function build() {
	const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: 'inherit', timeout: 5 * 60_000 });
	if (result.status !== 0) throw new HarnessError(`npm run build failed (${result.signal ?? `exit ${result.status}`})`);
}

function findOnPath(command) {
	return (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, command)).find((file) => existsSync(file));
}

/** The sample workspace lives in .cache/ (ignored by git) so what an agent does to it survives restarts. */
function sampleWorkspace() {
	const dir = join(projectRoot, '.cache', 'sample-workspace');
	if (!existsSync(dir)) {
		createSampleWorkspace(dir);
		log(`created the sample workspace in ${dir}`);
	}
	return dir;
}

function openInDesktop(code, workspace) {
	log(`opening ${workspace} in VS Code (${code}) with the extension in development mode`);
	const child = spawn(code, [`--extensionDevelopmentPath=${projectRoot}`, workspace], { stdio: 'inherit' });
	return new Promise((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
}

async function serveCodeServer(workspace) {
	const codeServer = await ensureCodeServer();
	return withCleanup(async (onCleanup) => {
		// A fresh profile each start, kept afterwards (in .cache/, ignored by git) so its logs can be read.
		const profile = join(projectRoot, '.cache', 'start-profile');
		removeDir(profile);
		const dirs = { userDataDir: join(profile, 'user-data'), extensionsDir: join(profile, 'extensions'), scratchDir: join(profile, 'scratch') };
		writeUserSettings(dirs.userDataDir);
		const logFile = join(profile, 'code-server.log');
		const server = await startCodeServer(codeServer, {
			...dirs,
			workspace,
			trusted: !args.has('--restricted'),
			logFile,
			port: process.env.PORT ? Number(process.env.PORT) : undefined,
		});
		onCleanup(() => server.stop());
		const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: projectRoot });
		console.log(`\nMCP Workbench is running in VS Code (code-server ${server.url}, log: ${logFile}).`);
		console.log(`Open this URL in a browser on this machine:\n\n  ${url}\n`);
		console.log('After `npm run build`, reload the window to load the new build. Press Ctrl+C to stop.');
		// Stays up until Ctrl+C (withCleanup stops the server and exits) or until code-server dies by itself.
		await new Promise((resolve) => {
			const timer = setInterval(() => {
				try {
					process.kill(server.pid, 0);
				} catch {
					clearInterval(timer);
					resolve();
				}
			}, 1000);
		});
		log(`code-server exited; see ${logFile}`);
		return 1;
	});
}

async function main() {
	const code = args.has('--code-server') ? undefined : findOnPath('code');
	// First, before the build: what code-server's install builds against (or only git for VS Code desktop).
	ensurePrerequisites('npm start', code ? NEEDS.desktop : NEEDS.start);
	build();
	const workspace = sampleWorkspace();
	return code ? openInDesktop(code, workspace) : serveCodeServer(workspace);
}

main().then(
	(status) => process.exit(status),
	(error) => {
		console.error(`npm start failed: ${error instanceof HarnessError ? error.message : error?.stack ?? error}`);
		process.exit(1);
	},
);
