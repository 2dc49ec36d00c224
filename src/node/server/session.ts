import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Gate } from '../../core/gate/gate';
import type { OfferContext, ToolRegistry } from '../../core/tools/toolRegistry';
import { progressNotification, SessionTransport, type DirectCallHandler } from './sessionTransport';

export interface SessionServerOptions {
	readonly name: string;
	readonly version: string;
	readonly registry: ToolRegistry;
	readonly gate: Gate;
	readonly offer: () => OfferContext;
	readonly instructions?: string;
	/** Adds resources or prompts to each session's server (the files family's workspace resources). */
	readonly extend?: (server: McpServer) => void;
}

/**
 * Builds one McpServer for one client session (the SDK binds a server to one transport). Tools are not registered
 * with the SDK one by one: tools/list and tools/call go straight to the registry and the gate, so validation,
 * policy and audit happen in exactly one place for every session.
 */
export async function connectSessionServer(options: SessionServerOptions, transport: Transport & { sessionId?: string }): Promise<McpServer> {
	const server = new McpServer(
		{ name: options.name, version: options.version, title: 'MCP Workbench' },
		{ capabilities: { tools: { listChanged: true }, logging: {} }, ...(options.instructions ? { instructions: options.instructions } : {}) },
	);
	options.extend?.(server);
	server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: options.registry.list(options.offer()) }));
	const callTool: DirectCallHandler = async (params, context) => {
		const client = server.server.getClientVersion();
		const result = await options.gate.call({
			tool: params.name,
			arguments: params.arguments,
			sessionId: transport.sessionId ?? 'unknown',
			client: { name: client?.name ?? 'unknown', version: client?.version ?? '' },
			signal: context.signal,
			...(context.sendProgress ? { sendProgress: context.sendProgress } : {}),
		});
		return {
			content: [{ type: 'text', text: result.text }],
			...(result.structured !== undefined && !result.isError ? { structuredContent: result.structured as Record<string, unknown> } : {}),
			...(result.isError ? { isError: true } : {}),
		};
	};
	// Our own transport answers well-formed tools/call itself; the SDK handler serves any other transport.
	if (transport instanceof SessionTransport) {
		transport.directCalls = callTool;
	}
	server.server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
		const progressToken = request.params._meta?.progressToken;
		return callTool({ name: request.params.name, ...(request.params.arguments ? { arguments: request.params.arguments } : {}), ...(progressToken === undefined ? {} : { progressToken }) }, {
			signal: extra.signal,
			...(progressToken === undefined
				? {}
				: {
					sendProgress: (progress: number, total?: number, message?: string) => {
						void extra
							.sendNotification(progressNotification(progressToken, progress, total, message))
							.catch(() => undefined);
					},
				}),
		});
	});
	await server.connect(transport);
	return server;
}
