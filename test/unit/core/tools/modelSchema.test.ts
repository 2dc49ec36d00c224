import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { omitNullOptionals, strictModelSchema, type JsonSchema } from '../../../../src/core/tools/modelSchema';
import { strictProblems } from '../../../../src/core/tools/strictRules';
import { ToolRegistry } from '../../../../src/core/tools/toolRegistry';
import { allTools } from '../../../../src/tools/allTools';

const everything = { trusted: true, families: ['workspace', 'files', 'git', 'terminal', 'tasks'] as const };

function natural(schema: z.ZodType): JsonSchema {
	const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
	return rest;
}

test('every listed tool passes OpenAI\'s strict rules as it is', () => {
	const listed = new ToolRegistry(allTools).list({ ...everything, families: [...everything.families] });
	assert.equal(listed.length, allTools.length);
	const broken = listed.map((tool) => ({ name: tool.name, problems: strictProblems(tool.inputSchema) })).filter((entry) => entry.problems.length > 0);
	assert.deepEqual(broken, []);
});

test('the strict form: objects closed, every property required, optional ones nullable, limits left to the gate', () => {
	const schema = strictModelSchema(natural(z.object({
		path: z.string().min(1).max(10).describe('Where.'),
		limit: z.number().int().min(1).max(50).default(20).describe('How many.'),
		mode: z.enum(['a', 'b']).optional(),
		quiet: z.boolean().default(false),
		items: z.array(z.object({ name: z.string(), note: z.string().optional() })).optional(),
	})));
	assert.deepEqual(schema, {
		type: 'object',
		properties: {
			path: { type: 'string', description: 'Where.' },
			limit: { type: ['integer', 'null'], description: 'How many.' },
			mode: { type: ['string', 'null'], enum: ['a', 'b', null] },
			quiet: { type: ['boolean', 'null'] },
			items: {
				type: ['array', 'null'],
				items: { type: 'object', properties: { name: { type: 'string' }, note: { type: ['string', 'null'] } }, required: ['name', 'note'], additionalProperties: false },
			},
		},
		required: ['path', 'limit', 'mode', 'quiet', 'items'],
		additionalProperties: false,
	});
	assert.deepEqual(strictProblems(schema), []);
	assert.deepEqual(strictModelSchema(natural(z.object({}))), { type: 'object', properties: {}, required: [], additionalProperties: false }, 'an empty object keeps its properties and required');
});

test('shared and recursive shapes keep their $defs and $ref, converted like the rest', () => {
	const node = z.object({ name: z.string(), note: z.string().optional() }).meta({ id: 'Node' });
	const schema = strictModelSchema(natural(z.object({ first: node, rest: z.array(node).optional() })));
	assert.deepEqual(strictProblems(schema), []);
	assert.deepEqual((schema.$defs as Record<string, unknown>).Node, { type: 'object', properties: { name: { type: 'string' }, note: { type: ['string', 'null'] } }, required: ['name', 'note'], additionalProperties: false });
	assert.equal(((schema.properties as Record<string, JsonSchema>).first).$ref, '#/$defs/Node');
});

test('maps have no strict form: the conversion says what to use instead', () => {
	assert.throws(() => strictModelSchema(natural(z.object({ env: z.record(z.string(), z.string()) }))), /array of \{name, value\}/);
});

test('the checker names each broken rule with its place', () => {
	const problems = strictProblems({
		type: 'object',
		properties: { a: { type: 'string', default: 'x' }, b: { type: 'object', properties: {} }, c: { type: 'string', minLength: 1 }, d: { type: 'string', format: 'uri' } },
		required: ['a', 'b', 'c'],
	});
	assert.deepEqual(problems, [
		'#: additionalProperties must be false',
		'#/properties/a: keyword "default" is not supported (strict dialects reject default; say it in the description)',
		'#/properties/b: additionalProperties must be false',
		'#/properties/c: keyword "minLength" is not supported',
		'#: property "d" is not in required (make it nullable instead of optional)',
		'#/properties/d: format "uri" is not supported',
	]);
	assert.deepEqual(strictProblems({ anyOf: [{ type: 'object', properties: {}, additionalProperties: false }] }), ['#: the root must be a plain object schema (type "object", no anyOf)']);
	let deep: JsonSchema = { type: 'string' };
	for (let i = 0; i < 12; i++) deep = { type: 'object', properties: { x: deep }, required: ['x'], additionalProperties: false };
	assert.ok(strictProblems(deep).some((problem) => problem.includes('nested more than 10 levels')));
});

test('null for an optional property is an omission, at every level the schema describes; a nullable one keeps its null', () => {
	const schema = natural(z.object({
		path: z.string(),
		limit: z.number().optional(),
		head: z.string().nullable().optional(),
		edits: z.array(z.object({ oldText: z.string(), replaceAll: z.boolean().optional() })),
	}));
	const sent = { path: 'a', limit: null, head: null, edits: [{ oldText: 'x', replaceAll: null }, { oldText: 'y', replaceAll: true }] };
	assert.deepEqual(omitNullOptionals(schema, sent), { path: 'a', head: null, edits: [{ oldText: 'x' }, { oldText: 'y', replaceAll: true }] });
	assert.deepEqual(sent.limit, null, 'the arguments as sent are not changed');
	const required = { path: null, edits: [] };
	assert.equal(omitNullOptionals(schema, required), required, 'a null where a value is required is left for validation to refuse');
	assert.equal(omitNullOptionals(schema, 'text'), 'text');
});

test('a strict client\'s call (every optional sent as null) and an MCP client\'s call (left out) parse the same for every tool', () => {
	const registry = new ToolRegistry(allTools);
	for (const spec of allTools) {
		const listed = registry.list({ ...everything, families: [...everything.families] }).find((tool) => tool.name === spec.name)!;
		const properties = listed.inputSchema.properties as Record<string, JsonSchema>;
		const optional = Object.keys(properties).filter((name) => Array.isArray(properties[name].type) && (properties[name].type as string[]).includes('null'));
		const strictCall = Object.fromEntries(optional.map((name) => [name, null]));
		const parsedStrict = spec.input.safeParse(registry.argumentsFor(spec, strictCall));
		const parsedOmitted = spec.input.safeParse({});
		assert.equal(parsedStrict.success, parsedOmitted.success, `${spec.name}: null and omission agree`);
		if (parsedStrict.success && parsedOmitted.success) assert.deepEqual(parsedStrict.data, parsedOmitted.data, spec.name);
	}
});
