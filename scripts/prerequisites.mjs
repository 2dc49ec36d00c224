// What `npm start` and `npm test` need from the machine, installed from Debian's packages when missing, so the README's
// two commands are all a fresh machine needs.
//
// Each prerequisite is a file whose presence proves its package: a program on PATH (krb5-config for libkrb5-dev, the
// files code-server's kerberos module builds against), or a fixed path. The check is a few stat calls, no process, and
// costs nothing when all is there. When something is missing on a Debian-like machine: as root, `apt-get update` and
// `apt-get install`; with passwordless sudo, the same through `sudo -n`; otherwise one line to copy, and the process
// stops before any other step. Elsewhere (no apt-get) it names what is missing and stops.
//
// `node scripts/prerequisites.mjs test` checks (and installs) what `npm test` needs: the first step of scripts/test.mjs.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

function onPath(program) {
	return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutable(join(dir, program)));
}

function isExecutable(file) {
	try {
		accessSync(file, constants.X_OK);
		return statSync(file).isFile();
	} catch {
		return false;
	}
}

const program = (name, packageName, why, elsewhere) => ({ name, package: packageName, why, elsewhere, present: () => onPath(name) });

// node-gyp builds code-server's native modules (kerberos, spdlog, …) with these: a stock Debian has none of
// make, g++ and python3, nor the Kerberos headers.
const gyp = "node-gyp builds code-server's native modules";
const codeServerBuild = [
	program('python3', 'python3', gyp),
	program('make', 'make', gyp),
	program('g++', 'g++', gyp),
	program('krb5-config', 'libkrb5-dev', "code-server's kerberos module builds against it", 'the MIT Kerberos development files'),
];
// The unit tests' panel harness launches /usr/bin/chromium itself, and it is findChromium()'s first choice.
const chromium = { name: '/usr/bin/chromium', package: 'chromium', why: 'the browser of the panel and integration tests', present: () => isExecutable('/usr/bin/chromium') };
// One of chromium's Recommends, the only one the tests need (the rest are installed without: upower, udev, a
// notification daemon, …): without Liberation, sans-serif falls back to the wider DejaVu and the panel tests' dropdown
// options land outside the viewport.
const LIBERATION = ['truetype/liberation', 'truetype/liberation2', 'liberation-sans', 'liberation'].map((dir) => `/usr/share/fonts/${dir}/LiberationSans-Regular.ttf`);
const fonts = { name: 'Liberation fonts', package: 'fonts-liberation', why: "chromium's Arial-metric sans-serif, which the panel tests' layout assumes", present: () => LIBERATION.some((file) => existsSync(file)) };
const ripgrep = program('rg', 'ripgrep', 'the file tools run it in the unit tests and bench');
const git = program('git', 'git', 'the git tools and the sample workspace');
// The OS sandbox of commands allowed without asking; on a desktop without it the extension still runs, with the
// strict policy, but the tests prove the sandbox itself.
const bubblewrap = program('bwrap', 'bubblewrap', 'the OS sandbox of commands that run without asking');

/** What each command needs; `start` is `npm start` serving code-server, `desktop` is `npm start` with a local `code`. */
export const NEEDS = {
	start: [...codeServerBuild, git, bubblewrap],
	desktop: [git],
	test: [...codeServerBuild, chromium, fonts, ripgrep, git, bubblewrap],
	unit: [chromium, fonts, ripgrep, git, bubblewrap],
	integration: [...codeServerBuild, chromium, fonts, git, bubblewrap],
	electron: [git],
};

const LABELS = { start: 'npm start', desktop: 'npm start', test: 'npm test', unit: 'npm run test:unit', integration: 'npm run test:integration', electron: 'npm run test:electron' };

function say(message) {
	process.stderr.write(`[prerequisites] ${message}\n`);
}

function stop(line) {
	process.stderr.write(`${line}\n`);
	process.exit(1);
}

const missingOf = (requirements) => requirements.filter((r) => !r.present());

/**
 * Makes sure every requirement is present, installing the missing Debian packages when this process may; otherwise
 * prints one line saying what to do and exits with status 1 (nothing after this may run without them).
 * Returns the packages it installed.
 */
export function ensurePrerequisites(label, requirements) {
	const missing = missingOf(requirements);
	if (missing.length === 0) return [];
	const packages = [...new Set(missing.map((r) => r.package))];
	const what = missing.map((r) => `${r.name} (${r.why})`).join(', ');
	if (!onPath('apt-get')) {
		const names = missing.map((r) => (r.name === r.package ? r.name : `${r.name} (${r.elsewhere ?? r.package})`)).join(', ');
		stop(`${label} needs these, not found: ${names}; install them with the system's package manager (Debian's packages: ${packages.join(' ')})`);
	}
	let sudo;
	if (process.getuid?.() === 0) sudo = [];
	else if (spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0) sudo = ['sudo', '-n'];
	else stop(`sudo apt-get install -y ${packages.join(' ')}   # ${label} needs these Debian packages (not root, no passwordless sudo): run this line, then ${label} again`);

	say(`${label} needs ${what}: installing ${packages.join(' ')} with apt-get${sudo.length ? ' (through sudo -n)' : ''}`);
	const started = Date.now();
	// No recommends: chromium headless needs only fonts-liberation of its Recommends (a requirement of its own above),
	// and that keeps it to ~40 packages instead of ~150. The lock timeout waits for another apt (unattended-upgrades)
	// instead of failing at once.
	const apt = (...args) => {
		const command = [...sudo, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-q', '-o', 'DPkg::Lock::Timeout=300', ...args];
		const result = spawnSync(command[0], command.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], timeout: 20 * 60_000 });
		if (result.status !== 0) {
			stop(`${label}: \`${command.join(' ')}\` failed (${result.error?.message ?? result.signal ?? `exit ${result.status}`}); install ${packages.join(' ')} by hand, then ${label} again`);
		}
	};
	apt('update');
	apt('install', '-y', '--no-install-recommends', ...packages);
	const still = missingOf(missing);
	if (still.length > 0) stop(`${label}: installed ${packages.join(' ')}, but still not found: ${still.map((r) => r.name).join(', ')}`);
	say(`installed ${packages.join(' ')} in ${Math.round((Date.now() - started) / 1000)} s`);
	return packages;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
	const name = process.argv[2] ?? 'test';
	if (!Object.hasOwn(NEEDS, name)) stop(`usage: node scripts/prerequisites.mjs [${Object.keys(NEEDS).join('|')}]`);
	const installed = ensurePrerequisites(LABELS[name], NEEDS[name]);
	if (installed.length === 0) {
		say(`present: ${NEEDS[name].map((r) => (r.name === r.package ? r.name : `${r.name} (${r.package})`)).join(', ')}`);
	}
}
