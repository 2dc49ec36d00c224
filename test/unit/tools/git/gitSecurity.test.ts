// Every refused injection pattern, including those of CVE-2025-68143/68144/68145 and CVE-2026-27735.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ToolError } from '../../../../src/core/base/errors';
import { gitTools } from '../../../../src/tools/git';
import { redactCredentials } from '../../../../src/tools/git/redact';
import { commitFile, createGitWorld, initRepo, sh, write, type GitWorld } from './gitFixtures';

function refused(pattern: RegExp): (error: unknown) => boolean {
	return (error) => {
		assert.ok(error instanceof ToolError, `expected a ToolError, got ${String(error)}`);
		assert.match(error.message, pattern);
		return true;
	};
}

describe('git tools refuse injection', () => {
	let world: GitWorld;
	let repo: string;
	let pwned: string;
	let headBefore: string;

	before(async () => {
		world = await createGitWorld(['ws']);
		repo = await initRepo(join(world.folders[0].path, 'repo'));
		await commitFile(repo, 'a.txt', 'a\n', 'first');
		await commitFile(repo, 'b.txt', 'b\n', 'second');
		sh(repo, ['branch', 'feature']);
		sh(repo, ['remote', 'add', 'origin', join(world.base, 'nowhere.git')]);
		pwned = join(world.base, 'pwned');
		headBefore = sh(repo, ['rev-parse', 'HEAD']);
	});
	after(async () => {
		const ran = existsSync(pwned);
		await world.dispose();
		assert.equal(ran, false, 'an injected command ran');
	});

	test('CVE-2025-68143: no tool initialises or configures a repository, and none creates one by accident', async () => {
		assert.ok(!gitTools.some((t) => /init|config|remote_add|clone/.test(t.name)));
		await mkdir(join(world.folders[0].path, 'plain'));
		for (const name of ['git_status', 'git_log', 'git_branches', 'git_stash']) {
			await assert.rejects(world.call(name, { repository: 'plain', action: 'list' }), refused(/not inside a git repository/));
		}
		await assert.rejects(world.call('git_status', { repository: world.base }), refused(/outside the workspace/));
		assert.deepEqual(await readdir(join(world.folders[0].path, 'plain')), []);
	});

	const dashValues = ['--output=PWNED', '-oPWNED', '--upload-pack=touch PWNED', '--exec=touch PWNED', '-D', '--force', '--receive-pack=touch PWNED'];
	const refFields: [string, Record<string, unknown>, string][] = [
		['git_diff', {}, 'from'], ['git_diff', { from: 'HEAD' }, 'to'], ['git_log', {}, 'revision'], ['git_show', {}, 'revision'],
		['git_blame', { path: 'a.txt' }, 'revision'], ['git_create_branch', {}, 'name'], ['git_create_branch', { name: 'ok' }, 'startPoint'],
		['git_switch_branch', {}, 'branch'], ['git_switch_branch', { detach: true }, 'branch'], ['git_delete_branch', {}, 'name'],
		['git_reset', {}, 'revision'], ['git_fetch', {}, 'remote'], ['git_pull', {}, 'remote'], ['git_pull', { remote: 'origin' }, 'branch'],
		['git_push', {}, 'remote'], ['git_push', { remote: 'origin' }, 'branch'], ['git_log', {}, 'author'], ['git_log', {}, 'since'], ['git_log', {}, 'grep'],
	];

	test('CVE-2025-68144: values starting with "-" are refused in every ref, remote and filter position', async () => {
		for (const [name, base, field] of refFields) {
			for (const raw of dashValues) {
				const value = raw.replace('PWNED', pwned);
				await assert.rejects(world.call(name, { repository: 'repo', ...base, [field]: value }), refused(/starts with "-"/), `${name}.${field}=${value}`);
			}
		}
		assert.equal(existsSync(pwned), false);
		assert.equal(sh(repo, ['rev-parse', 'HEAD']), headBefore);
	});

	test('ranges are checked on both sides; control characters and ref shorthands are refused', async () => {
		await assert.rejects(world.call('git_log', { repository: 'repo', revision: `HEAD..--output=${pwned}` }), refused(/starts with "-"/));
		await assert.rejects(world.call('git_log', { repository: 'repo', revision: 'HEAD\n--all' }), refused(/control characters/));
		await assert.rejects(world.call('git_diff', { repository: 'repo', from: 'main', to: 'nope' }), refused(/Unknown revision "to" "nope"|Unknown revision/));
		for (const name of ['@{-1}', 'HEAD', 'a..b', 'has space', 'x\u0001y', 'end.lock', 'a~1', 'q?']) {
			await assert.rejects(world.call('git_create_branch', { repository: 'repo', name }), ToolError, name);
		}
		assert.equal(sh(repo, ['branch', '--format=%(refname:short)']).trim(), 'feature\nmain');
	});

	test('remotes must be configured names: URLs and transports are refused', async () => {
		for (const remote of [`ext::sh -c touch% ${pwned}`, 'file:///etc', 'https://user:token@example.com/x.git', '/tmp/elsewhere', 'fd::1']) {
			for (const name of ['git_fetch', 'git_pull', 'git_push']) {
				await assert.rejects(world.call(name, { repository: 'repo', remote }), refused(/is not a remote/), `${name} ${remote}`);
			}
		}
	});

	test('CVE-2025-68145: a repository whose root is outside the workspace is refused', async () => {
		const outer = await initRepo(join(world.base, 'outer'));
		await commitFile(outer, 'inside/file.txt', 'x\n', 'outer commit');
		// A workspace folder that is a subfolder of someone else's repository.
		const outerWorld = await createGitWorld(['project']);
		try {
			const outerRepo = await initRepo(outerWorld.base);
			await commitFile(outerRepo, 'project/file.txt', 'x\n', 'outer');
			await assert.rejects(outerWorld.call('git_status', {}), refused(/whose root is outside the workspace folder/));
			await assert.rejects(outerWorld.call('git_log', { repository: 'file.txt' }), refused(/outside the workspace/));
			const listed = (await outerWorld.call('git_repositories', {})).structured as { repositories: unknown[]; outside: { root: string }[] };
			assert.deepEqual(listed.repositories, []);
			assert.equal(listed.outside[0].root, outerWorld.base);
		} finally {
			await outerWorld.dispose();
		}
		// An absolute path to a repository outside, and a symlink inside the workspace that leads to one.
		await assert.rejects(world.call('git_log', { repository: outer }), refused(/outside the workspace/));
		await symlink(outer, join(world.folders[0].path, 'link-to-outer'));
		await assert.rejects(world.call('git_log', { repository: 'link-to-outer' }), refused(/outside the workspace/));
		await assert.rejects(world.call('git_status', { repository: 'repo/.git' }), refused(/inside a \.git folder/));
	});

	test('CVE-2026-27735: paths outside the repository or inside .git are refused before git runs', async () => {
		await write(join(world.folders[0].path, 'sibling.txt'), 'not in repo\n');
		await write(join(world.base, 'outside.txt'), 'outside\n');
		await symlink(join(world.base, 'outside.txt'), join(repo, 'escape.txt'));
		const cases: [string, RegExp][] = [
			['../../outside.txt', /outside the workspace/],
			['../sibling.txt', /outside the repository/],
			[join(world.base, 'outside.txt'), /outside the workspace/],
			['/etc/passwd', /outside the workspace/],
			['.git/config', /inside \.git/],
			['.git/hooks/pre-commit', /inside \.git/],
			['sub/../.git/config', /inside \.git/],
			['.GIT/config', /inside \.git/],
			['escape.txt', /outside the workspace/],
		];
		for (const tool of ['git_stage', 'git_unstage', 'git_diff', 'git_status', 'git_log', 'git_clean', 'git_stash']) {
			for (const [path, pattern] of cases) {
				await assert.rejects(world.call(tool, { repository: 'repo', paths: [path], action: 'push' }), refused(pattern), `${tool} ${path}`);
				await assert.rejects(world.subject(tool, { repository: 'repo', paths: [path], action: 'push' }), ToolError);
			}
		}
		await assert.rejects(world.call('git_blame', { repository: 'repo', path: '.git/config' }), refused(/inside \.git/));
		assert.equal(sh(repo, ['diff', '--cached', '--name-only']), '');
	});

	test('paths are literal: a leading dash or pathspec magic does not widen what is staged', async () => {
		await write(join(repo, '-rf'), 'dash\n');
		await write(join(repo, 'c.txt'), 'c\n');
		await world.call('git_stage', { repository: 'repo', paths: ['-rf'] });
		assert.equal(sh(repo, ['diff', '--cached', '--name-only']).trim(), '-rf');
		await assert.rejects(world.call('git_stage', { repository: 'repo', paths: [':(glob)*'] }), ToolError);
		await assert.rejects(world.call('git_stage', { repository: 'repo', paths: [':/'] }), ToolError);
		assert.equal(sh(repo, ['diff', '--cached', '--name-only']).trim(), '-rf');
		sh(repo, ['reset', '-q']);
	});

	test('prepare() names the repository root and every resolved path, and the command', async () => {
		const subject = await world.subject('git_stage', { repository: 'repo', paths: ['a.txt', 'new/file.txt'] });
		assert.deepEqual(subject.paths, [repo, join(repo, 'a.txt'), join(repo, 'new/file.txt')]);
		assert.equal(subject.summary, 'git add -- a.txt new/file.txt (repo)');
		const spoof = await world.subject('git_create_branch', { repository: 'repo', name: 'x\n\rgit status' });
		assert.equal(spoof.summary, 'git branch x git status (repo)');
		for (const tool of gitTools) {
			assert.ok(tool.prepare, `${tool.name} has prepare()`);
			assert.equal(tool.annotations.readOnlyHint === true, tool.risk === 'read', tool.name);
		}
	});

	test('repository config cannot run programs during reads (fsmonitor, external diff, textconv)', async () => {
		const evil = join(world.base, 'evil.sh');
		await write(evil, `#!/bin/sh\ntouch '${pwned}'\n`);
		await chmod(evil, 0o755);
		sh(repo, ['config', 'core.fsmonitor', evil]);
		sh(repo, ['config', 'diff.external', evil]);
		sh(repo, ['config', 'diff.evil.textconv', evil]);
		await write(join(repo, '.gitattributes'), '*.txt diff=evil\n');
		await write(join(repo, 'a.txt'), 'changed\n');
		await world.call('git_status', { repository: 'repo' });
		assert.match((await world.call('git_diff', { repository: 'repo' })).text, /^\+changed$/m);
		await world.call('git_show', { repository: 'repo' });
		await world.call('git_log', { repository: 'repo', paths: ['a.txt'] });
		await world.call('git_blame', { repository: 'repo', path: 'a.txt' });
		assert.equal(existsSync(pwned), false);
		for (const key of ['core.fsmonitor', 'diff.external', 'diff.evil.textconv']) {
			sh(repo, ['config', '--unset', key]);
		}
		sh(repo, ['checkout', '-q', '--', 'a.txt']);
	});

	test('a signed commit never makes a read run the repository\'s gpg.program (log.showSignature)', async () => {
		const evil = join(world.base, 'evil-gpg.sh');
		await write(evil, `#!/bin/sh\ntouch '${pwned}'\n`);
		await chmod(evil, 0o755);
		const head = sh(repo, ['rev-parse', 'HEAD']).trim();
		const tree = sh(repo, ['rev-parse', 'HEAD^{tree}']).trim();
		const signed = sh(repo, ['hash-object', '-t', 'commit', '-w', '--stdin'], [
			`tree ${tree}`, `parent ${head}`, 'author A <a@example.com> 1700000000 +0000', 'committer A <a@example.com> 1700000000 +0000',
			'gpgsig -----BEGIN PGP SIGNATURE-----', ' ', ' iQEzBAABCAAdFiEE', ' -----END PGP SIGNATURE-----', '', 'signed', '',
		].join('\n')).trim();
		sh(repo, ['update-ref', 'refs/heads/signed', signed]);
		sh(repo, ['config', 'log.showSignature', 'true']);
		sh(repo, ['config', 'gpg.program', evil]);
		try {
			// The trap is armed: git itself would run the program.
			sh(repo, ['log', '-1', 'signed']);
			assert.equal(existsSync(pwned), true, 'the fixture should make plain git log run gpg.program');
			await rm(pwned);
			assert.match((await world.call('git_log', { repository: 'repo', revision: 'signed', count: 1 })).text, /signed/);
			assert.match((await world.call('git_show', { repository: 'repo', revision: 'signed' })).text, /signed/);
			assert.equal(existsSync(pwned), false, 'a git tool ran gpg.program');
		} finally {
			sh(repo, ['config', '--unset', 'log.showSignature']);
			sh(repo, ['config', '--unset', 'gpg.program']);
			sh(repo, ['update-ref', '-d', 'refs/heads/signed']);
		}
	});

	test('redaction removes any user:token from any URL scheme', () => {
		const part = fc.string({ minLength: 1, maxLength: 20 }).filter((v) => !/[/@\s'"]/.test(v));
		fc.assert(fc.property(fc.constantFrom('https', 'http', 'ssh', 'git+ssh', 'ftp'), part, part, (scheme, user, token) => {
			const redacted = redactCredentials(`fatal: could not read from ${scheme}://${user}:${token}@example.com/repo.git\n`);
			return redacted === `fatal: could not read from ${scheme}://***@example.com/repo.git\n`;
		}));
	});

	test('credentials in remote URLs never reach the output', async () => {
		assert.equal(redactCredentials("fatal: unable to access 'https://user:s3cret@host/x.git/'"), "fatal: unable to access 'https://***@host/x.git/'");
		assert.equal(redactCredentials('To ssh://git:tok@host:22/r and http://tok@h/r'), 'To ssh://***@host:22/r and http://***@h/r');
		sh(repo, ['remote', 'add', 'secret', 'https://user:s3cret-token@127.0.0.1:9/repo.git']);
		await assert.rejects(world.call('git_fetch', { repository: 'repo', remote: 'secret' }), (error: Error) => {
			assert.ok(error instanceof ToolError);
			assert.doesNotMatch(error.message, /s3cret/);
			return true;
		});
		const branches = await world.call('git_branches', { repository: 'repo' });
		assert.doesNotMatch(branches.text, /s3cret/);
	});
});

describe('git hooks run only from protected places', () => {
	let world: GitWorld;
	let repo: string;

	before(async () => {
		world = await createGitWorld(['ws']);
		repo = await initRepo(join(world.folders[0].path, 'repo'));
		await commitFile(repo, 'a.txt', 'a\n', 'first');
	});
	after(() => world.dispose());

	/** Installs an executable hook in `dir` (relative to the repository) that leaves a marker file. */
	async function hookIn(dir: string, name = 'pre-commit'): Promise<string> {
		const marker = join(world.base, `ran-${dir.replace(/\W/g, '_')}-${name}`);
		const hook = join(repo, dir, name);
		await write(hook, `#!/bin/sh\ntouch '${marker}'\n`);
		await chmod(hook, 0o755);
		return marker;
	}

	async function commit(message: string): Promise<string> {
		await write(join(repo, 'a.txt'), `${message}\n`);
		await world.call('git_stage', { repository: 'repo', paths: ['a.txt'] });
		return (await world.call('git_commit', { repository: 'repo', message })).text;
	}

	test('a core.hooksPath into an ordinary workspace folder is not run, and the answer says so', async () => {
		const marker = await hookIn('scripts/hooks');
		sh(repo, ['config', 'core.hooksPath', 'scripts/hooks']);
		try {
			const text = await commit('unprotected hooks');
			assert.match(text, /hooks \(core\.hooksPath ws\/repo\/scripts\/hooks|hooks \(core\.hooksPath repo\/scripts\/hooks/);
			assert.match(text, /were not run/);
			assert.equal(existsSync(marker), false, 'the hook ran');
			assert.match(sh(repo, ['log', '-1', '--format=%s']), /unprotected hooks/);
		} finally {
			sh(repo, ['config', '--unset', 'core.hooksPath']);
		}
	});

	test('every write that can run a hook is covered, not only commit: staging runs post-index-change', async () => {
		const marker = await hookIn('scripts/hooks', 'post-index-change');
		sh(repo, ['config', 'core.hooksPath', 'scripts/hooks']);
		try {
			await write(join(repo, 'a.txt'), 'staged through an unprotected hooks path\n');
			const text = (await world.call('git_stage', { repository: 'repo', paths: ['a.txt'] })).text;
			assert.match(text, /were not run/);
			assert.equal(existsSync(marker), false, 'post-index-change ran');
			// The fixture is armed: git itself runs that hook when staging.
			await write(join(repo, 'a.txt'), 'staged by git itself\n');
			sh(repo, ['add', 'a.txt']);
			assert.equal(existsSync(marker), true, 'the fixture should make plain git add run post-index-change');
		} finally {
			sh(repo, ['config', '--unset', 'core.hooksPath']);
			sh(repo, ['checkout', '-q', 'HEAD', '--', 'a.txt']);
		}
	});

	test('hooks in .githooks/ (a protected path) and in .git/hooks run as git runs them', async () => {
		const protectedMarker = await hookIn('.githooks');
		sh(repo, ['config', 'core.hooksPath', '.githooks']);
		try {
			assert.doesNotMatch(await commit('protected hooks'), /were not run/);
			assert.equal(existsSync(protectedMarker), true, 'the .githooks hook did not run');
		} finally {
			sh(repo, ['config', '--unset', 'core.hooksPath']);
		}
		const defaultMarker = await hookIn('.git/hooks');
		assert.doesNotMatch(await commit('default hooks'), /were not run/);
		assert.equal(existsSync(defaultMarker), true, 'the .git/hooks hook did not run');
	});
});
