import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ReadOnlyRun, SandboxedProgram, SandboxHost, SandboxMode, SandboxStatus } from '../../core/host/sandbox';
import { bwrapArguments, type HiddenPath, type SandboxedMode, type SystemEntry } from '../../core/sandbox/bwrapArguments';
import { SecretScan } from './secretScan';
import { homeReadOnly, systemEntries, systemSecrets } from './systemView';

/** What a process started for a call needs to run sandboxed: bwrap and the options that go before its command. */
export interface SandboxInvocation {
	readonly mode: SandboxedMode;
	readonly program: string;
	readonly options: readonly string[];
}

export interface SandboxRequest {
	readonly mode: SandboxedMode;
	readonly cwd: string;
	readonly env?: Readonly<Record<string, string>>;
	/** Program files outside the system folders that the process runs (the editor's own ripgrep). */
	readonly programs?: readonly string[];
	/** Leave `.git/config` readable (git's own tools). */
	readonly gitConfig?: boolean;
}

/** The sandbox as the Node parts that start processes use it. */
export interface Sandbox extends SandboxHost {
	/** Undefined when no sandbox is available. Rejects when the workspace's secret files could not be listed. */
	invocation(request: SandboxRequest): Promise<SandboxInvocation | undefined>;
	/** A file of the options for `bwrap --args 3 … 3<file`, for a command typed into a terminal; removed by the caller. */
	optionsFile(options: readonly string[]): Promise<string>;
	/** Something may have created secret files (an approved command ran): the next invocation looks again. */
	invalidate(): void;
	dispose(): Promise<void>;
}

export interface BubblewrapOptions {
	readonly home: string;
	readonly folders: () => readonly string[];
	/** The sensitive-path globs of the policy, the user's own included. */
	readonly sensitiveGlobs: () => readonly string[];
	readonly rgPath: () => string;
	readonly approvedCommands: () => SandboxMode;
	/** Tests: a bwrap that is not on PATH, or none (`null`) to see the unavailable path. */
	readonly bwrapPath?: string | null;
}

/** Git internals stay readable (git works in the sandbox) but for `.git/config`, where remotes keep credentials. */
function maskGlobs(sensitive: readonly string[]): string[] {
	const kept = sensitive.filter((glob) => !/(^|\/)\.git(\/\*\*)?$/.test(glob));
	return [...new Set([...kept, '**/.git/config'])];
}

/** What a command approved to write the workspace still may not change: hooks and configuration that run code later. */
function keepReadOnly(folders: readonly string[], hidden: readonly { readonly path: string }[]): string[] {
	return [...folders.flatMap((folder) => [join(folder, '.git/hooks'), join(folder, '.git/config')]), ...hidden.map((entry) => entry.path)];
}

/**
 * Linux: bubblewrap (user namespaces, no setuid needed). Detected once at start by running a sandboxed `true`; when
 * that fails the reason says what to do, and the command policy falls back to asking for everything it cannot prove
 * harmless.
 */
export class Bubblewrap implements Sandbox {
	private readonly scan: SecretScan;
	private counter = 0;
	/** The machine's side of the view, read once: system folders and their secrets do not move while the editor runs. */
	private readonly machine: { readonly system: SystemEntry[]; readonly secrets: HiddenPath[]; readonly home: string[] };

	private constructor(
		private readonly options: BubblewrapOptions,
		private readonly found: { readonly path: string; readonly version: string } | { readonly reason: string },
		private readonly privateDir: string | undefined,
	) {
		this.scan = new SecretScan({ rgPath: options.rgPath, globs: () => maskGlobs(options.sensitiveGlobs()) });
		this.machine = { system: systemEntries(), secrets: systemSecrets(), home: homeReadOnly(options.home) };
	}

	static async detect(options: BubblewrapOptions): Promise<Bubblewrap> {
		const found = await probe(options.bwrapPath);
		if ('reason' in found) return new Bubblewrap(options, found, undefined);
		// Private to this user: the empty file and folder bound over secrets, and option files for typed commands.
		const privateDir = await mkdtemp(join(tmpdir(), 'mcp-workbench-sandbox-'));
		await chmod(privateDir, 0o700);
		await writeFile(join(privateDir, 'empty'), '', { mode: 0o444 });
		await mkdir(join(privateDir, 'empty-dir'), { mode: 0o555 });
		return new Bubblewrap(options, found, privateDir);
	}

	status(): SandboxStatus {
		const approvedCommands = this.options.approvedCommands();
		if ('reason' in this.found) return { available: false, reason: this.found.reason, approvedCommands: 'off' };
		return { available: true, mechanism: `bubblewrap ${this.found.version}`, approvedCommands };
	}

	async invocation(request: SandboxRequest): Promise<SandboxInvocation | undefined> {
		if ('reason' in this.found || this.privateDir === undefined) return undefined;
		const folders = this.options.folders();
		const found = await this.scan.find(folders);
		const secrets = request.gitConfig ? found.filter((hidden) => !/(^|\/)\.git\/config$/i.test(hidden.path)) : found;
		// Read-only runs (everything allowed without asking) see the workspace's secrets empty; a command the user
		// approved to write may read them, as it would unsandboxed, but not change them.
		const options = bwrapArguments({
			mode: request.mode,
			system: this.machine.system,
			hidden: request.mode === 'read-only' ? [...this.machine.secrets, ...secrets] : this.machine.secrets,
			workspaceFolders: folders,
			keepReadOnly: keepReadOnly(folders, secrets),
			home: this.options.home,
			homeReadOnly: this.machine.home,
			extraReadOnly: request.programs ?? [],
			emptyFile: join(this.privateDir, 'empty'),
			emptyDirectory: join(this.privateDir, 'empty-dir'),
			cwd: request.cwd,
			env: { ...sandboxEnv(this.options.home), ...request.env },
		});
		return { mode: request.mode, program: this.found.path, options };
	}

	async readOnly(argv: readonly string[], run: ReadOnlyRun): Promise<SandboxedProgram | undefined> {
		const program = argv[0];
		const invocation = await this.invocation({
			mode: 'read-only',
			cwd: run.cwd,
			...(run.env ? { env: run.env } : {}),
			...(run.gitConfig ? { gitConfig: true } : {}),
			// A program given by its path may live outside the system folders (VS Code's own ripgrep, in its install).
			...(program !== undefined && isAbsolute(program) ? { programs: [program] } : {}),
		});
		// bwrap gets no environment: its first process inside keeps it, readable as /proc/1/environ.
		return invocation && { file: invocation.program, args: [...invocation.options, '--', ...argv], env: {} };
	}

	async optionsFile(options: readonly string[]): Promise<string> {
		if (this.privateDir === undefined) throw new Error('no sandbox is available');
		const file = join(this.privateDir, `options-${++this.counter}`);
		await writeFile(file, options.map((option) => `${option}\0`).join(''), { mode: 0o600 });
		return file;
	}

	invalidate(): void {
		this.scan.invalidate();
	}

	async dispose(): Promise<void> {
		if (this.privateDir) await rm(this.privateDir, { recursive: true, force: true });
	}
}

/** The environment inside: enough for programs to behave (locale, terminal, where home is), no token or socket. */
function sandboxEnv(home: string): Record<string, string> {
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
		HOME: home,
		TMPDIR: '/tmp',
		TERM: process.env.TERM ?? 'dumb',
	};
	for (const name of ['USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'COLORTERM', 'NO_COLOR', 'FORCE_COLOR']) {
		const value = process.env[name];
		if (value !== undefined) env[name] = value;
	}
	for (const [name, value] of Object.entries(process.env)) {
		if (name.startsWith('LC_') && value !== undefined) env[name] = value;
	}
	return env;
}

/** The first bwrap in the system folders or on PATH (never a relative PATH entry: that would be the workspace's). */
function findBwrap(): string | undefined {
	const dirs = ['/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(delimiter).filter((dir) => isAbsolute(dir))];
	return dirs.map((dir) => join(dir, 'bwrap')).find((path) => existsSync(path));
}

async function probe(configured: string | null | undefined): Promise<{ path: string; version: string } | { reason: string }> {
	if (process.platform === 'darwin') return { reason: 'the macOS sandbox (sandbox-exec) is not supported yet, so commands the policy cannot prove harmless ask' };
	if (process.platform !== 'linux') return { reason: `no OS sandbox is supported on ${process.platform}, so commands the policy cannot prove harmless ask` };
	const path = configured === undefined ? findBwrap() : configured;
	if (!path) return { reason: 'bubblewrap is not installed: install it (Debian/Ubuntu: sudo apt-get install bubblewrap) and reload the window' };
	const version = await run(path, ['--version']);
	if (version.code !== 0) return { reason: `bubblewrap at ${path} does not run: ${version.stderr.trim() || `exit ${version.code}`}` };
	const view = systemEntries().flatMap((entry) => (entry.linkTarget !== undefined ? ['--symlink', entry.linkTarget, entry.path] : ['--ro-bind', entry.path, entry.path]));
	const trial = await run(path, ['--unshare-all', '--die-with-parent', '--new-session', ...view, '--proc', '/proc', '--dev', '/dev', '--', 'true']);
	if (trial.code !== 0) return { reason: unusableReason(trial.stderr.trim()) };
	return { path, version: version.stdout.trim().replace(/^bubblewrap\s+/, '') };
}

function unusableReason(stderr: string): string {
	if (readSysctl('kernel/apparmor_restrict_unprivileged_userns') === '1') {
		return `bubblewrap cannot create a user namespace: this system (Ubuntu 23.10 or later) restricts them with AppArmor (${stderr}). `
			+ 'Allow bwrap with an AppArmor profile (see the README, "Sandbox") and reload the window';
	}
	if (readSysctl('kernel/unprivileged_userns_clone') === '0' || readSysctl('user/max_user_namespaces') === '0') {
		return `bubblewrap cannot create a user namespace: they are switched off on this kernel (${stderr}). Enable them (sysctl kernel.unprivileged_userns_clone=1) and reload the window`;
	}
	return `bubblewrap cannot start a sandbox here: ${stderr}`;
}

function readSysctl(name: string): string | undefined {
	try {
		return readFileSync(`/proc/sys/${name}`, 'utf8').trim();
	} catch {
		return undefined;
	}
}

function run(program: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', (error) => resolve({ code: -1, stdout, stderr: error.message }));
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/** A host without a sandbox (tests of the strict policy, platforms with none): every request that needs one is refused. */
export function noSandbox(reason = 'no OS sandbox was configured for this host'): Sandbox {
	return {
		status: () => ({ available: false, reason, approvedCommands: 'off' }),
		invocation: async () => undefined,
		readOnly: async () => undefined,
		optionsFile: async () => {
			throw new Error(reason);
		},
		invalidate: () => undefined,
		dispose: async () => undefined,
	};
}
