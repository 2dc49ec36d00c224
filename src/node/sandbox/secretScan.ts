import { spawn } from 'node:child_process';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HiddenPath } from '../../core/sandbox/bwrapArguments';

/**
 * The workspace files a sandboxed process must not read: those matching the sensitive-path globs, found with ripgrep
 * (hidden and ignored files included: a `.env` is usually git-ignored) and remembered for a short while, since a scan
 * of a large tree costs a good part of a second and commands come in bursts. What a command started with the user's
 * approval may have created, it created before the next scan: `invalidate()` is called when such a command ends.
 */
export class SecretScan {
	private cached: { readonly key: string; readonly at: number; readonly found: Promise<readonly HiddenPath[]> } | undefined;

	constructor(private readonly options: {
		readonly rgPath: () => string;
		/** Globs as the policy writes them (`**\/.env*`); those ending in `/**` hide the whole folder. */
		readonly globs: () => readonly string[];
		/** How long a scan is trusted when nothing invalidated it. */
		readonly maxAgeMs?: number;
		readonly now?: () => number;
	}) {}

	invalidate(): void {
		this.cached = undefined;
	}

	find(folders: readonly string[]): Promise<readonly HiddenPath[]> {
		const now = (this.options.now ?? Date.now)();
		const globs = this.options.globs();
		const key = JSON.stringify([folders, globs]);
		const cached = this.cached;
		if (cached && cached.key === key && now - cached.at < (this.options.maxAgeMs ?? 2000)) return cached.found;
		const found = Promise.all(folders.map((folder) => scanFolder(this.options.rgPath(), folder, globs))).then((lists) => lists.flat());
		this.cached = { key, at: now, found };
		// A failed scan is not remembered: the next command tries again (and this one refuses to run unmasked).
		found.catch(() => {
			if (this.cached?.found === found) this.cached = undefined;
		});
		return found;
	}
}

async function scanFolder(rgPath: string, folder: string, globs: readonly string[]): Promise<HiddenPath[]> {
	const folderGlobs = globs.filter((glob) => glob.endsWith('/**')).map((glob) => glob.slice(0, -3));
	const args = ['--files', '--hidden', '--no-ignore', '--no-messages', '--glob-case-insensitive', '--null', ...globs.flatMap((glob) => ['-g', glob])];
	const files = await listFiles(rgPath, folder, args);
	const hidden = new Map<string, HiddenPath>();
	for (const file of files) {
		const directory = enclosingFolder(file, folderGlobs);
		const relative = directory ?? file;
		if (hidden.has(relative)) continue;
		const absolute = join(folder, relative);
		// A link is never bound over (the mount would land on its target); its target is hidden or masked on its own.
		const stats = await lstat(absolute).catch(() => undefined);
		if (!stats || stats.isSymbolicLink()) continue;
		hidden.set(relative, { path: absolute, directory: stats.isDirectory() });
	}
	return [...hidden.values()];
}

/** The shallowest folder of the path whose own path ends like one of the folder globs (`.cursor`, `.github/prompts`). */
function enclosingFolder(file: string, folderGlobs: readonly string[]): string | undefined {
	const parts = file.split('/');
	for (let end = 1; end < parts.length; end++) {
		const candidate = parts.slice(0, end).join('/').toLowerCase();
		for (const glob of folderGlobs) {
			const tail = glob.replace(/^\*\*\//, '').toLowerCase();
			if (candidate === tail || candidate.endsWith(`/${tail}`)) return parts.slice(0, end).join('/');
		}
	}
	return undefined;
}

function listFiles(rgPath: string, cwd: string, args: readonly string[]): Promise<string[]> {
	return new Promise((resolve, reject) => {
		const child = spawn(rgPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
		const chunks: Buffer[] = [];
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-2000);
		});
		child.on('error', (error) => reject(new Error(`ripgrep could not start to find the workspace's secret files: ${error.message}`)));
		child.on('close', (code) => {
			// 1: nothing matched.
			if (code !== 0 && code !== 1) {
				reject(new Error(`ripgrep failed finding the workspace's secret files (exit ${code}): ${stderr.trim()}`));
				return;
			}
			resolve(Buffer.concat(chunks).toString('utf8').split('\0').filter((line) => line !== ''));
		});
	});
}
