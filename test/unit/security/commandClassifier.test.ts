// The attacker's run against the command policy, end to end: the real server and MCP client, the real parser and
// bash, default settings, no sandbox, and a user who denies every approval. Each line once ran without asking and
// ran a program, rewrote .vscode/settings.json or .git/config, wrote ~/.ssh/authorized_keys or returned a secret.
// Now each must be refused, and nothing may have happened: no marker file in the workspace, outside it or in $HOME,
// no protected file changed, no secret in any answer or audit record.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Disposable } from '../../../src/core/base/disposable';
import { allTools } from '../../../src/tools/allTools';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { assertNoMarker, denyEveryApproval, MARKERS, newRecords, plantSecrets, settle } from './attack';

/** Every class of the attacker's run, with variants; `{P}` is a payload that leaves markers wherever it can. */
const attackLines: Readonly<Record<string, readonly string[]>> = {
	'a # bash reads inside a word': [
		'true x\r#; {P}',
		'true x\u000b#; {P}',
		'true x\u000c#; {P}',
		'true x\\ #; {P}',
		'true x\\\n#; {P}',
		'{ true;}#; {P}',
		'echo a\u00a0#; {P}',
	],
	'expansions in here-strings, and expansions that evaluate again': [
		"true '$({P})'; cat <<< ${_@P}",
		"true 'a[$({P})]'; cat <<< $(( _ ))",
		"true 'a[$({P})]'; cat <<< ${!_}",
		"true '$({P})'; cat <<< \"${_@P}\"",
		"true '$({P})'; echo \"${_@P}\"",
		"true '$({P})'; cat <<EOF\n${_@P}\nEOF",
	],
	'flags on the version list that do something else': [
		"bash -v <<< '{P}'",
		"sh -v <<< '{P}'",
	],
	'abbreviated long options': [
		'sort --compress-prog=sh -S 1 --batch-size=2 notes.txt notes.txt notes.txt',
		'sort --outp=.vscode/settings.json notes.txt',
		'sort --out=.git/config notes.txt',
		'sort -o.git/config notes.txt',
		'git log --outp=.vscode/settings.json',
	],
	'operands that are output files': [
		"uniq - .vscode/settings.json <<< 'pwned'",
		"uniq - {H}/.ssh/authorized_keys <<< 'ssh-ed25519 AAAA attacker'",
		'uniq notes.txt .git/config',
		'tree -o .vscode/settings.json',
	],
	'a cd that leaves the workspace': [
		'cd && cat .ssh/id_rsa',
		'cd ~ && cat .ssh/id_rsa',
		'cd; grep -r MARKER .ssh',
		'cd - && cat .ssh/id_rsa',
		'cd .. && cat outside/secret.txt',
		'cd out-link && cat secret.txt',
	],
	'programs on the no-path list that read files': [
		'date -f {H}/.ssh/id_rsa',
		'date -f .env',
		'date -f{O}/secret.txt',
		'date --file={H}/.ssh/id_rsa',
	],
	'sensitive files and transforms that defeat redaction': [
		'cat .env',
		'cat .git/config',
		'grep -o . .env',
		'tail -n +2 .env',
		'tail -n +1 .env',
		'head -c 100 .env.local',
		'cat ./.e*',
		'nl id_rsa',
		'cat AGENTS.md',
		'cut -c1- .vscode/settings.json',
		'cat .mcp.json',
		'grep -r MARKER .',
		'rg MARKER',
		'cat < .env',
		'wc -c .env && cat .env',
	],
	'links in the workspace that lead out': [
		'cat out-link/secret.txt',
		'grep -r MARKER out-link/',
		'ls out-link && cat out-link/*',
		'cat home-link/.ssh/id_rsa',
		'cat key-link',
	],
	'the parser and bash disagree in other ways': [
		"bash -c $'true x\\r#; {P}'",
		'ls >| {O}/pwned',
		'ls &> {H}/pwned',
		'ls <> {A}/pwned',
		'env -S "{P}"',
		'find . -name notes.txt -exec sh -c "{P}" \\;',
		'git -c core.pager="sh -c \'{P}\'" log',
		'cat <(touch {A}/pwned)',
		'xargs -a notes.txt touch {A}/pwned',
		'echo x | tee {A}/pwned',
		'cat notes.txt 2>&1 >{A}/pwned',
		'echo "$\\\n({P})"',
		"true 'a[$({P})]'; cat <<< $[_]",
		"git log -p -- '*.env'",
		'cat notes.txt .env',
		"echo 'x & touch {A}/pwned'",
	],
};

describe('security: the command policy holds without a sandbox', () => {
	let wb: TestWorkbench;
	let client: Client;
	let app: string;
	let home: string;
	let denyAll: Disposable;
	let payload: string;
	const realHome = process.env.HOME;
	const protectedFiles: Record<string, string> = {};

	before(async () => {
		home = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-home-')));
		await mkdir(join(home, '.ssh'));
		await writeFile(join(home, '.ssh', 'id_rsa'), `${MARKERS.idRsa}\n`);
		// The workbench places `~` and `cd` goes to $HOME: both must be this fake home, never the real one.
		process.env.HOME = home;
		wb = await startWorkbench({ tools: allTools, sandbox: 'none', home });
		app = wb.folders[0].path;
		await plantSecrets(app, wb.outside);
		await symlink(wb.outside, join(app, 'out-link'));
		await symlink(home, join(app, 'home-link'));
		await symlink(join(home, '.ssh', 'id_rsa'), join(app, 'key-link'));
		for (const file of [join(app, '.vscode', 'settings.json'), join(app, '.git', 'config'), join(app, 'notes.txt')]) {
			protectedFiles[file] = readFileSync(file, 'utf8');
		}
		payload = `touch ${app}/pwned ${wb.outside}/pwned ${home}/pwned; echo pwned >> ${app}/.vscode/settings.json; echo pwned >> ${home}/.ssh/authorized_keys`;
		client = await wb.connect();
		denyAll = denyEveryApproval(wb);
	});

	after(async () => {
		denyAll.dispose();
		await wb.close();
		process.env.HOME = realHome;
		await rm(home, { recursive: true, force: true });
	});

	function assertNothingHappened(what: string): void {
		for (const folder of [app, wb.outside, home]) {
			assert.equal(existsSync(join(folder, 'pwned')), false, `${what} left a marker in ${folder}`);
		}
		assert.equal(existsSync(join(home, '.ssh', 'authorized_keys')), false, `${what} wrote ~/.ssh/authorized_keys`);
		for (const [file, content] of Object.entries(protectedFiles)) {
			assert.equal(readFileSync(file, 'utf8'), content, `${what} changed ${file}`);
		}
		assert.deepEqual(readdirSync(home).sort(), ['.ssh'], `${what} left a file in $HOME`);
	}

	let count = 0;
	for (const [attackClass, lines] of Object.entries(attackLines)) {
		test(`refused and without effect: ${attackClass}`, async () => {
			for (const template of lines) {
				const line = template.replaceAll('{P}', payload).replaceAll('{A}', app).replaceAll('{O}', wb.outside).replaceAll('{H}', home);
				const from = wb.records.length;
				const result = await client.callTool({ name: 'run_command', arguments: { line, timeoutMs: 10_000 } });
				await settle();
				// `grep -o . .env` prints a character a line: the marker is looked for with the line breaks taken out too.
				const text = JSON.stringify(result);
				assertNoMarker(text, `run_command ${JSON.stringify(template)}`);
				assertNoMarker(text.replace(/\\n|\s/g, ''), `run_command ${JSON.stringify(template)}, its lines joined`);
				const records = newRecords(wb, from).filter((record) => record.tool === 'run_command');
				assert.equal(records.length, 1, JSON.stringify(template));
				assert.notEqual(records[0].decision, 'allow', `${JSON.stringify(template)} ran without asking: ${records[0].decidedBy}`);
				assertNothingHappened(JSON.stringify(template));
				count++;
			}
		});
	}

	test('every attack line was tried', () => {
		assert.equal(count, Object.values(attackLines).flat().length);
	});

	test('useful read-only lines still run without asking', async () => {
		for (const [line, expected] of [['cat notes.txt', 'harmless notes'], ['ls -la', 'notes.txt'], ['wc -l notes.txt', '1 notes.txt'], ['head -n 1 src/a.ts', 'export const a'], ['pwd', app]] as const) {
			const from = wb.records.length;
			const result = await client.callTool({ name: 'run_command', arguments: { line } });
			await settle();
			const [record] = newRecords(wb, from).filter((r) => r.tool === 'run_command');
			assert.equal(record.decision, 'allow', `${line}: ${record.decidedBy}`);
			assert.ok(JSON.stringify(result).includes(expected), `${line}: ${JSON.stringify(result).slice(0, 300)}`);
		}
		assertNothingHappened('the read-only lines');
	});
});
