import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CompleteRequestSchema, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { Gate } from '../../core/gate/gate';
import type { Host } from '../../core/host/host';
import type { OfferContext, ToolRegistry } from '../../core/tools/toolRegistry';
import { SERVER_ICONS } from '../../core/tools/icons';
import { callTool, complete, listResources, listResourceTemplates, listTools, readResource } from './serverSurface';
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
		{ name: options.name, version: options.version, title: 'MCP Workbench', icons: SERVER_ICONS.map((icon) => ({ ...icon, sizes: [...icon.sizes] })) },
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
			...(context.trace ? { trace: context.trace } : {}),
		};
		if (request.method === 'resources/read') return readResource(options, origin, request.uri);
		return { result: await callTool(options, origin, request.name, request.arguments) };
	};
	const transport = new SessionTransport(route);

	server.setRequestHandler(ListToolsRequestSchema, () => listTools(options));
	server.setRequestHandler(ListResourceTemplatesRequestSchema, () => listResourceTemplates(options));
	server.setRequestHandler(ListResourcesRequestSchema, (_request, extra) => listResources(options, extra.signal));
	server.setRequestHandler(CompleteRequestSchema, (request) => complete(options, request.params.ref, request.params.argument));
	await server.connect(transport);
	return { transport, server, close: () => server.close() };
}
