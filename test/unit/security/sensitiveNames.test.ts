// Issue 11, deliverable 2: sensitive names match as folders, at any depth, in any letter case and in every nested
// workspace folder, and the list holds today's agent hook and configuration files. A user allows every file tool
// everywhere and denies every approval, so a call that is asked never runs.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { decide } from '../../../src/core/gate/policy';
import { allTools } from '../../../src/tools/allTools';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { denyEveryApproval, plantSecrets } from './attack';

type CallResult = { isError?: boolean; content: { text: string }[] };

describe('security: sensitive names as folders, in any case, in the full list', () => {
	let wb: TestWorkbench;
	let client: Client;
	let app: string;

	async function call(name: string, args: Record<string, unknown>): Promise<CallResult> {
		return await client.callTool({ name, arguments: args }) as CallResult;
	}

	before(async () => {
		wb = await startWorkbench({ tools: allTools, policy: { rules: [{ tool: '*_file', paths: ['**'], action: 'allow' }] } });
		app = wb.folders[0].path;
		await plantSecrets(app, wb.outside);
		denyEveryApproval(wb);
		client = await wb.connect();
	});
	after(() => wb.close());

	test('renaming a folder to or from a sensitive folder name asks, in any letter case (rename staging → .vscode)', async () => {
		await mkdir(join(app, 'staging'));
		await writeFile(join(app, 'staging', 'tasks.json'), '{ "version": "2.0.0", "tasks": [] }\n');
		for (const to of ['.vscode', '.VSCode', 'sub/.vscode', '.github', '.github/workflows', '.github/hooks', '.claude', '.devcontainer', '.husky', '.git', 'nested/.GIT']) {
			const result = await call('rename_file', { from: 'staging', to });
			assert.equal(result.isError, true, `rename staging → ${to} ran without asking`);
			assert.ok(existsSync(join(app, 'staging', 'tasks.json')), to);
		}
		await mkdir(join(app, '.github', 'workflows'), { recursive: true });
		await writeFile(join(app, '.github', 'workflows', 'ci.yml'), 'on: push\n');
		for (const from of ['.github', '.github/workflows']) {
			const result = await call('rename_file', { from, to: 'harmless' });
			assert.equal(result.isError, true, `rename ${from} → harmless ran without asking`);
		}
		assert.ok(existsSync(join(app, '.github', 'workflows', 'ci.yml')));
		assert.equal(existsSync(join(app, 'harmless')), false);
	});

	test('agent hook and configuration files are protected, in any letter case', async () => {
		const files = [
			'.github/hooks/hooks.json', '.vscode/mcp.json', '.vscode/tasks.json', '.vscode/launch.json', '.vscode/extensions.json', '.vscode/settings.json',
			'.VSCODE/tasks.json', 'Agents.md', 'agents.md', 'CLAUDE.md', 'claude.md', 'GEMINI.md', '.mcp.json', '.claude/settings.json', '.cursor/mcp.json',
			'.cursorrules', '.windsurfrules', '.github/agents/a.agent.md', '.github/prompts/p.prompt.md', '.github/instructions/i.instructions.md',
			'.github/copilot-instructions.md', '.devcontainer/devcontainer.json', '.gitattributes', '.gitmodules', '.husky/pre-commit', '.envrc', '.npmrc',
			'sub/deep/.vscode/settings.json', 'sub/deep/AGENTS.md', 'sub/.git/config', '.Env', 'keys/server.PEM',
		];
		for (const path of files) {
			const result = await call('create_file', { path, content: 'planted\n' });
			assert.equal(result.isError, true, `create_file ${path} ran without asking`);
		}
		const planted: string[] = [];
		const walk = async (dir: string): Promise<void> => {
			for (const entry of await readdir(dir, { withFileTypes: true })) {
				const full = join(dir, entry.name);
				if (entry.isDirectory()) await walk(full);
				else if ((await readFile(full, 'utf8')) === 'planted\n') planted.push(full);
			}
		};
		await walk(app);
		assert.deepEqual(planted, []);
	});

	test('a sensitive name in a nested workspace folder is asked about whichever folder is listed first', () => {
		const outer = { name: 'repo', path: '/ws/repo', uri: 'file:///ws/repo', index: 0 };
		const inner = { name: 'api', path: '/ws/repo/packages/api', uri: 'file:///ws/repo/packages/api', index: 1 };
		const settings = { tools: {}, rules: [], sensitivePaths: ['config/prod.yaml'] };
		const subject = { paths: ['/ws/repo/packages/api/config/prod.yaml'] };
		assert.equal(decide({ name: 'read_file', risk: 'read' }, subject, settings, [outer, inner]).mustAsk, true);
		assert.equal(decide({ name: 'read_file', risk: 'read' }, subject, settings, [inner, outer]).mustAsk, true);
	});
});
