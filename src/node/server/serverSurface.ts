import { ErrorCode, McpError, type CallToolResult, type CompleteResult, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { CallOrigin, Gate } from '../../core/gate/gate';
import type { Host } from '../../core/host/host';
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

export async function listResources(options: SurfaceOptions, signal: AbortSignal) {
	const limit = options.resourceListLimit ?? 1000;
	const resources = [];
	for (const spec of options.registry.resources(options.offer())) {
		if (!spec.list || resources.length >= limit) continue;
		for (const listed of await spec.list(options.host, limit - resources.length, signal)) {
			resources.push({ title: spec.title, description: spec.description, ...listed });
		}
	}
	return { resources };
}

/** Argument completions for resource templates; throws McpError (invalid params) for a template we do not offer. */
export function complete(options: SurfaceOptions, ref: { type: string; uri?: string }, argument: { name: string; value: string }): CompleteResult {
	if (ref.type !== 'ref/resource') return { completion: { values: [], hasMore: false } };
	const spec = options.registry.resources(options.offer()).find((candidate) => candidate.uriTemplate === ref.uri);
	if (!spec) throw new McpError(ErrorCode.InvalidParams, `Resource template ${String(ref.uri)} not found`);
	const completer = spec.complete && Object.hasOwn(spec.complete, argument.name) ? spec.complete[argument.name] : undefined;
	const values = completer?.(argument.value, options.host) ?? [];
	// The protocol caps completions at 100 values.
	return { completion: { values: values.slice(0, 100), total: values.length, hasMore: values.length > 100 } };
}

/** A tools/call through the gate, as MCP's result. */
export async function callTool(options: SurfaceOptions, origin: CallOrigin, tool: string, args: Record<string, unknown> | undefined): Promise<CallToolResult> {
	const answer = await options.gate.call({ ...origin, tool, arguments: args });
	return {
		content: [{ type: 'text', text: answer.text }],
		...(answer.structured !== undefined && !answer.isError ? { structuredContent: answer.structured as Record<string, unknown> } : {}),
		...(answer.isError ? { isError: true } : {}),
	};
}

/** A resources/read through the gate: its contents, or the JSON-RPC error that says why there are none. */
export async function readResource(options: SurfaceOptions, origin: CallOrigin, uri: string): Promise<{ readonly result: ReadResourceResult } | { readonly error: SurfaceError }> {
	const read = await options.gate.read({ ...origin, uri });
	// An invalid read (no such resource, or a URI no template matches) names the URI, as SEP-2164 asks.
	if (!read.ok) return { error: read.outcome === 'invalid' ? { code: ErrorCode.InvalidParams, message: read.message, data: { uri } } : { code: ErrorCode.InternalError, message: read.message } };
	return { result: { contents: [...read.contents] } };
}
