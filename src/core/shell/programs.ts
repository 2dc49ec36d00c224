/**
 * What the policy knows about programs by name: which only read (and the arguments that would make them do more),
 * which may only print their version, and which run other commands (wrappers, shells). A program missing here is
 * not read-only: its lines ask unless a user rule allows them. Edit here to teach the policy a program.
 */
import type { SubCommand } from './commandRules';

/** A command another one runs (`sudo rm`, `xargs grep`): checked as part of the command that runs it. */
type InnerCommand = Pick<SubCommand, 'program' | 'args'>;

/** Why these arguments make a read-only program do more than read; undefined when they do not. */
export type ArgumentCheck = (args: readonly string[]) => string | undefined;

/** Programs that read and print but never write, and the arguments that would make them do more. */
export const readOnlyPrograms: Readonly<Record<string, ArgumentCheck>> = {
	ls: none, cat: none, head: none, tail: none, wc: none, pwd: none, echo: none, which: none, whoami: none, id: none,
	uname: none, true: none, false: none, basename: none, dirname: none, realpath: none, readlink: none, stat: none,
	du: none, df: none, diff: (args) => recursiveReads('diff', args).length > 0 ? 'diff -r follows links, out of the workspace too' : undefined, cmp: none, cut: none, nl: none, grep: grepVerdict, egrep: grepVerdict, fgrep: grepVerdict, cd: none,
	rg: (args) => forbidPrefixes(args, ['--pre'], 'rg --pre runs a program on every file')
		?? forbidPrefixes(args, ['--hostname-bin'], 'rg --hostname-bin runs a program')
		?? (args.some((arg) => /^-[^-]*L/.test(arg) || arg === '--follow') ? 'rg -L follows links, out of the workspace too' : undefined),
	sort: (args) => args.some((arg) => isLongOption(arg, '--output') || isLongOption(arg, '--compress-program') || /^-[^-]*o/.test(arg))
		? 'sort -o / --compress-program write files or run programs' : undefined,
	uniq: (args) => operands(args).length > 1 ? 'uniq with two file names writes the second' : undefined,
	find: (args) => forbidPrefixes(args, ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fls'], 'find -exec/-delete/-fprint run programs or change files'),
	// `date -f FILE` prints every line of FILE (as a date it cannot read).
	date: (args) => args.some((arg) => /^-[^-]*[sf]/.test(arg) || isLongOption(arg, '--set') || isLongOption(arg, '--file'))
		? 'date -s sets the clock, date -f prints a file' : undefined,
	tree: (args) => args.some((arg) => /^-[^-]*[oR]/.test(arg) || isLongOption(arg, '--output'))
		? 'tree -o writes a file' : undefined,
	git: gitVerdict,
};

/**
 * Without a sandbox the policy is the only guard, so only these commands run without asking: each reads or prints and
 * nothing more, and its check refuses every flag it does not list, so no argument can make it write or run code.
 */
export const strictPrograms: Readonly<Record<string, ArgumentCheck>> = {
	true: none,
	echo: none,
	pwd: (args) => onlyFlags('pwd', args, /^-[LP]+$/, []),
	which: (args) => onlyFlags('which', args, /^-[as]+$/, []),
	ls: (args) => onlyFlags('ls', args, /^-[aAlhrRtSdFpiGgnoQsuvxXcU1]+$/, ['--all', '--almost-all', '--human-readable', '--recursive', '--reverse', '--classify', '--directory', '--inode', '--size', '--color', '--color=never', '--color=auto', '--color=always', '--group-directories-first', '--full-time']),
	cat: (args) => onlyFlags('cat', args, /^-[AbeEnstTuv]+$/, ['--number', '--number-nonblank', '--show-all', '--show-ends', '--show-tabs', '--squeeze-blank']),
	head: (args) => onlyFlags('head', countValues(args), /^-([qv]+|[nc]-?[0-9]+|[0-9]+)$/, ['--quiet', '--verbose']),
	tail: (args) => onlyFlags('tail', countValues(args), /^-([qv]+|[nc]\+?[0-9]+|[0-9]+)$/, ['--quiet', '--verbose']),
	wc: (args) => onlyFlags('wc', args, /^-[clmwL]+$/, ['--lines', '--words', '--bytes', '--chars', '--max-line-length']),
	git: strictGitVerdict,
};

/** Flags of `git status`, `git log` and `git diff` that only choose what is shown and how. */
const strictGitFlags: Readonly<Record<string, ReadonlySet<string>>> = {
	status: new Set(['-s', '--short', '-b', '--branch', '--porcelain', '--long', '-uno', '-unormal', '-uall', '--untracked-files=no', '--untracked-files=normal', '--untracked-files=all', '--ignored', '--no-color']),
	log: new Set(['--oneline', '--stat', '--shortstat', '--name-only', '--name-status', '--graph', '--decorate', '--no-decorate', '--all', '-p', '--patch', '--no-color', '--reverse', '--first-parent', '--no-merges', '--merges', '-s', '--no-patch']),
	diff: new Set(['--stat', '--shortstat', '--numstat', '--name-only', '--name-status', '--cached', '--staged', '--no-color', '-w', '--ignore-all-space', '-b', '--ignore-space-change', '-p', '--patch', '--check']),
};

/** Print their version and exit; any other argument runs code (`node script.js`). */
export const versionOnlyPrograms: ReadonlySet<string> = new Set(['node', 'npm', 'npx', 'pnpm', 'yarn', 'python', 'python3', 'tsc', 'deno', 'bun', 'cargo', 'rustc', 'java', 'go', 'bash', 'sh']);

/** Their output is their arguments, not a file's content: nothing to confine to the workspace. */
export const noPathArguments: ReadonlySet<string> = new Set(['echo', 'pwd', 'which', 'whoami', 'id', 'uname', 'true', 'false', 'basename', 'dirname', 'date']);

/** Where binaries of the system live; a program path elsewhere may be anything that borrowed a harmless name. */
export const systemBinDirs: ReadonlySet<string> = new Set(['/bin', '/usr/bin', '/usr/local/bin', '/sbin', '/usr/sbin']);

/** Git subcommands that only read; `gitVerdict` still checks their arguments. */
const readOnlyGitCommands = new Set(['status', 'log', 'diff', 'show', 'branch', 'tag', 'remote', 'rev-parse', 'ls-files', 'blame', 'describe', 'stash', 'shortlog']);
/** Flags that keep `git branch` and `git tag` listing rather than creating, renaming or deleting. */
const gitListFlags = new Set(['-a', '--all', '-r', '--remotes', '-v', '-vv', '--verbose', '--list', '-l', '--show-current', '--merged', '--no-merged', '--contains', '--no-contains', '--points-at', '--no-color', '--color', '--column', '--no-column', '-n', '--sort', '--format', '--ignore-case', '-i']);

/** Options of wrapper programs that take a value, so the wrapped program is found after them. */
export const wrapperValueOptions: Readonly<Record<string, ReadonlySet<string>>> = {
	sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group', '--chdir']),
	doas: new Set(['-u', '-C']),
	env: new Set(['-u', '--unset', '-C', '--chdir']),
	nice: new Set(['-n', '--adjustment']),
	nohup: new Set(),
	command: new Set(),
	builtin: new Set(),
	exec: new Set(['-a']),
	stdbuf: new Set(['-i', '-o', '-e']),
	ionice: new Set(['-c', '-n', '-p', '-P', '-u']),
	setsid: new Set(),
	time: new Set(['-f', '-o']),
	timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
	xargs: new Set(['-I', '-L', '-n', '-P', '-s', '-d', '-E', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file', '--replace']),
	watch: new Set(['-n', '--interval']),
	chronic: new Set(),
	unbuffer: new Set(),
	strace: new Set(['-o', '-e', '-p', '-s']),
	ltrace: new Set(['-o', '-e', '-p', '-s']),
};

/** Shells whose `-c` argument is a script the policy parses and checks in turn. */
export const shells: ReadonlySet<string> = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'ash', 'busybox']);

/** The argument check of a read-only program; undefined when the program is not read-only. */
export function readOnlyCheck(name: string): ArgumentCheck | undefined {
	return own(readOnlyPrograms, name);
}

/** The check of a program that may run without asking when no sandbox is available; undefined for any other. */
export function strictCheck(name: string): ArgumentCheck | undefined {
	return own(strictPrograms, name);
}

/**
 * Programs that print what files hold: a glob in their arguments may pick a sensitive file (`cat .e*`) or a link out
 * of the workspace, which the policy cannot see before bash expands it.
 */
const contentReaders: ReadonlySet<string> = new Set(['cat', 'head', 'tail', 'nl', 'cut', 'grep', 'egrep', 'fgrep', 'rg', 'diff', 'cmp', 'sort', 'uniq']);

/**
 * A read-only program no argument makes do more, and which prints names or sizes rather than contents: a glob,
 * which only adds file names, cannot misuse it.
 */
export function anyArgumentsReadOnly(name: string): boolean {
	return readOnlyCheck(name) === none && !contentReaders.has(name);
}

/** Options of grep and rg whose value is the next argument when not glued (`-A 3`, `--glob '*.ts'`). */
const searchValueOptions: Readonly<Record<string, { short: string; long: ReadonlySet<string> }>> = {
	grep: { short: 'efmABCdD', long: new Set(['--regexp', '--file', '--max-count', '--after-context', '--before-context', '--context', '--directories', '--devices', '--include', '--exclude', '--exclude-from', '--exclude-dir', '--label', '--binary-files']) },
	rg: { short: 'efgtTmABCMjEr', long: new Set(['--regexp', '--file', '--glob', '--iglob', '--type', '--type-not', '--type-add', '--type-clear', '--max-count', '--after-context', '--before-context', '--context', '--max-columns', '--threads', '--encoding', '--replace', '--max-depth', '--maxdepth', '--max-filesize', '--sort', '--sortr', '--colors', '--color', '--path-separator', '--pre', '--pre-glob', '--engine', '--dfa-size-limit', '--regex-size-limit', '--context-separator', '--field-match-separator', '--field-context-separator', '--hyperlink-format', '--ignore-file']) },
};

/**
 * The folders a program reads every file under: `grep -r x dir`, `rg x` (its working folder when it names none),
 * `diff -r a b`. Empty when it reads nothing recursively.
 */
export function recursiveReads(name: string, args: readonly string[]): string[] {
	if (name === 'diff') {
		return args.some((arg) => /^-[^-]*r/.test(arg) || isLongOption(arg, '--recursive')) ? args.filter((arg) => !arg.startsWith('-')) : [];
	}
	const search = name === 'egrep' || name === 'fgrep' ? 'grep' : name;
	const valueOptions = own(searchValueOptions, search);
	if (!valueOptions) {
		return [];
	}
	let recursive = search === 'rg';
	let patternGiven = false;
	const operands: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		if (arg === '--') {
			operands.push(...args.slice(i + 1));
			break;
		}
		if (arg.startsWith('--')) {
			const option = arg.split('=')[0];
			recursive ||= isLongOption(option, '--recursive') || isLongOption(option, '--dereference-recursive')
				|| (isLongOption(option, '--directories') && (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[i + 1] ?? '').startsWith('r'));
			patternGiven ||= isLongOption(option, '--regexp') || isLongOption(option, '--file');
			if (!arg.includes('=') && valueOptions.long.has(option)) {
				i++;
			}
			continue;
		}
		if (arg.startsWith('-') && arg !== '-') {
			for (let j = 1; j < arg.length; j++) {
				recursive ||= arg[j] === 'r' || arg[j] === 'R';
				if (valueOptions.short.includes(arg[j])) {
					patternGiven ||= arg[j] === 'e' || arg[j] === 'f';
					if (arg[j] === 'd') {
						recursive ||= (j + 1 < arg.length ? arg.slice(j + 1) : args[i + 1] ?? '').startsWith('r');
					}
					if (j + 1 === arg.length) {
						i++;
					}
					break;
				}
			}
			continue;
		}
		operands.push(arg);
	}
	if (!recursive) {
		return [];
	}
	const folders = patternGiven ? operands : operands.slice(1);
	return folders.length > 0 ? folders : ['.'];
}

/**
 * Whether an argument is a long option or, as GNU getopt_long reads it, an abbreviation of one (`--outp=f` is
 * `--output=f`). An ambiguous abbreviation fails, so any prefix counts.
 */
export function isLongOption(arg: string, option: string): boolean {
	if (!arg.startsWith('--') || arg.length <= 2) {
		return false;
	}
	const name = arg.split('=')[0];
	return option.startsWith(name) || name.startsWith(option);
}

/** Where `-v` is the version too; elsewhere it is verbose mode (`python -v`) or runs standard input (`bash -v`). */
const shortVersionFlag: ReadonlySet<string> = new Set(['node', 'npm', 'npx', 'pnpm', 'yarn', 'tsc', 'bun']);

/** `node --version`: a version-only program asked for nothing but its version. */
export function asksVersionOnly(name: string, args: readonly string[]): boolean {
	return versionOnlyPrograms.has(name) && args.length === 1 && (args[0] === '--version' || (args[0] === '-v' && shortVersionFlag.has(name)));
}

/** The programs a wrapper runs (`sudo rm`, `find -exec rm`) and the scripts a shell or eval runs (`bash -c '…'`). */
export function innerCommands(name: string, args: readonly string[]): { commands: InnerCommand[]; scripts: string[] } {
	const commands: InnerCommand[] = [];
	const scripts: string[] = [];
	const valueOptions = own(wrapperValueOptions, name);
	if (valueOptions) {
		let i = 0;
		while (i < args.length && args[i].startsWith('-') && args[i] !== '--') {
			if (name === 'env' && (args[i] === '-S' || args[i] === '--split-string')) {
				scripts.push(args[i + 1] ?? '');
				i += 2;
				continue;
			}
			if (name === 'env' && args[i].startsWith('-S')) {
				scripts.push(args[i].slice(2));
			}
			i += valueOptions.has(args[i]) ? 2 : 1;
		}
		if (args[i] === '--') {
			i++;
		}
		while (i < args.length && isAssignment(args[i])) {
			i++;
		}
		if (name === 'timeout' && i < args.length) {
			i++;
		}
		if (i < args.length) {
			commands.push({ program: args[i], args: args.slice(i + 1) });
		}
	} else if (shells.has(name)) {
		const flag = args.findIndex((arg) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg));
		if (flag >= 0 && flag + 1 < args.length) {
			scripts.push(args[flag + 1]);
		}
		if (name === 'busybox' && args.length > 0) {
			commands.push({ program: args[0], args: args.slice(1) });
		}
	} else if (name === 'eval' || name === 'source' || name === '.') {
		if (name === 'eval') {
			scripts.push(args.join(' '));
		}
	} else if (name === 'find') {
		for (let i = 0; i < args.length; i++) {
			if (['-exec', '-execdir', '-ok', '-okdir'].includes(args[i])) {
				const end = args.findIndex((arg, index) => index > i && (arg === ';' || arg === '+'));
				const body = args.slice(i + 1, end < 0 ? args.length : end);
				if (body.length > 0) {
					commands.push({ program: body[0], args: body.slice(1) });
				}
				i = end < 0 ? args.length : end;
			}
		}
	}
	return { commands, scripts };
}

/** The operands of a command line: `-` (standard input) included, and everything after `--`. */
function operands(args: readonly string[]): string[] {
	const end = args.indexOf('--');
	const before = end < 0 ? args : args.slice(0, end);
	return [...before.filter((arg) => arg === '-' || !arg.startsWith('-')), ...(end < 0 ? [] : args.slice(end + 1))];
}

function none(): undefined {
	return undefined;
}

/**
 * Undefined when every argument before `--` is a listed flag (or matches the pattern of listed short flags) or an
 * operand; else why not. Operands are left to the path checks.
 */
function onlyFlags(name: string, args: readonly string[], shortFlags: RegExp, longFlags: readonly string[]): string | undefined {
	for (const arg of args) {
		if (arg === '--') {
			return undefined;
		}
		if (arg.startsWith('-') && arg !== '-' && !shortFlags.test(arg) && !longFlags.includes(arg)) {
			return `${name} ${arg} is not among the flags that run without asking when no sandbox is available`;
		}
	}
	return undefined;
}

/** `head -n 5 f` read as `head -n5 f`, so a count is not taken for a file name (nor a file name for a count). */
function countValues(args: readonly string[]): string[] {
	const joined: string[] = [];
	for (let i = 0; i < args.length; i++) {
		if ((args[i] === '-n' || args[i] === '-c') && i + 1 < args.length) {
			joined.push(args[i] + args[i + 1]);
			i++;
		} else {
			joined.push(args[i]);
		}
	}
	return joined;
}

function strictGitVerdict(args: readonly string[]): string | undefined {
	const [sub, ...rest] = args;
	const flags = sub === undefined ? undefined : own(strictGitFlags, sub);
	if (!flags) {
		return 'without a sandbox only git status, git log and git diff run without asking';
	}
	const pattern = gitPathspecPattern(rest);
	if (pattern) {
		return pattern;
	}
	for (let i = 0; i < rest.length; i++) {
		const arg = rest[i];
		if (arg === '--') {
			break;
		}
		if (sub === 'log' && (arg === '-n' || arg === '--max-count') && /^[0-9]+$/.test(rest[i + 1] ?? '')) {
			i++;
			continue;
		}
		if (arg.startsWith('-') && !flags.has(arg) && !(sub === 'log' && /^(-[0-9]+|-n[0-9]+|--max-count=[0-9]+)$/.test(arg))) {
			return `git ${sub} ${arg} is not among the flags that run without asking when no sandbox is available`;
		}
	}
	return undefined;
}

function forbidPrefixes(args: readonly string[], prefixes: readonly string[], reason: string): string | undefined {
	return args.some((arg) => prefixes.some((prefix) => arg === prefix || arg.startsWith(`${prefix}=`) || (prefix.startsWith('--') || prefix.length > 2 ? arg.startsWith(prefix) : false)))
		? reason : undefined;
}

function grepVerdict(args: readonly string[]): string | undefined {
	return args.some((arg) => /^-[^-]*R/.test(arg) || isLongOption(arg, '--dereference-recursive')) ? 'grep -R follows links, out of the workspace too' : undefined;
}

/**
 * Git reads its own wildcards and magic in pathspecs (`git log -p -- '*.env'`, `':(icase).ENV'`) even when bash
 * passes them quoted: the files they match cannot be checked against the sensitive list.
 */
function gitPathspecPattern(args: readonly string[]): string | undefined {
	const pattern = args.find((arg) => !arg.startsWith('-') && (/[*?[]/.test(arg) || arg.startsWith(':')));
	return pattern === undefined ? undefined : `git pathspec ${pattern} is a pattern: the files it matches may be sensitive`;
}

function gitVerdict(args: readonly string[]): string | undefined {
	const [sub, ...rest] = args;
	if (sub === undefined || sub.startsWith('-')) {
		return 'git options before the subcommand (-c, -C, --git-dir, --exec-path …) can change what runs';
	}
	if (!readOnlyGitCommands.has(sub)) {
		return `git ${sub} is not a read-only git command`;
	}
	if (sub !== 'branch' && sub !== 'tag') {
		const pattern = gitPathspecPattern(rest);
		if (pattern) {
			return pattern;
		}
	}
	const dangerous = ['--output', '--ext-diff', '--textconv', '--exec', '--upload-pack', '--receive-pack', '--open-files-in-pager'];
	const writing = rest.some((arg) => dangerous.some((option) => isLongOption(arg, option))) ? 'these git options write files or run programs' : undefined;
	if (writing) {
		return writing;
	}
	if (sub === 'branch' || sub === 'tag') {
		const listing = rest.includes('--list') || rest.includes('-l');
		const flagsOk = rest.every((arg) => !arg.startsWith('-') || gitListFlags.has(arg.split('=')[0]));
		const positional = rest.some((arg) => !arg.startsWith('-'));
		if (!flagsOk || (positional && !listing)) {
			return `git ${sub} with these arguments can create, rename or delete`;
		}
	}
	if (sub === 'remote' && !rest.every((arg) => arg === '-v' || arg === '--verbose')) {
		return 'git remote with arguments can change remotes or reach the network';
	}
	if (sub === 'stash' && rest[0] !== 'list' && rest[0] !== 'show') {
		return 'git stash changes the working tree (only stash list/show are read-only)';
	}
	return undefined;
}

/** `X=1` or `A[i]+=2`: an assignment a wrapper (`env`, `sudo`) hands to the program it runs. */
function isAssignment(word: string): boolean {
	return /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(word);
}

/** A table entry by program name; `constructor` or `valueOf` must not find Object.prototype's. */
function own<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
	return Object.hasOwn(table, name) ? table[name] : undefined;
}
