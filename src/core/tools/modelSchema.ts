/**
 * The JSON Schemas a model sees, derived from a tool's zod input. Two concerns meet here:
 *
 * - Strict function calling (OpenAI `strict: true`, the Agents SDK's strict conversion, LangChain's strict binding)
 *   accepts only a subset of JSON Schema: every object closed (`additionalProperties: false`), every property listed in
 *   `required`, an optional one said as "may be null" instead of "may be absent". The schema we list is already in that
 *   form, so every client takes it as it is and no converter has to guess.
 * - Size: the definitions travel in every model request. Length and range limits, patterns and formats stay in the zod
 *   schema the gate validates with (its error tells the agent what to fix); the model gets types, enums and words.
 *
 * The gate takes both shapes back: a property left out, or sent as null, is the same omission
 * (see {@link omitNullOptionals}).
 */

export type JsonSchema = { [keyword: string]: unknown };

/** Keywords a model needs to call the tool right; everything else is left to the gate's validation. */
const KEPT = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', 'description', '$ref']);

/**
 * The strict, lean form of a natural JSON Schema (as `z.toJSONSchema` gives it, io: input). Pure; the input is not
 * changed. `default` goes (strict dialects reject it): a null or a left-out value gets the default at the gate, and a
 * tool whose default the model must know says it in the description. Throws on shapes strict calling cannot express
 * (maps, tuples): a tool must not offer those.
 */
export function strictModelSchema(natural: JsonSchema): JsonSchema {
	return convert(natural, '#');
}

function convert(schema: JsonSchema, where: string): JsonSchema {
	const out: JsonSchema = {};
	for (const [keyword, value] of Object.entries(schema)) {
		if (KEPT.has(keyword)) out[keyword] = value;
	}
	// Shared or recursive shapes (zod emits them for schemas with an id): each definition converted like the rest.
	if (schema.$defs !== undefined && typeof schema.$defs === 'object') {
		out.$defs = Object.fromEntries(Object.entries(schema.$defs as Record<string, JsonSchema>).map(([name, definition]) => [name, convert(definition, `${where}/$defs/${name}`)]));
	}
	if (Array.isArray(schema.anyOf)) {
		out.anyOf = schema.anyOf.map((branch, index) => convert(branch as JsonSchema, `${where}/anyOf/${index}`));
	}
	if (schema.items !== undefined) {
		if (Array.isArray(schema.items) || 'prefixItems' in schema) throw new Error(`${where}: tuples have no strict form; use an array of one type`);
		out.items = convert(schema.items as JsonSchema, `${where}/items`);
	}
	if (schema.type === 'object' || schema.properties !== undefined) {
		const extra = schema.additionalProperties;
		if (extra !== undefined && extra !== false) throw new Error(`${where}: a map (additionalProperties) has no strict form; use an array of {name, value}`);
		const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
		const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
		const converted: Record<string, JsonSchema> = {};
		for (const [name, property] of Object.entries(properties)) {
			const strict = convert(property, `${where}/properties/${name}`);
			converted[name] = required.has(name) ? strict : nullable(strict);
		}
		out.type = 'object';
		out.properties = converted;
		out.required = Object.keys(converted);
		out.additionalProperties = false;
	}
	return out;
}

/** The same schema, also accepting null: how strict calling says "optional". */
function nullable(schema: JsonSchema): JsonSchema {
	if (acceptsNull(schema)) return schema;
	if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: [...schema.anyOf, { type: 'null' }] };
	if (schema.type === undefined) return { anyOf: [schema, { type: 'null' }] };
	const types = Array.isArray(schema.type) ? schema.type : [schema.type];
	const out: JsonSchema = { ...schema, type: [...types, 'null'] };
	if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
	return out;
}

function acceptsNull(schema: JsonSchema): boolean {
	if (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return true;
	if (Array.isArray(schema.anyOf)) return schema.anyOf.some((branch) => acceptsNull(branch as JsonSchema));
	return false;
}

/**
 * Arguments as the tool's own (natural) schema takes them: a null sent for a property the schema lets the caller leave
 * out, and that does not itself accept null, is removed, at every level the schema describes. Everything else is
 * returned as it came, so validation still judges it. The schema bounds the walk, not the value, so no argument can
 * make it recurse deeper than the tool's own schema is.
 */
export function omitNullOptionals(natural: JsonSchema, value: unknown): unknown {
	if (Array.isArray(value)) {
		const items = natural.items;
		if (items === undefined || Array.isArray(items) || typeof items !== 'object') return value;
		const mapped = value.map((item) => omitNullOptionals(items as JsonSchema, item));
		return mapped.every((item, index) => item === value[index]) ? value : mapped;
	}
	if (value === null || typeof value !== 'object' || natural.properties === undefined) return value;
	const properties = natural.properties as Record<string, JsonSchema>;
	const required = new Set(Array.isArray(natural.required) ? (natural.required as string[]) : []);
	let copy: Record<string, unknown> | undefined;
	for (const [name, property] of Object.entries(properties)) {
		if (!Object.hasOwn(value, name)) continue;
		const member = (value as Record<string, unknown>)[name];
		const next = member === null && !required.has(name) && !acceptsNull(property) ? undefined : omitNullOptionals(property, member);
		if (next === member) continue;
		copy ??= { ...(value as Record<string, unknown>) };
		if (next === undefined) delete copy[name];
		else copy[name] = next;
	}
	return copy ?? value;
}
