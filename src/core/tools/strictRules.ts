/**
 * OpenAI's documented rules for strict function calling ("Structured Outputs": supported schemas), as a check that
 * names every place a schema breaks them. A strict tool whose parameters break one is refused by the API with a 400,
 * so the test suite runs every tool through this, and the scripted OpenAI endpoint of the examples refuses the same way.
 *
 * The rules: the root is an object, not anyOf; every object sets `additionalProperties: false` and lists every
 * property in `required` (an optional value is said as a type that includes null); types are string, number, integer,
 * boolean, object, array, null, with enum, const, anyOf and $ref/$defs; a small set of type-specific keywords; at most
 * 5,000 object properties and 10 levels of nesting; at most 1,000 enum values; at most 120,000 characters of property
 * names, definition names, enum and const values.
 */
import type { JsonSchema } from './modelSchema';

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const GENERAL = new Set(['type', 'description', 'title', 'enum', 'const', 'anyOf', '$ref', '$defs']);
const BY_TYPE: Record<string, ReadonlySet<string>> = {
	object: new Set(['properties', 'required', 'additionalProperties']),
	array: new Set(['items', 'minItems', 'maxItems']),
	string: new Set(['pattern', 'format']),
	number: new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']),
	integer: new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']),
};
const FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);

export const STRICT_LIMITS = { properties: 5000, depth: 10, enumValues: 1000, characters: 120_000 } as const;

/** Every way `schema` breaks the strict rules, each with its JSON pointer; empty when the schema is strict. */
export function strictProblems(schema: JsonSchema): string[] {
	const problems: string[] = [];
	const totals = { properties: 0, enumValues: 0, characters: 0 };
	if (schema.type !== 'object' || schema.anyOf !== undefined) problems.push('#: the root must be a plain object schema (type "object", no anyOf)');
	for (const [name, definition] of Object.entries((schema.$defs ?? {}) as Record<string, JsonSchema>)) {
		totals.characters += name.length;
		visit(definition, `#/$defs/${name}`, 0, problems, totals);
	}
	visit(schema, '#', 0, problems, totals);
	if (totals.properties > STRICT_LIMITS.properties) problems.push(`#: ${totals.properties} object properties (at most ${STRICT_LIMITS.properties})`);
	if (totals.enumValues > STRICT_LIMITS.enumValues) problems.push(`#: ${totals.enumValues} enum values (at most ${STRICT_LIMITS.enumValues})`);
	if (totals.characters > STRICT_LIMITS.characters) problems.push(`#: ${totals.characters} characters of names and values (at most ${STRICT_LIMITS.characters})`);
	return problems;
}

function visit(schema: JsonSchema, where: string, depth: number, problems: string[], totals: { properties: number; enumValues: number; characters: number }): void {
	if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
		problems.push(`${where}: a schema must be an object`);
		return;
	}
	if (depth > STRICT_LIMITS.depth) {
		problems.push(`${where}: nested more than ${STRICT_LIMITS.depth} levels`);
		return;
	}
	const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? (schema.type as unknown[]) : [schema.type];
	for (const type of types) if (typeof type !== 'string' || !TYPES.has(type)) problems.push(`${where}: unsupported type ${JSON.stringify(type)}`);
	if (types.length === 0 && schema.anyOf === undefined && schema.$ref === undefined && schema.enum === undefined && schema.const === undefined) {
		problems.push(`${where}: no type (strict schemas name a type, an enum, a const, anyOf or $ref)`);
	}
	const allowed = new Set(GENERAL);
	for (const type of types) for (const keyword of BY_TYPE[type as string] ?? []) allowed.add(keyword);
	for (const keyword of Object.keys(schema)) {
		if (keyword === '$defs' && where !== '#') problems.push(`${where}: $defs only at the root`);
		else if (!allowed.has(keyword)) problems.push(`${where}: keyword "${keyword}" is not supported${keyword === 'default' ? ' (strict dialects reject default; say it in the description)' : ''}`);
	}
	if (typeof schema.format === 'string' && !FORMATS.has(schema.format)) problems.push(`${where}: format "${schema.format}" is not supported`);
	if (Array.isArray(schema.enum)) {
		totals.enumValues += schema.enum.length;
		for (const value of schema.enum) totals.characters += typeof value === 'string' ? value.length : 0;
		if (types.includes('null') && !schema.enum.includes(null)) problems.push(`${where}: nullable enum without null among its values`);
	}
	if (typeof schema.const === 'string') totals.characters += schema.const.length;
	if (schema.anyOf !== undefined) {
		if (!Array.isArray(schema.anyOf) || schema.anyOf.length === 0) problems.push(`${where}: anyOf must be a non-empty list`);
		else schema.anyOf.forEach((branch, index) => visit(branch as JsonSchema, `${where}/anyOf/${index}`, depth, problems, totals));
	}
	if (types.includes('array')) {
		if (schema.items === undefined || Array.isArray(schema.items)) problems.push(`${where}: an array needs one items schema`);
		else visit(schema.items as JsonSchema, `${where}/items`, depth + 1, problems, totals);
	}
	if (types.includes('object')) {
		if (schema.additionalProperties !== false) problems.push(`${where}: additionalProperties must be false`);
		const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
		if (schema.properties === undefined) problems.push(`${where}: an object needs properties (an empty {} is allowed)`);
		const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
		if (schema.required === undefined && Object.keys(properties).length > 0) problems.push(`${where}: required is missing`);
		for (const [name, property] of Object.entries(properties)) {
			totals.properties++;
			totals.characters += name.length;
			if (!required.includes(name)) problems.push(`${where}: property "${name}" is not in required (make it nullable instead of optional)`);
			visit(property, `${where}/properties/${name}`, depth + 1, problems, totals);
		}
		for (const name of required) if (typeof name !== 'string' || !(name in properties)) problems.push(`${where}: required names "${String(name)}", which is not a property`);
	}
}
