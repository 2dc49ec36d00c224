import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { FileDiagnostic, FilesHost } from '../../../../src/core/host/filesHost';
import type { Host } from '../../../../src/core/host/host';
import { type AnyToolSpec, type ToolResult } from '../../../../src/core/tools/toolSpec';
import { ToolError } from '../../../../src/core/base/errors';
import { filesTools } from '../../../../src/tools/files/index';
import { createTestHost, prepareTool, runTool, type RunOptions, type TestHost } from '../../helpers/host';

function tool(name: string): AnyToolSpec {
	const found = filesTools.find((t) => t.name === name);
	assert.ok(found, name);
	return found;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Structured = any;

async function call(host: Host, name: string, args: Record<string, unknown>, options: RunOptions = {}): Promise<ToolResult<Structured>> {
	return runTool(tool(name), args, host, options);
}

async function refused(host: Host, name: string, args: Record<string, unknown>, message: RegExp): Promise<void> {
	await assert.rejects(call(host, name, args), (error: unknown) => error instanceof ToolError && message.test(error.message));
}

let t: TestHost;
let ws: string;

beforeEach(async () => {
	t = await createTestHost(['ws'], { files: ['**/*.hidden'], search: ['generated/**'] });
	ws = t.folders[0].path;
	await mkdir(join(ws, 'src/deep'), { recursive: true });
	await mkdir(join(ws, 'node_modules/lib'), { recursive: true });
	await mkdir(join(ws, 'generated'), { recursive: true });
	await writeFile(join(ws, '.gitignore'), 'node_modules/\n*.log\n');
	await writeFile(join(ws, 'src/a.ts'), 'export const alpha = 1;\nexport const beta = 2;\nconst Alpha = 3;\n');
	await writeFile(join(ws, 'src/deep/b.ts'), 'import { alpha } from "../a";\n// TODO: beta\n');
	await writeFile(join(ws, 'node_modules/lib/index.js'), 'export const alpha = "lib";\n');
	await writeFile(join(ws, 'debug.log'), 'alpha log\n');
	await writeFile(join(ws, 'secret.hidden'), 'alpha hidden\n');
	await writeFile(join(ws, 'generated/g.ts'), 'export const alpha = "gen";\n');
});
afterEach(() => t.dispose());

describe('read_file', () => {
	test('returns the text, hash, and line ranges with the next offset', async () => {
		const whole = await call(t.host, 'read_file', { path: 'src/a.ts' });
		assert.ok(whole.text.startsWith('export const alpha = 1;\nexport const beta = 2;\nconst Alpha = 3;\n'));
		assert.equal(whole.structured.totalLines, 3);
		assert.match(whole.structured.hash, /^[0-9a-f]{16}$/);
		const part = await call(t.host, 'read_file', { path: 'src/a.ts', offset: 2, limit: 1 });
		assert.ok(part.text.startsWith('export const beta = 2;\n'));
		assert.deepEqual([part.structured.startLine, part.structured.endLine, part.structured.nextOffset], [2, 2, 3]);
		await refused(t.host, 'read_file', { path: 'src/a.ts', offset: 10 }, /3 lines; offset 10 is past the end/);
	});

	test('cuts at the size cap with a marker naming the next offset', async () => {
		const lines = Array.from({ length: 5000 }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}`).join('\n');
		await writeFile(join(ws, 'big.txt'), lines);
		const ctx = { maxOutputBytes: 8 * 1024 };
		const result = await call(t.host, 'read_file', { path: 'big.txt' }, ctx);
		assert.equal(result.truncated, true);
		assert.ok(Buffer.byteLength(result.text) <= 8 * 1024);
		const next = result.structured.nextOffset;
		assert.match(result.text, new RegExp(`Truncated at the size cap: showing lines 1-${next - 1} of 5000\\. Call read_file with offset ${next}`));
		const following = await call(t.host, 'read_file', { path: 'big.txt', offset: next, limit: 1 });
		assert.ok(following.text.startsWith(`line ${next} `));
	});

	test('binary files, directories and missing files are refused with what to do', async () => {
		await writeFile(join(ws, 'img.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
		await refused(t.host, 'read_file', { path: 'img.png' }, /binary file/);
		await refused(t.host, 'read_file', { path: 'src' }, /is a directory.*list_directory/);
		await refused(t.host, 'read_file', { path: 'nope.ts' }, /does not exist.*find_files/);
	});

	test('a named pipe is refused at once, not waited on for a writer', { skip: process.platform === 'win32' }, async () => {
		execFileSync('mkfifo', [join(ws, 'pipe')]);
		const started = Date.now();
		await refused(t.host, 'read_file', { path: 'pipe' }, /not a regular file/);
		await refused(t.host, 'edit_file', { path: 'pipe', edits: [{ oldText: 'a', newText: 'b' }] }, /not a regular file/);
		assert.ok(Date.now() - started < 5000);
	});

	test('encodings: UTF-16LE and UTF-8 BOMs are detected, latin1 falls back, explicit encoding honoured', async () => {
		await writeFile(join(ws, 'u16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo\n', 'utf16le')]));
		const u16 = await call(t.host, 'read_file', { path: 'u16.txt' });
		assert.ok(u16.text.startsWith('héllo\n'));
		assert.deepEqual([u16.structured.encoding, u16.structured.bom], ['utf16le', true]);
		await writeFile(join(ws, 'bom8.txt'), Buffer.from([0xef, 0xbb, 0xbf, 0x61]));
		assert.deepEqual([(await call(t.host, 'read_file', { path: 'bom8.txt' })).structured.encoding, (await call(t.host, 'read_file', { path: 'bom8.txt' })).text[0]], ['utf8', 'a']);
		await writeFile(join(ws, 'l1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
		const l1 = await call(t.host, 'read_file', { path: 'l1.txt' });
		assert.ok(l1.text.startsWith('café\n'));
		assert.equal(l1.structured.encoding, 'latin1');
		await writeFile(join(ws, 'be.txt'), Buffer.from([0, 0x68, 0, 0x69]));
		assert.ok((await call(t.host, 'read_file', { path: 'be.txt', encoding: 'utf16be' })).text.startsWith('hi'));
	});

	test('an open dirty editor wins over the disk, and says so', async () => {
		const dirtyFiles: FilesHost = Object.assign(Object.create(t.host.files), { dirtyText: (p: string) => (p === join(ws, 'src/a.ts') ? 'unsaved text\n' : undefined) });
		const host = { ...t.host, files: dirtyFiles } as Host;
		const result = await call(host, 'read_file', { path: 'src/a.ts' });
		assert.ok(result.text.startsWith('unsaved text\n'));
		assert.match(result.text, /unsaved text of an open editor/);
		assert.equal(result.structured.source, 'editor');
	});
});

describe('list_directory', () => {
	test('types, sizes, depth and limit', async () => {
		const top = await call(t.host, 'list_directory', {});
		const byPath = new Map(top.structured.entries.map((e: { path: string }) => [e.path, e]));
		assert.deepEqual(byPath.get('src'), { path: 'src', type: 'directory' });
		assert.deepEqual(byPath.get('debug.log'), { path: 'debug.log', type: 'file', size: 10 });
		assert.ok(!byPath.has('src/a.ts'));
		const deep = await call(t.host, 'list_directory', { path: 'src', depth: 2 });
		assert.deepEqual(deep.structured.entries.map((e: { path: string }) => e.path), ['a.ts', 'deep', 'deep/b.ts']);
		const limited = await call(t.host, 'list_directory', { limit: 2 });
		assert.equal(limited.structured.entries.length, 2);
		assert.equal(limited.truncated, true);
		await refused(t.host, 'list_directory', { path: 'src/a.ts' }, /is a file.*read_file/);
	});
});

describe('find_files', () => {
	test('glob, respecting .gitignore and the host excludes unless includeIgnored', async () => {
		const ts = await call(t.host, 'find_files', { pattern: '*.ts' });
		assert.deepEqual(ts.structured.files, ['src/a.ts', 'src/deep/b.ts']);
		const all = await call(t.host, 'find_files', { pattern: '**' });
		assert.deepEqual(all.structured.files, ['.gitignore', 'src/a.ts', 'src/deep/b.ts']);
		const everything = await call(t.host, 'find_files', { pattern: '**', includeIgnored: true });
		assert.deepEqual(everything.structured.files, ['.gitignore', 'debug.log', 'generated/g.ts', 'node_modules/lib/index.js', 'secret.hidden', 'src/a.ts', 'src/deep/b.ts']);
		assert.deepEqual((await call(t.host, 'find_files', { pattern: '*' })).structured.files, ['.gitignore', 'src/a.ts', 'src/deep/b.ts']);
		assert.deepEqual((await call(t.host, 'find_files', { pattern: 'src/*.ts' })).structured.files, ['src/a.ts']);
		assert.deepEqual((await call(t.host, 'find_files', { pattern: '*.js' })).structured.files, []);
		assert.deepEqual((await call(t.host, 'find_files', { pattern: 'node_modules/**' })).structured.files, []);
		assert.deepEqual((await call(t.host, 'find_files', { pattern: '**/*.{ts,js}', includeIgnored: true })).structured.files, ['generated/g.ts', 'node_modules/lib/index.js', 'src/a.ts', 'src/deep/b.ts']);
		const under = await call(t.host, 'find_files', { pattern: '*.ts', path: 'src/deep' });
		assert.deepEqual(under.structured.files, ['src/deep/b.ts']);
	});

	test('limit truncates and says so', async () => {
		const limited = await call(t.host, 'find_files', { pattern: '**', limit: 1 });
		assert.equal(limited.structured.files.length, 1);
		assert.equal(limited.truncated, true);
		assert.match(limited.text, /truncated at 1 files/);
	});

	test('multi-root results are prefixed with the folder name', async () => {
		const multi = await createTestHost(['api', 'web']);
		try {
			await writeFile(join(multi.folders[0].path, 'x.ts'), 'x');
			await writeFile(join(multi.folders[1].path, 'y.ts'), 'y');
			assert.deepEqual((await call(multi.host, 'find_files', { pattern: '*.ts' })).structured.files, ['api/x.ts', 'web/y.ts']);
			assert.deepEqual((await call(multi.host, 'find_files', { pattern: '*.ts', path: 'web' })).structured.files, ['web/y.ts']);
		} finally {
			await multi.dispose();
		}
	});
});

describe('search_text', () => {
	test('literal, case-insensitive by default, ignores respected', async () => {
		const result = await call(t.host, 'search_text', { query: 'alpha' });
		assert.deepEqual(result.structured.files.map((f: { path: string }) => f.path), ['src/a.ts', 'src/deep/b.ts']);
		assert.deepEqual(result.structured.files[0].lines.map((l: { line: number }) => l.line), [1, 3]);
		const exact = await call(t.host, 'search_text', { query: 'Alpha', caseSensitive: true });
		assert.equal(exact.structured.matchCount, 1);
		const literal = await call(t.host, 'search_text', { query: 'a.' });
		assert.equal(literal.structured.matchCount, 0);
	});

	test('regex, include/exclude globs, context lines', async () => {
		const regex = await call(t.host, 'search_text', { query: 'const (alpha|beta) =', regex: true, caseSensitive: true });
		assert.equal(regex.structured.matchCount, 2);
		const included = await call(t.host, 'search_text', { query: 'alpha', include: ['**/deep/**'] });
		assert.deepEqual(included.structured.files.map((f: { path: string }) => f.path), ['src/deep/b.ts']);
		const excluded = await call(t.host, 'search_text', { query: 'alpha', exclude: ['**/deep/**'] });
		assert.deepEqual(excluded.structured.files.map((f: { path: string }) => f.path), ['src/a.ts']);
		const context = await call(t.host, 'search_text', { query: 'TODO', contextLines: 1 });
		assert.deepEqual(context.structured.files[0].lines, [{ line: 1, text: 'import { alpha } from "../a";', match: false }, { line: 2, text: '// TODO: beta', match: true }]);
		assert.match(context.text, /^ {5}1- import/m);
		assert.equal((await call(t.host, 'search_text', { query: 'alpha', include: ['*.log', '*.js'] })).structured.matchCount, 0);
		assert.equal((await call(t.host, 'search_text', { query: 'alpha', include: ['*.log', '*.js'], includeIgnored: true })).structured.matchCount, 2);
		assert.equal((await call(t.host, 'search_text', { query: 'alpha', include: ['src/*.ts', '**/deep/*.ts'] })).structured.matchCount, 3);
		const ignoredToo = await call(t.host, 'search_text', { query: 'alpha', includeIgnored: true });
		assert.equal(ignoredToo.structured.files.length, 6);
	});

	test('limit stops early; bad regex and cancellation are ToolErrors', async () => {
		const limited = await call(t.host, 'search_text', { query: 'alpha', limit: 1 });
		assert.equal(limited.structured.matchCount, 1);
		assert.equal(limited.truncated, true);
		await refused(t.host, 'search_text', { query: '(unclosed', regex: true }, /ripgrep failed: .*regex/s);
		const controller = new AbortController();
		controller.abort();
		await assert.rejects(call(t.host, 'search_text', { query: 'alpha' }, { signal: controller.signal }), /cancelled/);
	});
});

describe('create_file and write_file', () => {
	test('create fails if the file exists unless overwrite; parents are created; no temp files left', async () => {
		await call(t.host, 'create_file', { path: 'new/dir/c.ts', content: 'c\n' });
		assert.equal(await readFile(join(ws, 'new/dir/c.ts'), 'utf8'), 'c\n');
		await refused(t.host, 'create_file', { path: 'new/dir/c.ts', content: 'again' }, /already exists.*edit_file.*overwrite: true/);
		await call(t.host, 'create_file', { path: 'new/dir/c.ts', content: 'again', overwrite: true });
		assert.equal(await readFile(join(ws, 'new/dir/c.ts'), 'utf8'), 'again');
		assert.deepEqual(await readdir(join(ws, 'new/dir')), ['c.ts']);
		await refused(t.host, 'create_file', { path: 'src', content: 'x', overwrite: true }, /directory/);
		const create = tool('create_file');
		await assert.rejects(prepareTool(create, { path: 'src/a.ts', content: 'x' }, t.host), /already exists/);
		await writeFile(join(ws, 'blob.bin'), Buffer.from([0, 1, 2]));
		const { subject } = await prepareTool(create, { path: 'blob.bin', content: 'text now', overwrite: true }, t.host);
		assert.deepEqual(subject.paths, [join(ws, 'blob.bin')]);
		await call(t.host, 'create_file', { path: 'blob.bin', content: 'text now', overwrite: true });
		assert.equal(await readFile(join(ws, 'blob.bin'), 'utf8'), 'text now');
	});

	test('write keeps the encoding and refuses a stale expectedHash', async () => {
		await writeFile(join(ws, 'u16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('old', 'utf16le')]));
		await call(t.host, 'write_file', { path: 'u16.txt', content: 'nëw' });
		assert.deepEqual(await readFile(join(ws, 'u16.txt')), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('nëw', 'utf16le')]));
		const read = await call(t.host, 'read_file', { path: 'src/a.ts' });
		await writeFile(join(ws, 'src/a.ts'), 'changed meanwhile\n');
		await refused(t.host, 'write_file', { path: 'src/a.ts', content: 'mine', expectedHash: read.structured.hash }, /changed since you read it/);
		assert.equal(await readFile(join(ws, 'src/a.ts'), 'utf8'), 'changed meanwhile\n');
	});

	test('prepare gives paths and a diff preview', async () => {
		const { subject } = await prepareTool(tool('write_file'), { path: 'src/a.ts', content: 'export const alpha = 9;\n' }, t.host);
		assert.deepEqual(subject.paths, [join(ws, 'src/a.ts')]);
		assert.match(subject.diff!.unified, /^-export const alpha = 1;$/m);
		assert.match(subject.diff!.unified, /^\+export const alpha = 9;$/m);
		assert.equal(subject.diff!.path, 'src/a.ts');
	});
});

describe('edit_file', () => {
	test('several edits apply together; dryRun writes nothing and returns the diff', async () => {
		const dry = await call(t.host, 'edit_file', { path: 'src/a.ts', dryRun: true, edits: [{ oldText: 'alpha = 1', newText: 'alpha = 10' }, { oldText: 'beta = 2', newText: 'beta = 20' }] });
		assert.equal(dry.structured.applied, false);
		assert.match(dry.structured.diff, /\+export const alpha = 10;/);
		assert.equal(await readFile(join(ws, 'src/a.ts'), 'utf8'), 'export const alpha = 1;\nexport const beta = 2;\nconst Alpha = 3;\n');
		const done = await call(t.host, 'edit_file', { path: 'src/a.ts', edits: [{ oldText: 'alpha = 1', newText: 'alpha = 10' }, { oldText: 'beta = 2', newText: 'beta = 20' }] });
		assert.equal(done.structured.applied, true);
		assert.equal(await readFile(join(ws, 'src/a.ts'), 'utf8'), 'export const alpha = 10;\nexport const beta = 20;\nconst Alpha = 3;\n');
	});

	test('not found, not unique, and a failing later edit leave the file untouched', async () => {
		const before = await readFile(join(ws, 'src/a.ts'), 'utf8');
		await refused(t.host, 'edit_file', { path: 'src/a.ts', edits: [{ oldText: 'gamma', newText: 'x' }] }, /not found.*copy the text exactly/);
		await refused(t.host, 'edit_file', { path: 'src/a.ts', edits: [{ oldText: 'export const', newText: 'x' }] }, /occurs 2 times.*replaceAll/);
		await refused(t.host, 'edit_file', { path: 'src/a.ts', edits: [{ oldText: 'alpha = 1', newText: 'alpha = 5' }, { oldText: 'missing', newText: 'x' }] }, /Edit 2 of 2.*No edit was applied/);
		assert.equal(await readFile(join(ws, 'src/a.ts'), 'utf8'), before);
		await call(t.host, 'edit_file', { path: 'src/a.ts', edits: [{ oldText: 'export const', newText: 'let', replaceAll: true }] });
		assert.equal(await readFile(join(ws, 'src/a.ts'), 'utf8'), 'let alpha = 1;\nlet beta = 2;\nconst Alpha = 3;\n');
	});

	test('stale edits are refused by hash and by mtime', async () => {
		const read = await call(t.host, 'read_file', { path: 'src/a.ts' });
		await call(t.host, 'edit_file', { path: 'src/a.ts', expectedHash: read.structured.hash, edits: [{ oldText: 'beta', newText: 'gamma' }] });
		await refused(t.host, 'edit_file', { path: 'src/a.ts', expectedHash: read.structured.hash, edits: [{ oldText: 'gamma', newText: 'delta' }] }, /changed since you read it/);
		await refused(t.host, 'edit_file', { path: 'src/a.ts', expectedMtimeMs: 1, edits: [{ oldText: 'gamma', newText: 'delta' }] }, /modified since you read it/);
	});

	test('LF edits match a CRLF file and keep CRLF', async () => {
		await writeFile(join(ws, 'crlf.txt'), 'one\r\ntwo\r\nthree\r\n');
		await call(t.host, 'edit_file', { path: 'crlf.txt', edits: [{ oldText: 'one\ntwo', newText: 'uno\ndos' }] });
		assert.equal(await readFile(join(ws, 'crlf.txt'), 'utf8'), 'uno\r\ndos\r\nthree\r\n');
	});

	test('the handler writes exactly the text prepare computed (the diff the approval showed)', async () => {
		const spec = tool('edit_file');
		const input = spec.input.parse({ path: 'src/a.ts', edits: [{ oldText: 'beta', newText: 'gamma' }] });
		const prepared = await prepareTool(spec, input, t.host);
		const result = await spec.handler(input, { host: t.host, signal: new AbortController().signal, progress() {}, maxOutputBytes: 256 * 1024, approvedByPerson: true, ...prepared });
		assert.equal(result.structured && (result.structured as { applied: boolean }).applied, true);
		assert.equal(await readFile(join(ws, 'src/a.ts'), 'utf8'), (prepared.plan as { after: string }).after);
		assert.match(prepared.subject.diff!.unified, /^\+export const gamma = 2;$/m);
	});
});

describe('rename_file and delete_file', () => {
	test('rename moves, refuses overwrite unless asked', async () => {
		await call(t.host, 'rename_file', { from: 'src/a.ts', to: 'lib/a2.ts' });
		assert.equal(await readFile(join(ws, 'lib/a2.ts'), 'utf8'), 'export const alpha = 1;\nexport const beta = 2;\nconst Alpha = 3;\n');
		await refused(t.host, 'rename_file', { from: 'lib/a2.ts', to: 'src/deep/b.ts' }, /already exists.*overwrite: true/);
		await call(t.host, 'rename_file', { from: 'lib/a2.ts', to: 'src/deep/b.ts', overwrite: true });
		assert.match(await readFile(join(ws, 'src/deep/b.ts'), 'utf8'), /alpha = 1/);
		await refused(t.host, 'rename_file', { from: 'src', to: 'src/deep/inner' }, /into itself/);
		await refused(t.host, 'rename_file', { from: 'missing.ts', to: 'x.ts' }, /does not exist/);
	});

	test('delete needs recursive for folders; the result says it was permanent', async () => {
		await refused(t.host, 'delete_file', { path: 'src' }, /is a folder.*recursive: true/);
		const file = await call(t.host, 'delete_file', { path: 'src/a.ts' });
		assert.match(file.text, /permanently/);
		await call(t.host, 'delete_file', { path: 'src', recursive: true });
		await assert.rejects(stat(join(ws, 'src')));
		assert.equal(tool('delete_file').risk, 'destructive');
		assert.equal(tool('delete_file').annotations.destructiveHint, true);
	});
});

describe('get_diagnostics and the tool list', () => {
	test('filters by file and severity, hides problems outside the workspace', async () => {
		const problem = (path: string, severity: FileDiagnostic['severity'], line: number): FileDiagnostic => ({ path, severity, message: `${severity} here`, line, column: 1, endLine: line, endColumn: 2, source: 'ts', code: '2322' });
		const list = [problem(join(ws, 'src/a.ts'), 'warning', 2), problem(join(ws, 'src/a.ts'), 'error', 1), problem(join(ws, 'src/deep/b.ts'), 'hint', 1), problem('/usr/lib/x.d.ts', 'error', 1)];
		const files: FilesHost = Object.assign(Object.create(t.host.files), { diagnostics: (p?: string) => list.filter((d) => p === undefined || d.path === p) });
		const host = { ...t.host, files } as Host;
		const all = await call(host, 'get_diagnostics', {});
		assert.deepEqual(all.structured.diagnostics.map((d: FileDiagnostic) => `${d.path}:${d.line}:${d.severity}`), ['src/a.ts:1:error', 'src/a.ts:2:warning', 'src/deep/b.ts:1:hint']);
		assert.match(all.text, /src\/a.ts:1:1 error \[ts 2322\]: error here/);
		const errors = await call(host, 'get_diagnostics', { path: 'src/a.ts', minSeverity: 'warning' });
		assert.equal(errors.structured.diagnostics.length, 2);
		assert.match((await call(t.host, 'get_diagnostics', {})).text, /No problems reported/);
	});

	test('names are snake_case verbs; read tools are read-only, every tool prepares its subject', () => {
		for (const spec of filesTools) {
			assert.match(spec.name, /^[a-z]+(_[a-z]+)+$/);
			assert.equal(spec.family, 'files');
			assert.equal(spec.annotations.readOnlyHint === true, spec.risk === 'read', spec.name);
			assert.ok(spec.prepare, `${spec.name} has prepare()`);
		}
	});
});
