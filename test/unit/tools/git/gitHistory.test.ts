import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createGitWorld, fastImportHistory, initRepo, tool, type GitWorld } from './gitFixtures';
import { runTool } from '../../helpers/host';

function data<T>(result: { structured?: unknown }): T {
	return result.structured as T;
}

describe('a repository with 10,000 commits', () => {
	let world: GitWorld;
	before(async () => {
		world = await createGitWorld(['big']);
		const repo = await initRepo(join(world.folders[0].path));
		fastImportHistory(repo, 10_000);
	});
	after(() => world.dispose());

	test('log -20, skip, path and author filters, ranges stay quick', async () => {
		const started = performance.now();
		const latest = data<{ commits: { subject: string }[]; more: boolean }>(await world.call('git_log', {}));
		assert.equal(latest.commits.length, 20);
		assert.equal(latest.commits[0].subject, 'commit number 10000');
		assert.equal(latest.more, true);
		const skipped = data<{ commits: { subject: string }[] }>(await world.call('git_log', { count: 1, skip: 9_999 }));
		assert.equal(skipped.commits[0].subject, 'commit number 1');
		const rare = data<{ commits: { subject: string }[]; more: boolean }>(await world.call('git_log', { paths: ['rare/hundred.txt'], count: 500 }));
		assert.equal(rare.commits.length, 100);
		assert.equal(rare.more, false);
		const seventh = data<{ commits: { author: { email: string } }[] }>(await world.call('git_log', { author: 'seventh@', count: 5 }));
		assert.ok(seventh.commits.every((c) => c.author.email === 'seventh@example.com'));
		const range = data<{ commits: unknown[]; more: boolean }>(await world.call('git_log', { revision: 'HEAD~30..HEAD~10', count: 100 }));
		assert.equal(range.commits.length, 20);
		const blame = (await world.call('git_blame', { path: 'counter.txt' })).text;
		assert.match(blame, /\tline 9999$/);
		assert.ok(performance.now() - started < 10_000);
	});

	test('a structured answer larger than the output cap loses whole commits, never half its JSON', async () => {
		const spec = tool('git_log');
		const result = await runTool(spec, { count: 500 }, world.host, { maxOutputBytes: 16 * 1024 });
		assert.ok(Buffer.byteLength(result.text) <= 16 * 1024);
		const parsed = JSON.parse(result.text) as { commits: unknown[]; more: boolean };
		assert.ok(parsed.commits.length > 10 && parsed.commits.length < 500);
		assert.equal(parsed.more, true);
		assert.equal(result.truncated, true);
	});
});
