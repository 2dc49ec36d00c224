// What git_commit's approval card is built from: prepare() on real repositories, checked against what git then records.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { subjectChange } from '../../../../src/core/gate/subjectChange';
import { decide } from '../../../../src/core/gate/policy';
import type { CommitFileChange, CommitPreview } from '../../../../src/core/tools/toolSpec';
import { cleanCommitMessage, parseStagedChanges } from '../../../../src/tools/git/parse';
import { commitFile, createGitWorld, initRepo, sh, write, type GitWorld } from './gitFixtures';

describe('git_commit: what the card shows is what the commit records', () => {
	let world: GitWorld;
	let ws: string;
	let repo: string;

	before(async () => {
		world = await createGitWorld(['ws']);
		ws = world.folders[0].path;
		repo = await initRepo(join(ws, 'app'));
		await commitFile(repo, 'keep.txt', 'a\nb\nc\nd\ne\nf\n', 'first');
		await commitFile(repo, 'gone.txt', 'x\ny\n', 'second');
		await writeFile(join(repo, 'logo.bin'), Buffer.from([0, 1, 2, 3, 0, 255]));
		sh(repo, ['add', 'logo.bin']);
		sh(repo, ['commit', '-q', '-m', 'third']);
	});
	after(() => world.dispose());

	const byPath = (commit: CommitPreview): Record<string, CommitFileChange> => Object.fromEntries(commit.files.map((file) => [file.path, file]));

	test('a rename, a delete, an add, a binary change and a sensitive file, each with its counts; the message as git records it', async () => {
		sh(repo, ['mv', 'keep.txt', 'moved.txt']);
		await write(join(repo, 'moved.txt'), 'a\nb\nc\nd\ne\nf\ng\n');
		sh(repo, ['rm', '-q', 'gone.txt']);
		await writeFile(join(repo, 'logo.bin'), Buffer.from([0, 9, 9, 0]));
		await write(join(repo, '.env'), 'API_TOKEN=ghp_secret\n');
		await write(join(repo, 'dir/with space\tand tab.txt'), 'one\ntwo\n');
		sh(repo, ['add', '-A']);
		const message = 'Rework the files  \n\n\n\nBody line one\n\tindented stays\n\n';
		const subject = await world.subject('git_commit', { repository: 'app', message });
		const commit = subject.commit!;
		assert.equal(commit.branch, 'main');
		assert.equal(commit.head, sh(repo, ['rev-parse', 'HEAD']).trim());
		assert.equal(commit.amend, false);
		const files = byPath(commit);
		assert.deepEqual(Object.keys(files).sort(), ['.env', 'dir/with space\tand tab.txt', 'gone.txt', 'logo.bin', 'moved.txt']);
		assert.deepEqual([files['moved.txt'].status, files['moved.txt'].oldPath, files['moved.txt'].added, files['moved.txt'].removed], ['renamed', 'keep.txt', 1, 0]);
		assert.deepEqual([files['gone.txt'].status, files['gone.txt'].added, files['gone.txt'].removed, files['gone.txt'].newObject], ['deleted', 0, 2, undefined]);
		assert.deepEqual([files['logo.bin'].status, files['logo.bin'].binary, files['logo.bin'].added], ['modified', true, undefined]);
		assert.deepEqual([files['.env'].status, files['.env'].sensitive, files['.env'].added], ['added', true, 1]);
		assert.equal(files['dir/with space\tand tab.txt'].added, 2);
		assert.equal(files['moved.txt'].sensitive, undefined);
		// The objects are the staged content itself.
		assert.equal(files['.env'].newObject, sh(repo, ['rev-parse', ':.env']).trim());
		assert.match(subject.summary ?? '', /^git commit on main in app: "Rework the files" \(5 files, \+4 −2\)$/);
		// The staged names are paths of the call: the policy's sensitive rules see the .env.
		assert.ok(subject.paths?.includes(join(repo, '.env')));
		assert.ok(subject.paths?.includes(join(repo, 'keep.txt')), 'a rename\'s old name too');
		const verdict = decide({ name: 'git_commit', risk: 'write' }, subject, { tools: {}, rules: [], sensitivePaths: [] }, world.folders);
		assert.deepEqual([verdict.rule, verdict.mustAsk], ['sensitive:**/.env', true]);

		await world.call('git_commit', { repository: 'app', message });
		assert.equal(sh(repo, ['log', '-1', '--format=%B']), `${commit.message}\n`, 'git recorded the message the card showed');
		const recorded = sh(repo, ['show', '--format=', '-z', '--name-only', 'HEAD']).split('\0').filter(Boolean).sort();
		assert.deepEqual(recorded, ['.env', 'dir/with space\tand tab.txt', 'gone.txt', 'logo.bin', 'moved.txt'], 'git recorded the files the card listed');
	});

	test('an amend lists the change from the commit before HEAD, and is destructive', async () => {
		await write(join(repo, 'extra.txt'), 'more\n');
		sh(repo, ['add', 'extra.txt']);
		const subject = await world.subject('git_commit', { repository: 'app', message: 'Rework, amended', amend: true });
		const commit = subject.commit!;
		assert.equal(subject.risk, 'destructive');
		assert.equal(commit.amends, 'Rework the files');
		assert.equal(commit.base, sh(repo, ['rev-parse', 'HEAD~1']).trim());
		assert.deepEqual(commit.files.map((file) => file.path).sort(), ['.env', 'dir/with space\tand tab.txt', 'extra.txt', 'gone.txt', 'logo.bin', 'moved.txt']);
		sh(repo, ['reset', '-q', 'extra.txt']);
	});

	test('nothing staged, an empty message, or unmerged files: refused before anyone is asked', async () => {
		await assert.rejects(world.subject('git_commit', { repository: 'app', message: 'nothing' }), /nothing added to commit.*git_stage/);
		await write(join(repo, 'extra.txt'), 'more\n');
		sh(repo, ['add', 'extra.txt']);
		await assert.rejects(world.subject('git_commit', { repository: 'app', message: ' \n\t' }), /message is empty/);
		sh(repo, ['reset', '-q', 'extra.txt']);
	});

	test('a change to the staged content after the card was shown is a different subject: the approval no longer applies', async () => {
		await write(join(repo, 'extra.txt'), 'more\n');
		sh(repo, ['add', 'extra.txt']);
		const shown = await world.subject('git_commit', { repository: 'app', message: 'm' });
		// Same name, same line counts: only the content differs.
		await write(join(repo, 'extra.txt'), 'mORE\n');
		sh(repo, ['add', 'extra.txt']);
		const now = await world.subject('git_commit', { repository: 'app', message: 'm' });
		assert.deepEqual(now.commit!.files.map((f) => [f.added, f.removed]), shown.commit!.files.map((f) => [f.added, f.removed]));
		assert.equal(subjectChange(shown, now), 'the staged changes changed');
		assert.equal(subjectChange(now, await world.subject('git_commit', { repository: 'app', message: 'm' })), undefined);
		sh(repo, ['reset', '-q', 'extra.txt']);
	});

	test('the first commit of an empty repository and a detached HEAD', async () => {
		const empty = await initRepo(join(ws, 'empty'));
		await write(join(empty, 'first.txt'), 'first\n');
		sh(empty, ['add', 'first.txt']);
		const first = (await world.subject('git_commit', { repository: 'empty', message: 'root' })).commit!;
		assert.deepEqual([first.branch, first.head, first.base, first.files.map((f) => [f.path, f.status, f.added])], ['main', undefined, undefined, [['first.txt', 'added', 1]]]);
		await world.call('git_commit', { repository: 'empty', message: 'root' });
		sh(empty, ['switch', '-q', '--detach', 'HEAD']);
		await write(join(empty, 'first.txt'), 'changed\n');
		sh(empty, ['add', 'first.txt']);
		const detached = await world.subject('git_commit', { repository: 'empty', message: 'on a detached head' });
		assert.equal(detached.commit!.branch, undefined);
		assert.match(detached.summary ?? '', /^git commit on detached HEAD [0-9a-f]{7} in empty: /);
	});

	test('a merge in progress with conflicts is refused naming the files; once resolved, the card says it concludes a merge', async () => {
		const merging = await initRepo(join(ws, 'merging'));
		await commitFile(merging, 'f.txt', 'base\n', 'base');
		sh(merging, ['switch', '-q', '-c', 'other']);
		await commitFile(merging, 'f.txt', 'theirs\n', 'theirs');
		sh(merging, ['switch', '-q', 'main']);
		await commitFile(merging, 'f.txt', 'ours\n', 'ours');
		assert.throws(() => sh(merging, ['merge', '-q', 'other']));
		await assert.rejects(world.subject('git_commit', { repository: 'merging', message: 'merge' }), /unmerged files: f\.txt/);
		await write(join(merging, 'f.txt'), 'resolved\n');
		sh(merging, ['add', 'f.txt']);
		const commit = (await world.subject('git_commit', { repository: 'merging', message: 'merge other' })).commit!;
		assert.equal(commit.operation, 'merge');
		assert.deepEqual(commit.files.map((f) => [f.path, f.added, f.removed]), [['f.txt', 1, 1]]);
	});

	test('a large commit is listed whole', async () => {
		const big = await initRepo(join(ws, 'big'));
		await commitFile(big, 'seed.txt', 'seed\n', 'seed');
		for (let i = 0; i < 300; i++) await write(join(big, `many/file${i}.txt`), `${i}\n`);
		sh(big, ['add', 'many']);
		const commit = (await world.subject('git_commit', { repository: 'big', message: 'many' })).commit!;
		assert.equal(commit.files.length, 300);
		assert.ok(commit.files.every((file) => file.added === 1 && file.status === 'added'));
	});
});

describe('commit preview parsing', () => {
	test('the message cleanup is git\'s own --cleanup=whitespace (git stripspace)', () => {
		for (const message of ['  lead\n\n\n\nx  \t\n\n', '\n\nsubject\r\n\r\nbody\r\n', '# kept\n\n\n', 'a\n \n \nb', '   ', 'one']) {
			assert.equal(cleanCommitMessage(message), sh(process.cwd(), ['stripspace'], message), JSON.stringify(message));
		}
	});

	test('names that look like raw headers or numstat fields are read by count', () => {
		const text = [':100644 100644 aaa bbb M', ':100644', ':000000 100644 000 ccc A', '1\t2\tb', ':100644 100644 ddd eee R090', 'old\tname', 'new', '3\t4\t:100644', '5\t6\t1\t2\tb', '-\t-\t', 'old\tname', 'new', ''].join('\0');
		const parsed = parseStagedChanges(text);
		assert.deepEqual(parsed.map((c) => [c.letter, c.oldPath, c.path, c.added, c.removed]), [['M', undefined, ':100644', 3, 4], ['A', undefined, '1\t2\tb', 5, 6], ['R', 'old\tname', 'new', undefined, undefined]]);
	});
});
