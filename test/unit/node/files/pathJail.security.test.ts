// Security regression suite: table-driven escape attempts against the jail and through every file tool's handler.
// Passing means zero escapes: every attempt refused, and nothing outside the workspace read, written or created.
import assert from 'node:assert/strict';
import { link, lstat, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Host } from '../../../../src/core/host/host';
import { type AnyToolSpec } from '../../../../src/core/tools/toolSpec';
import { ToolError } from '../../../../src/core/base/errors';
import { filesTools } from '../../../../src/tools/files/index';
import { createTestHost, prepareTool, runTool, type TestHost } from '../../helpers/host';

const SECRET = 'TOP-SECRET-SENTINEL';

function findTool(name: string): AnyToolSpec {
	const found = filesTools.find((spec) => spec.name === name);
	assert.ok(found, name);
	return found;
}

async function snapshot(dir: string): Promise<Map<string, string>> {
	const result = new Map<string, string>();
	for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
		const full = join(entry.parentPath, entry.name);
		const info = await stat(full).catch(() => undefined);
		result.set(full, entry.isSymbolicLink() ? 'link' : info?.isFile() ? await readFile(full, 'utf8') : 'dir');
	}
	return result;
}

function escapeAttempts(base: string): string[] {
	const attempts: string[] = [];
	const targets = ['outside/secret.txt', 'ws-evil/secret.txt', 'ws_backup/secret.txt', 'outside/created.txt'];
	for (const prefix of ['', './', 'src/', 'src/../', 'ws/']) {
		for (let ups = 1; ups <= 4; ups++) {
			for (const target of targets) {
				attempts.push(`${prefix}${'../'.repeat(ups)}${target}`);
			}
		}
	}
	for (const target of targets) {
		attempts.push(`..\\${target.replace('/', '\\')}`, `src\\..\\..\\${target}`, `..\\/${target}`, `/..\\..\\${target}`);
		attempts.push(`${base}/${target}`, `${base}/ws/../${target}`, `${base}/ws/./../${target}`, `file://${base}/${target}`, `file://${base}/ws/%2e%2e/${target}`);
		attempts.push(`....//${target}`, `.../${target}`, `.. /${target}`, `src/.. ./../${target}`);
	}
	attempts.push(
		'%2e%2e/outside/secret.txt', '%2E%2E%2Foutside%2Fsecret.txt', '..%2foutside/secret.txt', '..%5coutside%5csecret.txt',
		'%252e%252e/outside/secret.txt', '%c0%ae%c0%ae/outside/secret.txt', 'src/%2e%2e/%2e%2e/outside/secret.txt',
		`file://${base}/ws/%252e%252e/outside/secret.txt`, 'file:///etc/passwd', `file://localhost${base}/outside/secret.txt`,
		'http://example.com/x', 'vscode-remote://ssh/x', `file://evil-host${base}/ws/inside.txt`, 'file://server/share/secret.txt',
		'/etc/passwd', '/', base, `${base}/ws-evil`, `${base}/ws_backup`, `${base}/ws-evil/../ws-evil/secret.txt`, `${base}/WS/inside.txt`,
		'~', '~/secret', '~root/.ssh/id_rsa', '~/../outside/secret.txt',
		'inside.txt\0', 'inside.txt\0../../outside/secret.txt', '\0', 'src/\0a.ts', 'in\nside.txt', 'inside.txt\r',
		'CON', 'con', 'CON .txt', 'NUL', 'nul.txt', 'src/aux.ts', 'PRN', 'COM1', 'com9.log', 'LPT1', 'lpt3.txt', 'CONOUT$', 'CONIN$', 'COM¹', 'src/con/x.ts',
		'inside.txt:stream', 'inside.txt::$DATA', 'src:hidden', 'src/a.ts:Zone.Identifier:$DATA',
		'PROGRA~1/x', 'WS-EVI~1/secret.txt', '../WS-EVI~1/secret.txt', 'src/LONGNA~2.TS',
		'//server/share/secret.txt', '\\\\server\\share\\x', '\\\\?\\C:\\secret.txt', '\\\\.\\PhysicalDrive0', 'C:secret.txt', 'C:\\Windows\\win.ini', 'C:/Windows/win.ini',
		' inside.txt', 'inside.txt ', 'src/a.ts.', 'src./a.ts',
		'link-out-file', 'link-out-dir', 'link-out-dir/secret.txt', 'link-out-dir/created.txt', 'link-out-dir/sub/new.txt',
		'link-chain1/secret.txt', 'link-chain1/created.txt', 'link-chain1', 'dangling', 'dangling-dir/x.txt', 'link-evil/secret.txt', 'link-evil/new.txt',
		'link-loop', 'link-loop/x.txt', 'src/link-up/outside/secret.txt', 'src/link-up/ws-evil/new.txt',
		`${base}/ws/link-out-dir/secret.txt`, `${base}/ws/link-out-file`, `${base}/ws/dangling`, `file://${base}/ws/link-out-dir/secret.txt`,
		'ws/link-out-dir/secret.txt', './link-out-dir/../secret.txt',
	);
	return attempts;
}

/** Each tool called with the attempt in every path-like argument; destructive options on, to make escapes count. */
function callsFor(tool: AnyToolSpec, attempt: string): Record<string, unknown>[] {
	switch (tool.name) {
		case 'read_file': return [{ path: attempt }];
		case 'list_directory': return [{ path: attempt, depth: 3 }];
		case 'find_files': return [{ pattern: '**', path: attempt, includeIgnored: true }];
		case 'search_text': return [{ query: 'SENTINEL', path: attempt, includeIgnored: true }];
		case 'create_file': return [{ path: attempt, content: 'PWNED', overwrite: true }];
		case 'write_file': return [{ path: attempt, content: 'PWNED' }];
		case 'edit_file': return [{ path: attempt, edits: [{ oldText: SECRET, newText: 'PWNED' }] }];
		case 'rename_file': return [{ from: attempt, to: 'moved.txt', overwrite: true }, { from: 'inside.txt', to: attempt, overwrite: true }];
		case 'delete_file': return [{ path: attempt, recursive: true }];
		case 'get_diagnostics': return [{ path: attempt }];
		default: throw new Error(`no escape calls defined for ${tool.name}; add them here`);
	}
}

describe('path jail security regression', () => {
	let t: TestHost;
	let host: Host;
	let attempts: string[];
	let outsideBefore: Map<string, string>;

	before(async () => {
		t = await createTestHost(['ws']);
		host = t.host;
		const ws = t.folders[0].path;
		for (const sibling of ['outside', 'ws-evil', 'ws_backup']) {
			await mkdir(join(t.base, sibling));
			await writeFile(join(t.base, sibling, 'secret.txt'), SECRET);
		}
		await mkdir(join(ws, 'src'));
		await writeFile(join(ws, 'src/a.ts'), 'export const a = 1;\n');
		await writeFile(join(ws, 'inside.txt'), 'inside\n');
		await symlink(join(t.base, 'outside/secret.txt'), join(ws, 'link-out-file'));
		await symlink(join(t.base, 'outside'), join(ws, 'link-out-dir'));
		await symlink(join(ws, 'link-chain2'), join(ws, 'link-chain1'));
		await symlink(join(t.base, 'outside'), join(ws, 'link-chain2'));
		await symlink(join(t.base, 'outside/new-file.txt'), join(ws, 'dangling'));
		await symlink(join(t.base, 'outside/newdir'), join(ws, 'dangling-dir'));
		await symlink(join(t.base, 'ws-evil'), join(ws, 'link-evil'));
		await symlink(join(ws, 'link-loop'), join(ws, 'link-loop'));
		await symlink('../..', join(ws, 'src/link-up'));
		await symlink(join(ws, 'src'), join(ws, 'link-in'));
		attempts = escapeAttempts(t.base);
		outsideBefore = await snapshot(t.base);
	});
	after(() => t.dispose());

	test('the table holds at least 150 distinct attempts', () => {
		assert.ok(new Set(attempts).size >= 150, `only ${new Set(attempts).size} attempts`);
	});

	test('the jail refuses every attempt with a ToolError that names the accepted forms or the reason', async () => {
		const escaped: string[] = [];
		for (const attempt of attempts) {
			for (const options of [{}, { allowFolderRoot: true }, { mustExist: true, allowFolderRoot: true }]) {
				try {
					const resolved = await host.jail.resolve(attempt, options);
					escaped.push(`${JSON.stringify(attempt)} -> ${resolved.absolute}`);
				} catch (error) {
					assert.ok(error instanceof ToolError, `${JSON.stringify(attempt)} threw a non-ToolError: ${String(error)}`);
					assert.ok(error.message.length > 20);
				}
			}
		}
		assert.deepEqual(escaped, []);
	});

	test('every file tool refuses every attempt in prepare(), so no handler ever runs with it', async () => {
		assert.equal(filesTools.length, 10);
		const escaped: string[] = [];
		for (const tool of filesTools) {
			for (const attempt of attempts) {
				for (const args of callsFor(tool, attempt)) {
					await prepareTool(tool, args, host).then(
						(prepared) => escaped.push(`${tool.name}.prepare ${JSON.stringify(args)} -> ${JSON.stringify(prepared.subject).slice(0, 200)}`),
						(error: unknown) => assert.ok(error instanceof ToolError, `${tool.name}.prepare ${JSON.stringify(args)}: ${String(error)}`),
					);
				}
			}
		}
		assert.deepEqual(escaped, []);
	});

	test('nothing outside the workspace changed and the workspace files are intact', async () => {
		const now = await snapshot(t.base);
		assert.deepEqual(now, outsideBefore);
		for (const [path, content] of now) {
			if (!path.startsWith(`${t.folders[0].path}/`)) {
				assert.ok(content === 'dir' || content === SECRET || content === 'link', `unexpected ${path}`);
			}
		}
	});

	test('listing and searching the whole workspace never follow links out', async () => {
		const search = await runTool(findTool('search_text'), { query: 'SENTINEL', includeIgnored: true }, host);
		assert.equal(search.structured.matchCount, 0);
		assert.doesNotMatch(search.text, /TOP-SECRET/);
		const files = await runTool(findTool('find_files'), { pattern: '**', includeIgnored: true }, host);
		assert.deepEqual(files.structured.files.filter((f: string) => !['inside.txt', 'src/a.ts'].includes(f)), []);
		const listing = await runTool(findTool('list_directory'), { depth: 10 }, host);
		assert.deepEqual(listing.structured.entries.filter((e: { path: string }) => e.path.includes('/') && !e.path.startsWith('src/')), []);
		assert.equal(listing.structured.entries.find((e: { path: string }) => e.path === 'link-out-dir').type, 'symlink');
	});

	test('rename and delete act on an inside link itself, not on what it points to', async () => {
		const ws = t.folders[0].path;
		await runTool(findTool('rename_file'), { from: 'link-in', to: 'link-moved' }, host);
		assert.equal((await lstat(join(ws, 'link-moved'))).isSymbolicLink(), true);
		assert.equal((await stat(join(ws, 'src'))).isDirectory(), true);
		await runTool(findTool('delete_file'), { path: 'link-moved' }, host);
		await assert.rejects(lstat(join(ws, 'link-moved')));
		assert.equal(await readFile(join(ws, 'src/a.ts'), 'utf8'), 'export const a = 1;\n');
		await symlink(join(ws, 'src'), join(ws, 'link-in'));
	});

	test('a hard link to an outside file is never written through, by any content-writing tool', async () => {
		const ws = t.folders[0].path;
		const outsideFile = join(t.base, 'outside', 'hard-target.txt');
		await writeFile(outsideFile, 'outside content\n');
		await link(outsideFile, join(ws, 'hard.txt'));
		try {
			const calls: [string, Record<string, unknown>][] = [
				['write_file', { path: 'hard.txt', content: 'pwned\n' }],
				['create_file', { path: 'hard.txt', content: 'pwned\n', overwrite: true }],
				['edit_file', { path: 'hard.txt', edits: [{ oldText: 'outside', newText: 'pwned' }] }],
			];
			for (const [name, args] of calls) {
				const spec = findTool(name);
				await assert.rejects(runTool(spec, args, host), (error: unknown) => error instanceof ToolError && /hard links/.test(error.message), name);
			}
			assert.equal(await readFile(outsideFile, 'utf8'), 'outside content\n');
			// Deleting the link removes only the workspace's name for it; then the path can be written afresh.
			await runTool(findTool('delete_file'), { path: 'hard.txt' }, host);
			await runTool(findTool('create_file'), { path: 'hard.txt', content: 'mine\n' }, host);
			assert.equal(await readFile(join(ws, 'hard.txt'), 'utf8'), 'mine\n');
			assert.equal(await readFile(outsideFile, 'utf8'), 'outside content\n');
		} finally {
			await rm(join(ws, 'hard.txt'), { force: true });
			await rm(outsideFile, { force: true });
		}
	});

	test('legitimate forms still resolve (a jail refusing everything would pass the tests above)', async () => {
		const ws = t.folders[0].path;
		for (const good of ['inside.txt', './inside.txt', 'ws/inside.txt', `${ws}/inside.txt`, `file://${ws}/inside.txt`, 'src/a.ts', 'link-in/a.ts', 'src//a.ts']) {
			const resolved = await host.jail.resolve(good, { mustExist: true });
			assert.ok(resolved.absolute.startsWith(`${ws}/`), good);
			assert.equal(resolved.exists, true);
		}
		const linked = await host.jail.resolve('link-in/a.ts');
		assert.equal(linked.relative, 'src/a.ts');
		const fresh = await host.jail.resolve('src/new/deep.ts');
		assert.deepEqual([fresh.exists, fresh.relative], [false, 'src/new/deep.ts']);
		const root = await host.jail.resolve('', { allowFolderRoot: true });
		assert.equal(root.absolute, ws);
		await assert.rejects(host.jail.resolve(''), ToolError);
	});
});
