// The watched file index against ripgrep itself: on a generated 20,000-file workspace with nested ignore files of
// every kind, excludes, dot folders and links, its answer must equal `rg --files` (as find_files runs it) after
// build and after every step of a sequence of creates, deletes, renames and ignore-file edits. Waits are for
// conditions (the index's answer equal to rg's), never for time.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rename, rm, symlink, unlink, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FolderExcludes } from '../../../../src/core/host/filesHost';
import type { WorkspaceFolderInfo } from '../../../../src/core/host/host';
import { NodeFileIndex } from '../../../../src/node/files/fileIndex';
import { nodeFolderWatcher } from '../../../../src/node/files/nodeFolderWatcher';
import { ripgrepFiles } from '../../../../src/node/files/ripgrep';

const FILES = 20_000;
let base: string;
let folder: WorkspaceFolderInfo;
let excludes: FolderExcludes = { files: ['**/*.tmp'], search: ['**/generated'] };
let index: NodeFileIndex;

/** A tree with what real repositories hold: nested .gitignore/.ignore/.rgignore with negations, ignored folders, links. */
async function generate(root: string, count: number): Promise<void> {
	const words = ['user', 'order', 'cache', 'session', 'token', 'route', 'query', 'event'];
	const extensions = ['ts', 'ts', 'js', 'json', 'md', 'log', 'tmp', 'css'];
	const paths: string[] = [];
	for (let i = 0; i < count; i++) {
		const slot = i % 50;
		const word = words[i % words.length];
		const ext = extensions[(i >> 3) % extensions.length];
		if (slot < 4) paths.push(`node_modules/lib${i % 7}/${word}-${i}.js`);
		else if (slot === 4) paths.push(`dist/${word}-${i}.js`);
		else if (slot === 5) paths.push(`packages/p${(i >> 6) % 5}/build/${word}-${i}.js`);
		else if (slot === 6) paths.push(`packages/p${(i >> 6) % 5}/generated/${word}-${i}.ts`);
		else if (slot === 7) paths.push(`.github/workflows/${word}-${i}.yml`);
		else if (slot === 8) paths.push(`packages/p${(i >> 6) % 5}/src/keep/${word}-${i}.log`);
		else paths.push(`packages/p${i % 5}/src/${words[(i >> 4) % words.length]}${(i >> 7) % 9}/${word}-${i}.${ext}`);
	}
	const folders = new Set(paths.map((path) => dirname(path)));
	for (const dir of folders) await mkdir(join(root, dir), { recursive: true });
	for (let i = 0; i < paths.length; i += 256) await Promise.all(paths.slice(i, i + 256).map((path) => writeFile(join(root, path), '')));
	await writeFile(join(root, '.gitignore'), '# root\nnode_modules/\n/dist\n*.log\n!packages/*/src/keep/*.log\n');
	// Nested: a folder-only rule, an anchored rule, and .ignore outranking .gitignore.
	await writeFile(join(root, 'packages/p1/.gitignore'), 'build/\n/src/user0\n');
	await writeFile(join(root, 'packages/p2/.ignore'), '!build/\n*.css\n');
	await writeFile(join(root, 'packages/p2/.gitignore'), 'build/\n');
	await writeFile(join(root, 'packages/p3/src/.rgignore'), '*.md\n');
	await mkdir(join(root, '.git/info'), { recursive: true });
	await writeFile(join(root, '.git/HEAD'), 'ref: refs/heads/main\n');
	await writeFile(join(root, '.git/info/exclude'), '*.json\n!packages/p4/**/*.json\n');
	await symlink('packages/p0', join(root, 'linked-folder'));
	await symlink('.gitignore', join(root, 'linked-file'));
}

async function rgList(relative = ''): Promise<string[]> {
	const found = await ripgrepFiles({ rgPath: 'rg', cwd: folder.path, paths: relative === '' ? [] : [relative], exclude: [...excludes.files, ...excludes.search], signal: new AbortController().signal }, Number.MAX_SAFE_INTEGER);
	return found.files.sort();
}

async function indexList(relative = ''): Promise<string[] | undefined> {
	return (await index.find(folder, relative, () => true, Number.MAX_SAFE_INTEGER))?.files;
}

/** Until the index answers, and answers exactly what rg lists now (a minute at most: the machine may be loaded). */
async function convergesToRg(step: string, relative = ''): Promise<void> {
	const deadline = Date.now() + 60_000;
	let ours: string[] | undefined;
	let theirs: string[] = [];
	while (Date.now() < deadline) {
		await index.ready(folder);
		[ours, theirs] = [await indexList(relative), await rgList(relative)];
		if (ours !== undefined && ours.length === theirs.length && ours.every((path, i) => path === theirs[i])) return;
		await new Promise((resolve) => setImmediate(resolve));
	}
	const missing = theirs.filter((path) => !ours?.includes(path)).slice(0, 5);
	const extra = (ours ?? []).filter((path) => !theirs.includes(path)).slice(0, 5);
	assert.fail(`${step}: the index (${ours?.length ?? 'no answer'}) differs from rg (${theirs.length}); missing ${missing.join(', ')}; extra ${extra.join(', ')}`);
}

before(async () => {
	base = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-index-')));
	const root = join(base, 'ws');
	await mkdir(root);
	await generate(root, FILES);
	folder = { name: 'ws', path: root, uri: `file://${root}`, index: 0 };
	index = new NodeFileIndex({ watcher: nodeFolderWatcher, excludes: () => excludes, globalExcludesFile: async () => undefined });
});

after(async () => {
	index.dispose();
	await rm(base, { recursive: true, force: true });
});

test('while it builds the index does not answer (ripgrep does); once built it equals rg --files exactly', async () => {
	assert.equal(await indexList(), undefined);
	assert.equal(await index.ready(folder), true);
	const listed = await rgList();
	// The fixture exercises what it claims: ignored folders, negations, links and excludes all change the set.
	assert.ok(listed.length > 10_000 && listed.length < FILES, `rg lists ${listed.length}`);
	assert.ok(listed.some((path) => path.startsWith('packages/p2/build/')), '.ignore re-includes build/ over .gitignore');
	assert.ok(!listed.some((path) => path.startsWith('packages/p1/build/') || path.startsWith('node_modules/') || path.startsWith('.git/')));
	assert.ok(listed.some((path) => path.endsWith('.log')) && !listed.some((path) => path.endsWith('.tmp')));
	assert.ok(!listed.some((path) => path.startsWith('linked-')));
	await convergesToRg('after build');
	// rg answers a sub-folder by rules of its own (a root whitelist with a '/' stops applying): left to rg.
	assert.notDeepEqual(await rgList('packages/p2'), listed.filter((path) => path.startsWith('packages/p2/')));
	assert.equal(await indexList('packages/p2'), undefined);
	assert.equal(await indexList('node_modules'), undefined);
});

test('creates, deletes and renames of files and folders are followed', async () => {
	const root = folder.path;
	await writeFile(join(root, 'packages/p0/src/new-file.ts'), 'x');
	await writeFile(join(root, 'packages/p0/src/new-file.log'), 'x');
	await mkdir(join(root, 'packages/p0/fresh/deeper'), { recursive: true });
	await writeFile(join(root, 'packages/p0/fresh/deeper/a.ts'), 'x');
	await writeFile(join(root, 'packages/p0/fresh/b.tmp'), 'x');
	await convergesToRg('after creates');
	const victim = (await rgList()).find((path) => path.startsWith('packages/p3/src/') && path.endsWith('.ts'));
	assert.ok(victim);
	await unlink(join(root, victim));
	await rm(join(root, 'packages/p4/src'), { recursive: true });
	await convergesToRg('after deletes');
	await rename(join(root, 'packages/p0/src/new-file.ts'), join(root, 'packages/p0/src/renamed.ts'));
	await rename(join(root, 'packages/p0/fresh'), join(root, 'packages/p1/moved'));
	// Into an ignored folder and out of one.
	await rename(join(root, 'packages/p1/moved/deeper/a.ts'), join(root, 'node_modules/a.ts'));
	await rename(join(root, 'dist'), join(root, 'undist'));
	await convergesToRg('after renames');
});

test('edits of .gitignore, .ignore and .rgignore (root and nested) and of the excludes are followed', async () => {
	const root = folder.path;
	await appendFile(join(root, 'packages/p0/.gitignore'), 'src/user*/\n');
	await convergesToRg('nested .gitignore created');
	await writeFile(join(root, 'packages/p2/.ignore'), '*.css\n');
	await convergesToRg('.ignore no longer re-includes build/');
	await rm(join(root, 'packages/p3/src/.rgignore'));
	await convergesToRg('.rgignore removed');
	await appendFile(join(root, '.gitignore'), '!node_modules/\n*.md\n');
	await convergesToRg('root .gitignore edited');
	excludes = { files: ['**/*.tmp', '**/*.css'], search: [] };
	await convergesToRg('excludes changed');
});
