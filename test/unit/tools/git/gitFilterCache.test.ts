// Issue 16: a read remembers what `git config` said about filter drivers until a config file changes. Each test warms
// that memory, then changes what git would read (the repository's config rewritten to the same size, a global
// config, an included file, a re-pointed .git link, a worktree's own config, GIT_DIR in the environment) and checks
// that the planted driver still did not run: no marker file. Without a sandbox, so the check alone is what stops it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { FilterCheckCache } from '../../../../src/node/git/filterCheck';
import { findRepository } from '../../../../src/node/git/gitDiscovery';
import { runGit } from '../../../../src/node/git/gitRunner';
import { commitFile, createGitWorld, initRepo, makeStale, plantFilterTrap, sh, write, type GitWorld } from './gitFixtures';

describe('the remembered filter check is asked again whenever a config file changes', () => {
	let world: GitWorld;
	let marker: string;
	let evil: string;

	/** Memory with a clock ten seconds ahead: what was just written counts as settled, so it is remembered. */
	const settled = () => new FilterCheckCache(() => Date.now() + 10_000);

	async function repository(name: string): Promise<string> {
		const repo = await initRepo(join(world.folders[0].path, name));
		await commitFile(repo, 'a.txt', 'a\n', 'first');
		await write(join(repo, '.gitattributes'), '*.txt filter=evil\n');
		sh(repo, ['add', '.gitattributes']);
		sh(repo, ['commit', '-q', '-m', 'attributes']);
		return repo;
	}

	/** Stat-dirty with the same content, so status must read a.txt through any filter. */
	const touch = (repo: string) => makeStale(repo, ['a.txt']);

	async function status(repo: string, checks: FilterCheckCache, gitDir = join(repo, '.git')): Promise<void> {
		await touch(repo);
		await runGit(repo, dirname(repo), ['status', '--porcelain'], { signal: new AbortController().signal, gitDir, filterChecks: checks });
	}

	/** The planted driver fires under plain git: a test that passes does not pass because the trap is broken. */
	async function trapFires(repo: string): Promise<void> {
		await touch(repo);
		sh(repo, ['status', '--porcelain']);
		assert.equal(existsSync(marker), true, 'the trap should fire under plain git status');
		await rm(marker);
	}

	before(async () => {
		world = await createGitWorld(['ws']);
		({ marker, driver: evil } = await plantFilterTrap(world.base));
	});
	beforeEach(async () => {
		await rm(marker, { force: true });
	});
	after(async () => {
		await world.dispose();
	});

	test('an unchanged config is asked once; a driver added later (config rewritten to the same size) does not run', async () => {
		const repo = await repository('same-size');
		const config = join(repo, '.git', 'config');
		const clean = await readFile(config, 'utf8');
		// The same byte count as the planted version below, so only the file's identity and times can tell them apart.
		const planted = `${clean}[filter "evil"]\n\tclean = ${evil}\n`;
		await writeFile(config, `${clean}[padding "x"]\n\tk = ${'p'.repeat(planted.length - clean.length - 20)}\n`);
		assert.equal((await readFile(config)).length, Buffer.byteLength(planted));
		const checks = settled();
		await status(repo, checks);
		await status(repo, checks);
		assert.equal(checks.asked, 1, 'the second read should be answered from memory');
		await writeFile(config, planted);
		await trapFires(repo);
		await status(repo, checks);
		assert.equal(checks.asked, 2, 'the rewritten config should be asked again');
		assert.equal(existsSync(marker), false, 'the driver planted after the check ran');
	});

	test('a config replaced by a rename (a new inode, the old times) is asked again', async () => {
		const repo = await repository('renamed');
		const config = join(repo, '.git', 'config');
		const checks = settled();
		await status(repo, checks);
		const replacement = join(repo, '.git', 'config.new');
		await writeFile(replacement, `${await readFile(config, 'utf8')}[filter "evil"]\n\tclean = ${evil}\n`);
		await rename(replacement, config);
		await trapFires(repo);
		await status(repo, checks);
		assert.equal(existsSync(marker), false);
	});

	test('a driver in the global config, created after the check, does not run', async () => {
		const repo = await repository('global');
		const home = join(world.base, 'home-global');
		await mkdir(home, { recursive: true });
		const saved = process.env.HOME;
		process.env.HOME = home;
		try {
			const checks = settled();
			await status(repo, checks);
			await status(repo, checks);
			assert.equal(checks.asked, 1);
			await writeFile(join(home, '.gitconfig'), `[filter "evil"]\n\tclean = ${evil}\n`);
			await status(repo, checks);
			assert.equal(checks.asked, 2, 'a global config that appeared should be asked again');
			assert.equal(existsSync(marker), false);
		} finally {
			process.env.HOME = saved;
		}
	});

	test('a config with include or includeIf is never remembered: a driver written into the included file does not run', async () => {
		for (const [index, directive] of ['include.path', 'includeIf.gitdir:/.path'].entries()) {
			const repo = await repository(`include-${index}`);
			const included = join(world.base, `included-${index}.inc`);
			await writeFile(included, '');
			sh(repo, ['config', directive, included]);
			const checks = settled();
			await status(repo, checks);
			await status(repo, checks);
			assert.equal(checks.asked, 2, `${directive}: every read should ask`);
			await writeFile(included, `[filter "evil"]\n\tclean = ${evil}\n`);
			await trapFires(repo);
			await status(repo, checks);
			assert.equal(existsSync(marker), false, `${directive}: the driver in the included file ran`);
		}
	});

	test('a .git symlink re-pointed at another git dir whose config defines the driver: it does not run', async () => {
		const repo = await repository('linked');
		const real = join(world.base, 'linked-gitdir');
		await rename(join(repo, '.git'), real);
		await symlink(real, join(repo, '.git'));
		const checks = settled();
		await status(repo, checks);
		const other = join(world.base, 'linked-gitdir-2');
		sh(world.base, ['clone', '-q', '--bare', real, other]);
		sh(other, ['config', 'core.bare', 'false']);
		sh(other, ['config', `filter.evil.clean`, evil]);
		await rm(join(repo, '.git'));
		await symlink(other, join(repo, '.git'));
		sh(repo, ['reset', '-q']);
		await trapFires(repo);
		await status(repo, checks);
		assert.equal(existsSync(marker), false);
	});

	test('a linked worktree\'s own config (config.worktree) set after the check: the driver does not run', async () => {
		const repo = await repository('main-of-worktree');
		const tree = join(world.folders[0].path, 'wt');
		sh(repo, ['worktree', 'add', '-q', tree]);
		sh(repo, ['config', 'extensions.worktreeConfig', 'true']);
		const gitDir = join(repo, '.git', 'worktrees', 'wt');
		const checks = settled();
		await status(tree, checks, gitDir);
		await status(tree, checks, gitDir);
		assert.equal(checks.asked, 1);
		sh(tree, ['config', '--worktree', 'filter.evil.clean', evil]);
		await trapFires(tree);
		await status(tree, checks, gitDir);
		assert.equal(existsSync(marker), false);
		// The repository's shared config, read through the worktree's commondir, too.
		sh(tree, ['config', '--worktree', '--unset', 'filter.evil.clean']);
		await status(tree, checks, gitDir);
		sh(repo, ['config', 'filter.evil.clean', evil]);
		await trapFires(tree);
		await status(tree, checks, gitDir);
		assert.equal(existsSync(marker), false);
	});

	test('GIT_DIR or GIT_CONFIG_* in the editor\'s environment cannot bring a driver in', async () => {
		const repo = await repository('env');
		const other = await repository('env-other');
		sh(other, ['config', 'filter.evil.clean', evil]);
		const extra = join(world.base, 'extra.gitconfig');
		await writeFile(extra, `[filter "evil"]\n\tclean = ${evil}\n`);
		const names = ['GIT_DIR', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0'];
		const saved = names.map((name) => process.env[name]);
		Object.assign(process.env, { GIT_DIR: join(other, '.git'), GIT_CONFIG_GLOBAL: extra, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'filter.evil.clean', GIT_CONFIG_VALUE_0: evil });
		try {
			const checks = settled();
			await status(repo, checks);
			await status(repo, checks);
			await status(other, checks);
			assert.equal(existsSync(marker), false);
		} finally {
			names.forEach((name, i) => {
				if (saved[i] === undefined) delete process.env[name];
				else process.env[name] = saved[i];
			});
		}
	});

	/** The git dir the tools pass for `repo` (openRepository's view), which may not be git's own. */
	async function toolsGitDir(repo: string): Promise<string> {
		const found = await findRepository(repo, repo);
		assert.ok(found, `no repository at ${repo}`);
		return found.gitDir;
	}

	/**
	 * A `.git` file naming its git dir in a way our discovery reads otherwise than git does: the memory must not stamp
	 * the decoy (a folder with a HEAD, where our reading lands) while git reads the config beside it.
	 */
	async function divergentGitfile(name: string, line: string, realDir: string, decoy: string): Promise<string> {
		const repo = await repository(name);
		await mkdir(dirname(realDir), { recursive: true });
		await rename(join(repo, '.git'), realDir);
		await write(join(decoy, 'HEAD'), 'ref: refs/heads/main\n');
		await writeFile(join(repo, '.git'), `gitdir: ${line}\n`);
		return repo;
	}

	async function plantedAfterWarmGitfile(repo: string): Promise<void> {
		const gitDir = await toolsGitDir(repo);
		const checks = settled();
		await status(repo, checks, gitDir);
		await status(repo, checks, gitDir);
		// git writes the driver where it reads its config (the real git dir), not where our discovery looked.
		sh(repo, ['config', 'filter.evil.clean', evil]);
		await trapFires(repo);
		await status(repo, checks, gitDir);
		assert.equal(existsSync(marker), false, 'the driver in the config git really reads ran');
	}

	test('a .git file whose path ends in a space (git keeps it, our discovery trims it): the driver does not run', async () => {
		const base = join(world.folders[0].path, 'gitfile-space');
		const repo = await divergentGitfile('gitfile-space', 'gd ', join(base, 'gd '), join(base, 'gd'));
		assert.equal(await toolsGitDir(repo), join(repo, 'gd'), 'the trap needs discovery to land on the decoy');
		await plantedAfterWarmGitfile(repo);
	});

	test('a .git file whose path climbs out of a symlink (git resolves "link/.." physically): the driver does not run', async () => {
		const base = join(world.folders[0].path, 'gitfile-dotdot');
		await mkdir(join(base, 'deep', 'x'), { recursive: true });
		const repo = await divergentGitfile('gitfile-dotdot', 'link/../gd', join(base, 'deep', 'gd'), join(base, 'gd'));
		await symlink(join(base, 'deep', 'x'), join(repo, 'link'));
		assert.equal(await toolsGitDir(repo), join(repo, 'gd'), 'the trap needs discovery to land on the decoy');
		await plantedAfterWarmGitfile(repo);
	});

	test('a worktree\'s commondir ending in a space (git keeps it, the check trimmed it): the driver does not run', async () => {
		const repo = await repository('commondir-space');
		const tree = join(world.folders[0].path, 'wt-space');
		sh(repo, ['worktree', 'add', '-q', tree]);
		const gitDir = join(repo, '.git', 'worktrees', 'wt-space');
		// The common dir git will use: a copy of the repository's, beside it, with a trailing space in its name.
		await cp(join(repo, '.git'), join(repo, '.git '), { recursive: true });
		await writeFile(join(gitDir, 'commondir'), `${join(repo, '.git')} \n`);
		const checks = settled();
		await status(tree, checks, gitDir);
		await status(tree, checks, gitDir);
		sh(tree, ['config', 'filter.evil.clean', evil]);
		assert.match(await readFile(join(repo, '.git ', 'config'), 'utf8'), /evil/, 'git should read the config of the spaced common dir');
		await trapFires(tree);
		await status(tree, checks, gitDir);
		assert.equal(existsSync(marker), false, 'the driver in the common dir git really reads ran');
	});

	/** Runs `body` with HOME (and XDG_CONFIG_HOME, when given) pointing at fresh folders, put back afterwards. */
	async function withHome(name: string, body: (home: string) => Promise<void>, xdg?: string): Promise<void> {
		const home = join(world.base, name);
		await mkdir(home, { recursive: true });
		const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
		process.env.HOME = home;
		if (xdg === undefined) delete process.env.XDG_CONFIG_HOME;
		else process.env.XDG_CONFIG_HOME = xdg;
		try {
			await body(home);
		} finally {
			for (const [key, value] of Object.entries(saved)) {
				if (value === undefined) delete process.env[key];
				else process.env[key] = value;
			}
		}
	}

	test('a driver only the global config defines, selected later by a new .gitattributes, info/attributes or core.attributesFile: it does not run (every defined driver is switched off, whatever selects it)', async () => {
		await withHome('home-attributes', async (home) => {
			const globalConfig = join(home, '.gitconfig');
			await writeFile(globalConfig, `[filter "evil"]\n\tclean = ${evil}\n`);
			const plantings: [string, (repo: string) => Promise<void>][] = [
				['.gitattributes', (repo) => writeFile(join(repo, '.gitattributes'), '*.txt filter=evil\n')],
				['info/attributes', (repo) => write(join(repo, '.git', 'info', 'attributes'), '*.txt filter=evil\n')],
				['core.attributesFile', async (repo) => {
					await writeFile(join(repo, 'attrs'), '*.txt filter=evil\n');
					sh(repo, ['config', 'core.attributesFile', join(repo, 'attrs')]);
				}],
			];
			for (const [name, plant] of plantings) {
				const repo = await initRepo(join(world.folders[0].path, `attributes-${name.replace(/\W/g, '-')}`));
				await commitFile(repo, 'a.txt', 'a\n', 'first');
				const checks = settled();
				await status(repo, checks);
				await status(repo, checks);
				assert.equal(checks.asked, 1, `${name}: the second read should be answered from memory`);
				await plant(repo);
				await touch(repo);
				sh(repo, ['status', '--porcelain'], undefined, { GIT_CONFIG_GLOBAL: globalConfig });
				assert.equal(existsSync(marker), true, `${name}: the trap should fire under plain git status`);
				await rm(marker);
				await status(repo, checks);
				assert.equal(existsSync(marker), false, `${name}: the globally defined driver ran once attributes selected it`);
			}
		});
	});

	test('a same-size rewrite with the old mtime put back (utimes) is asked again: the change time cannot be put back', async () => {
		const repo = await repository('utimes');
		const config = join(repo, '.git', 'config');
		const clean = await readFile(config, 'utf8');
		const planted = `${clean}[filter "evil"]\n\tclean = ${evil}\n`;
		await writeFile(config, `${clean}[padding "x"]\n\tk = ${'p'.repeat(planted.length - clean.length - 20)}\n`);
		// A whole-second mtime, so utimes can put back exactly what the stamp saw.
		const when = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
		await utimes(config, when, when);
		const old = await stat(config);
		const checks = settled();
		await status(repo, checks);
		await writeFile(config, planted);
		await utimes(config, when, when);
		const now = await stat(config);
		assert.equal(now.size, old.size);
		assert.equal(now.mtimeMs, old.mtimeMs);
		await trapFires(repo);
		await status(repo, checks);
		assert.equal(checks.asked, 2);
		assert.equal(existsSync(marker), false);
	});

	test('a global config created under XDG_CONFIG_HOME, or behind a re-pointed ~/.gitconfig symlink, after the check: the driver does not run', async () => {
		const xdg = join(world.base, 'xdg');
		await withHome('home-xdg', async (home) => {
			const repo = await repository('xdg');
			const checks = settled();
			await status(repo, checks);
			await status(repo, checks);
			assert.equal(checks.asked, 1);
			await write(join(xdg, 'git', 'config'), `[filter "evil"]\n\tclean = ${evil}\n`);
			await status(repo, checks);
			assert.equal(existsSync(marker), false, 'the driver in $XDG_CONFIG_HOME/git/config ran');
			await rm(join(xdg, 'git', 'config'));
			// ~/.gitconfig a symlink to a harmless file, then to one that defines the driver (both old enough).
			await writeFile(join(home, 'harmless'), '[core]\n\tx = 1\n');
			await writeFile(join(home, 'planted'), `[filter "evil"]\n\tclean = ${evil}\n`);
			await symlink(join(home, 'harmless'), join(home, '.gitconfig'));
			await status(repo, checks);
			await status(repo, checks);
			await rm(join(home, '.gitconfig'));
			await symlink(join(home, 'planted'), join(home, '.gitconfig'));
			await status(repo, checks);
			assert.equal(existsSync(marker), false, 'the driver behind the re-pointed symlink ran');
		}, xdg);
	});

	test('includeIf "onbranch:" with the driver already in the included file: switching branch (no config file changes) does not let it run', async () => {
		const repo = await repository('onbranch');
		const included = join(world.base, 'onbranch.inc');
		await writeFile(included, `[filter "evil"]\n\tclean = ${evil}\n`);
		sh(repo, ['config', 'includeIf.onbranch:evil.path', included]);
		const checks = settled();
		await status(repo, checks);
		sh(repo, ['checkout', '-q', '-b', 'evil']);
		await trapFires(repo);
		await status(repo, checks);
		assert.equal(existsSync(marker), false);
	});

	test('a repository swapped for another under the same path (its config defines the driver): it does not run', async () => {
		const repo = await repository('swapped');
		const other = await repository('swapped-other');
		sh(other, ['config', 'filter.evil.clean', evil]);
		const checks = settled();
		await status(repo, checks);
		await status(repo, checks);
		await rename(repo, join(world.base, 'swapped-away'));
		await rename(other, repo);
		await trapFires(repo);
		await status(repo, checks);
		assert.equal(existsSync(marker), false);
	});

	test('a submodule\'s own config (never part of the check) defines and selects a driver: git_status and git_diff of the superproject do not enter it', async () => {
		const source = await repository('submodule-source');
		const superproject = await initRepo(join(world.folders[0].path, 'superproject'));
		await commitFile(superproject, 'top.txt', 'top\n', 'top');
		sh(superproject, ['submodule', 'add', '-q', source, 'sub']);
		sh(superproject, ['commit', '-q', '-m', 'sub']);
		const sub = join(superproject, 'sub');
		sh(sub, ['config', 'filter.evil.clean', evil]);
		await trapFires(sub);
		await touch(sub);
		sh(superproject, ['status', '--porcelain']);
		assert.equal(existsSync(marker), true, 'plain git status of the superproject should enter the submodule');
		await rm(marker);
		for (const name of ['git_status', 'git_diff']) {
			await touch(sub);
			await world.call(name, { repository: superproject });
			assert.equal(existsSync(marker), false, `${name} ran the submodule's driver`);
		}
	});

	test('with the real clock a config written a moment ago is not remembered (its timestamps could hide a second write)', async () => {
		const repo = await repository('racy');
		const checks = new FilterCheckCache();
		sh(repo, ['config', 'core.racy', 'yes']);
		await status(repo, checks);
		await status(repo, checks);
		assert.equal(checks.asked, 2);
	});
});
