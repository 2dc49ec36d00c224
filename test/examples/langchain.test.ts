/**
 * examples/langchain against the real server in a temp workspace: @langchain/mcp-adapters lists our tools, LangChain's
 * ChatOpenAI binds them with strict: true and talks to a scripted OpenAI endpoint (which refuses, as OpenAI does, any
 * strict function whose schema breaks a strict rule). The scripted model lists, creates a file and stages it (both
 * wait for an approval, given through the approvals API) and checks git status.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startScriptedOpenAi, type ScriptedOpenAi } from './scriptedOpenAi';
import { startExampleWorld, strictCall, type ExampleWorld } from './fixture';

interface AgentModule {
	runAgent(options: { mcpUrl: string; token: string; prompt: string; model: unknown }): Promise<{ answer: string; calls: { name: string; isError: boolean; text: string }[] }>;
}

let world: ExampleWorld;
let openai: ScriptedOpenAi;

before(async () => {
	world = await startExampleWorld('langchain-agent');
});
after(async () => {
	await openai?.close();
	await world?.close();
});

test('LangChain binds our tools strictly and completes a listing, an approved create and an approved stage', async () => {
	openai = await startScriptedOpenAi([
		{ calls: [strictCall('list_directory', { path: '' })] },
		{ calls: [strictCall('create_file', { path: 'docs/notes.md', content: '# Notes\n' })] },
		{ calls: [strictCall('git_status'), strictCall('git_stage', { paths: ['docs/notes.md'] })] },
		{ answer: 'docs/notes.md is created and staged.' },
	]);
	// The example's own dependencies, as a user of the example has them.
	const fromExample = createRequire(join(__dirname, '../../examples/langchain/package.json'));
	const { ChatOpenAI } = (await import(fromExample.resolve('@langchain/openai'))) as { ChatOpenAI: new (fields: Record<string, unknown>) => unknown };
	const model = new ChatOpenAI({ model: 'gpt-4.1', apiKey: 'scripted', maxRetries: 0, useResponsesApi: false, configuration: { baseURL: openai.baseURL } });
	const agent = (await import(pathToFileURL(join(__dirname, '../../examples/langchain/agent.mjs')).href)) as AgentModule;
	const result = await agent.runAgent({ mcpUrl: world.url, token: world.token, prompt: 'Start a notes file and stage it.', model });

	assert.equal(result.answer, 'docs/notes.md is created and staged.');
	assert.deepEqual(result.calls.map((call) => [call.name, call.isError]), [['list_directory', false], ['create_file', false], ['git_status', false], ['git_stage', false]], JSON.stringify(result.calls, null, 1));
	assert.match(result.calls[0].text, /greet\.js|src/);
	assert.match(result.calls[2].text, /docs\//, 'git status shows the new folder as untracked');
	assert.equal(await readFile(join(world.folder, 'docs/notes.md'), 'utf8'), '# Notes\n');
	assert.deepEqual(world.approved.map((request) => request.tool), ['create_file', 'git_stage']);

	const first = openai.requests[0];
	assert.equal(first.tools?.length, 39, 'every tool reached the model');
	assert.ok(first.tools?.every((tool) => tool.function.strict === true), 'bound strictly');
	assert.equal(openai.requests.length, 4, 'one request per turn, none refused');
});
