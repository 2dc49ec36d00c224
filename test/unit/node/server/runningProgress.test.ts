import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { heldTool } from '../../helpers/testTools';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';
import { waitFor } from '../../helpers/waitFor';

/** A call that takes as long as the test wants: a build or a test run, as far as the gate can tell. */
const longCall = heldTool('long_call', 'done');

let t: TestWorkbench;
let client: Client;
before(async () => {
	t = await startWorkbench({ tools: [longCall.tool], sandbox: 'none' });
	client = await t.connect('progress-client');
});
after(() => t.close());

test('a call that runs more than a moment reports progress within a second and keeps a client that resets its timeout waiting', async () => {
	const heard: Progress[] = [];
	// Without progress this client gives up after 7 s; the call runs until two beats (at 1 s and 6 s) were heard.
	const call = client.callTool({ name: 'long_call', arguments: {} }, undefined, { timeout: 7000, resetTimeoutOnProgress: true, onprogress: (p) => heard.push(p) }) as Promise<CallToolResult>;
	await waitFor(() => heard.length >= 2, 'two progress notifications');
	assert.match(heard[0].message ?? '', /^long_call running for 1 s$/);
	assert.ok(heard[1].progress > heard[0].progress);
	longCall.releaseAll();
	const result = await call;
	assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
});
