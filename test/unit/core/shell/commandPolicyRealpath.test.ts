// Paths a command reads are resolved on disk as the path jail resolves them: a link already in the workspace that
// leads out, or to a sensitive file, asks; ordinary files stay allowed. Real temp folders, the real resolver.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyzeCommand } from '../../../../src/core/shell/commandPolicy';
import { loadBashParser, realPathOf } from '../../../../src/node/terminal/bashParser';

describe('command arguments are resolved through links', () => {
	let base: string;
	let app: string;
	before(async () => {
		base = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-realpath-')));
		app = join(base, 'app');
		await mkdir(join(app, 'src'), { recursive: true });
		await mkdir(join(base, 'outside'));
		await writeFile(join(base, 'outside', 'secret.txt'), 'secret\n');
		await writeFile(join(app, 'notes.txt'), 'notes\n');
		await writeFile(join(app, '.env'), 'X=1\n');
		await writeFile(join(app, 'src', 'a.ts'), 'export {};\n');
		await symlink(join(base, 'outside'), join(app, 'out-link'));
		await symlink(join(base, 'outside', 'secret.txt'), join(app, 'src', 'b.ts'));
		await symlink('../.env', join(app, 'src', 'config.txt'));
		await symlink(join(app, 'nothing-here'), join(app, 'dangling'));
		await symlink('loop-b', join(app, 'loop-a'));
		await symlink('loop-a', join(app, 'loop-b'));
		await symlink('src', join(app, 'inner-link'));
	});
	after(() => rm(base, { recursive: true, force: true }));

	async function decide(line: string, sandboxed: boolean) {
		return analyzeCommand(line, { cwd: app, workspaceRoots: [app], home: join(base, 'home'), sandboxed, realpath: realPathOf, parser: await loadBashParser() });
	}

	for (const line of [
		'cat out-link/secret.txt',
		'cat out-link/../outside/secret.txt',
		'head out-link/secret.txt',
		'grep -r x out-link',
		'grep -r x out-link/',
		'rg x out-link',
		'ls out-link',
		'cat src/b.ts',
		'cat src/config.txt',
		'cd out-link && cat secret.txt',
		'cd src && cat b.ts',
		'cat dangling',
		'cat loop-a',
		'cat nothing/../../outside/secret.txt',
		'cat src/a.ts/x',
		'cat < out-link/secret.txt',
		'wc -l src/b.ts',
		'git diff --no-index out-link/secret.txt notes.txt',
	]) {
		test(`${JSON.stringify(line)} asks`, async () => {
			for (const sandboxed of [true, false]) {
				const analysis = await decide(line, sandboxed);
				assert.notEqual(analysis.decision, 'allow', `allowed with sandboxed: ${sandboxed}`);
			}
		});
	}

	for (const line of ['cat notes.txt', 'cat src/a.ts', 'cat inner-link/a.ts', 'cd inner-link && cat a.ts', 'ls src', 'cat not-yet-there.txt']) {
		test(`${JSON.stringify(line)} is allowed`, async () => {
			const analysis = await decide(line, true);
			assert.equal(analysis.decision, 'allow', analysis.reasons.join(' | '));
		});
	}

	test('the resolver follows links as the path jail does', () => {
		assert.equal(realPathOf(join(app, 'out-link', 'secret.txt')), join(base, 'outside', 'secret.txt'));
		assert.equal(realPathOf(join(app, 'out-link', 'new', 'file')), join(base, 'outside', 'new', 'file'));
		assert.equal(realPathOf(join(app, 'dangling')), undefined);
		assert.equal(realPathOf(join(app, 'loop-a')), undefined);
		assert.equal(realPathOf(`${app}/missing/../../outside`), undefined);
		assert.equal(realPathOf(join(app, 'notes.txt', 'x')), undefined);
	});
});
