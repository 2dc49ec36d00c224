import { readFile, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

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
 *
 * Which git dir's config is stamped is found here, from `cwd`, by git's own rules (see `gitDirsOf`), never taken
 * from the caller: a `.git` file or `commondir` our discovery reads otherwise than git (a trailing space, `link/..`)
 * would otherwise have the memory watch a decoy while git reads a config beside it.
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
		const files = await configFiles(cwd);
		const key = `${cwd}\0${gitDir}`;
		const known = this.remembered.get(key);
		if (files && known && known.stamp === (await stampOf([...files, ...originsOf(known.entries)]))) return known.entries;
		const before = files && await stampOf(files);
		this.asked++;
		const entries = parseEntries(await list(), cwd);
		this.remembered.delete(key);
		// Where git keeps its config, found again: a `.git` file or commondir re-pointed while git ran is not stamped.
		const again = await configFiles(cwd);
		if (!files || !before || again?.join('\0') !== files.join('\0')) return entries;
		const origins = originsOf(entries);
		const stamp = await stampOf([...files, ...origins]);
		const racy = await anyChangedSince([...files, ...origins], this.now() - RACY_MS);
		const includes = entries.some((entry) => /^include(if\..*)?\.path$/i.test(entry.key));
		// A file that changed while git read it: the answer may mix old and new; the next read asks again.
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
 * for the home of this process and of the user), the repository's own and its worktree's, and the `.git` file and
 * `commondir` that say where those are. A file created later changes the stamp as surely as one rewritten. The system
 * file of a git built with another prefix is among the answer's origins once it holds a filter; creating it where
 * none was takes root, beyond what a read defends against. Undefined when git's git dir cannot be told: never stamped.
 */
async function configFiles(cwd: string): Promise<string[] | undefined> {
	const dirs = await gitDirsOf(cwd);
	if (!dirs) return undefined;
	const homes = [...new Set([process.env.HOME, homedir()].filter((home): home is string => !!home))];
	const xdg = process.env.XDG_CONFIG_HOME;
	return [
		'/etc/gitconfig',
		'/usr/local/etc/gitconfig',
		...homes.flatMap((home) => [join(home, '.gitconfig'), join(home, '.config', 'git', 'config')]),
		// git takes a relative XDG_CONFIG_HOME as it comes: relative to where it runs.
		...(xdg ? [resolve(cwd, xdg, 'git', 'config')] : []),
		join(cwd, '.git'),
		join(dirs.gitDir, 'commondir'),
		join(dirs.gitDir, 'config'),
		join(dirs.gitDir, 'config.worktree'),
		...(dirs.commonDir === dirs.gitDir ? [] : [join(dirs.commonDir, 'config'), join(dirs.commonDir, 'config.worktree')]),
	];
}

/**
 * The git dir and common dir git run in `cwd` uses (its discovery stops there: GIT_CEILING_DIRECTORIES), read as
 * git reads them: `cwd/.git` a folder, or a file starting "gitdir: " whose path git keeps as written but for the
 * line break (spaces count), relative to the physical `cwd`; a `commondir` the same way, relative to the git dir;
 * each joined as text and then resolved physically (`link/..` leaves the link's target). Undefined when unsure.
 */
async function gitDirsOf(cwd: string): Promise<{ gitDir: string; commonDir: string } | undefined> {
	const dotGit = join(cwd, '.git');
	const info = await stat(dotGit).catch(() => undefined);
	let gitDir: string | undefined;
	if (info?.isDirectory()) {
		gitDir = await realpath(dotGit).catch(() => undefined);
	} else if (info?.isFile()) {
		const text = await readFile(dotGit, 'utf8').catch(() => undefined);
		if (!text?.startsWith('gitdir: ')) return undefined;
		gitDir = await physical(await realpath(cwd).catch(() => cwd), gitLine(text.slice('gitdir: '.length)));
	}
	if (!gitDir) return undefined;
	const common = await readFile(join(gitDir, 'commondir'), 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : undefined));
	if (common === null) return { gitDir, commonDir: gitDir };
	if (common === undefined || gitLine(common) === '') return undefined;
	const commonDir = await physical(gitDir, gitLine(common));
	return commonDir ? { gitDir, commonDir } : undefined;
}

/** git strips only trailing CR and LF from a `.git` file's or `commondir`'s path; a space is part of the name. */
function gitLine(text: string): string {
	return text.replace(/[\r\n]+$/, '');
}

/** `path` relative to `base` joined as text (not normalised: `..` must follow a symlink), then resolved physically. */
async function physical(base: string, path: string): Promise<string | undefined> {
	if (path === '' || path.includes('\0')) return undefined;
	return realpath(isAbsolute(path) ? path : `${base}/${path}`).catch(() => undefined);
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
