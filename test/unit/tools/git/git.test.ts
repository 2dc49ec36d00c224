import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ToolError } from '../../../../src/core/base/errors';
import { GitCancelledError, runGit } from '../../../../src/node/git/gitRunner';
import { commitFile, createGitWorld, initRepo, sh, tool, write, type GitWorld } from './gitFixtures';

function data<T>(result: { structured?: unknown }): T {
	return result.structured as T;
}

describe('git tools on real repositories', () => {
	let world: GitWorld;
	let ws: string;
	let main: string;
	let remote: string;

	before(async () => {
		world = await createGitWorld(['ws']);
		ws = world.folders[0].path;
		main = await initRepo(join(ws, 'app'));
		await commitFile(main, 'README.md', 'hello\n', 'first commit');
		await commitFile(main, 'src/a.ts', 'export const a = 1;\n', 'add a');
		sh(main, ['branch', 'feature']);
		await commitFile(main, 'src/b.ts', 'export const b = 2;\n', 'add b');
		// A bare remote outside the workspace, with main pushed and tracked.
		remote = join(world.base, 'remote.git');
		sh(world.base, ['init', '-q', '--bare', '-b', 'main', remote]);
		sh(main, ['remote', 'add', 'origin', remote]);
		sh(main, ['push', '-q', '-u', 'origin', 'main']);
		await commitFile(main, 'src/c.ts', 'export const c = 3;\n', 'add c (unpushed)');
	});
	after(() => world.dispose());

	test('git_repositories lists nested repositories and submodules with their branch', async () => {
		const sub = await initRepo(join(world.base, 'sub-src'));
		await commitFile(sub, 'lib.txt', 'lib\n', 'lib');
		const host = await initRepo(join(ws, 'host'));
		await commitFile(host, 'x.txt', 'x\n', 'x');
		sh(host, ['submodule', 'add', '-q', sub, 'vendor/sub']);
		const nested = await initRepo(join(ws, 'host', 'nested', 'inner'));
		await commitFile(nested, 'n.txt', 'n\n', 'n');
		const result = data<{ repositories: { path: string; kind: string; branch: string | null }[]; outside: unknown[] }>(await world.call('git_repositories', {}));
		const byPath = new Map(result.repositories.map((r) => [r.path, r]));
		assert.equal(byPath.get('app')?.branch, 'main');
		assert.equal(byPath.get('host/nested/inner')?.kind, 'repository');
		assert.equal(byPath.get('host/vendor/sub')?.kind, 'worktree');
		assert.deepEqual(result.outside, []);
		// The submodule is a repository of its own for the other tools.
		const status = data<{ branch: { oid: string } }>(await world.call('git_status', { repository: 'host/vendor/sub' }));
		assert.match(status.branch.oid, /^[0-9a-f]{40}$/);
		const hostStatus = data<{ staged: { path: string; submodule?: boolean }[] }>(await world.call('git_status', { repository: 'host' }));
		assert.ok(hostStatus.staged.some((e) => e.path === 'vendor/sub' && e.submodule));
	});

	test('git_status reports branch, upstream, ahead, staged, unstaged and untracked', async () => {
		await write(join(main, 'src/a.ts'), 'export const a = 10;\n');
		await write(join(main, 'staged.txt'), 'new\n');
		sh(main, ['add', 'staged.txt']);
		await write(join(main, 'notes/todo.txt'), 'todo\n');
		await write(join(main, 'name with space.txt'), 'x\n');
		await write(join(main, 'ünïcödé.txt'), 'u\n');
		sh(main, ['mv', 'README.md', 'READ ME.md']);
		const status = data<{
			branch: { head: string; upstream: string; ahead: number; behind: number; detached: boolean };
			staged: { path: string; status: string }[]; unstaged: { path: string; status: string }[]; untracked: string[]; clean: boolean;
		}>(await world.call('git_status', { repository: 'app' }));
		const { head, detached, upstream, ahead, behind } = status.branch;
		assert.deepEqual({ head, detached, upstream, ahead, behind }, { head: 'main', detached: false, upstream: 'origin/main', ahead: 1, behind: 0 });
		assert.deepEqual(status.staged, [{ path: 'READ ME.md', status: 'renamed', from: 'README.md' }, { path: 'staged.txt', status: 'added' }]);
		assert.deepEqual(status.unstaged, [{ path: 'src/a.ts', status: 'modified' }]);
		assert.deepEqual(status.untracked.sort(), ['name with space.txt', 'notes/', 'ünïcödé.txt'].sort());
		assert.equal(status.clean, false);
		const narrowed = data<{ unstaged: unknown[]; untracked: string[] }>(await world.call('git_status', { repository: 'app/src/a.ts', paths: ['src'] }));
		assert.equal(narrowed.unstaged.length, 1);
		assert.deepEqual(narrowed.untracked, []);
		sh(main, ['reset', '-q', '--hard']);
		sh(main, ['clean', '-qfd']);
	});

	test('git_diff: working tree, staged, between revisions, per path, stat only, and nothing', async () => {
		assert.equal((await world.call('git_diff', { repository: 'app' })).text, 'No differences.');
		await write(join(main, 'src/a.ts'), 'export const a = 11;\n');
		await write(join(main, 'src/b.ts'), 'export const b = 22;\n');
		sh(main, ['add', 'src/b.ts']);
		const unstaged = (await world.call('git_diff', { repository: 'app' })).text;
		assert.match(unstaged, /^\+export const a = 11;$/m);
		assert.doesNotMatch(unstaged, /b = 22/);
		const staged = (await world.call('git_diff', { repository: 'app', staged: true })).text;
		assert.match(staged, /^\+export const b = 22;$/m);
		const refs = (await world.call('git_diff', { repository: 'app', from: 'feature', to: 'main' })).text;
		assert.match(refs, /src\/b\.ts/);
		assert.match(refs, /src\/c\.ts/);
		const onePath = (await world.call('git_diff', { repository: 'app', from: 'feature', to: 'main', paths: ['src/c.ts'] })).text;
		assert.doesNotMatch(onePath, /src\/b\.ts/);
		const stat = (await world.call('git_diff', { repository: 'app', from: 'feature', to: 'main', stat: true })).text;
		assert.match(stat, /2 files changed, 2 insertions/);
		sh(main, ['reset', '-q', '--hard']);
	});

	test('a huge diff is capped at a line end with a notice and the file list', async () => {
		const big = Array.from({ length: 40_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
		await write(join(main, 'src/a.ts'), big);
		await write(join(main, 'src/b.ts'), big);
		const result = await world.call('git_diff', { repository: 'app', maxBytes: 50_000 });
		assert.equal(result.truncated, true);
		const [body, notice] = result.text.split('\n[… truncated');
		assert.ok(Buffer.byteLength(body) <= 50_000);
		assert.ok(body.endsWith('\n'));
		assert.match(notice, /after \d+ bytes\. Get the rest file by file with "paths"/);
		assert.match(notice, /src\/a\.ts \| +\d+/);
		assert.match(notice, /src\/b\.ts \| +\d+/);
		const show = await world.call('git_show', { repository: 'app', revision: 'HEAD', maxBytes: 1024 });
		assert.ok(!show.truncated);
		sh(main, ['reset', '-q', '--hard']);
	});

	test('git_show gives the commit with its diff; unknown revisions are an error', async () => {
		const text = (await world.call('git_show', { repository: 'app', revision: 'HEAD~1' })).text;
		assert.match(text, /^commit [0-9a-f]{40}/);
		assert.match(text, /Author: +Test Author <author@example.com>/);
		assert.match(text, /add b/);
		assert.match(text, /^\+export const b = 2;$/m);
		await assert.rejects(world.call('git_show', { repository: 'app', revision: 'no-such-branch' }), /Unknown revision "no-such-branch"/);
	});

	test('git_log returns structured commits filtered by path, author, since and range', async () => {
		const all = data<{ commits: { subject: string; author: { name: string }; parents: string[] }[]; more: boolean }>(await world.call('git_log', { repository: 'app' }));
		assert.deepEqual(all.commits.map((c) => c.subject), ['add c (unpushed)', 'add b', 'add a', 'first commit']);
		assert.equal(all.more, false);
		assert.equal(all.commits[3].parents.length, 0);
		const two = data<{ commits: unknown[]; more: boolean }>(await world.call('git_log', { repository: 'app', count: 2 }));
		assert.equal(two.commits.length, 2);
		assert.equal(two.more, true);
		const byPath = data<{ commits: { subject: string }[] }>(await world.call('git_log', { repository: 'app', paths: ['src/a.ts'] }));
		assert.deepEqual(byPath.commits.map((c) => c.subject), ['add a']);
		const range = data<{ commits: { subject: string }[] }>(await world.call('git_log', { repository: 'app', revision: 'feature..main' }));
		assert.deepEqual(range.commits.map((c) => c.subject), ['add c (unpushed)', 'add b']);
		const unpushed = data<{ commits: { subject: string }[] }>(await world.call('git_log', { repository: 'app', revision: 'origin/main..' }));
		assert.deepEqual(unpushed.commits.map((c) => c.subject), ['add c (unpushed)']);
		assert.equal(data<{ commits: unknown[] }>(await world.call('git_log', { repository: 'app', author: 'nobody' })).commits.length, 0);
		assert.equal(data<{ commits: unknown[] }>(await world.call('git_log', { repository: 'app', author: 'Test Author', since: '2023-12-31' })).commits.length, 4);
		assert.equal(data<{ commits: unknown[] }>(await world.call('git_log', { repository: 'app', since: '2025-01-01' })).commits.length, 0);
	});

	test('git_blame shows the commit of each line in a range', async () => {
		await commitFile(main, 'lines.txt', 'one\ntwo\nthree\n', 'three lines');
		await write(join(main, 'lines.txt'), 'one\nTWO\nthree\n');
		const text = (await world.call('git_blame', { repository: 'app', path: 'lines.txt', startLine: 2, endLine: 3 })).text.split('\n');
		assert.equal(text.length, 2);
		assert.match(text[0], /^00000000 .* +2\tTWO$/);
		assert.match(text[1], /^[0-9a-f]{8} 2024-01-02 Test Author +3\tthree$/);
		const committed = (await world.call('git_blame', { repository: 'app', path: 'lines.txt', revision: 'HEAD', startLine: 2, endLine: 2 })).text;
		assert.match(committed, /\ttwo$/);
		sh(main, ['reset', '-q', '--hard', 'HEAD~1']);
	});

	test('branches: list local and remote, create, switch, detach, delete', async () => {
		const list = data<{ current: string; local: { name: string; upstream: string | null; ahead: number }[]; remote: { name: string }[] }>(await world.call('git_branches', { repository: 'app' }));
		assert.equal(list.current, 'main');
		assert.deepEqual(list.local.map((b) => b.name), ['feature', 'main']);
		assert.equal(list.local[1].upstream, 'origin/main');
		assert.equal(list.local[1].ahead, 1);
		assert.deepEqual(list.remote.map((b) => b.name), ['origin/main']);

		await world.call('git_create_branch', { repository: 'app', name: 'topic/one', startPoint: 'feature' });
		assert.equal(sh(main, ['rev-parse', 'topic/one']), sh(main, ['rev-parse', 'feature']));
		assert.equal(sh(main, ['branch', '--show-current']).trim(), 'main');
		await assert.rejects(world.call('git_create_branch', { repository: 'app', name: 'topic/one' }), /already exists/);

		await world.call('git_switch_branch', { repository: 'app', branch: 'topic/one' });
		assert.equal(sh(main, ['branch', '--show-current']).trim(), 'topic/one');
		await world.call('git_create_branch', { repository: 'app', name: 'topic/two', switch: true });
		assert.equal(sh(main, ['branch', '--show-current']).trim(), 'topic/two');

		await world.call('git_switch_branch', { repository: 'app', branch: 'HEAD~1', detach: true });
		const detached = data<{ branch: { head: string | null; detached: boolean } }>(await world.call('git_status', { repository: 'app' }));
		assert.deepEqual([detached.branch.head, detached.branch.detached], [null, true]);
		const branches = data<{ current: string | null; detached: boolean }>(await world.call('git_branches', { repository: 'app' }));
		assert.deepEqual([branches.current, branches.detached], [null, true]);

		await world.call('git_switch_branch', { repository: 'app', branch: 'main' });
		await world.call('git_delete_branch', { repository: 'app', name: 'topic/two' });
		await commitFile(main, 'unmerged.txt', 'u\n', 'unmerged');
		sh(main, ['branch', 'unmerged-branch']);
		sh(main, ['reset', '-q', '--hard', 'HEAD~1']);
		await assert.rejects(world.call('git_delete_branch', { repository: 'app', name: 'unmerged-branch' }), /not fully merged/);
		await world.call('git_delete_branch', { repository: 'app', name: 'unmerged-branch', force: true });
		await world.call('git_delete_branch', { repository: 'app', name: 'topic/one' });
		await assert.rejects(world.call('git_delete_branch', { repository: 'app', name: 'topic/one' }), /no local branch/);
		assert.deepEqual(sh(main, ['branch', '--format=%(refname:short)']).trim().split('\n'), ['feature', 'main']);
	});

	test('switching refuses to overwrite local changes and changes nothing', async () => {
		await write(join(main, 'src/b.ts'), 'local edit\n');
		await assert.rejects(world.call('git_switch_branch', { repository: 'app', branch: 'feature' }), /would be overwritten/);
		assert.equal(await readFile(join(main, 'src/b.ts'), 'utf8'), 'local edit\n');
		assert.equal(sh(main, ['branch', '--show-current']).trim(), 'main');
		sh(main, ['checkout', '-q', '--', 'src/b.ts']);
	});

	test('stage, unstage, commit, amend', async () => {
		await write(join(main, 'new file.txt'), 'new\n');
		await write(join(main, 'src/a.ts'), 'export const a = 5;\n');
		await world.call('git_stage', { repository: 'app', paths: ['new file.txt', 'src'] });
		assert.deepEqual(sh(main, ['diff', '--cached', '--name-only']).trim().split('\n'), ['new file.txt', 'src/a.ts']);
		await world.call('git_unstage', { repository: 'app', paths: ['src/a.ts'] });
		assert.deepEqual(sh(main, ['diff', '--cached', '--name-only']).trim().split('\n'), ['new file.txt']);
		assert.equal((await world.subject('git_commit', { repository: 'app', message: 'x' })).risk, undefined, 'a commit is a write; only an amend is destructive');
		const committed = await world.call('git_commit', { repository: 'app', message: '-starts with a dash\n\n#42 stays in the body' });
		assert.match(committed.text, /-starts with a dash/);
		assert.equal(sh(main, ['log', '-1', '--format=%B']).trim(), '-starts with a dash\n\n#42 stays in the body');
		await assert.rejects(world.call('git_commit', { repository: 'app', message: 'nothing staged' }), /nothing added to commit|no changes added/);
		const subject = await world.subject('git_commit', { repository: 'app', message: 'reworded', amend: true });
		assert.equal(subject.risk, 'destructive');
		await world.call('git_commit', { repository: 'app', message: 'reworded', amend: true });
		assert.equal(sh(main, ['log', '-1', '--format=%s']).trim(), 'reworded');
		sh(main, ['reset', '-q', '--hard', 'HEAD~1']);
	});

	test('stash push, list and pop', async () => {
		await write(join(main, 'src/a.ts'), 'stashed change\n');
		await write(join(main, 'untracked.txt'), 'u\n');
		const pushed = data<{ entries: { index: number; message: string }[] }>(await world.call('git_stash', { repository: 'app', action: 'push', message: 'wip one', includeUntracked: true }));
		assert.equal(pushed.entries.length, 1);
		assert.match(pushed.entries[0].message, /wip one/);
		assert.equal(existsSync(join(main, 'untracked.txt')), false);
		const listed = data<{ entries: unknown[] }>(await world.call('git_stash', { repository: 'app', action: 'list' }));
		assert.equal(listed.entries.length, 1);
		await assert.rejects(world.call('git_stash', { repository: 'app', action: 'pop', index: 3 }), /no stash entry 3/);
		const popped = data<{ entries: unknown[] }>(await world.call('git_stash', { repository: 'app', action: 'pop' }));
		assert.equal(popped.entries.length, 0);
		assert.equal(await readFile(join(main, 'src/a.ts'), 'utf8'), 'stashed change\n');
		sh(main, ['reset', '-q', '--hard']);
		sh(main, ['clean', '-qfd']);
	});

	test('fetch, pull and push against a real remote; push always destructive', async () => {
		const other = join(world.base, 'other-clone');
		sh(world.base, ['clone', '-q', remote, other]);
		await commitFile(other, 'remote-change.txt', 'r\n', 'remote change');
		sh(other, ['push', '-q', 'origin', 'main']);
		await world.call('git_fetch', { repository: 'app', remote: 'origin' });
		const status = data<{ branch: { ahead: number; behind: number } }>(await world.call('git_status', { repository: 'app' }));
		assert.deepEqual([status.branch.ahead, status.branch.behind], [1, 1]);
		await assert.rejects(world.call('git_pull', { repository: 'app' }), /Not possible to fast-forward|fatal/);
		assert.equal(existsSync(join(main, 'remote-change.txt')), false);
		await world.call('git_pull', { repository: 'app', mode: 'rebase' });
		assert.equal(existsSync(join(main, 'remote-change.txt')), true);
		assert.equal((await world.subject('git_push', { repository: 'app' })).risk, 'destructive');
		assert.equal(tool('git_push').risk, 'destructive');
		const pushed = await world.call('git_push', { repository: 'app', remote: 'origin', branch: 'main' });
		assert.match(pushed.text, /refs\/heads\/main/);
		assert.equal(sh(remote, ['rev-parse', 'main']), sh(main, ['rev-parse', 'main']));
		assert.equal((await world.subject('git_push', { repository: 'app', remote: 'origin', force: 'with-lease' })).summary, 'git push --force-with-lease origin (app)');
	});

	test('reset and clean: hard and clean are destructive; clean dry run deletes nothing', async () => {
		assert.equal((await world.subject('git_reset', { repository: 'app', mode: 'hard' })).risk, 'destructive');
		assert.equal((await world.subject('git_reset', { repository: 'app', mode: 'soft' })).risk, undefined);
		assert.equal((await world.subject('git_clean', { repository: 'app', dryRun: true })).risk, 'destructive');
		await write(join(main, 'junk/file.txt'), 'junk\n');
		const dry = await world.call('git_clean', { repository: 'app', directories: true, dryRun: true });
		assert.match(dry.text, /Would remove junk\//);
		assert.equal(existsSync(join(main, 'junk/file.txt')), true);
		await world.call('git_clean', { repository: 'app', directories: true });
		assert.equal(existsSync(join(main, 'junk')), false);
		const head = sh(main, ['rev-parse', 'HEAD']).trim();
		await write(join(main, 'src/a.ts'), 'dirty\n');
		await world.call('git_reset', { repository: 'app', mode: 'soft', revision: 'HEAD~1' });
		assert.equal(sh(main, ['rev-parse', 'HEAD~0']).trim(), sh(main, ['rev-parse', `${head}~1`]).trim());
		await world.call('git_reset', { repository: 'app', mode: 'hard', revision: head });
		assert.equal(sh(main, ['status', '--porcelain']), '');
	});

	test('a merge conflict shows in status, and commit refuses until it is resolved', async () => {
		const repo = await initRepo(join(ws, 'conflict'));
		await commitFile(repo, 'f.txt', 'base\n', 'base');
		sh(repo, ['switch', '-q', '-c', 'other']);
		await commitFile(repo, 'f.txt', 'theirs\n', 'theirs');
		sh(repo, ['switch', '-q', 'main']);
		await commitFile(repo, 'f.txt', 'ours\n', 'ours');
		assert.throws(() => sh(repo, ['merge', '-q', 'other']));
		const status = data<{ operation: string; conflicts: { path: string; kind: string }[] }>(await world.call('git_status', { repository: 'conflict' }));
		assert.equal(status.operation, 'merge');
		assert.deepEqual(status.conflicts, [{ path: 'f.txt', kind: 'both-modified' }]);
		await assert.rejects(world.call('git_commit', { repository: 'conflict', message: 'merge' }), /unmerged files|not possible/i);
		await write(join(repo, 'f.txt'), 'resolved\n');
		await world.call('git_stage', { repository: 'conflict', paths: ['f.txt'] });
		await world.call('git_commit', { repository: 'conflict', message: 'merge other' });
		assert.equal(sh(repo, ['rev-list', '--parents', '-1', 'HEAD']).trim().split(' ').length, 3);
	});

	test('an empty repository: clear answers, nothing changed', async () => {
		const repo = await initRepo(join(ws, 'empty'));
		const status = data<{ branch: { head: string; oid: string | null }; clean: boolean }>(await world.call('git_status', { repository: 'empty' }));
		assert.deepEqual([status.branch.head, status.branch.oid, status.clean], ['main', null, true]);
		await assert.rejects(world.call('git_log', { repository: 'empty' }), /no commits yet/);
		await assert.rejects(world.call('git_show', { repository: 'empty' }), /no commits yet/);
		await assert.rejects(world.call('git_diff', { repository: 'empty', from: 'HEAD' }), /no commits yet/);
		await assert.rejects(world.call('git_commit', { repository: 'empty', message: 'm', amend: true }), /nothing to amend/);
		await assert.rejects(world.call('git_stash', { repository: 'empty', action: 'push' }), /no commits yet/);
		const branches = data<{ current: string; local: unknown[] }>(await world.call('git_branches', { repository: 'empty' }));
		assert.deepEqual([branches.current, branches.local.length], ['main', 0]);
		await write(join(repo, 'first.txt'), 'first\n');
		await world.call('git_stage', { repository: 'empty', paths: ['first.txt'] });
		assert.match((await world.call('git_diff', { repository: 'empty', staged: true })).text, /^\+first$/m);
		await world.call('git_unstage', { repository: 'empty', paths: ['first.txt'] });
		assert.equal(sh(repo, ['diff', '--cached', '--name-only']).trim(), '');
		await world.call('git_stage', { repository: 'empty', paths: ['.'] });
		await world.call('git_commit', { repository: 'empty', message: 'root commit' });
		assert.equal(data<{ commits: unknown[] }>(await world.call('git_log', { repository: 'empty' })).commits.length, 1);
	});

	test('a folder outside any repository is a clear error, and no repository is created', async () => {
		await write(join(ws, 'plain/file.txt'), 'x\n');
		await assert.rejects(world.call('git_status', { repository: 'plain' }), (error: Error) => error instanceof ToolError && /not inside a git repository/.test(error.message));
		assert.equal(existsSync(join(ws, 'plain/.git')), false);
		assert.equal(existsSync(join(ws, '.git')), false);
	});

	test('a cancelled call ends with the signal', async () => {
		const controller = new AbortController();
		controller.abort();
		await assert.rejects(world.call('git_status', { repository: 'app' }, controller.signal), /cancelled/);
		// A git process that would wait forever (cat-file reading stdin) is ended by the signal, whenever it fires.
		const running = new AbortController();
		const blocked = runGit(main, ws, ['cat-file', '--batch'], { signal: running.signal });
		setTimeout(() => running.abort(), 20);
		await assert.rejects(blocked, GitCancelledError);
	});
});

describe('a multi-root workspace', () => {
	test('repositories are named by folder; omitting the repository asks for one', async () => {
		const world = await createGitWorld(['front', 'back']);
		try {
			const repo = await initRepo(join(world.folders[1].path, 'svc'));
			await commitFile(repo, 'main.go', 'package main\n', 'init');
			await write(join(repo, 'one.txt'), '1\n');
			await write(join(repo, 'two.txt'), '2\n');
			const listed = data<{ repositories: { path: string; folder: string }[] }>(await world.call('git_repositories', {}));
			assert.deepEqual(listed.repositories.map((r) => [r.path, r.folder]), [['back/svc', 'back']]);
			await assert.rejects(world.call('git_status', {}), /has 2 folders; pass "repository"/);
			const status = data<{ repository: string; untracked: string[]; truncated: boolean }>(await world.call('git_status', { repository: 'back/svc', maxEntries: 1 }));
			assert.equal(status.repository, 'back/svc');
			assert.deepEqual([status.untracked.length, status.truncated], [1, true]);
			await assert.rejects(world.call('git_status', { repository: 'front' }), /not inside a git repository/);
			// A workspace folder nested inside another: the repository at the outer folder's root still counts.
			const nested = await createGitWorld(['outer', 'outer/inner']);
			try {
				const outer = await initRepo(nested.folders[0].path);
				await commitFile(outer, 'inner/x.txt', 'x\n', 'x');
				const inner = data<{ repository: string; clean: boolean }>(await nested.call('git_status', { repository: 'inner/x.txt' }));
				assert.deepEqual(inner, { ...inner, repository: 'outer', clean: true });
			} finally {
				await nested.dispose();
			}
		} finally {
			await world.dispose();
		}
	});
});
