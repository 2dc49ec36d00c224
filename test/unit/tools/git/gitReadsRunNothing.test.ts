// Issue 11, deliverable 1: a git read runs no program the repository configures and writes nothing, whatever the
// repository's config, attributes and hooks say. Each trap is first shown to fire under plain git, so a test that
// passes is not passing because the trap was broken.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ToolError } from '../../../../src/core/base/errors';
import { runGit } from '../../../../src/node/git/gitRunner';
import { commitFile, createGitWorld, initRepo, makeStale, plantFilterTrap, sh, write, type GitWorld } from './gitFixtures';

describe('git reads run no repository program and write nothing', () => {
	let world: GitWorld;
	let repo: string;
	let marker: string;
	let evil: string;

	async function index(): Promise<Buffer> {
		return readFile(join(repo, '.git', 'index'));
	}

	/** Every tracked file stat-dirty, so a read must go through any filter and would refresh the index. */
	const touchAll = (dir = repo, names = ['a.txt', 'b.txt']) => makeStale(dir, names);

	/** Every read tool on the working tree and on history. */
	async function everyRead(): Promise<void> {
		await world.call('git_status', { repository: 'repo' });
		await world.call('git_status', { repository: 'repo', untracked: 'all' });
		await world.call('git_diff', { repository: 'repo' });
		await world.call('git_diff', { repository: 'repo', stat: true });
		await world.call('git_diff', { repository: 'repo', from: 'HEAD' });
		await world.call('git_diff', { repository: 'repo', staged: true });
		await world.call('git_blame', { repository: 'repo', path: 'a.txt' });
		await world.call('git_show', { repository: 'repo' });
		await world.call('git_log', { repository: 'repo', paths: ['a.txt'] });
		await world.call('git_branches', { repository: 'repo' });
	}

	before(async () => {
		world = await createGitWorld(['ws']);
		repo = await initRepo(join(world.folders[0].path, 'repo'));
		await commitFile(repo, 'a.txt', 'a\n', 'first');
		await commitFile(repo, 'b.txt', 'b\n', 'second');
		({ marker, driver: evil } = await plantFilterTrap(world.base));
	});
	beforeEach(async () => {
		await rm(marker, { force: true });
	});
	after(async () => {
		await world.dispose();
	});

	test('filter drivers named in .gitattributes (clean, process) do not run on status, diff or blame', async () => {
		await write(join(repo, '.gitattributes'), '*.txt filter=evil\n');
		sh(repo, ['config', 'filter.evil.clean', evil]);
		sh(repo, ['config', 'filter.evil.required', 'true']);
		try {
			await touchAll();
			sh(repo, ['status', '--porcelain']);
			assert.equal(existsSync(marker), true, 'the trap should fire under plain git status');
			await rm(marker);
			sh(repo, ['config', '--unset', 'filter.evil.clean']);
			sh(repo, ['config', 'filter.evil.process', evil]);
			await write(join(repo, 'a.txt'), 'a\nchanged\n');
			await touchAll();
			await everyRead();
			assert.match((await world.call('git_diff', { repository: 'repo' })).text, /^\+changed$/m);
			assert.equal(existsSync(marker), false, 'a read ran the filter driver');
		} finally {
			sh(repo, ['config', '--remove-section', 'filter.evil']);
			await rm(join(repo, '.gitattributes'));
			sh(repo, ['checkout', '-q', '--', 'a.txt']);
		}
	});

	test('a driver with dots in its name, or in upper-case config, is switched off too', async () => {
		const config = await readFile(join(repo, '.git', 'config'), 'utf8');
		await write(join(repo, '.gitattributes'), '*.txt filter=my.evil.one\n');
		await writeFile(join(repo, '.git', 'config'), `${config}[FILTER "my.evil.one"]\n\tCLEAN = ${evil}\n`);
		try {
			await touchAll();
			await everyRead();
			assert.equal(existsSync(marker), false, 'a read ran the filter driver');
			await touchAll();
			sh(repo, ['status', '--porcelain']);
			assert.equal(existsSync(marker), true, 'the trap should fire under plain git status');
		} finally {
			await writeFile(join(repo, '.git', 'config'), config);
			await rm(join(repo, '.gitattributes'));
		}
	});

	test('a driver whose name holds "=" (which -c cannot override) refuses the read, running nothing', async () => {
		await write(join(repo, '.gitattributes'), '*.txt filter=a=b\n');
		sh(repo, ['config', 'filter.a=b.clean', evil]);
		try {
			await touchAll();
			sh(repo, ['status', '--porcelain']);
			assert.equal(existsSync(marker), true, 'the trap should fire under plain git status');
			await rm(marker);
			await assert.rejects(world.call('git_status', { repository: 'repo' }), (error: Error) => {
				assert.ok(error instanceof ToolError);
				assert.match(error.message, /filter driver named "a=b".*git was not run/);
				return true;
			});
			assert.equal(existsSync(marker), false);
		} finally {
			sh(repo, ['config', '--remove-section', 'filter.a=b']);
			await rm(join(repo, '.gitattributes'));
		}
	});

	test('git_diff and git_status leave .git/index byte for byte as it was, and no hook fires (post-index-change)', async () => {
		const hooks = join(repo, '.git', 'hooks');
		await mkdir(hooks, { recursive: true });
		await write(join(hooks, 'post-index-change'), `#!/bin/sh\ntouch '${marker}'\n`);
		await chmod(join(hooks, 'post-index-change'), 0o755);
		try {
			await touchAll();
			const before = await index();
			sh(repo, ['diff'], undefined, { GIT_OPTIONAL_LOCKS: '0' });
			assert.equal(existsSync(marker), true, 'the trap should fire under plain git diff, even without optional locks');
			await writeFile(join(repo, '.git', 'index'), before);
			await touchAll();
			await rm(marker);
			await everyRead();
			assert.deepEqual(await index(), before, 'a read rewrote .git/index');
			assert.equal(existsSync(marker), false, 'a read ran a hook');
		} finally {
			await rm(join(hooks, 'post-index-change'));
		}
	});

	test('a partial clone does not fetch missing objects through a repository-configured transport', async () => {
		const source = await initRepo(join(world.base, 'source'));
		sh(source, ['config', 'uploadpack.allowFilter', 'true']);
		await commitFile(source, 'f.txt', 'one\n', 'one');
		await commitFile(source, 'f.txt', 'one\ntwo\n', 'two');
		const clone = join(world.folders[0].path, 'partial');
		sh(world.base, ['clone', '-q', '--filter=blob:none', '--no-checkout', `file://${source}`, clone]);
		sh(clone, ['config', 'remote.origin.url', `ext::sh -c touch% ${marker}`]);
		sh(clone, ['config', 'protocol.ext.allow', 'always']);
		sh(clone, ['config', 'protocol.allow', 'always']);
		await world.call('git_show', { repository: 'partial', stat: true }).catch(() => undefined);
		await world.call('git_show', { repository: 'partial' }).catch(() => undefined);
		await world.call('git_diff', { repository: 'partial', from: 'HEAD~1', to: 'HEAD' }).catch(() => undefined);
		assert.equal(existsSync(marker), false, 'a read fetched through the repository\'s transport');
		assert.throws(() => sh(clone, ['show', 'HEAD']), /could not fetch/);
		assert.equal(existsSync(marker), true, 'the trap should fire under plain git show');
	});

	test('a submodule\'s own filter driver does not run on the superproject\'s status or diff', async () => {
		const library = await initRepo(join(world.base, 'library'));
		await commitFile(library, 'lib.txt', 'lib\n', 'lib');
		const superproject = await initRepo(join(world.folders[0].path, 'super'));
		await commitFile(superproject, 'top.txt', 'top\n', 'top');
		sh(superproject, ['submodule', 'add', '-q', library, 'lib']);
		sh(superproject, ['commit', '-qm', 'add lib']);
		const module = join(superproject, 'lib');
		await write(join(module, '.gitattributes'), '*.txt filter=sub\n');
		sh(module, ['config', 'filter.sub.clean', evil]);
		await touchAll(module, ['lib.txt']);
		await world.call('git_status', { repository: 'super' });
		await world.call('git_diff', { repository: 'super' });
		assert.equal(existsSync(marker), false, 'a read ran the submodule\'s filter');
		await touchAll(module, ['lib.txt']);
		sh(superproject, ['status']);
		assert.equal(existsSync(marker), true, 'the trap should fire under plain git status');
	});

	test('a bare repository an agent built from plain files in a source folder is never used (core.fsmonitor)', async () => {
		const folder = join(world.folders[0].path, 'src', 'evil');
		await mkdir(join(folder, 'objects'), { recursive: true });
		await mkdir(join(folder, 'refs'), { recursive: true });
		await writeFile(join(folder, 'HEAD'), 'ref: refs/heads/main\n');
		await writeFile(join(folder, 'config'), `[core]\n\trepositoryformatversion = 0\n\tbare = true\n\tfsmonitor = ${evil}\n[filter "x"]\n\tclean = ${evil}\n`);
		sh(folder, ['-c', 'core.fsmonitor=false', 'rev-parse', '--git-dir']);
		for (const name of ['git_status', 'git_log', 'git_branches', 'git_diff']) {
			await assert.rejects(world.call(name, { repository: 'src/evil' }), ToolError, name);
		}
		// Straight to the runner too, as a tool that trusted its own discovery less would call it.
		await assert.rejects(runGit(folder, world.folders[0].path, ['status', '--porcelain'], { signal: new AbortController().signal }), /bare repository/);
		assert.equal(existsSync(marker), false, 'git used the planted bare repository');
	});
});
