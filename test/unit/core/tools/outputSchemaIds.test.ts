// Issue 16: output schemas carry an `$id` named by their content, so the SDK client compiles each distinct one once
// per connection instead of on every listTools(). The validators it keeps must still reject what a schema rejects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { allTools } from '../../../../src/tools/allTools';
import { startWorkbench } from '../../helpers/workbench';

test('every output schema has an $id: equal content shares one, different content never does', async () => {
	const world = await startWorkbench({ tools: allTools, sandbox: 'none' });
	try {
		const client = await world.connect('ids');
		const { tools } = await client.listTools();
		const withOutput = tools.filter((tool) => tool.outputSchema);
		assert.ok(withOutput.length > 5, 'the shipped tools declare output schemas');
		const byId = new Map<string, string>();
		for (const tool of withOutput) {
			const { $id, ...content } = tool.outputSchema as Record<string, unknown>;
			assert.match(String($id), /^urn:mcp-workbench:schema:[0-9a-f]{16}$/, tool.name);
			const text = JSON.stringify(content);
			assert.equal(byId.get(String($id)) ?? text, text, `${tool.name}: one $id, two contents`);
			byId.set(String($id), text);
		}
		// Listed again: the same names, so the client's compiled validators are found rather than compiled anew.
		const again = await client.listTools();
		assert.deepEqual(again.tools.map((tool) => tool.outputSchema?.$id), tools.map((tool) => tool.outputSchema?.$id));
	} finally {
		await world.close();
	}
});

test('a validator found by $id the second time still rejects what the schema rejects, and accepts real results', async () => {
	const world = await startWorkbench({ tools: allTools, sandbox: 'none' });
	try {
		const validators = new AjvJsonSchemaValidator();
		const client = await world.connect('validate');
		const { tools } = await client.listTools();
		const info = tools.find((tool) => tool.name === 'workspace_info');
		assert.ok(info?.outputSchema, 'workspace_info declares an output schema');
		const first = validators.getValidator(info.outputSchema as never);
		const second = validators.getValidator(info.outputSchema as never);
		const result = await client.callTool({ name: 'workspace_info', arguments: {} }) as CallToolResult;
		assert.notEqual(result.isError, true);
		assert.equal(second(result.structuredContent).valid, true, 'the real result passes');
		assert.equal(first(result.structuredContent).valid, true);
		assert.equal(second({ unexpected: true }).valid, false, 'an object the schema rejects still fails');
	} finally {
		await world.close();
	}
});
