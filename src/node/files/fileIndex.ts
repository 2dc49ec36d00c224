// A live list of each workspace folder's files, kept current by a folder watcher, that answers find_files with
// exactly the set `rg --files` lists (same ignore files, same precedence, same excludes) without walking the tree.
// While it builds, after the watcher failed (the OS ran out of watches) or fell too far behind, and for anything it
// does not hold (ignored folders, includeIgnored), it says so and the caller asks ripgrep.
import { readFileSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';
import type { Disposable } from '../../core/base/disposable';
import type { Logger } from '../../core/base/log';
import type { FileListIndex, FolderExcludes } from '../../core/host/filesHost';
import type { FolderChangeSink, FolderWatcher } from '../../core/host/folderWatcher';
import type { WorkspaceFolderInfo } from '../../core/host/host';
import { IgnoreFile, isIgnored, Overrides, type FolderIgnores, type IgnoreLevel } from '../../core/paths/ignoreRules';

const IGNORE_FILE_NAMES = new Set(['.gitignore', '.ignore', '.rgignore']);
/** Changes waiting beyond this mean the index cannot keep up: it starts over and ripgrep answers meanwhile. */
const MAX_PENDING_CHANGES = 20_000;

export interface FileIndexOptions {
	readonly watcher: FolderWatcher;
	/** The user's excludes of a folder now; a change is noticed at the next query and rebuilds that folder. */
	readonly excludes: (folder: WorkspaceFolderInfo) => FolderExcludes;
	readonly log?: Logger;
	/**
	 * Most folders one index watches; past it the index gives up and ripgrep answers. On Linux watches come from a
	 * per-user pool VS Code's own watcher draws on too, so by default an index takes at most a quarter of it.
	 */
	readonly maxFolders?: number;
	/** The global excludes file ripgrep reads (core.excludesFile, else $XDG_CONFIG_HOME/git/ignore). */
	readonly globalExcludesFile?: () => Promise<string | undefined>;
}

/** One index per workspace folder, started by the first query for it. */
export class NodeFileIndex implements FileListIndex, Disposable {
	private readonly folders = new Map<string, FolderIndex>();
	private disposed = false;

	constructor(private readonly options: FileIndexOptions) {}

	find(folder: WorkspaceFolderInfo, relative: string, accept: (path: string) => boolean, limit: number): Promise<{ files: string[]; truncated: boolean } | undefined> {
		if (this.disposed) return Promise.resolve(undefined);
		const excludes = this.options.excludes(folder);
		const key = excludesKey(excludes);
		let index = this.folders.get(folder.path);
		if (index && index.excludesKey !== key) {
			// files.exclude or search.exclude changed: the overrides differ, so the list does.
			index.dispose();
			index = undefined;
		}
		if (!index) {
			index = new FolderIndex(folder.path, excludes, key, this.options);
			this.folders.set(folder.path, index);
			index.start();
		}
		return index.find(relative, accept, limit);
	}

	/** For tests and benches: resolves once the folder's index answers (built and caught up), or was given up. */
	ready(folder: WorkspaceFolderInfo): Promise<boolean> {
		const index = this.folders.get(folder.path);
		return index ? index.whenReady() : Promise.resolve(false);
	}

	/** The folder's index state, for status and benches. */
	stats(folder: WorkspaceFolderInfo): { readonly files: number; readonly folders: number; readonly state: string } | undefined {
		return this.folders.get(folder.path)?.stats();
	}

	dispose(): void {
		this.disposed = true;
		for (const index of this.folders.values()) index.dispose();
		this.folders.clear();
	}
}

function excludesKey(excludes: FolderExcludes): string {
	return JSON.stringify([excludes.files, excludes.search]);
}

type State = 'building' | 'ready' | 'failed' | 'disposed';

/** One folder's list: sorted relative paths, and the folders walked (not ignored) with their ignore files. */
class FolderIndex {
	/** Every listed file, '/'-separated, relative to the root, in code-unit order: a folder's files are one range. */
	private paths: string[] = [];
	/**
	 * Folders walked (not ignored), '' for the root, each with the ignore levels that apply inside it: a folder without
	 * ignore files of its own shares its parent's array, so a folder costs one map entry and nothing more.
	 */
	private readonly walked = new Map<string, readonly IgnoreLevel[]>();
	/** The watch of each walked folder, kept apart from `walked` so neither needs an object per folder. */
	private readonly watches = new Map<string, Disposable>();
	private above: readonly IgnoreLevel[] = [];
	private global: IgnoreFile | undefined;
	private readonly overrides: Overrides;
	private state: State = 'building';
	private readonly pending = new Set<string>();
	private draining: Promise<void> | undefined;
	private readyWaiters: Array<(ok: boolean) => void> = [];
	/** Bumped by every restart: a walk of an older generation stops and leaves nothing behind. */
	private generation = 0;

	constructor(
		private readonly root: string,
		excludes: FolderExcludes,
		readonly excludesKey: string,
		private readonly options: FileIndexOptions,
	) {
		// The overrides ripgrepFiles passes: the user's excludes as `!glob`, then `!.git` last.
		this.overrides = new Overrides([...excludes.files, ...excludes.search].map((glob) => `!${glob}`).concat('!.git'));
	}

	start(): void {
		void this.build().catch((error: unknown) => this.fail(error));
	}

	whenReady(): Promise<boolean> {
		if (this.state !== 'building' && this.pending.size === 0 && !this.draining) return Promise.resolve(this.state === 'ready');
		return new Promise((resolve) => this.readyWaiters.push(resolve));
	}

	stats(): { files: number; folders: number; state: string } {
		return { files: this.paths.length, folders: this.walked.size, state: this.state };
	}

	async find(relative: string, accept: (path: string) => boolean, limit: number): Promise<{ files: string[]; truncated: boolean } | undefined> {
		if (this.state !== 'ready') return undefined;
		// A change made before this query (a write_file a moment ago, a command's output) is queued in the OS already:
		// one turn of the event loop through its poll phase reads it, and changes noticed are applied before answering.
		await nextPoll();
		while (this.draining) await this.draining;
		if (this.state !== 'ready') return undefined;
		// A sub-folder goes to ripgrep: rg 13 matches the ignore files above a path it is given against a wrong path
		// (a whitelisting "!pkg/*/keep/*.log" at the root stops applying under "pkg/a"), so its answer for a
		// sub-folder is not the whole-folder answer cut down, and exactly rg's answer is the promise.
		if (relative !== '') return undefined;
		const files: string[] = [];
		let truncated = false;
		for (const path of this.paths) {
			if (!accept(path)) continue;
			if (files.length >= limit) {
				truncated = true;
				break;
			}
			files.push(path);
		}
		return { files, truncated };
	}

	dispose(): void {
		this.state = 'disposed';
		this.generation++;
		this.unwatchAll();
		this.pending.clear();
		this.paths = [];
		this.settle();
	}

	private unwatchAll(): void {
		for (const watch of this.watches.values()) watch.dispose();
		this.watches.clear();
		this.walked.clear();
	}

	private fail(error: unknown): void {
		if (this.state === 'disposed') return;
		this.options.log?.warn('fileIndex.failed', { root: this.root, error: error instanceof Error ? error.message : String(error) });
		this.unwatchAll();
		this.pending.clear();
		this.paths = [];
		this.state = 'failed';
		this.settle();
	}

	private settle(): void {
		if (this.draining || this.pending.size > 0) return;
		const waiters = this.readyWaiters;
		this.readyWaiters = [];
		for (const resolve of waiters) resolve(this.state === 'ready');
	}

	private async build(): Promise<void> {
		const generation = this.generation;
		const [above, global] = await Promise.all([this.levelsAbove(), this.globalIgnores()]);
		if (generation !== this.generation) return;
		this.above = above;
		this.global = global;
		const found: string[] = [];
		await this.walk('', found, generation);
		if (this.state !== 'building' || generation !== this.generation) return;
		found.sort(compareCodeUnits);
		this.paths = found;
		this.state = 'ready';
		// Changes seen while building are applied now; until then queries went to ripgrep.
		this.schedule();
		this.settle();
	}

	/** The ignore files of the folders above the root, as ripgrep reads them (its parents option is on). */
	private async levelsAbove(): Promise<IgnoreLevel[]> {
		const levels: IgnoreLevel[] = [];
		const names: string[] = [];
		for (let dir = this.root; dirname(dir) !== dir; ) {
			names.unshift(basename(dir));
			dir = dirname(dir);
			const ignores = await readIgnores(dir);
			if (hasAny(ignores)) levels.push({ relative: undefined, aboveNames: [...names], files: ignores });
		}
		return levels;
	}

	private async globalIgnores(): Promise<IgnoreFile | undefined> {
		const path = await (this.options.globalExcludesFile ?? defaultGlobalExcludesFile)();
		const text = path ? await readFile(path, 'utf8').catch(() => undefined) : undefined;
		const file = text === undefined ? undefined : new IgnoreFile(text);
		return file && !file.empty ? file : undefined;
	}

	/** Walks `relative` (a folder that is not ignored), watching it and every folder under it that is not ignored. */
	private async walk(relative: string, into: string[], generation: number): Promise<void> {
		const absolute = relative === '' ? this.root : join(this.root, ...relative.split('/'));
		const watch = this.watch(relative, absolute);
		const entries = await readdir(absolute, { withFileTypes: true }).catch(() => []);
		// Only the ignore files the listing shows are read: most folders have none, and four failed opens per folder
		// were most of the build's time.
		const ignores = await readIgnores(absolute, entries.map((entry) => entry.name));
		if (this.state === 'disposed' || this.state === 'failed' || generation !== this.generation) {
			watch.dispose();
			return;
		}
		const parentLevels = relative === '' ? this.above : this.walked.get(parentOf(relative)) ?? this.above;
		const levels = hasAny(ignores) ? [{ relative, files: ignores }, ...parentLevels] : parentLevels;
		this.watches.get(relative)?.dispose();
		this.walked.set(relative, levels);
		this.watches.set(relative, watch);
		const folders: string[] = [];
		for (const entry of entries) {
			const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
			// Like rg without --follow: symbolic links, sockets and pipes are not listed, linked folders not entered.
			if (entry.isDirectory()) {
				if (!isIgnored(path, true, levels, this.global, this.overrides)) folders.push(path);
			} else if (entry.isFile()) {
				if (!isIgnored(path, false, levels, this.global, this.overrides)) into.push(path);
			}
		}
		// A few folders at a time: parallel enough to hide the thread pool's latency, few enough file handles.
		for (let i = 0; i < folders.length; i += 16) {
			await Promise.all(folders.slice(i, i + 16).map((folder) => this.walk(folder, into, generation)));
		}
	}

	private watch(relative: string, absolute: string): Disposable {
		if (this.walked.size >= (this.options.maxFolders ?? defaultMaxFolders())) {
			this.fail(new Error(`more than ${this.walked.size} folders to watch: find_files uses ripgrep for this folder`));
			return { dispose() {} };
		}
		try {
			return this.options.watcher.watch(absolute, relative, this.sink);
		} catch (error) {
			// ENOSPC (no inotify watches left), EMFILE: the index cannot see changes, so it must not answer.
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { dispose() {} };
			this.fail(error);
			return { dispose() {} };
		}
	}

	/** One sink for every folder's watch: a closure per folder would cost more than the list of files. */
	private readonly sink: FolderChangeSink = {
		changed: (relative, name) => {
			if (name === undefined) this.changed(relative, true);
			else {
				const entry = sep === '/' ? name : name.split(sep).join('/');
				this.changed(relative === '' ? entry : `${relative}/${entry}`, false);
			}
		},
		failed: (relative, error) => this.watchFailed(relative, error),
	};

	private watchFailed(relative: string, error: Error): void {
		// A watched folder that went away is a change its parent reports; anything else stops the index.
		if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EPERM') {
			this.changed(relative, true);
			return;
		}
		this.fail(error);
	}

	/** Notes a change; `folderWide` when the watcher could not name the entry. */
	private changed(path: string, folderWide: boolean): void {
		if (this.state === 'disposed' || this.state === 'failed') return;
		this.pending.add(folderWide ? `${path}\0folder` : path);
		if (this.pending.size > MAX_PENDING_CHANGES) {
			this.restart();
			return;
		}
		if (this.state === 'ready') this.schedule();
	}

	private restart(): void {
		this.generation++;
		this.options.log?.info('fileIndex.overflow', { root: this.root, pending: this.pending.size });
		this.unwatchAll();
		this.pending.clear();
		this.paths = [];
		this.state = 'building';
		this.start();
	}

	private schedule(): void {
		if (this.draining || this.pending.size === 0) return;
		this.draining = (async () => {
			// Let a burst of events (a checkout, an npm install) arrive before working through it.
			await new Promise((resolve) => setImmediate(resolve));
			while (this.pending.size > 0 && this.state === 'ready') {
				const batch = [...this.pending];
				this.pending.clear();
				for (const item of batch) {
					if (this.state !== 'ready') break;
					await this.apply(item);
				}
			}
		})()
			.catch((error: unknown) => this.fail(error))
			.finally(() => {
				this.draining = undefined;
				if (this.pending.size > 0 && this.state === 'ready') this.schedule();
				else this.settle();
			});
	}

	/** Brings one path (or, for a folder-wide notice, one folder) up to date with the disk. */
	private async apply(item: string): Promise<void> {
		const folderWide = item.endsWith('\0folder');
		const path = folderWide ? item.slice(0, -'\0folder'.length) : item;
		const parent = path === '' ? undefined : parentOf(path);
		if (folderWide || path === '') {
			await this.rescan(path);
			return;
		}
		const owner = parent === undefined ? undefined : this.walked.get(parent);
		// The parent was dropped meanwhile (deleted, or now ignored): nothing under it is listed.
		if (!owner) return;
		if (IGNORE_FILE_NAMES.has(basename(path))) {
			// New rules for the folder and everything under it; the ignore file itself is listed like any file.
			await this.rescan(parent ?? '');
			return;
		}
		const info = await lstat(join(this.root, ...path.split('/'))).catch(() => undefined);
		this.remove(path);
		if (!info) return;
		if (info.isDirectory()) {
			if (!isIgnored(path, true, owner, this.global, this.overrides)) await this.addTree(path);
		} else if (info.isFile()) {
			if (!isIgnored(path, false, owner, this.global, this.overrides)) insertSorted(this.paths, path);
		}
	}

	/** Walks a folder again from scratch: its rules or its whole content may have changed. */
	private async rescan(relative: string): Promise<void> {
		if (relative === '') {
			this.restart();
			return;
		}
		this.remove(relative);
		const parent = this.walked.get(parentOf(relative));
		const info = await lstat(join(this.root, ...relative.split('/'))).catch(() => undefined);
		if (parent && info?.isDirectory() && !isIgnored(relative, true, parent, this.global, this.overrides)) await this.addTree(relative);
	}

	private async addTree(relative: string): Promise<void> {
		const found: string[] = [];
		const generation = this.generation;
		await this.walk(relative, found, generation);
		if (generation !== this.generation || this.state !== 'ready') return;
		found.sort(compareCodeUnits);
		this.paths = mergeSorted(this.paths, found);
	}

	/** Drops a path: a file, or a folder with everything listed and watched under it. */
	private remove(path: string): void {
		const at = lowerBound(this.paths, path);
		if (this.paths[at] === path) this.paths.splice(at, 1);
		const prefix = `${path}/`;
		const start = lowerBound(this.paths, prefix);
		let end = start;
		while (end < this.paths.length && this.paths[end].startsWith(prefix)) end++;
		if (end > start) this.paths.splice(start, end - start);
		for (const folder of this.walked.keys()) {
			if (folder === path || folder.startsWith(prefix)) {
				this.watches.get(folder)?.dispose();
				this.watches.delete(folder);
				this.walked.delete(folder);
			}
		}
	}
}

let maxFoldersDefault: number | undefined;

function defaultMaxFolders(): number {
	if (maxFoldersDefault === undefined) {
		let pool = 65_536;
		try {
			pool = Number(readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim()) || pool;
		} catch {
			// Not Linux: watches are not a small shared pool there.
			pool = 400_000;
		}
		maxFoldersDefault = Math.floor(pool / 4);
	}
	return maxFoldersDefault;
}

/** Resolves after the event loop's next poll phase (an immediate scheduled from an immediate runs after it). */
function nextPoll(): Promise<void> {
	return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

function parentOf(relative: string): string {
	const slash = relative.lastIndexOf('/');
	return slash < 0 ? '' : relative.slice(0, slash);
}

function hasAny(ignores: FolderIgnores): boolean {
	return ignores.rgignore !== undefined || ignores.ignore !== undefined || ignores.gitignore !== undefined || ignores.exclude !== undefined;
}

/** The ignore files of a folder whose entries are `names` (undefined: look for each, as above the root). */
async function readIgnores(absolute: string, names?: readonly string[]): Promise<FolderIgnores> {
	const present = (name: string) => names === undefined || names.includes(name);
	const read = async (path: string) => {
		const text = await readFile(path, 'utf8').catch(() => undefined);
		if (text === undefined) return undefined;
		const file = new IgnoreFile(text);
		return file.empty ? undefined : file;
	};
	const [rgignore, ignore, gitignore, exclude] = await Promise.all([present('.rgignore') ? read(join(absolute, '.rgignore')) : undefined, present('.ignore') ? read(join(absolute, '.ignore')) : undefined, present('.gitignore') ? read(join(absolute, '.gitignore')) : undefined, present('.git') ? read(join(absolute, '.git', 'info', 'exclude')) : undefined]);
	return { ...(rgignore ? { rgignore } : {}), ...(ignore ? { ignore } : {}), ...(gitignore ? { gitignore } : {}), ...(exclude ? { exclude } : {}) };
}

/** core.excludesFile from the user's git configuration, else $XDG_CONFIG_HOME/git/ignore, as ripgrep looks for it. */
async function defaultGlobalExcludesFile(): Promise<string | undefined> {
	const xdg = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
	for (const config of [join(homedir(), '.gitconfig'), join(xdg, 'git', 'config')]) {
		const text = await readFile(config, 'utf8').catch(() => '');
		const match = /^\s*excludesfile\s*=\s*(.+?)\s*$/im.exec(text);
		if (match) return match[1].replace(/^"(.*)"$/, '$1').replace(/^~(?=\/|$)/, homedir());
	}
	return join(xdg, 'git', 'ignore');
}

function compareCodeUnits(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** The first index whose path is not below `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (sorted[middle] < key) low = middle + 1;
		else high = middle;
	}
	return low;
}

function insertSorted(sorted: string[], path: string): void {
	const at = lowerBound(sorted, path);
	if (sorted[at] !== path) sorted.splice(at, 0, path);
}

function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
	if (b.length === 0) return a as string[];
	const out: string[] = new Array(a.length + b.length);
	let i = 0;
	let j = 0;
	let k = 0;
	while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
	while (i < a.length) out[k++] = a[i++];
	while (j < b.length) out[k++] = b[j++];
	return out;
}
