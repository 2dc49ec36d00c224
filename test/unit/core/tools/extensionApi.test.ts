import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { McpWorkbenchApi } from '../../../../api/mcp-workbench';
import type { Contributor } from '../../../../src/core/tools/contributedTool';
import { callerFromStack } from '../../../../src/core/tools/extensionTools';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';
import { waitFor } from '../../helpers/waitFor';

const DEVOPS: Contributor = { id: 'acme.devops', name: 'Acme DevOps' };

/**
 * Counts tools/list_changed notifications once the client's GET stream is open: a notification sent before it opens
 * has nowhere to go, so the server is asked to notify until one arrives.
 */
async function listChanges(wb: TestWorkbench, client: Client): Promise<() => number> {
	let changes = 0;
	client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
		changes++;
	});
	await waitFor(() => {
		if (changes === 0) wb.server.notifyToolsChanged();
		return changes > 0;
	}, 'the client\'s notification stream');
	const primed = changes;
	return () => changes - primed;
}

function apiFor(wb: TestWorkbench, contributor: Contributor): McpWorkbenchApi {
	return wb.workbench.extensionTools.exports(() => contributor).getApi(1);
}

describe('extension API: contributed tools through the real server', () => {
	let wb: TestWorkbench;
	const disabled: string[] = [];
	before(async () => {
		wb = await startWorkbench({ sandbox: 'none', settings: { disabledExtensions: disabled } });
	});
	after(() => wb.close());

	test('a registered tool is listed with its schemas and honest hints, and clients hear list_changed', async () => {
		const client = await wb.connect();
		const changes = await listChanges(wb, client);
		const api = apiFor(wb, DEVOPS);
		const registration = api.registerTool({
			name: 'pods_count',
			title: 'Count pods',
			description: 'Counts pods in a namespace.',
			input: z.object({ namespace: z.string().min(1) }),
			output: { type: 'object', properties: { count: { type: 'integer' } }, required: ['count'] },
			risk: 'read',
			annotations: { idempotentHint: true },
			handler: async (input: { namespace: string }) => ({ text: `3 pods in ${input.namespace}`, structured: { count: 3 } }),
		});
		await waitFor(() => changes() >= 1, 'tools/list_changed after registering');
		const listed = (await client.listTools()).tools.find((tool) => tool.name === 'pods_count');
		assert.ok(listed, 'the contributed tool is in tools/list');
		assert.deepEqual(listed.inputSchema.required, ['namespace']);
		assert.deepEqual(listed.outputSchema?.required, ['count']);
		assert.equal(listed.annotations?.readOnlyHint, true);
		assert.equal(listed.annotations?.destructiveHint, false);
		assert.equal(listed.annotations?.idempotentHint, true);

		const result = await client.callTool({ name: 'pods_count', arguments: { namespace: 'shop' } });
		assert.equal(result.isError, undefined);
		assert.deepEqual(result.structuredContent, { count: 3 });
		const record = wb.records.at(-1);
		assert.equal(record?.tool, 'pods_count');
		assert.equal(record?.extension, 'acme.devops');
		assert.equal(record?.family, 'extension');
		assert.equal(record?.decidedBy, 'default:read');
		assert.ok(wb.metrics.snapshot().some((m) => m.tool === 'pods_count' && m.calls === 1), 'metrics count the call');

		const before = changes();
		registration.dispose();
		await waitFor(() => changes() > before, 'tools/list_changed after disposing');
		assert.ok(!(await client.listTools()).tools.some((tool) => tool.name === 'pods_count'));
		const gone = await client.callTool({ name: 'pods_count', arguments: { namespace: 'shop' } });
		assert.equal(gone.isError, true);
	});

	test('a JSON Schema input is validated before the handler runs', async () => {
		const runs: unknown[] = [];
		const registration = apiFor(wb, DEVOPS).registerTool({
			name: 'scale_it',
			title: 'Scale',
			description: 'Scales.',
			input: { type: 'object', properties: { replicas: { type: 'integer', minimum: 0, maximum: 10 } }, required: ['replicas'], additionalProperties: false },
			risk: 'read',
			handler: async (input) => {
				runs.push(input);
				return 'scaled';
			},
		});
		try {
			const client = await wb.connect();
			const bad = await client.callTool({ name: 'scale_it', arguments: { replicas: 11 } });
			assert.equal(bad.isError, true);
			assert.match(String((bad.content as { text: string }[])[0].text), /Invalid arguments for scale_it/);
			assert.equal(wb.records.at(-1)?.outcome, 'invalid');
			assert.deepEqual(runs, [], 'the handler never saw the invalid call');
			const good = await client.callTool({ name: 'scale_it', arguments: { replicas: 2 } });
			assert.equal((good.content as { text: string }[])[0].text, 'scaled');
			assert.deepEqual(runs, [{ replicas: 2 }]);
		} finally {
			registration.dispose();
		}
	});

	test('a zod refinement JSON Schema cannot express still holds', async () => {
		const runs: unknown[] = [];
		const registration = apiFor(wb, DEVOPS).registerTool({
			name: 'range_it',
			title: 'Range',
			description: 'Takes a range.',
			input: z.object({ from: z.number(), to: z.number() }).refine((value) => value.from <= value.to, { message: 'from must not exceed to' }),
			risk: 'read',
			handler: async (input) => {
				runs.push(input);
				return 'ok';
			},
		});
		try {
			const client = await wb.connect();
			const bad = await client.callTool({ name: 'range_it', arguments: { from: 5, to: 1 } });
			assert.equal(bad.isError, true);
			assert.match(String((bad.content as { text: string }[])[0].text), /from must not exceed to/);
			assert.deepEqual(runs, []);
		} finally {
			registration.dispose();
		}
	});

	test('a write tool waits for approval; the card names the extension and shows its summary', async () => {
		const runs: unknown[] = [];
		const registration = apiFor(wb, DEVOPS).registerTool({
			name: 'deploy_scale',
			title: 'Scale deployment',
			description: 'Scales a deployment.',
			input: z.object({ deployment: z.string(), replicas: z.number().int() }),
			risk: 'write',
			describe: (input: { deployment: string; replicas: number }) => ({ summary: `scale ${input.deployment} to ${input.replicas}` }),
			handler: async (input: { deployment: string; replicas: number }) => {
				runs.push(input);
				return `scaled ${input.deployment}`;
			},
		});
		try {
			const client = await wb.connect();
			const pending = client.callTool({ name: 'deploy_scale', arguments: { deployment: 'web', replicas: 3 } });
			await waitFor(() => wb.approvals.pending().length === 1, 'the approval card');
			const card = wb.approvals.pending()[0];
			assert.equal(card.summary, 'Acme DevOps: scale web to 3');
			assert.equal(card.family, 'extension');
			assert.deepEqual(runs, [], 'nothing ran before the person decided');
			wb.approvals.decide(card.id, { kind: 'approve' });
			const result = await pending;
			assert.equal((result.content as { text: string }[])[0].text, 'scaled web');
			const record = wb.records.at(-1);
			assert.equal(record?.decision, 'approve');
			assert.equal(record?.extension, 'acme.devops');
			assert.equal(record?.summary, 'Acme DevOps: scale web to 3');
		} finally {
			registration.dispose();
		}
	});

	test('secrets a handler returns are redacted, and long output is capped', async () => {
		const registration = apiFor(wb, DEVOPS).registerTool({
			name: 'leaky',
			title: 'Leaky',
			description: 'Returns a token.',
			input: { type: 'object', properties: {} },
			risk: 'read',
			handler: async () => `token ghp_${'a'.repeat(36)} and ${'x'.repeat(400 * 1024)}`,
		});
		try {
			const client = await wb.connect();
			const result = await client.callTool({ name: 'leaky', arguments: {} });
			const text = String((result.content as { text: string }[])[0].text);
			assert.ok(!text.includes(`ghp_${'a'.repeat(36)}`), 'the token is not in the answer');
			assert.ok(text.length < 300 * 1024, 'the answer is capped');
			assert.equal(wb.records.at(-1)?.truncated, true);
		} finally {
			registration.dispose();
		}
	});

	test('switching an extension off in the settings removes its tools from tools/list at once', async () => {
		const registration = apiFor(wb, DEVOPS).registerTool({
			name: 'pods_list',
			title: 'List pods',
			description: 'Lists pods.',
			input: { type: 'object', properties: {} },
			risk: 'read',
			handler: async () => 'pod-a',
		});
		try {
			const client = await wb.connect();
			const changes = await listChanges(wb, client);
			assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'pods_list'));
			disabled.push('acme.devops');
			wb.workbench.settingsChanged();
			await waitFor(() => changes() >= 1, 'tools/list_changed after the setting changed');
			assert.ok(!(await client.listTools()).tools.some((tool) => tool.name === 'pods_list'));
			const refused = await client.callTool({ name: 'pods_list', arguments: {} });
			assert.equal(refused.isError, true);
			assert.match(String((refused.content as { text: string }[])[0].text), /disabledExtensions/);
			assert.equal(wb.records.at(-1)?.decidedBy, 'setting:disabledExtensions');
			disabled.length = 0;
			wb.workbench.settingsChanged();
			assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'pods_list'));
		} finally {
			disabled.length = 0;
			registration.dispose();
		}
	});

	test('the panel list groups tools under their extension', () => {
		const one = apiFor(wb, DEVOPS).registerTool({ name: 'a_tool', title: 'A', description: 'A.', input: { type: 'object' }, risk: 'read', handler: async () => 'a' });
		const two = apiFor(wb, { id: 'other.ext', name: 'Other' }).registerTool({ name: 'b_tool', title: 'B', description: 'B.', input: { type: 'object' }, risk: 'write', handler: async () => 'b' });
		assert.deepEqual(wb.workbench.extensionTools.list(), [
			{ contributor: DEVOPS, tools: [{ name: 'a_tool', title: 'A', risk: 'read' }] },
			{ contributor: { id: 'other.ext', name: 'Other' }, tools: [{ name: 'b_tool', title: 'B', risk: 'write' }] },
		]);
		one.dispose();
		two.dispose();
		assert.deepEqual(wb.workbench.extensionTools.list(), []);
	});

	test('asking for an API version that does not exist names the ones that do', () => {
		const exports = wb.workbench.extensionTools.exports(() => DEVOPS);
		assert.deepEqual(exports.apiVersions, [1]);
		assert.throws(() => exports.getApi(2 as 1), /versions 1, not 2/);
	});
});

describe('extension API: who is calling', () => {
	const extensions = [
		{ id: 'mcp-workbench.mcp-workbench', path: '/ext/mcp-workbench.mcp-workbench-0.1.0', name: 'MCP Workbench' },
		{ id: 'acme.devops', path: '/ext/acme.devops-1.0.0', name: 'Acme DevOps' },
		{ id: 'acme.devops-extra', path: '/ext/acme.devops-1.0.0-extra', name: 'Extra' },
	];
	test('the first frame in another extension\'s folder names the caller; ours are skipped', () => {
		const stack = [
			'Error',
			'    at caller (/ext/mcp-workbench.mcp-workbench-0.1.0/dist/extension.js:1:100)',
			'    at Object.registerTool (/ext/mcp-workbench.mcp-workbench-0.1.0/dist/extension.js:1:200)',
			'    at activate (/ext/acme.devops-1.0.0-extra/dist/extension.js:2:10)',
			'    at activate (/ext/acme.devops-1.0.0/dist/extension.js:2:10)',
		].join('\n');
		assert.deepEqual(callerFromStack(stack, extensions, 'mcp-workbench.mcp-workbench'), { id: 'acme.devops-extra', name: 'Extra' });
	});
	test('a stack with no other extension in it names nobody', () => {
		const stack = 'Error\n    at x (/ext/mcp-workbench.mcp-workbench-0.1.0/dist/extension.js:1:1)\n    at y (node:internal/process:1:1)';
		assert.equal(callerFromStack(stack, extensions, 'mcp-workbench.mcp-workbench'), undefined);
	});
	test('file URLs (ES modules) count too', () => {
		const stack = 'Error\n    at z (file:///ext/acme.devops-1.0.0/dist/extension.mjs:1:1)';
		assert.deepEqual(callerFromStack(stack, extensions, 'mcp-workbench.mcp-workbench'), { id: 'acme.devops', name: 'Acme DevOps' });
	});
});
