import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
	CompleteRequestSchema, ErrorCode, ListPromptsRequestSchema, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema, McpError,
	SubscribeRequestSchema, UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { AuditRecord } from '../../core/audit/auditRecord';
import type { Disposable } from '../../core/base/disposable';
import type { Event } from '../../core/base/event';
import type { Gate } from '../../core/gate/gate';
import type { Host } from '../../core/host/host';
import type { OfferContext, ToolRegistry } from '../../core/tools/toolRegistry';
import { SERVER_ICONS } from '../../core/tools/icons';
import { callTool, complete, getPrompt, listPrompts, listResources, listResourceTemplates, listTools, readResource } from './serverSurface';
import { SessionTransport, type GatedRoute } from './sessionTransport';

/** Subscriptions one session may hold: each is a map entry and maybe a timer. */
const MAX_SUBSCRIPTIONS = 1000;

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
	/**
	 * Fires once per call, read or prompt the gate finished (its audit record): when listed resources (a new
	 * background command, a task run) may have changed.
	 */
	readonly onDidRecord?: Event<AuditRecord>;
	/** Told the method of each request the client sends. */
	readonly onRequest?: (method: string) => void;
}

/** Tools whose calls can take minutes (a build, a test run, a fetch over a slow network, a search of a huge tree). */
const LONG_CALLS = new Set(['run_command', 'run_task', 'search_text', 'git_fetch', 'git_pull', 'git_push']);

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
			// Tasks (2025-11-25): tools/call may be sent as a task, and tasks listed and cancelled (see SessionTransport).
			capabilities: { tools: { listChanged: true }, resources: { listChanged: true, subscribe: true }, prompts: { listChanged: true }, completions: {}, logging: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
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
			detached: context.detached,
			...(context.sendProgress ? { sendProgress: context.sendProgress } : {}),
			...(context.trace ? { trace: context.trace } : {}),
		};
		if (request.method === 'prompts/get') return getPrompt(options, origin, request.name, request.arguments);
		if (request.method === 'resources/read') return readResource(options, origin, request.uri);
		return { result: await callTool(options, origin, request.name, request.arguments) };
	};
	const transport = new SessionTransport(route);
	if (options.onRequest) transport.onRequest = options.onRequest;
	// The host as this session's calls see it: its own background commands and audit records.
	const sessionHost = (): Host => options.gate.hostFor({ sessionId: transport.sessionId, client: { name: options.client, version: server.getClientVersion()?.version ?? '' } });

	// The calls that can take minutes are offered as tasks to clients that use them; any call sent as a task runs as one.
	server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listTools(options).tools.map((tool) => (LONG_CALLS.has(tool.name) ? { ...tool, execution: { taskSupport: 'optional' as const } } : tool)) }));
	server.setRequestHandler(ListResourceTemplatesRequestSchema, () => listResourceTemplates(options));
	server.setRequestHandler(ListPromptsRequestSchema, () => listPrompts(options));
	server.setRequestHandler(ListResourcesRequestSchema, (_request, extra) => listResources(options, sessionHost(), extra.signal));
	server.setRequestHandler(CompleteRequestSchema, (request, extra) => complete(options, sessionHost(), {
		ref: request.params.ref,
		argument: request.params.argument,
		...(request.params.context?.arguments ? { arguments: request.params.context.arguments } : {}),
	}, extra.signal));

	// Subscriptions: watched until unsubscribed or the session ends. Subscribing reveals nothing (the read that follows
	// passes the gate), so any URI is accepted, as the spec's subscribe and the conformance suite expect; only one a
	// template matches, of a family offered now and with a watch, is ever notified.
	const watches = new Map<string, Disposable | undefined>();
	server.setRequestHandler(SubscribeRequestSchema, (request) => {
		const { uri } = request.params;
		if (watches.has(uri)) return {};
		if (watches.size >= MAX_SUBSCRIPTIONS) {
			throw new McpError(ErrorCode.InvalidParams, `This session already has ${MAX_SUBSCRIPTIONS} subscriptions, the most it keeps; unsubscribe from some first.`);
		}
		const found = options.registry.resourceFor(uri);
		const offered = found && options.registry.resources(options.offer()).includes(found.spec);
		watches.set(uri, offered ? found.spec.watch?.(found.variables, sessionHost(), () => {
			void server.sendResourceUpdated({ uri }).catch(() => undefined);
		}) : undefined);
		return {};
	});
	server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
		watches.get(request.params.uri)?.dispose();
		watches.delete(request.params.uri);
		return {};
	});

	// Listed resources that come and go (background commands, task runs): compared after every gated request.
	let listKeys: string | undefined;
	const currentListKeys = () => {
		const host = sessionHost();
		return options.registry.resources(options.offer()).map((spec) => spec.listKey?.(host) ?? '').join('\0');
	};
	const recorded = options.onDidRecord?.(() => {
		if (!server.transport) return;
		const keys = currentListKeys();
		if (listKeys !== undefined && keys !== listKeys) void server.sendResourceListChanged().catch(() => undefined);
		listKeys = keys;
	});
	listKeys = currentListKeys();

	await server.connect(transport);
	return {
		transport,
		server,
		close: () => {
			recorded?.dispose();
			for (const watch of watches.values()) watch?.dispose();
			watches.clear();
			return server.close();
		},
	};
}
