import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { exportTools, exportToolsText, EXPORT_FORMATS } from '../../../../src/core/tools/toolExport';
import { defineTool } from '../../../../src/core/tools/toolSpec';
import { ToolRegistry } from '../../../../src/core/tools/toolRegistry';
import { allTools } from '../../../../src/tools/allTools';

const offer = { trusted: true, families: ['workspace', 'files', 'git', 'terminal', 'tasks'] as ('workspace' | 'files' | 'git' | 'terminal' | 'tasks')[] };
const listed = new ToolRegistry(allTools).list(offer);

type Fn = { type: string; function: { name: string; description: string; parameters: unknown; strict: boolean } };

test('OpenAI Chat Completions: every tool a strict function whose parameters are the listed schema, unchanged', () => {
	const tools = exportTools(listed, 'openai-chat') as Fn[];
	assert.equal(tools.length, listed.length);
	for (const [index, tool] of tools.entries()) {
		assert.equal(tool.type, 'function');
		assert.equal(tool.function.name, listed[index].name);
		assert.equal(tool.function.description, listed[index].description);
		assert.deepEqual(tool.function.parameters, listed[index].inputSchema);
		assert.equal(tool.function.strict, true, tool.function.name);
	}
});

test('OpenAI Responses and Anthropic shapes carry the same name, description and schema', () => {
	const responses = exportTools(listed, 'openai-responses') as { type: string; name: string; description: string; parameters: unknown; strict: boolean }[];
	const anthropic = exportTools(listed, 'anthropic') as { name: string; description: string; input_schema: unknown }[];
	for (const [index, tool] of listed.entries()) {
		assert.deepEqual(responses[index], { type: 'function', name: tool.name, description: tool.description, parameters: tool.inputSchema, strict: true });
		assert.deepEqual(anthropic[index], { name: tool.name, description: tool.description, input_schema: tool.inputSchema });
	}
	assert.deepEqual(exportTools(listed, 'mcp'), { tools: listed });
});

test('a tool without a strict form is exported as a plain function, not changed or dropped', () => {
	const mapTool = defineTool({
		name: 'with_map',
		title: 'With a map',
		description: 'Takes a map.',
		family: 'workspace',
		risk: 'read',
		input: z.object({ labels: z.record(z.string(), z.string()) }),
		annotations: { readOnlyHint: true },
		handler: async () => ({ text: '' }),
	});
	const [tool] = exportTools(new ToolRegistry([mapTool]).list(offer), 'openai-chat') as Fn[];
	assert.equal(tool.function.strict, false);
	assert.deepEqual((tool.function.parameters as { properties: Record<string, unknown> }).properties.labels, { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } });
});

test('every format is offered and exports as JSON that parses back', () => {
	assert.deepEqual(EXPORT_FORMATS.map((entry) => entry.format), ['mcp', 'openai-chat', 'openai-responses', 'anthropic']);
	for (const { format } of EXPORT_FORMATS) assert.deepEqual(JSON.parse(exportToolsText(listed, format)), exportTools(listed, format));
});
