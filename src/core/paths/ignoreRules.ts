// The rules ripgrep (its `ignore` crate) applies to a walk, as pure logic, so a file index can answer with exactly
// the set `rg --files --hidden --no-require-git` would list: gitignore-format files (.rgignore, .ignore, .gitignore,
// .git/info/exclude, the global excludes file) and `--glob '!x'` overrides, with the crate's precedence.
import picomatch from 'picomatch';

/** One line of an ignore file, compiled. */
interface Rule {
	readonly test: (path: string) => boolean;
	/** `!pattern`: a match re-includes. */
	readonly whitelist: boolean;
	/** `pattern/`: matches folders only. */
	readonly dirOnly: boolean;
}

export type Verdict = 'ignore' | 'whitelist' | undefined;

/** The lines of one gitignore-format file, matched against paths relative to the folder the file applies to. */
export class IgnoreFile {
	private readonly rules: readonly Rule[];

	constructor(text: string) {
		this.rules = text.split(/\r?\n/).map(compileLine).filter((rule): rule is Rule => rule !== undefined);
	}

	get empty(): boolean {
		return this.rules.length === 0;
	}

	/** The last rule that matches decides, as in git. */
	match(relative: string, isDir: boolean): Verdict {
		for (let i = this.rules.length - 1; i >= 0; i--) {
			const rule = this.rules[i];
			if (rule.dirOnly && !isDir) continue;
			if (rule.test(relative)) return rule.whitelist ? 'whitelist' : 'ignore';
		}
		return undefined;
	}
}

// As the ignore crate reads globs: `*` never crosses '/', braces alternate, no extglobs, dot files are plain names.
const GLOB_OPTIONS = { dot: true, noextglob: true, nonegate: true, strictSlashes: false } as const;

/** A gitignore line as the ignore crate compiles it (gitignore.rs `add_line`). */
function compileLine(raw: string): Rule | undefined {
	if (raw.startsWith('#')) return undefined;
	// Trailing spaces go unless escaped with a backslash.
	let line = raw.replace(/(?<!\\)[ \t]+$/, '').replace(/\\ $/, ' ');
	if (line === '') return undefined;
	let whitelist = false;
	if (line.startsWith('\\!') || line.startsWith('\\#')) {
		line = line.slice(1);
	} else if (line.startsWith('!')) {
		whitelist = true;
		line = line.slice(1);
	}
	let anchored = false;
	if (line.startsWith('/')) {
		anchored = true;
		line = line.slice(1);
	}
	let dirOnly = false;
	if (line.endsWith('/')) {
		dirOnly = true;
		line = line.slice(0, -1);
	}
	if (line === '') return undefined;
	// No slash left: the name matches at any depth.
	if (!anchored && !line.includes('/') && !line.startsWith('**/')) line = `**/${line}`;
	// "dir/**" matches what is inside the folder, not the folder itself.
	if (line.endsWith('/**')) line = `${line}/*`;
	const matcher = picomatch(line, GLOB_OPTIONS);
	return { test: (path) => matcher(path), whitelist, dirOnly };
}

/** The ignore files of one folder of the walk, by kind. */
export interface FolderIgnores {
	readonly rgignore?: IgnoreFile;
	readonly ignore?: IgnoreFile;
	readonly gitignore?: IgnoreFile;
	/** .git/info/exclude, where the folder holds a repository. */
	readonly exclude?: IgnoreFile;
}

/** A folder on the way from the walk's root (or above it) down to a path, and its ignore files. */
export interface IgnoreLevel {
	/** The level's path relative to the walk's root, '' for the root; undefined above the root. */
	readonly relative: string | undefined;
	/** How many folders above the root, for levels above it (their files see "<names>/<relative path>"). */
	readonly aboveNames?: readonly string[];
	readonly files: FolderIgnores;
}

/**
 * Whether a path is ignored, given the levels from the deepest folder up (its own parent first, ending above the
 * root), the global excludes file and the overrides. The ignore crate's order: an override decides first; then per
 * kind the deepest folder with a matching rule decides; kinds rank .rgignore, .ignore, .gitignore, git exclude, global.
 */
export function isIgnored(relative: string, isDir: boolean, levels: readonly IgnoreLevel[], global: IgnoreFile | undefined, overrides: Overrides): boolean {
	const override = overrides.match(relative, isDir);
	if (override !== undefined) return override === 'ignore';
	const found: Verdict[] = [undefined, undefined, undefined, undefined];
	const kinds = ['rgignore', 'ignore', 'gitignore', 'exclude'] as const;
	for (const level of levels) {
		const local = levelPath(level, relative);
		for (let k = 0; k < kinds.length; k++) {
			if (found[k] !== undefined) continue;
			const file = level.files[kinds[k]];
			if (file) found[k] = file.match(local, isDir);
		}
	}
	const verdict = found.find((v) => v !== undefined) ?? global?.match(relative, isDir);
	return verdict === 'ignore';
}

function levelPath(level: IgnoreLevel, relative: string): string {
	if (level.relative === undefined) return [...(level.aboveNames ?? []), relative].join('/');
	return level.relative === '' ? relative : relative.slice(level.relative.length + 1);
}

/**
 * `--glob '!x'` overrides, as rg builds them: gitignore-format globs relative to the root whose matches are
 * inverted, so `!x` ignores and a plain glob whitelists (with any plain glob present, everything else is ignored).
 */
export class Overrides {
	private readonly file: IgnoreFile;
	private readonly whitelists: number;

	constructor(globs: readonly string[]) {
		this.file = new IgnoreFile(globs.join('\n'));
		this.whitelists = globs.filter((glob) => !glob.startsWith('!')).length;
	}

	match(relative: string, isDir: boolean): Verdict {
		const inverted = this.file.match(relative, isDir);
		if (inverted === 'whitelist') return 'ignore';
		if (inverted === 'ignore') return 'whitelist';
		return this.whitelists > 0 && !isDir ? 'ignore' : undefined;
	}
}
