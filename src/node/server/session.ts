import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
	CompleteRequestSchema, ErrorCode, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema, McpError,
	type CallToolResult, type ReadResourceResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { Gate } from '../../core/gate/gate';
import type { Host } from '../../core/host/host';
import type { OfferContext, ToolRegistry } from '../../core/tools/toolRegistry';
import { SessionTransport, type GatedRoute } from './sessionTransport';

export interface SessionOptions {
	readonly name: string;
	/** The name of the credential that opened the session: who the calls are from, whatever the client declares. */
	readonly client: string;
	readonly version: string;
	readonly registry: ToolRegistry;
	readonly gate: Gate;
	readonly host: Host;
	readonly offer: () => OfferContext;
	readonly instructions?: string;
	/** Most resources resources/list returns. */
	readonly resourceListLimit?: number;
	/**
	 * Shared by every session: the SDK builds an Ajv instance per server otherwise, which was most of what opening a
	 * session cost (time and memory), for elicitation schemas we never send.
	 */
	readonly schemaValidator?: jsonSchemaValidator;
}

export interface Session {
	readonly transport: SessionTransport;
	readonly server: Server;
	close(): Promise<void>;
}

/**
 * One client session: the SDK's protocol server for the conversation (initialize, ping, the lists, completion,
 * logging) and our transport, which answers the calls that pass the gate (tools/call, resources/read) on its own
 * single path. Tools and resources come from the registry, so every session offers the same.
 */
export async function openSession(options: SessionOptions): Promise<Session> {
	const server = new Server(
		{ name: options.name, version: options.version, title: 'MCP Workbench' },
		{
			capabilities: { tools: { listChanged: true }, resources: { listChanged: true }, completions: {}, logging: {} },
			...(options.instructions ? { instructions: options.instructions } : {}),
			...(options.schemaValidator ? { jsonSchemaValidator: options.schemaValidator } : {}),
		},
	);
	const route: GatedRoute = async (request, context) => {
		const peer = server.getClientVersion();
		// The declared name is the client's own words: kept beside the credential's name, never instead of it.
		const says = peer?.name !== undefined && peer.name !== options.client ? { says: peer.name } : {};
		const origin = {
			sessionId: transport.sessionId,
			client: { name: options.client, version: peer?.version ?? '', ...says },
			signal: context.signal,
			...(context.sendProgress ? { sendProgress: context.sendProgress } : {}),
		};
		if (request.method === 'resources/read') {
			const read = await options.gate.read({ ...origin, uri: request.uri });
			if (!read.ok) return { error: { code: read.outcome === 'invalid' ? ErrorCode.InvalidParams : ErrorCode.InternalError, message: read.message } };
			return { result: { contents: [...read.contents] } satisfies ReadResourceResult };
		}
		const answer = await options.gate.call({ ...origin, tool: request.name, arguments: request.arguments });
		const result: CallToolResult = {
			content: [{ type: 'text', text: answer.text }],
			...(answer.structured !== undefined && !answer.isError ? { structuredContent: answer.structured as Record<string, unknown> } : {}),
			...(answer.isError ? { isError: true } : {}),
		};
		return { result };
	};
	const transport = new SessionTransport(route);

	server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: options.registry.list(options.offer()) }));
	server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
		resourceTemplates: options.registry.resources(options.offer()).map((spec) => ({ name: spec.name, uriTemplate: spec.uriTemplate, title: spec.title, description: spec.description })),
	}));
	server.setRequestHandler(ListResourcesRequestSchema, async (_request, extra) => {
		const limit = options.resourceListLimit ?? 1000;
		const resources = [];
		for (const spec of options.registry.resources(options.offer())) {
			if (!spec.list || resources.length >= limit) continue;
			for (const listed of await spec.list(options.host, limit - resources.length, extra.signal)) {
				resources.push({ title: spec.title, description: spec.description, ...listed });
			}
		}
		return { resources };
	});
	server.setRequestHandler(CompleteRequestSchema, (request) => {
		const { ref, argument } = request.params;
		if (ref.type !== 'ref/resource') return { completion: { values: [], hasMore: false } };
		const spec = options.registry.resources(options.offer()).find((candidate) => candidate.uriTemplate === ref.uri);
		if (!spec) throw new McpError(ErrorCode.InvalidParams, `Resource template ${ref.uri} not found`);
		const complete = spec.complete && Object.hasOwn(spec.complete, argument.name) ? spec.complete[argument.name] : undefined;
		const values = complete?.(argument.value, options.host) ?? [];
		// The protocol caps completions at 100 values.
		return { completion: { values: values.slice(0, 100), total: values.length, hasMore: values.length > 100 } };
	});
	await server.connect(transport);
	return { transport, server, close: () => server.close() };
}
