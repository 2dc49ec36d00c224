import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * What a read must switch off before it runs: the filter drivers the repository's git config defines (see
 * `filterOverrides` in gitRunner), found by one `git config` run. That run costs a whole git process per read, and
 * its answer changes only when a config file changes, so it is remembered per repository, keyed on the stat of every
 * file git reads config from (plus the files the answer itself came from), and asked again the moment any of them
 * differs: created, removed, rewritten, replaced by a rename.
 *
 * Never remembered: an answer naming an `include.path` / `includeIf.*.path` (an included file that holds nothing yet
 * is not in git's answer, so its later change would go unseen), and an answer whose files changed within the last
 * second (a file system's timestamps can be that coarse, so a second write of the same size could keep its stat).
 */

/** One config entry as `git config --null --show-origin --get-regexp` prints it. */
export interface ConfigEntry {
	/** Absolute path of the file it came from; undefined for the command line or a blob. */
	readonly file: string | undefined;
	readonly key: string;
}

interface Remembered {
	readonly stamp: string;
	readonly entries: readonly ConfigEntry[];
}

/** Enough for every repository of a large multi-root workspace; the oldest is dropped first. */
const MAX_REPOSITORIES = 256;
/** Timestamps as coarse as this cannot tell two writes apart (see the comment at the top). */
const RACY_MS = 1000;

export class FilterCheckCache {
	private readonly remembered = new Map<string, Remembered>();
	/** How many times `git config` was asked (the rest were answered from memory). */
	asked = 0;

	constructor(private readonly now: () => number = Date.now) {}

	/**
	 * The filter and include entries of the repository at `cwd` (its git dir `gitDir`), from `list` (one
	 * `git config` run, stdout) unless the files it read are as they were when it last ran.
	 */
	async entries(cwd: string, gitDir: string, list: () => Promise<string>): Promise<readonly ConfigEntry[]> {
		const files = await configFiles(cwd, gitDir);
		const key = `${cwd}\0${gitDir}`;
		const known = this.remembered.get(key);
		if (known && known.stamp === (await stampOf([...files, ...originsOf(known.entries)]))) return known.entries;
		const before = await stampOf(files);
		this.asked++;
		const entries = parseEntries(await list(), cwd);
		const origins = originsOf(entries);
		const stamp = await stampOf([...files, ...origins]);
		const racy = await anyChangedSince([...files, ...origins], this.now() - RACY_MS);
		const includes = entries.some((entry) => /^include(if\..*)?\.path$/i.test(entry.key));
		// A file that changed while git read it: the answer may mix old and new; the next read asks again.
		this.remembered.delete(key);
		if (!racy && !includes && stamp.startsWith(before)) {
			if (this.remembered.size >= MAX_REPOSITORIES) this.remembered.delete(this.remembered.keys().next().value as string);
			this.remembered.set(key, { stamp, entries });
		}
		return entries;
	}
}

/** "key\nvalue" pairs after "file:<path>" origins, NUL-separated; paths relative to the repository as git prints them. */
export function parseEntries(listed: string, cwd: string): ConfigEntry[] {
	const fields = listed.split('\0');
	const entries: ConfigEntry[] = [];
	for (let i = 0; i + 1 < fields.length; i += 2) {
		const origin = fields[i];
		const key = fields[i + 1].split('\n', 1)[0];
		const file = origin.startsWith('file:') ? resolve(cwd, origin.slice('file:'.length)) : undefined;
		entries.push({ file, key });
	}
	return entries;
}

function originsOf(entries: readonly ConfigEntry[]): string[] {
	return [...new Set(entries.flatMap((entry) => (entry.file ? [entry.file] : [])))];
}

/**
 * Every file git reads config from for this repository, whether it exists now or not: system, global (home and XDG,
 * for the home of this process and of the user), the repository's own and its worktree's. A file created later
 * changes the stamp as surely as one rewritten. The system file of a git built with another prefix is among the
 * answer's origins once it holds a filter; creating it where none was takes root, beyond what a read defends against.
 */
async function configFiles(cwd: string, gitDir: string): Promise<string[]> {
	const homes = [...new Set([process.env.HOME, homedir()].filter((home): home is string => !!home))];
	const xdg = process.env.XDG_CONFIG_HOME;
	const files = [
		'/etc/gitconfig',
		'/usr/local/etc/gitconfig',
		...homes.flatMap((home) => [join(home, '.gitconfig'), join(home, '.config', 'git', 'config')]),
		// git takes a relative XDG_CONFIG_HOME as it comes: relative to where it runs.
		...(xdg ? [resolve(cwd, xdg, 'git', 'config')] : []),
		join(gitDir, 'config'),
		join(gitDir, 'config.worktree'),
		join(gitDir, 'commondir'),
	];
	// A linked worktree keeps the repository's config in the common dir it names.
	const common = await readFile(join(gitDir, 'commondir'), 'utf8').catch(() => undefined);
	if (common !== undefined && common.trim() !== '') {
		const commonDir = resolve(gitDir, common.trim());
		files.push(join(commonDir, 'config'), join(commonDir, 'config.worktree'));
	}
	return files;
}

/** Device, inode, size and change times of each file ("-" for one that does not exist), in order. */
async function stampOf(files: readonly string[]): Promise<string> {
	const parts = await Promise.all(files.map(async (file) => {
		const info = await stat(file, { bigint: true }).catch(() => undefined);
		return info ? `${file}:${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}` : `${file}:-`;
	}));
	return parts.join('|');
}

async function anyChangedSince(files: readonly string[], since: number): Promise<boolean> {
	const times = await Promise.all(files.map((file) => stat(file).then((info) => Math.max(info.mtimeMs, info.ctimeMs), () => 0)));
	return times.some((time) => time >= since);
}
