// Real repositories for the git tool tests, built with the git CLI in temp folders.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AnyToolSpec, CallSubject, ToolResult } from '../../../../src/core/tools/toolSpec';
import { gitTools } from '../../../../src/tools/git';
import { createTestHost, prepareTool, runTool, type TestHost } from '../../helpers/host';

/** The test's own git: identity passed per call, no global or system config, nothing from the ambient GIT_* env. */
export function sh(cwd: string, args: readonly string[], input?: string, extraEnv: Record<string, string> = {}): string {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && !key.startsWith('GIT_')) {
			env[key] = value;
		}
	}
	Object.assign(env, {
		GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_DATE: '2024-01-02T03:04:05Z', GIT_COMMITTER_DATE: '2024-01-02T03:04:05Z',
	}, extraEnv);
	return execFileSync('git', ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com', '-c', 'init.defaultBranch=main', '-c', 'protocol.file.allow=always', ...args], {
		cwd, env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024,
	});
}

export async function write(path: string, content: string): Promise<void> {
	await mkdir(dirname(path), { recursive: true });
	await writeFile(path, content);
}

/**
 * The git attack tests' trap: a filter-driver program that leaves a marker file when it runs and passes its input
 * through. A guard's test plants it as a driver and checks that `marker` never appeared.
 */
export async function plantFilterTrap(base: string): Promise<{ readonly driver: string; readonly marker: string }> {
	const marker = join(base, 'ran');
	const driver = join(base, 'evil.sh');
	await write(driver, `#!/bin/sh\ntouch '${marker}'\ncat\n`);
	await chmod(driver, 0o755);
	return { driver, marker };
}

let staleAge = 0;

/**
 * Makes files stat-dirty with their content unchanged, so git must read them (through any filter) and would refresh
 * the index. A time in the past, different each call, keeps them clear of git's racy-timestamp rule.
 */
export async function makeStale(dir: string, names: readonly string[]): Promise<void> {
	const when = new Date(Date.now() - 3_600_000 - ++staleAge * 1000);
	for (const name of names) await utimes(join(dir, name), when, when);
}

/** A repository whose identity is in its own config, so the tools (which read no test flags) can commit. */
export async function initRepo(dir: string): Promise<string> {
	await mkdir(dir, { recursive: true });
	sh(dir, ['init', '-q', '-b', 'main']);
	sh(dir, ['config', 'user.name', 'Test Author']);
	sh(dir, ['config', 'user.email', 'author@example.com']);
	return dir;
}

export async function commitFile(repo: string, path: string, content: string, message: string): Promise<void> {
	await write(join(repo, path), content);
	sh(repo, ['add', '--', path]);
	sh(repo, ['commit', '-q', '-m', message]);
}

/** `count` linear commits through fast-import: thousands in well under a second. */
export function fastImportHistory(repo: string, count: number): void {
	const parts: string[] = [];
	for (let i = 1; i <= count; i++) {
		const message = `commit number ${i}\n`;
		const content = `line ${i}\n`;
		parts.push(`commit refs/heads/main\nmark :${i}\ncommitter ${i % 7 === 0 ? 'Seventh Person <seventh@example.com>' : 'Bulk Writer <bulk@example.com>'} ${1_600_000_000 + i * 60} +0000\n`);
		parts.push(`data ${Buffer.byteLength(message)}\n${message}`);
		if (i > 1) {
			parts.push(`from :${i - 1}\n`);
		}
		parts.push(`M 644 inline ${i % 100 === 0 ? 'rare/hundred.txt' : 'counter.txt'}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
	}
	// fast-import grows its heap in many small steps; a larger malloc pad cuts its run time tenfold on some VMs.
	sh(repo, ['fast-import', '--quiet'], parts.join(''), { MALLOC_TOP_PAD_: String(256 * 1024 * 1024) });
	sh(repo, ['reset', '-q', '--hard', 'main']);
}

export interface GitWorld extends TestHost {
	call(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolResult>;
	subject(name: string, args: Record<string, unknown>): Promise<CallSubject>;
}

export function tool(name: string): AnyToolSpec {
	const found = gitTools.find((t) => t.name === name);
	assert.ok(found, `no tool ${name}`);
	return found;
}

/** A workspace host plus a caller that runs a tool's own steps (parse, prepare, handler) and checks the output schema. */
export async function createGitWorld(names: readonly string[] = ['ws']): Promise<GitWorld> {
	const base = await createTestHost(names);
	const world: GitWorld = {
		...base,
		async subject(name, args) {
			return (await prepareTool(tool(name), args, base.host)).subject;
		},
		async call(name, args, signal) {
			const spec = tool(name);
			const result = await runTool(spec, args, base.host, signal ? { signal } : {});
			if (spec.output && !result.isError) {
				spec.output.parse(result.structured);
				assert.deepEqual(JSON.parse(result.text), result.structured);
			}
			return result;
		},
	};
	return world;
}
