/**
 * examples/openai-agent against the real server in a temp workspace and a scripted OpenAI endpoint: the `openai`
 * package sends our tools as strict functions (the endpoint refuses them as OpenAI would if they broke a strict rule),
 * the scripted model reads, searches and edits (the edit waits for an approval, given through the approvals API),
 * and the agent loop ends with the model's answer.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startScriptedOpenAi, type ScriptedOpenAi } from './scriptedOpenAi';
import { startExampleWorld, strictCall, type ExampleWorld } from './fixture';

interface AgentModule {
	runAgent(options: { mcpUrl: string; token: string; prompt: string; model?: string; openai?: { apiKey?: string; baseURL?: string } }): Promise<{ answer: string; calls: { name: string; isError: boolean; text: string }[] }>;
}

let world: ExampleWorld;
let openai: ScriptedOpenAi;

before(async () => {
	world = await startExampleWorld('openai-agent');
});
after(async () => {
	await openai?.close();
	await world?.close();
});

test('the OpenAI agent lists our tools as strict functions and completes read, search and an approved edit', async () => {
	openai = await startScriptedOpenAi([
		{ calls: [strictCall('workspace_info')] },
		{ calls: [strictCall('read_file', { path: 'src/greet.js' })] },
		{ calls: [strictCall('search_text', { query: 'Hello, ${name}' })] },
		{ calls: [strictCall('edit_file', { path: 'src/greet.js', edits: [{ oldText: 'Hello, ${name}!', newText: 'Howdy, ${name}!', replaceAll: null }] })] },
		{ answer: 'greet now says Howdy.' },
	]);
	const agent = (await import(pathToFileURL(join(__dirname, '../../examples/openai-agent/agent.mjs')).href)) as AgentModule;
	const result = await agent.runAgent({ mcpUrl: world.url, token: world.token, prompt: 'Make greet say Howdy.', model: 'gpt-4.1', openai: { apiKey: 'scripted', baseURL: openai.baseURL } });

	assert.equal(result.answer, 'greet now says Howdy.');
	assert.deepEqual(result.calls.map((call) => [call.name, call.isError]), [['workspace_info', false], ['read_file', false], ['search_text', false], ['edit_file', false]], JSON.stringify(result.calls, null, 1));
	assert.match(result.calls[2].text, /greet\.js/);
	assert.equal(await readFile(join(world.folder, 'src/greet.js'), 'utf8'), 'export function greet(name) {\n\treturn `Howdy, ${name}!`;\n}\n');
	assert.deepEqual(world.approved.map((request) => request.tool), ['edit_file'], 'the edit waited for a person, and only the edit');

	const first = openai.requests[0];
	assert.equal(first.tools?.length, 39, 'every tool reached the model');
	assert.ok(first.tools?.every((tool) => tool.function.strict === true));
	assert.equal(openai.requests.length, 5, 'one request per turn, none refused');
	const audited = world.world.records.filter((record) => record.tool !== undefined).map((record) => record.tool);
	for (const name of ['workspace_info', 'read_file', 'search_text', 'edit_file']) assert.ok(audited.includes(name), `${name} is in the audit`);
});
