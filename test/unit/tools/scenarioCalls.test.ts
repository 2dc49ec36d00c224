/**
 * The calls of the integration suite's scenarios, made by the MCP SDK client over HTTP against the shipped composition
 * (createWorkbench, every tool), in both shapes a client sends: as the integration suite sends them (optional
 * arguments left out, as an MCP client does) and as a strict model does (every listed property, null for the optional
 * ones). Each must succeed the first time; the SDK client also validates every structuredContent against the tool's
 * outputSchema. The approvals a scenario needs are given through the workbench's approvals API.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { allTools } from '../../../src/tools/allTools';
import { startWorkbench } from '../helpers/workbench';

/** The integration suite's calls (test/integration: files, git, approvals, terminal, mcpServer), in its order. */
const SCENARIO: readonly { readonly name: string; readonly arguments: Record<string, unknown>; readonly expect: RegExp }[] = [
	{ name: 'workspace_info', arguments: {}, expect: /app/ },
	{ name: 'read_file', arguments: { path: 'src/greet.js' }, expect: /Hello, \$\{name\}/ },
	{ name: 'search_text', arguments: { query: 'Hello, ${name}', regex: false }, expect: /greet\.js/ },
	{ name: 'edit_file', arguments: { path: 'src/greet.js', edits: [{ oldText: 'Hello, ${name}!', newText: 'Howdy, ${name}!' }] }, expect: /Howdy/ },
	{ name: 'git_status', arguments: {}, expect: /greet\.js/ },
	{ name: 'git_diff', arguments: { paths: ['docs/notes.md'] }, expect: /notes\.md/ },
	{ name: 'git_stage', arguments: { paths: ['docs/notes.md'] }, expect: /notes\.md|staged/i },
	{ name: 'git_commit', arguments: { message: 'Update the notes' }, expect: /Update the notes|\[main/ },
	{ name: 'run_command', arguments: { line: 'echo hello-from-mcp-workbench' }, expect: /hello-from-mcp-workbench/ },
];

/** Every listed property, null where the scenario leaves an optional one out; nested objects too (edit_file's edits). */
function strictShape(schema: Record<string, unknown>, value: unknown): unknown {
	if (Array.isArray(value)) return value.map((item) => strictShape(schema.items as Record<string, unknown>, item));
	if (value === null || typeof value !== 'object' || !schema.properties) return value;
	const properties = schema.properties as Record<string, Record<string, unknown>>;
	return Object.fromEntries(Object.keys(properties).map((key) => [key, key in value ? strictShape(properties[key], (value as Record<string, unknown>)[key]) : null]));
}

for (const shape of ['as MCP clients send them (optional arguments left out)', 'as a strict model sends them (every property, null for optional ones)']) {
	const strict = shape.startsWith('as a strict');
	test(`the integration suite's calls succeed first time, ${shape}`, async () => {
		const world = await startWorkbench({ tools: allTools, sandbox: 'none' });
		const approved: string[] = [];
		const subscription = world.approvals.onDidChange(() => {
			for (const request of world.approvals.pending()) if (world.approvals.decide(request.id, { kind: 'approve' })) approved.push(request.tool);
		});
		try {
			const folder = world.folders[0].path;
			await mkdir(join(folder, 'src'));
			await mkdir(join(folder, 'docs'));
			await writeFile(join(folder, 'src/greet.js'), 'export function greet(name) {\n\treturn `Hello, ${name}!`;\n}\n');
			await writeFile(join(folder, 'docs/notes.md'), '# Notes\n');
			const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: folder, stdio: 'pipe' });
			git('init', '-q', '-b', 'main');
			git('add', '.');
			git('commit', '-q', '-m', 'initial');
			await writeFile(join(folder, 'docs/notes.md'), '# Notes\n\nMore.\n');

			const client = await world.connect('scenario');
			// Listed twice, as a client does after list_changed: the second listing reuses the validators the SDK
			// compiled for the output schemas' $id, and every call below is still checked against them.
			await client.listTools();
			const { tools } = await client.listTools();
			for (const step of SCENARIO) {
				const listed = tools.find((tool) => tool.name === step.name);
				assert.ok(listed, `${step.name} is listed`);
				const args = strict ? strictShape(listed.inputSchema, step.arguments) as Record<string, unknown> : step.arguments;
				const result = await client.callTool({ name: step.name, arguments: args }) as CallToolResult;
				// A long output travels in structuredContent alone (the text says so): the model sees both.
				const text = [...result.content.map((block) => (block.type === 'text' ? block.text : '')), JSON.stringify(result.structuredContent ?? {})].join('\n');
				assert.notEqual(result.isError, true, `${step.name} ${JSON.stringify(args)}: ${text}`);
				assert.match(text, step.expect, step.name);
			}
			// `echo` is read-only to the command policy here, so only the writes ask (the editor's suite asks for it too).
			assert.deepEqual(approved, ['edit_file', 'git_stage', 'git_commit'], 'each write asked once and went through');
			assert.match(await readFile(join(folder, 'src/greet.js'), 'utf8'), /Howdy/);
			assert.match(execFileSync('git', ['log', '-1', '--format=%s'], { cwd: folder, encoding: 'utf8' }), /Update the notes/);
		} finally {
			subscription.dispose();
			await world.close();
		}
	});
}
