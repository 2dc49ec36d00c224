import { ErrorCode, McpError, type CallToolResult, type CompleteResult, type GetPromptResult, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { CallOrigin, Gate } from '../../core/gate/gate';
import type { Host } from '../../core/host/host';
import { MAX_COMPLETIONS, type Completer } from '../../core/tools/completion';
import type { OfferContext, ToolRegistry } from '../../core/tools/toolRegistry';

/** What both protocol eras answer from: the one registry, gate and host, so a 2025 session and a 2026 request agree. */
export interface SurfaceOptions {
	readonly registry: ToolRegistry;
	readonly gate: Gate;
	readonly host: Host;
	readonly offer: () => OfferContext;
	/** Most resources resources/list returns. */
	readonly resourceListLimit?: number;
}

/** A JSON-RPC error a handler answers with (a resource that cannot be read, say). */
export interface SurfaceError {
	readonly code: number;
	readonly message: string;
	readonly data?: unknown;
}

/** Tools in the registry's order, which is fixed: the same offer always lists the same tools in the same order. */
export function listTools(options: SurfaceOptions) {
	return { tools: options.registry.list(options.offer()) };
}

export function listResourceTemplates(options: SurfaceOptions) {
	return {
		resourceTemplates: options.registry.resources(options.offer()).map((spec) => ({ name: spec.name, uriTemplate: spec.uriTemplate, title: spec.title, description: spec.description })),
	};
}

/** Listed resources as `host` sees them: a session's host holds its own background commands and audit records. */
export async function listResources(options: SurfaceOptions, host: Host, signal: AbortSignal) {
	const limit = options.resourceListLimit ?? 1000;
	const resources = [];
	for (const spec of options.registry.resources(options.offer())) {
		if (!spec.list || resources.length >= limit) continue;
		for (const listed of await spec.list(host, limit - resources.length, signal)) {
			resources.push({ title: spec.title, description: spec.description, ...listed });
		}
	}
	return { resources };
}

export function listPrompts(options: SurfaceOptions) {
	return {
		prompts: options.registry.prompts(options.offer()).map((spec) => ({
			name: spec.name,
			title: spec.title,
			description: spec.description,
			arguments: spec.arguments.map((argument) => ({ name: argument.name, description: argument.description, required: argument.required ?? false })),
		})),
	};
}

export interface CompletionRequest {
	readonly ref: { readonly type: string; readonly uri?: string; readonly name?: string };
	readonly argument: { readonly name: string; readonly value: string };
	/** The values of the other arguments, already chosen. */
	readonly arguments?: Readonly<Record<string, string>>;
}

/**
 * Argument completions for prompts and resource templates, as `host` sees them. An unknown prompt or argument has no
 * values rather than an error (clients ask as the user types; the official conformance suite asks about a prompt we
 * do not have and expects an empty list); a resource template we do not offer is invalid params.
 */
export async function complete(options: SurfaceOptions, host: Host, request: CompletionRequest, signal: AbortSignal): Promise<CompleteResult> {
	const { ref, argument } = request;
	const completeFrom = async (completer: Completer | undefined) => completer
		? completer({ value: argument.value, arguments: request.arguments ?? {}, host, signal })
		: [];
	let values: readonly string[];
	if (ref.type === 'ref/prompt') {
		const spec = options.registry.prompts(options.offer()).find((candidate) => candidate.name === ref.name);
		const source = spec?.arguments.find((candidate) => candidate.name === argument.name)?.complete;
		values = await completeFrom(source ? options.registry.completers[source] : undefined);
	} else if (ref.type === 'ref/resource') {
		const spec = options.registry.resources(options.offer()).find((candidate) => candidate.uriTemplate === ref.uri);
		if (!spec) throw new McpError(ErrorCode.InvalidParams, `Resource template ${String(ref.uri)} not found`);
		const own = spec.complete && Object.hasOwn(spec.complete, argument.name) ? spec.complete[argument.name] : undefined;
		const source = spec.completeWith && Object.hasOwn(spec.completeWith, argument.name) ? spec.completeWith[argument.name] : undefined;
		values = own ? own(argument.value, host) : await completeFrom(source ? options.registry.completers[source] : undefined);
	} else {
		values = [];
	}
	return { completion: { values: values.slice(0, MAX_COMPLETIONS), total: values.length, hasMore: values.length > MAX_COMPLETIONS } };
}

/** A tools/call through the gate, as MCP's result. */
export async function callTool(options: SurfaceOptions, origin: CallOrigin, tool: string, args: Record<string, unknown> | undefined): Promise<CallToolResult> {
	const answer = await options.gate.call({ ...origin, tool, arguments: args });
	return {
		content: [
			{ type: 'text', text: answer.text },
			// The whole result, for a client that follows links; the text's marker names it for one that does not.
			...(answer.link ? [{ type: 'resource_link' as const, uri: answer.link.uri, name: answer.link.name, mimeType: 'text/plain', size: answer.link.bytes, description: `The whole result, ${answer.link.bytes} bytes in ${answer.link.pages} pages: read ${answer.link.uri}?page=1 to ?page=${answer.link.pages}.` }] : []),
		],
		...(answer.structured !== undefined && !answer.isError ? { structuredContent: answer.structured as Record<string, unknown> } : {}),
		...(answer.isError ? { isError: true } : {}),
	};
}

/** The longest URI an error names in full. */
const MAX_ECHOED_URI = 2048;

/** A resources/read through the gate: its contents, or the JSON-RPC error that says why there are none. */
export async function readResource(options: SurfaceOptions, origin: CallOrigin, uri: string): Promise<{ readonly result: ReadResourceResult } | { readonly error: SurfaceError }> {
	const read = await options.gate.read({ ...origin, uri });
	// An invalid read (no such resource, or a URI no template matches) names the URI, as SEP-2164 asks.
	// A URI of megabytes is not echoed back whole: an answer must not grow with what a client sends.
	if (!read.ok) return { error: read.outcome === 'invalid' ? { code: ErrorCode.InvalidParams, message: read.message, data: { uri: uri.length > MAX_ECHOED_URI ? `${uri.slice(0, MAX_ECHOED_URI)}…` : uri } } : { code: ErrorCode.InternalError, message: read.message } };
	return { result: { contents: [...read.contents] } };
}

/** A prompts/get through the gate: the prompt built from gated reads, or the JSON-RPC error that says why not. */
export async function getPrompt(options: SurfaceOptions, origin: CallOrigin, name: string, args: Record<string, unknown> | undefined): Promise<{ readonly result: GetPromptResult } | { readonly error: SurfaceError }> {
	const answer = await options.gate.prompt({ ...origin, name, arguments: args });
	if (!answer.ok) return { error: { code: answer.outcome === 'invalid' ? ErrorCode.InvalidParams : ErrorCode.InternalError, message: answer.message } };
	return { result: answer.prompt as GetPromptResult };
}
