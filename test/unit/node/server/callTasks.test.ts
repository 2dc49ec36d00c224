import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { terminalTools } from '../../../../src/tools/terminal/commands';
import { heldTool } from '../../helpers/testTools';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';
import { waitFor } from '../../helpers/waitFor';

const held = heldTool('held_call', 'held call done');

let t: TestWorkbench;
let client: Client;
before(async () => {
	t = await startWorkbench({ tools: [held.tool, ...terminalTools], sandbox: 'none' });
	client = await t.connect('task-client');
});
after(() => t.close());

function running(pattern: string): boolean {
	try {
		execFileSync('pgrep', ['-f', pattern]);
		return true;
	} catch {
		return false;
	}
}

test('the server offers tasks, and a tools/call sent as a task is created, polled and read with the SDK client', async () => {
	assert.ok(client.getServerCapabilities()?.tasks?.requests?.tools?.call, 'tasks for tools/call are declared');
	const tools = await client.listTools();
	assert.equal(tools.tools.find((tool) => tool.name === 'run_command')?.execution?.taskSupport, 'optional', 'a long call is offered as a task');
	assert.equal(tools.tools.find((tool) => tool.name === 'held_call')?.execution, undefined, 'a quick one is not, but runs as one when sent so');
	const from = held.started;
	const seen: string[] = [];
	let result: CallToolResult | undefined;
	const stream = client.experimental.tasks.callToolStream({ name: 'held_call', arguments: {} }, CallToolResultSchema, { task: { ttl: 60_000 } });
	const consumed = (async () => {
		for await (const message of stream) {
			if (message.type === 'taskCreated') seen.push(`created:${message.task.status}`);
			else if (message.type === 'taskStatus') seen.push(`status:${message.task.status}`);
			else if (message.type === 'result') result = message.result as CallToolResult;
			else if (message.type === 'error') throw message.error;
		}
	})();
	await waitFor(() => held.started > from && seen.includes('status:working'), 'the task to be working');
	const listed = await client.experimental.tasks.listTasks();
	assert.equal(listed.tasks.length, 1);
	held.releaseAll();
	await consumed;
	assert.equal(seen[0], 'created:working');
	assert.equal(seen.at(-1), 'status:completed');
	assert.deepEqual(result?.content, [{ type: 'text', text: 'held call done' }]);
	const record = t.records.find((r) => r.tool === 'held_call');
	assert.equal(record?.outcome, 'ok', 'a task passes the gate and its audit like any call');
});

test('tasks/cancel stops the call and kills its process tree; another session cannot see the task', async () => {
	const marker = `sleep 4${process.pid % 1000}.5`;
	const created = await client.request(
		{ method: 'tools/call', params: { name: 'run_command', arguments: { line: `${marker} & ${marker}; echo done` }, task: { ttl: 60_000 } } },
		z.object({ task: z.object({ taskId: z.string(), status: z.string() }) }),
	);
	const { taskId } = created.task;
	// A command that runs in the background of its line asks first: approve it, then cancel it while it runs.
	await waitFor(() => t.approvals.pending().length > 0 || running(marker), 'the card or the command');
	for (const card of t.approvals.pending()) t.approvals.decide(card.id, { kind: 'approve' });
	await waitFor(() => running(marker), 'the command to run');

	const other = await t.connect('another-client');
	await assert.rejects(other.experimental.tasks.getTask(taskId), /no task/);

	const cancelled = await client.experimental.tasks.cancelTask(taskId);
	assert.equal(cancelled.status, 'cancelled');
	await waitFor(() => !running(marker), 'every process of the command to end');
	assert.equal((await client.experimental.tasks.getTask(taskId)).status, 'cancelled');
	await assert.rejects(client.experimental.tasks.cancelTask(taskId), /already finished/);
});
