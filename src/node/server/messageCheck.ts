import {
	ClientRequestSchema, ErrorCode, JSONRPCErrorResponseSchema, JSONRPCNotificationSchema, JSONRPCRequestSchema, JSONRPCResultResponseSchema,
	RequestIdSchema, type JSONRPCMessage, type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { ZodType } from 'zod';

/** A JSON-RPC error answer; `id` is null when the message had no usable id (JSON-RPC 2.0, section 5). */
export interface ErrorAnswer {
	readonly jsonrpc: '2.0';
	readonly id: RequestId | null;
	readonly error: { readonly code: number; readonly message: string };
}

export type CheckedMessage = { readonly message: JSONRPCMessage } | { readonly refusal: ErrorAnswer; readonly method?: string };

/**
 * Requests that pass the gate never reach the SDK: the transport checks their params itself (`gatedRequest`), with
 * messages that name the fix, and takes any JSON number as a progress token, as the MCP schema does.
 */
const GATED_METHODS = new Set(['tools/call', 'resources/read', 'prompts/get']);

const requestSchemas = new Map<string, ZodType>(ClientRequestSchema.options.map((schema) => [schema.shape.method.value, schema]));

/**
 * Checks one incoming message against the SDK's own schemas, the ones its protocol layer applies. That layer drops
 * a message its envelope schema rejects without answering (the POST would wait forever), and answers a request whose
 * params fail its method's schema with an internal error; checked here first, each gets the right JSON-RPC error:
 * -32600 for a bad envelope, -32602 for bad params.
 */
export function checkMessage(value: unknown): CheckedMessage {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return refuse(null, ErrorCode.InvalidRequest, 'Invalid Request: each message must be a JSON-RPC 2.0 object');
	}
	const fields = value as Record<string, unknown>;
	const hasId = Object.hasOwn(fields, 'id');
	const id = hasId && RequestIdSchema.safeParse(fields.id).success ? (fields.id as RequestId) : null;
	const method = typeof fields.method === 'string' ? fields.method : undefined;
	if (fields.jsonrpc !== '2.0') return refuse(id, ErrorCode.InvalidRequest, 'Invalid Request: "jsonrpc" must be "2.0"', method);
	if (hasId && id === null && !Object.hasOwn(fields, 'error')) {
		return refuse(null, ErrorCode.InvalidRequest, 'Invalid Request: "id" must be a string or an integer (a safe integer, not a fraction and not null)', method);
	}
	const kind = Object.hasOwn(fields, 'method')
		? (hasId ? JSONRPCRequestSchema : JSONRPCNotificationSchema)
		: Object.hasOwn(fields, 'result')
			? JSONRPCResultResponseSchema
			: Object.hasOwn(fields, 'error')
				? JSONRPCErrorResponseSchema
				: undefined;
	if (!kind) return refuse(id, ErrorCode.InvalidRequest, 'Invalid Request: a message needs "method" (a request or notification), or "result" or "error" (a response)');
	const gated = kind === JSONRPCRequestSchema && method !== undefined && GATED_METHODS.has(method);
	const envelope = safeParse(kind, value);
	if (envelope !== true && !(gated && envelope.paramsOnly)) {
		return refuse(id, envelope.paramsOnly ? ErrorCode.InvalidParams : ErrorCode.InvalidRequest, `${envelope.paramsOnly ? 'Invalid params' : 'Invalid Request'}: ${envelope.problem}`, method);
	}
	if (kind === JSONRPCRequestSchema && method !== undefined && !gated) {
		const schema = requestSchemas.get(method);
		const params = schema ? safeParse(schema, value) : true;
		if (params !== true) return refuse(id, ErrorCode.InvalidParams, `Invalid params for ${method}: ${params.problem}`, method);
	}
	return { message: value as JSONRPCMessage };
}

function refuse(id: RequestId | null, code: number, message: string, method?: string): CheckedMessage {
	return { refusal: { jsonrpc: '2.0', id, error: { code, message } }, ...(method === undefined ? {} : { method }) };
}

/** True, or what is wrong (the first few issues, each with its path) and whether only params are at fault. */
function safeParse(schema: ZodType, value: unknown): true | { problem: string; paramsOnly: boolean } {
	let result;
	try {
		result = schema.safeParse(value);
	} catch {
		// A value too deep for the validator's recursion; the SDK would fail on it the same way.
		return { problem: 'the message is nested too deeply to check', paramsOnly: false };
	}
	if (result.success) return true;
	const issues = result.error.issues;
	const problem = issues.slice(0, 3).map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : 'message'}: ${issue.message}`).join('; ');
	return { problem: issues.length > 3 ? `${problem}; and ${issues.length - 3} more` : problem, paramsOnly: issues.every((issue) => issue.path[0] === 'params') };
}
