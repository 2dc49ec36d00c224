// The second layer alone: every attack line of issue 10's classes (and direct ones no classifier would allow) run
// straight in the read-only sandbox, as if the command policy had wrongly allowed each. Nothing may change inside the
// workspace, outside it or in home; no secret may come back; no connection may arrive; no process may stay.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SENSITIVE_PATHS } from '../../../src/core/paths/sensitivePaths';
import { Bubblewrap } from '../../../src/node/sandbox/bubblewrap';
import { NodeTerminalHost } from '../../../src/node/terminal/nodeTerminalHost';
import { assertNoMarker, MARKERS, plantSecrets, waitUntil } from './attack';

const HOME_MARKER = 'MARKER-HOME-SSH-8d21';
const ENV_MARKER = 'MARKER-PROCESS-ENV-44e0';

/** Every file and folder under `root` with its content hash: equal snapshots mean nothing changed. */
function snapshot(root: string): string {
	const lines: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const full = join(dir, entry.name);
			const rel = relative(root, full);
			if (entry.isSymbolicLink()) lines.push(`L ${rel}`);
			else if (entry.isDirectory()) {
				lines.push(`D ${rel} ${statSync(full).mode}`);
				walk(full);
			} else lines.push(`F ${rel} ${statSync(full).mode} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
		}
	};
	walk(root);
	return lines.sort().join('\n');
}

describe('security: the sandbox holds where the classifier is wrong', () => {
	let base: string;
	let ws: string;
	let outside: string;
	let home: string;
	let sandbox: Bubblewrap;
	let host: NodeTerminalHost;
	let listener: Server;
	let port = 0;
	let connections = 0;
	const hostMarker = () => join(tmpdir(), `mcpwb-sandbox-pwned-${process.pid}`);

	before(async () => {
		base = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-sbx-attack-')));
		ws = join(base, 'ws');
		outside = join(base, 'outside');
		home = join(base, 'home');
		await mkdir(ws);
		await mkdir(outside);
		await mkdir(join(home, '.ssh'), { recursive: true });
		execFileSync('git', ['init', '-q'], { cwd: ws });
		await plantSecrets(ws, outside);
		await writeFile(join(home, '.ssh/id_rsa'), `${HOME_MARKER}\n`);
		await symlink(outside, join(ws, 'link'));
		await symlink(join(home, '.ssh'), join(ws, 'keys'));
		sandbox = await Bubblewrap.detect({ home, folders: () => [ws], sensitiveGlobs: () => SENSITIVE_PATHS, rgPath: () => 'rg', approvedCommands: () => 'off' });
		assert.equal(sandbox.status().available, true, sandbox.status().reason);
		host = new NodeTerminalHost({ sandbox, killGraceMs: 200 });
		listener = createServer((socket) => {
			connections++;
			socket.destroy();
		});
		await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
		port = (listener.address() as { port: number }).port;
		process.env.MCPWB_ATTACK_TOKEN = ENV_MARKER;
	});

	after(async () => {
		delete process.env.MCPWB_ATTACK_TOKEN;
		await new Promise((resolve) => listener.close(resolve));
		await host.dispose();
		await sandbox.dispose();
		await rm(base, { recursive: true, force: true });
		await rm(hostMarker(), { force: true });
	});

	/** The attack lines, by class; `$HOME`, `$OUT`, `$PORT` and `$MARK` are filled in. */
	const attacks: Record<string, string[]> = {
		'comment the parser sees, bash does not': ['true x\r#; touch PWNED', 'true x\\ #; touch PWNED', 'true x\\\n#; touch PWNED', 'echo a\v#; touch $MARK', 'echo a\f#; echo k >> .git/config'],
		'expansions in here-strings and re-evaluation': ["true '$(touch PWNED)'; cat <<< ${_@P}", 'cat <<< "$(touch PWNED)"', "cat <<EOF\n$(touch PWNED)\nEOF", "true '$(touch $MARK)'; echo $(( _ ))", "x='$(touch PWNED)'; echo ${!x}"],
		'code-running flags of version-only programs': ["bash -v <<< 'touch PWNED'", "sh -s <<< 'touch $MARK'", "node -e \"require('fs').writeFileSync('PWNED','x')\"", "python3 -c \"open('PWNED','w')\""],
		'abbreviated long options': ['sort --compress-prog=sh --outp=PWNED <<< x', 'sort --output=src/a.ts <<< x', 'sort -o $MARK <<< x'],
		'output-file operands': ['uniq - PWNED <<< hi', 'uniq - src/a.ts <<< hi', 'tee .vscode/settings.json <<< x', 'cp .env $MARK'],
		'cd to home and relative reads': ['cd && cat .ssh/id_rsa', 'cd ~ && ls -la . .ssh && cat .ssh/*', 'cd - ; cat .ssh/id_rsa', 'cat ~/.ssh/id_rsa'],
		'programs that read files': ['date -f $HOME/.ssh/id_rsa', 'date -f .env', 'date -f $OUT/secret.txt'],
		'sensitive files and redaction defeats': ['cat .env .env.local', 'grep -o . .env', 'tail -n +1 .git/config', 'cat AGENTS.md .mcp.json .vscode/settings.json id_rsa', 'grep -r MARKER .', 'base64 .env'],
		'links out of the workspace': ['cat link/secret.txt', 'cat keys/id_rsa', 'grep -r MARKER link/ keys/', 'readlink -f link && ls link/'],
		'writes that plant code for later': ["git config core.fsmonitor 'touch $MARK'", 'mkdir -p .git/hooks && echo "touch $MARK" > .git/hooks/pre-commit', "echo '{\"x\":1}' > .vscode/tasks.json", 'mkdir -p ~/.ssh && echo key >> ~/.ssh/authorized_keys', 'echo "touch $MARK" >> ~/.bashrc', 'ln -s /etc/passwd src/passwd'],
		'network': ['echo hi > /dev/tcp/127.0.0.1/$PORT', "python3 -c \"import socket; socket.create_connection(('127.0.0.1', $PORT))\"", 'curl -s http://127.0.0.1:$PORT/ || wget -q -O- http://127.0.0.1:$PORT/', 'getent hosts example.com && echo resolved'],
		'the machine beyond the workspace': ['cat $OUT/secret.txt', 'ls / /home /root /run /var 2>&1; cat /etc/shadow', 'cat /proc/1/environ | tr "\\0" "\\n"', 'for f in /proc/[0-9]*/environ; do tr "\\0" "\\n" < $f; done', 'env', 'cat /proc/self/mountinfo | grep -v tmpfs | head -50', 'kill -9 $PPID_HOST', 'find / -name secret.txt 2>/dev/null | xargs cat'],
		'processes that try to outlive the call': ['(setsid sh -c "sleep 2; touch $MARK" &) ; true', 'nohup sh -c "sleep 2; touch $MARK" >/dev/null 2>&1 &'],
	};

	let count = 0;
	for (const [kind, lines] of Object.entries(attacks)) {
		test(kind, async () => {
			for (const template of lines) {
				count++;
				const line = template.replaceAll('$HOME', home).replaceAll('$OUT', outside).replaceAll('$PORT', String(port)).replaceAll('$MARK', hostMarker()).replaceAll('$PPID_HOST', String(process.pid));
				const before = [snapshot(ws), snapshot(outside), snapshot(home)];
				const result = await host.run({ line, cwd: ws, timeoutMs: 10_000, maxOutputChars: 200_000, sandbox: 'read-only' });
				assert.equal(result.sandbox, 'read-only');
				const what = `${kind}: ${JSON.stringify(line)}`;
				assertNoMarker(result.output, what);
				for (const secret of [HOME_MARKER, ENV_MARKER]) assert.ok(!result.output.includes(secret), `${what} leaked ${secret}`);
				assert.deepEqual([snapshot(ws), snapshot(outside), snapshot(home)], before, `${what} changed files`);
				assert.equal(existsSync(hostMarker()), false, `${what} wrote outside the sandbox`);
				assert.equal(connections, 0, `${what} connected to loopback`);
			}
		});
	}

	test('nothing a line left behind ran later: no marker appears once the sandboxes are gone', async () => {
		// The delayed writers above sleep 2 s; had any survived its sandbox, its marker would appear by now.
		await new Promise((resolve) => setTimeout(resolve, 2500));
		assert.equal(existsSync(hostMarker()), false);
		assert.ok(count >= 56, `the suite ran ${count} attack lines`);
		assert.equal(MARKERS.env.length > 0, true);
	});

	test('the test process is still alive and its listener saw nothing', async () => {
		await waitUntil(() => listener.listening, 1000, 'listener up');
		assert.equal(connections, 0);
	});
});
