// Prompts, completions and the new resources through the shipped composition: the SDK client over real HTTP against
// createWorkbench in a temp git repository. Sensitive content is proven withheld by what did not happen: the secret
// string is in no answer the client received, and no read of the sensitive file ran.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceListChangedNotificationSchema, ResourceUpdatedNotificationSchema, type GetPromptResult, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { Disposable } from '../../../src/core/base/disposable';
import { allResources, allTools } from '../../../src/tools/allTools';
import { commitFile, initRepo, sh, write } from '../tools/git/gitFixtures';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { waitFor } from '../helpers/waitFor';

const SECRET = 'sk_live_PROMPTSECRET_51HdB2r9QX0';


/** The text of a read's first contents. */
function firstText(result: ReadResourceResult): string {
	const [first] = result.contents;
	assert.ok(first && 'text' in first, 'the resource is text');
	return first.text;
}

function text(result: GetPromptResult): string {
	return JSON.stringify(result.messages);
}

describe('prompts, completions and resources over real HTTP', () => {
	let wb: TestWorkbench;
	let client: Client;
	let approveCommands: Disposable;
	/** Every POST answer body the client received, as text. */
	const answers: string[] = [];
	/** Tools whose calls waited for a person: a prompt must never add one. */
	const asked: string[] = [];
	const updated: string[] = [];
	let listChanged = 0;

	before(async () => {
		wb = await startWorkbench({ tools: allTools, resources: allResources, sandbox: 'none' });
		approveCommands = wb.approvals.onDidChange(() => {
			for (const request of wb.approvals.pending()) {
				asked.push(request.tool);
				wb.approvals.decide(request.id, request.tool === 'run_command' ? { kind: 'approve' } : { kind: 'deny' });
			}
		});
		const repo = await initRepo(wb.folders[0].path);
		await commitFile(repo, 'src/app.ts', 'export function add(a: number, b: number) {\n\treturn a + b;\n}\n', 'Add the adder');
		await commitFile(repo, '.env', 'API_KEY=old\n', 'Add env');
		await write(join(repo, 'src/app.ts'), 'export function add(a: number, b: number) {\n\treturn a - b;\n}\n');
		await write(join(repo, '.env'), `API_KEY=${SECRET}\n`);
		await write(join(repo, 'src/staged.ts'), 'export const staged = true;\n');
		await write(join(repo, '.env.local'), `TOKEN=${SECRET}\n`);
		sh(repo, ['add', 'src/staged.ts', '.env.local']);

		const token = wb.server.mintToken('prompt-test').token;
		client = new Client({ name: 'prompt-test', version: '1.0.0' });
		const recording = async (url: string | URL, init?: RequestInit): Promise<Response> => {
			const response = await fetch(url, init);
			if (init?.method !== 'POST' || !response.body) return response;
			const body = await response.text();
			answers.push(body);
			return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
		};
		await client.connect(new StreamableHTTPClientTransport(new URL(wb.url), { fetch: recording, requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
		client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
			updated.push(notification.params.uri);
		});
		client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
			listChanged++;
		});
	});

	after(async () => {
		// The proof for every test above: the secret went out in no answer, whatever was asked.
		assert.ok(answers.length > 10, 'answers were recorded');
		for (const answer of answers) assert.ok(!answer.includes(SECRET), `an answer held the secret: ${answer.slice(0, 300)}`);
		assert.ok(!asked.includes('read_file') && !asked.includes('git_diff'), `a prompt asked the user: ${asked.join(', ')}`);
		approveCommands.dispose();
		await wb.close();
	});

	test('declares prompts, completions and resource subscriptions, and lists the prompts', async () => {
		const capabilities = client.getServerCapabilities();
		assert.deepEqual(capabilities?.prompts, { listChanged: true });
		assert.deepEqual(capabilities?.completions, {});
		assert.equal(capabilities?.resources?.subscribe, true);
		const { prompts } = await client.listPrompts();
		assert.deepEqual(prompts.map((prompt) => prompt.name), ['review_changes', 'commit_message', 'explain_failure', 'debug_error', 'session_summary']);
		for (const prompt of prompts) assert.ok(prompt.description && prompt.title, `${prompt.name} has a title and a description`);
		const debug = prompts.find((prompt) => prompt.name === 'debug_error');
		assert.deepEqual(debug?.arguments?.find((argument) => argument.name === 'error')?.required, true);
	});

	test('review_changes shows the working-tree diff and withholds .env exactly as git_diff does', async () => {
		const result = await client.getPrompt({ name: 'review_changes', arguments: {} });
		const all = text(result);
		assert.match(all, /return a - b/, 'the unstaged change is in the prompt');
		assert.match(all, /src\/staged\.ts/, 'the staged change is in the prompt');
		assert.match(all, /sensitive file[s]? withheld: \.env/, 'the prompt says .env was withheld');
		assert.ok(!all.includes(SECRET));
		const tool = await client.callTool({ name: 'git_diff', arguments: {} });
		assert.match(JSON.stringify(tool.content), /withheld: \.env/, 'git_diff withholds the same file');
		// The embedded diff is the git://diff resource, read through the gate as this session.
		assert.ok(result.messages.some((message) => message.content.type === 'resource' && message.content.resource.uri === 'git://diff'));
		const reads = wb.records.filter((record) => record.tool === 'resources/read' && (record.arguments as { uri: string }).uri.startsWith('git://diff'));
		assert.ok(reads.length >= 2 && reads.every((record) => record.outcome === 'ok' && record.client.name === 'prompt-test'));
		assert.ok(wb.records.some((record) => record.tool === 'prompts/get' && record.outcome === 'ok' && record.summary === 'prompt review_changes'));
	});

	test('commit_message reads the staged diff (sensitive staged files withheld) and the recent subjects', async () => {
		const all = text(await client.getPrompt({ name: 'commit_message', arguments: { hint: 'closes #12' } }));
		assert.match(all, /export const staged = true/);
		assert.match(all, /- Add env\\n- Add the adder/);
		assert.match(all, /withheld: \.env\.local/);
		assert.match(all, /closes #12/);
	});

	test('debug_error reads the files an error names around the line, and never reads a sensitive one', async () => {
		const before = wb.records.length;
		const error = `TypeError: bad sum\n    at add (${wb.folders[0].path}/src/app.ts:2:9)\n    at load (.env:1)\n    at https://example.com:443/x.js:1:1`;
		const all = text(await client.getPrompt({ name: 'debug_error', arguments: { error } }));
		assert.match(all, /return a - b/, 'src/app.ts around line 2');
		assert.match(all, /\.env around line 1\\n\(not available: This needs the user's approval \(sensitive:/);
		const reads = wb.records.slice(before).filter((record) => record.tool === 'read_file');
		assert.deepEqual(reads.map((record) => record.outcome).sort(), ['denied', 'ok']);
		const envRead = reads.find((record) => record.outcome === 'denied');
		assert.match(envRead?.decidedBy ?? '', /^sensitive:/);
		assert.ok(!reads.some((record) => record.outcome === 'ok' && JSON.stringify(record.arguments).includes('.env')), 'no read of .env ran');
	});

	test('a prompt argument is checked: a missing required one and an unknown one are invalid params', async () => {
		await assert.rejects(client.getPrompt({ name: 'debug_error', arguments: {} }), /needs the argument "error"/);
		await assert.rejects(client.getPrompt({ name: 'review_changes', arguments: { nope: 'x' } }), /has no argument "nope"/);
		await assert.rejects(client.getPrompt({ name: 'no_such_prompt' }), /Unknown prompt "no_such_prompt"/);
	});

	test('completes paths (never a sensitive one), refs, commands; an unknown prompt completes to nothing', async () => {
		const paths = await client.complete({ ref: { type: 'ref/prompt', name: 'review_changes' }, argument: { name: 'path', value: '' } });
		assert.ok(paths.completion.values.includes('src/app.ts'), JSON.stringify(paths.completion.values));
		assert.ok(!paths.completion.values.some((value) => value.startsWith('.env')), 'no sensitive file is suggested');
		const narrowed = await client.complete({ ref: { type: 'ref/prompt', name: 'review_changes' }, argument: { name: 'path', value: 'src/s' } });
		assert.deepEqual(narrowed.completion.values, ['src/staged.ts']);
		const refs = await client.complete({ ref: { type: 'ref/resource', uri: 'git://show/{ref}{?repository,path}' }, argument: { name: 'ref', value: 'ma' } });
		assert.deepEqual(refs.completion.values, ['main']);
		const unknown = await client.complete({ ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' }, argument: { name: 'arg1', value: 'test' } });
		assert.deepEqual(unknown.completion.values, []);
	});

	test('lists the resource templates and reads git diff, log and show through the gate', async () => {
		const { resourceTemplates } = await client.listResourceTemplates();
		const templates = resourceTemplates.map((template) => template.uriTemplate);
		for (const expected of ['git://diff{?repository,staged,path}', 'git://log{?repository,ref,limit,path}', 'git://show/{ref}{?repository,path}', 'command://{id}/output', 'task://{label}/output', 'audit://session{?limit}', 'audit://recent{?limit}', 'audit://record/{seq}', 'metrics://{format}']) {
			assert.ok(templates.includes(expected), `${expected} in ${templates.join(' ')}`);
		}
		const diff = await client.readResource({ uri: 'git://diff?path=src/app.ts' });
		assert.match((diff.contents[0] as { text: string }).text, /-\treturn a \+ b;\n\+\treturn a - b;/);
		const log = JSON.parse(firstText(await client.readResource({ uri: 'git://log?limit=1' }))) as { commits: { subject: string }[] };
		assert.deepEqual(log.commits.map((commit) => commit.subject), ['Add env']);
		const show = await client.readResource({ uri: 'git://show/HEAD~1' });
		assert.match((show.contents[0] as { text: string }).text, /Add the adder/);
		// Naming the sensitive file asks in git_diff; a resource read has nobody to ask, so it is refused.
		await assert.rejects(client.readResource({ uri: 'git://diff?path=.env' }), /approval \(sensitive:/);
		await assert.rejects(client.readResource({ uri: 'git://diff?bogus=1' }), /No resource template matches/);
		await assert.rejects(client.readResource({ uri: 'git://log?limit=0' }), /from 1 to 500/);
	});

	test('a background command: listed when it starts, its output readable, followed by subscription, explained by a prompt', async () => {
		const changedBefore = listChanged;
		// It waits for a file the test writes once subscribed, so the output changes while someone follows it.
		const started = await client.callTool({ name: 'run_command', arguments: { line: 'echo "compile error at src/app.ts:2"; while [ ! -f go ]; do sleep 0.05; done; echo done; exit 3', background: true } });
		const handle = (started.structuredContent as { handle: { id: string } }).handle.id;
		const uri = `command://${handle}/output`;
		await waitFor(() => listChanged > changedBefore, 'notifications/resources/list_changed after the command started');
		const listed = await client.listResources();
		assert.ok(listed.resources.some((resource) => resource.uri === uri));
		await client.subscribeResource({ uri });
		await write(join(wb.folders[0].path, 'go'), '');
		await waitFor(() => updated.includes(uri), `notifications/resources/updated for ${uri}`);
		const commands = await client.complete({ ref: { type: 'ref/prompt', name: 'explain_failure' }, argument: { name: 'command', value: '' } });
		assert.deepEqual(commands.completion.values, [handle]);
		// Each update is a change; the last one comes once the command has ended.
		let output = '';
		while (!/exit code 3/.test(output)) {
			const seen = updated.length;
			output = firstText(await client.readResource({ uri }));
			if (!/exit code 3/.test(output)) await waitFor(() => updated.length > seen, 'the next update of the command output');
		}
		assert.match(output, /exit code 3/);
		assert.match(output, /compile error at src\/app\.ts:2\ndone/);
		await client.unsubscribeResource({ uri });
		const explained = text(await client.getPrompt({ name: 'explain_failure', arguments: { command: handle } }));
		assert.match(explained, /compile error at src\/app\.ts:2/);
		assert.match(explained, /Problems in the workspace/);
	});

	test('the audit and metrics resources: own records only, one record by number, updates on new calls', async () => {
		const other = await wb.connect('another-client');
		await other.callTool({ name: 'workspace_info', arguments: {} });
		const session = JSON.parse(firstText(await client.readResource({ uri: 'audit://session?limit=500' }))) as { records: { seq: number; client: { name: string }; tool: string }[] };
		assert.ok(session.records.length > 5);
		assert.ok(session.records.every((record) => record.client.name === 'prompt-test'), 'another client\'s records are not shown');
		const otherRecord = wb.records.find((record) => record.client.name === 'another-client');
		assert.ok(otherRecord);
		await assert.rejects(client.readResource({ uri: `audit://record/${otherRecord.seq}` }), /No audit record/);
		const own = session.records[0];
		const one = JSON.parse(firstText(await client.readResource({ uri: `audit://record/${own.seq}` }))) as { seq: number; hash: string };
		assert.equal(one.seq, own.seq);
		assert.ok(one.hash.length > 0);

		await client.subscribeResource({ uri: 'audit://session' });
		// Any URI may be subscribed to (the conformance suite's resources-subscribe does so); it is never notified.
		await client.subscribeResource({ uri: 'test://watched-resource' });
		await client.unsubscribeResource({ uri: 'test://watched-resource' });
		const before = updated.filter((uri) => uri === 'audit://session').length;
		await client.callTool({ name: 'workspace_info', arguments: {} });
		await waitFor(() => updated.filter((uri) => uri === 'audit://session').length > before, 'an update of audit://session after a call');
		const metrics = JSON.parse(firstText(await client.readResource({ uri: 'metrics://tools' }))) as { tools: { tool: string; calls: number }[] };
		assert.ok(metrics.tools.some((entry) => entry.tool === 'prompts/get' && entry.calls >= 3));
		assert.match(firstText(await client.readResource({ uri: 'metrics://prometheus' })), /mcp_workbench_tool_calls_total\{tool="resources\/read",outcome="ok"\}/);
	});

	test('session_summary tells the session from the audit, oldest first', async () => {
		const all = text(await client.getPrompt({ name: 'session_summary', arguments: {} }));
		assert.match(all, /prompts\/get: prompt review_changes/);
		assert.match(all, /read_file: .*\.env.* · deny by sensitive:/);
		assert.ok(all.indexOf('prompt review_changes') < all.indexOf('prompt debug_error'), 'oldest first');
	});
});

describe('prompts follow the families switched on', () => {
	test('a prompt of a family switched off is neither listed nor built, and the refusal is audited', async () => {
		const wb = await startWorkbench({ tools: allTools, resources: allResources, sandbox: 'none', settings: { families: ['workspace', 'files'] } });
		try {
			const client = await wb.connect();
			const { prompts } = await client.listPrompts();
			assert.deepEqual(prompts.map((prompt) => prompt.name), ['debug_error', 'session_summary']);
			await assert.rejects(client.getPrompt({ name: 'review_changes' }), /switched off in the settings/);
			const refused = wb.records.find((record) => record.tool === 'prompts/get');
			assert.equal(refused?.outcome, 'denied');
			assert.equal(refused?.decidedBy, 'setting:families');
			const { resourceTemplates } = await client.listResourceTemplates();
			assert.ok(!resourceTemplates.some((template) => template.uriTemplate.startsWith('git://')), 'no git resources either');
		} finally {
			await wb.close();
		}
	});
});
