// Turns a tool another extension hands us into a ToolSpec the gate runs like any built-in one. The definition is
// untrusted input: it is read once, checked and copied, so changing the object after registration changes nothing,
// and the handler never receives the Host, the approvals or the settings (see ContributedCallContext).
import { z } from 'zod';
import type { ContributedTool, Risk as ApiRisk, ToolCallContext, ToolCallResult } from '../../../api/mcp-workbench';
import { errorMessage, ToolError } from '../base/errors';
import type { AnyToolSpec, Risk, ToolAnnotations, ToolResult } from './toolSpec';

/** The extension a contributed tool came from, as VS Code names it. */
export interface Contributor {
	/** `publisher.name`, the key of the user's switch-off setting and of the audit record. */
	readonly id: string;
	/** The display name shown in the panel and on approval cards. */
	readonly name: string;
}

export const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const RISKS: readonly Risk[] = ['read', 'write', 'execute', 'destructive'];
const MAX_TITLE = 120;
const MAX_DESCRIPTION = 4000;
/** A card's summary line: long enough for a real sentence, short enough that the arguments below it stay in view. */
const MAX_SUMMARY = 300;

/** Why a definition was refused, as the contributor's Error says it. */
export class ContributionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ContributionError';
	}
}

/**
 * Checks and copies a contributed definition into a frozen spec. Risk only ever goes up: `destructiveHint` raises
 * it, and the listed hints follow the resulting risk (VS Code runs `readOnlyHint` tools without its own
 * confirmation, so a tool that is not `read` never claims it).
 */
export function contributedToolSpec(definition: ContributedTool<never>, contributor: Contributor): AnyToolSpec {
	if (!definition || typeof definition !== 'object') throw new ContributionError('registerTool needs a tool definition object.');
	// Each field is read exactly once: a getter cannot answer one thing to the check and another to the gate.
	const { name, title, description, input, output, risk, annotations, describe, handler } = definition as unknown as Record<string, unknown>;
	if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
		throw new ContributionError(`Tool name ${JSON.stringify(String(name)).slice(0, 80)} is not allowed: use snake_case, [a-z][a-z0-9_]*, at most 64 characters.`);
	}
	const text = (value: unknown, field: string, max: number): string => {
		if (typeof value !== 'string' || value.trim() === '') throw new ContributionError(`Tool ${name}: ${field} must be a non-empty string.`);
		if (value.length > max) throw new ContributionError(`Tool ${name}: ${field} is longer than ${max} characters.`);
		return value;
	};
	const cleanTitle = text(title, 'title', MAX_TITLE);
	const cleanDescription = text(description, 'description', MAX_DESCRIPTION);
	if (typeof risk !== 'string' || !RISKS.includes(risk as Risk)) throw new ContributionError(`Tool ${name}: risk must be one of ${RISKS.join(', ')}.`);
	if (typeof handler !== 'function') throw new ContributionError(`Tool ${name}: handler must be a function.`);
	if (describe !== undefined && typeof describe !== 'function') throw new ContributionError(`Tool ${name}: describe must be a function when given.`);
	const hints = annotations && typeof annotations === 'object' ? (annotations as Record<string, unknown>) : {};
	const ownRisk: Risk = hints.destructiveHint === true ? 'destructive' : (risk as ApiRisk);
	const inputSchema = objectSchema(input, name, 'input');
	const outputSchema = output === undefined ? undefined : objectSchema(output, name, 'output');
	const listedHints: ToolAnnotations = {
		title: cleanTitle,
		readOnlyHint: ownRisk === 'read',
		destructiveHint: ownRisk === 'destructive',
		...(typeof hints.idempotentHint === 'boolean' ? { idempotentHint: hints.idempotentHint } : {}),
		...(typeof hints.openWorldHint === 'boolean' ? { openWorldHint: hints.openWorldHint } : {}),
	};
	const run = handler as ContributedTool<unknown>['handler'];
	const summarize = describe as ContributedTool<unknown>['describe'];
	const spec: AnyToolSpec = {
		name,
		title: cleanTitle,
		description: cleanDescription,
		family: 'extension',
		contributor: Object.freeze({ id: contributor.id, name: contributor.name }),
		risk: ownRisk,
		input: inputSchema,
		...(outputSchema ? { output: outputSchema } : {}),
		annotations: Object.freeze(listedHints),
		// The card names the extension whatever the summary says: a person approves a tool knowing whose code runs.
		prepare: (parsed: unknown) => ({ subject: { summary: `${contributor.name}: ${summaryOf(summarize, parsed, cleanTitle, name)}` }, plan: undefined }),
		handler: async (parsed: unknown, ctx): Promise<ToolResult> => {
			const context: ToolCallContext = Object.freeze({
				signal: ctx.signal,
				progress: (progress: number, total?: number, message?: string) => ctx.progress(progress, total, message),
				maxOutputBytes: ctx.maxOutputBytes,
				approvedByPerson: ctx.approvedByPerson,
			});
			// A copy: the gate's frozen input stays what the audit recorded, whatever the handler does with its own.
			const result = await run(structuredClone(parsed), context);
			return toToolResult(result, name);
		},
	};
	return Object.freeze(spec);
}

function summaryOf(summarize: ContributedTool<unknown>['describe'], parsed: unknown, title: string, name: string): string {
	if (!summarize) return title;
	let described: unknown;
	try {
		described = summarize(structuredClone(parsed));
	} catch (error) {
		throw new ToolError(`${name} refused these arguments: ${errorMessage(error)}`, 'invalid-input');
	}
	const summary = described && typeof described === 'object' ? (described as { summary?: unknown }).summary : undefined;
	if (typeof summary !== 'string' || summary.trim() === '') return title;
	const line = summary.replace(/\s+/g, ' ').trim();
	return line.length > MAX_SUMMARY ? `${line.slice(0, MAX_SUMMARY - 1)}…` : line;
}

function toToolResult(result: unknown, name: string): ToolResult {
	if (typeof result === 'string') return { text: result };
	if (!result || typeof result !== 'object' || typeof (result as ToolCallResult).text !== 'string') {
		throw new ToolError(`${name} returned no result text (its extension has a bug).`);
	}
	const { text, structured, isError } = result as ToolCallResult;
	const plain = structured !== undefined && structured !== null && typeof structured === 'object' && !Array.isArray(structured);
	return { text, ...(plain ? { structured: jsonCopy(structured) } : {}), ...(isError === true ? { isError: true } : {}) };
}

/** Structured content leaves as JSON anyway; copying it now drops functions and cycles before redaction walks it. */
function jsonCopy(value: unknown): unknown {
	try {
		return JSON.parse(JSON.stringify(value)) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * An object schema of our own zod, from the contributor's JSON Schema or zod 4 schema. Their zod instance may come
 * from another copy of zod: its JSON Schema is the common language, and its own validator still runs on every call.
 */
function objectSchema(schema: unknown, name: string, field: string): z.ZodObject {
	if (!schema || typeof schema !== 'object') throw new ContributionError(`Tool ${name}: ${field} must be a JSON Schema or a zod object schema.`);
	const isZod = '_zod' in schema && '~standard' in schema;
	let json: Record<string, unknown>;
	try {
		json = isZod ? (z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>) : structuredClone(schema as Record<string, unknown>);
	} catch (error) {
		throw new ContributionError(`Tool ${name}: ${field} schema cannot be read: ${errorMessage(error)}`);
	}
	if (json.type !== 'object') throw new ContributionError(`Tool ${name}: ${field} must describe an object ("type": "object").`);
	let ours: z.ZodType;
	try {
		ours = z.fromJSONSchema(json);
	} catch (error) {
		throw new ContributionError(`Tool ${name}: ${field} schema is not valid JSON Schema: ${errorMessage(error)}`);
	}
	if (!(ours instanceof z.ZodObject)) throw new ContributionError(`Tool ${name}: ${field} must describe an object.`);
	if (!isZod) return ours;
	const validate = (schema as { '~standard': { validate(value: unknown): unknown } })['~standard'].validate;
	// Refinements JSON Schema cannot carry (a regex on two fields, a custom check) still hold.
	return ours.superRefine((value, ctx) => {
		const verdict = validate(value);
		if (verdict instanceof Promise) {
			ctx.addIssue({ code: 'custom', message: `${name}'s schema validates asynchronously, which MCP Workbench does not support` });
			return;
		}
		const issues = (verdict as { issues?: readonly { message: string; path?: readonly unknown[] }[] }).issues;
		for (const issue of issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message, path: (issue.path ?? []).map((p) => (typeof p === 'object' && p && 'key' in p ? (p as { key: PropertyKey }).key : p)) as PropertyKey[] });
	});
}
