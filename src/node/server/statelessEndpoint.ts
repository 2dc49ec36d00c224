import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, McpError, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { traceContextOf } from '../../core/audit/traceContext';
import type { Logger } from '../../core/base/log';
import type { CallOrigin } from '../../core/gate/gate';
import type { Icon } from '../../core/tools/icons';
import { checkMessage } from './messageCheck';
import { CLIENT_INFO_META, LEGACY_VERSIONS, MODERN_VERSIONS, PROTOCOL_VERSION_META } from './protocolEra';
import { progressNotification } from './sessionTransport';
import { callTool, complete, getPrompt, listPrompts, listResources, listResourceTemplates, listTools, readResource, type SurfaceError, type SurfaceOptions } from './serverSurface';

const CLIENT_CAPABILITIES_META = 'io.modelcontextprotocol/clientCapabilities';
const SERVER_INFO_META = 'io.modelcontextprotocol/serverInfo';
const SUBSCRIPTION_ID_META = 'io.modelcontextprotocol/subscriptionId';

/** Error codes the 2026-07-28 revision allocates (basic/index, "Error codes"). */
const HEADER_MISMATCH = -32020;
const UNSUPPORTED_PROTOCOL_VERSION = -32022;
/** Implementation-defined "busy, retry", as the session transport answers it. */
const BUSY = -32000;

/**
 * Cache hints (SEP-2549). Every answer is `private`: it is served behind one user's credential and describes that
 * user's workspace, so no shared cache may hand it to anyone else. Freshness follows how the data changes:
 * - discover: capabilities and instructions are fixed for the life of the server (a restart brings a new port, so
 *   nothing cached survives it anyway);
 * - tools and templates: they change only when the user switches families or trust, and listeners hear of that at
 *   once; a client that does not listen learns within a minute;
 * - resources: workspace files change as the user types, so their list and contents are stale at once.
 */
const DISCOVER_TTL_MS = 60 * 60_000;
const LIST_TTL_MS = 60_000;
const RESOURCE_TTL_MS = 0;
/** Requests one credential may have in flight across all its requests, as a session may (sessionTransport.ts). */
const MAX_IN_FLIGHT_PER_CLIENT = 64;
/** Open `subscriptions/listen` streams; each holds a connection, and a client needs one or two. */
const MAX_LISTENERS = 256;
/** A comment line this often keeps idle listen streams from being cut by client or proxy timeouts. */
const KEEP_ALIVE_MS = 25_000;

/** The methods whose `Mcp-Name` header mirrors a body field (SEP-2243), and that field. */
const NAME_FIELDS: Readonly<Record<string, 'name' | 'uri'>> = { 'tools/call': 'name', 'resources/read': 'uri', 'prompts/get': 'name' };

/** What this server answers in 2026-07-28. */
const SERVED = new Set(['server/discover', 'tools/list', 'tools/call', 'resources/list', 'resources/templates/list', 'resources/read', 'prompts/list', 'prompts/get', 'completion/complete', 'subscriptions/listen']);

/** Legacy methods a modern client might still send, with what to do instead. */
const REMOVED: Readonly<Record<string, string>> = {
	initialize: '2026-07-28 has no initialize handshake: send each request with its protocol version in _meta (server/discover tells what the server offers)',
	ping: '2026-07-28 removed ping; server/discover answers as cheaply',
	'logging/setLevel': '2026-07-28 sets the log level per request in _meta["io.modelcontextprotocol/logLevel"]',
	'resources/subscribe': '2026-07-28 replaced resources/subscribe with subscriptions/listen',
	'resources/unsubscribe': '2026-07-28 replaced resources/unsubscribe with closing the subscriptions/listen stream',
};

export interface StatelessEndpointOptions extends SurfaceOptions {
	readonly name: string;
	readonly title: string;
	readonly version: string;
	readonly icons: readonly Icon[];
	readonly instructions?: string;
	readonly log: Logger;
}

interface Listener {
	readonly id: RequestId;
	readonly res: ServerResponse;
	readonly tools: boolean;
	readonly resources: boolean;
	readonly prompts: boolean;
	readonly keepAlive: NodeJS.Timeout;
}

type Params = Record<string, unknown>;

/**
 * The 2026-07-28 era on the same endpoint as the sessions: each POST is one self-contained request, checked (its
 * protocol version, and the Mcp-Method / Mcp-Name headers against the body), answered from the same surface as a
 * session (serverSurface.ts) with cache hints and the server's identity, and forgotten. Gated calls run under the
 * credential that sent them: there is no session, so a credential's requests share what a session would hold (its
 * rate limit, its "for this session" approvals, its background commands).
 */
export class StatelessEndpoint {
	private readonly listeners = new Set<Listener>();
	private readonly inFlight = new Map<string, number>();
	private readonly serverInfo: Params;
	private closed = false;

	constructor(private readonly options: StatelessEndpointOptions) {
		this.serverInfo = { name: options.name, title: options.title, version: options.version, icons: options.icons };
	}

	/** The session id the gate sees for a credential's stateless requests: rate limits, grants and handles are per credential. */
	static sessionOf(client: string): string {
		return `stateless:${client}`;
	}

	get listenerCount(): number {
		return this.listeners.size;
	}

	/** Serves one POST whose body claims a modern revision (protocolEra.ts); `client` is the credential's name. */
	serve(req: IncomingMessage, res: ServerResponse, body: unknown, client: string): void {
		if (typeof body !== 'object' || body === null || Array.isArray(body)) {
			return reject(res, 400, null, ErrorCode.InvalidRequest, 'Invalid Request: a 2026-07-28 POST carries exactly one JSON-RPC message, not a batch');
		}
		const fields = body as Params;
		if (typeof fields.method !== 'string') {
			const checked = checkMessage(body);
			const refusal = 'refusal' in checked ? checked.refusal.error : { code: ErrorCode.InvalidRequest, message: 'Invalid Request: clients send no JSON-RPC responses in 2026-07-28 (the server sends no requests)' };
			return reject(res, 400, null, refusal.code, refusal.message);
		}
		const method = fields.method;
		const id = typeof fields.id === 'string' || (typeof fields.id === 'number' && Number.isSafeInteger(fields.id)) ? fields.id : null;
		if (id === null && Object.hasOwn(fields, 'id')) return reject(res, 400, null, ErrorCode.InvalidRequest, 'Invalid Request: "id" must be a string or an integer');
		const params = isObject(fields.params) ? fields.params : {};
		const meta = isObject(params._meta) ? params._meta : {};
		const version = meta[PROTOCOL_VERSION_META];
		if (typeof version !== 'string') {
			return reject(res, 400, id, ErrorCode.InvalidParams, `Invalid params: a 2026-07-28 request names its protocol version in params._meta["${PROTOCOL_VERSION_META}"]; without it, send initialize first (2025-11-25)`);
		}
		// A notification changes nothing here: on HTTP, closing a response stream is the cancellation.
		if (id === null) {
			res.writeHead(202).end();
			return;
		}
		// Headers first: a header that disagrees with the body is the answer even when the body names a revision we lack.
		const mismatch = headerMismatch(req, method, params, version);
		if (mismatch) return reject(res, 400, id, HEADER_MISMATCH, `Header mismatch: ${mismatch}`);
		if (!MODERN_VERSIONS.includes(version)) {
			// The revisions a request can name here: the session era's are reached through initialize, not this list.
			return reject(res, 400, id, UNSUPPORTED_PROTOCOL_VERSION, `Unsupported protocol version ${version}: this endpoint serves ${MODERN_VERSIONS.join(', ')} per request, and ${LEGACY_VERSIONS[0]} and earlier in sessions opened by initialize`, { supported: [...MODERN_VERSIONS], requested: version });
		}
		if (!isObject(meta[CLIENT_CAPABILITIES_META])) {
			return reject(res, 400, id, ErrorCode.InvalidParams, `Invalid params: a 2026-07-28 request declares its capabilities in params._meta["${CLIENT_CAPABILITIES_META}"] (an object; {} for none)`);
		}
		if (!SERVED.has(method)) {
			// 404 with -32601 (not a 404 page): the client learns this server speaks the revision but not this method.
			return reject(res, 404, id, ErrorCode.MethodNotFound, `Method not found: ${REMOVED[method] ?? `${method} is not served here`}`);
		}
		// Params as the SDK's schemas define them, with the same errors a session gets (messageCheck.ts).
		const checked = checkMessage(body);
		if ('refusal' in checked) return reject(res, 400, id, checked.refusal.error.code, checked.refusal.error.message);

		const count = this.inFlight.get(client) ?? 0;
		if (count >= MAX_IN_FLIGHT_PER_CLIENT) {
			res.setHeader('retry-after', '1');
			return reject(res, 429, id, BUSY, `Server busy: this client already has ${MAX_IN_FLIGHT_PER_CLIENT} requests in flight, the most it runs at once. Wait for one of their answers, then send this request again.`);
		}
		if (method === 'subscriptions/listen') return this.listen(req, res, id, params);
		this.inFlight.set(client, count + 1);
		const reply = new Reply(res, (req.headers.accept ?? '').includes('text/event-stream'));
		this.answer(method, params, meta, client, reply).then(
			(answer) => reply.finish(id, 'error' in answer ? { error: answer.error } : { result: this.stamp(answer.result) }),
			(error: unknown) => reply.finish(id, { error: error instanceof McpError ? { code: error.code, message: error.message } : { code: ErrorCode.InternalError, message: error instanceof Error ? error.message : String(error) } }),
		).finally(() => {
			const left = (this.inFlight.get(client) ?? 1) - 1;
			if (left > 0) this.inFlight.set(client, left);
			else this.inFlight.delete(client);
		});
	}

	/** Tells the listeners that asked for it that a list changed. */
	notify(list: 'tools' | 'resources' | 'prompts'): void {
		for (const listener of this.listeners) {
			if (!listener[list]) continue;
			writeEvent(listener.res, { jsonrpc: '2.0', method: `notifications/${list}/list_changed`, params: { _meta: { [SUBSCRIPTION_ID_META]: listener.id } } });
		}
	}

	/** Ends every listen stream gracefully: the listen request's own result, then the end of the stream. */
	close(): void {
		this.closed = true;
		for (const listener of [...this.listeners]) {
			writeEvent(listener.res, { jsonrpc: '2.0', id: listener.id, result: { resultType: 'complete', _meta: { [SUBSCRIPTION_ID_META]: listener.id } } });
			listener.res.end();
			this.drop(listener);
		}
	}

	private async answer(method: string, params: Params, meta: Params, client: string, reply: Reply): Promise<{ result: Params } | { error: SurfaceError }> {
		const options = this.options;
		switch (method) {
			case 'server/discover':
				return { result: { supportedVersions: [...MODERN_VERSIONS], capabilities: this.capabilities(), ...(options.instructions ? { instructions: options.instructions } : {}), ...cache(DISCOVER_TTL_MS) } };
			case 'tools/list':
				return { result: { ...listTools(options), ...cache(LIST_TTL_MS) } };
			case 'resources/templates/list':
				return { result: { ...listResourceTemplates(options), ...cache(LIST_TTL_MS) } };
			case 'resources/list':
				return { result: { ...(await listResources(options, this.hostOf(client), reply.signal)), ...cache(RESOURCE_TTL_MS) } };
			case 'prompts/list':
				return { result: { ...listPrompts(options), ...cache(LIST_TTL_MS) } };
			case 'prompts/get': {
				if (typeof params.name !== 'string') return invalid('prompts/get needs params.name, the prompt\'s name as a string (see prompts/list)');
				if (params.arguments !== undefined && !isObject(params.arguments)) return invalid('params.arguments must be an object of named arguments');
				const prompt = await getPrompt(options, this.origin(meta, client, reply), params.name, params.arguments);
				return 'error' in prompt ? prompt : { result: { ...prompt.result } };
			}
			case 'completion/complete': {
				const { ref, argument, context } = params as { ref: { type: string; uri?: string; name?: string }; argument: { name: string; value: string }; context?: { arguments?: Record<string, string> } };
				return { result: { ...(await complete(options, this.hostOf(client), { ref, argument, ...(context?.arguments ? { arguments: context.arguments } : {}) }, reply.signal)) } };
			}
			case 'tools/call': {
				if (typeof params.name !== 'string') return invalid('tools/call needs params.name, the tool\'s name as a string (see tools/list)');
				if (params.arguments !== undefined && !isObject(params.arguments)) return invalid('params.arguments must be an object of named arguments');
				return { result: { ...(await callTool(options, this.origin(meta, client, reply), params.name, params.arguments)) } };
			}
			case 'resources/read': {
				if (typeof params.uri !== 'string') return invalid('resources/read needs params.uri, the resource\'s URI as a string (see resources/list)');
				const read = await readResource(options, this.origin(meta, client, reply), params.uri);
				return 'error' in read ? read : { result: { ...read.result, ...cache(RESOURCE_TTL_MS) } };
			}
			default:
				return { error: { code: ErrorCode.MethodNotFound, message: `Method not found: ${method} is not served here` } };
		}
	}

	/** What the session era declares, less what 2026-07-28 removed (logging/setLevel) or moved (change notifications: listen). */
	private capabilities(): Params {
		return { tools: { listChanged: true }, resources: { listChanged: true }, prompts: { listChanged: true }, completions: {} };
	}

	/** The host as this credential's requests see it (its own background commands and audit records). */
	private hostOf(client: string) {
		return this.options.gate.hostFor({ sessionId: StatelessEndpoint.sessionOf(client), client: { name: client, version: '' } });
	}

	private origin(meta: Params, client: string, reply: Reply): CallOrigin {
		const info = isObject(meta[CLIENT_INFO_META]) ? meta[CLIENT_INFO_META] : {};
		const says = typeof info.name === 'string' && info.name !== client ? { says: info.name } : {};
		const token = meta.progressToken;
		const trace = traceContextOf(meta);
		return {
			sessionId: StatelessEndpoint.sessionOf(client),
			client: { name: client, version: typeof info.version === 'string' ? info.version : '', ...says },
			signal: reply.signal,
			...(typeof token === 'string' || typeof token === 'number' ? { sendProgress: (progress: number, total?: number, text?: string) => reply.notify({ jsonrpc: '2.0', ...progressNotification(token, progress, total, text) }) } : {}),
			...(trace ? { trace } : {}),
		};
	}

	/** Every result says it is complete (no input is ever required here) and who answered (SEP-2575). */
	private stamp(result: Params): Params {
		const meta = isObject(result._meta) ? result._meta : {};
		return { ...result, resultType: 'complete', _meta: { ...meta, [SERVER_INFO_META]: this.serverInfo } };
	}

	private listen(req: IncomingMessage, res: ServerResponse, id: RequestId, params: Params): void {
		if (!(req.headers.accept ?? '').includes('text/event-stream')) {
			return reject(res, 406, id, BUSY, 'Not Acceptable: subscriptions/listen answers with an event stream; Accept must include text/event-stream');
		}
		if (this.closed) return reject(res, 503, id, BUSY, 'The server is stopping: listen again once it has restarted');
		if (this.listeners.size >= MAX_LISTENERS) {
			res.setHeader('retry-after', '5');
			return reject(res, 429, id, BUSY, `Server busy: ${MAX_LISTENERS} subscriptions are open, the most it keeps. Close subscriptions you no longer read, then listen again.`);
		}
		const asked = isObject(params.notifications) ? params.notifications : {};
		// Only what is honoured is acknowledged: list changes, not resource updates (2026 has no per-URI watch here).
		const honoured = {
			...(asked.toolsListChanged === true ? { toolsListChanged: true } : {}),
			...(asked.resourcesListChanged === true ? { resourcesListChanged: true } : {}),
			...(asked.promptsListChanged === true ? { promptsListChanged: true } : {}),
		};
		res.writeHead(200, sseHeaders());
		const listener: Listener = {
			id,
			res,
			tools: asked.toolsListChanged === true,
			resources: asked.resourcesListChanged === true,
			prompts: asked.promptsListChanged === true,
			keepAlive: setInterval(() => res.write(':\n\n'), KEEP_ALIVE_MS),
		};
		listener.keepAlive.unref();
		this.listeners.add(listener);
		res.on('close', () => this.drop(listener));
		writeEvent(res, { jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { _meta: { [SUBSCRIPTION_ID_META]: id }, notifications: honoured } });
	}

	private drop(listener: Listener): void {
		clearInterval(listener.keepAlive);
		this.listeners.delete(listener);
	}
}

/**
 * The answer to one request: a JSON body, or an SSE stream once something tied to the request (progress) must go out
 * before the result. Closing the response is the client's cancellation (2026-07-28 has no notifications/cancelled on
 * HTTP): the call's signal aborts and nothing more is written.
 */
class Reply {
	private readonly controller = new AbortController();
	private streaming = false;

	constructor(
		private readonly res: ServerResponse,
		private readonly canStream: boolean,
	) {
		res.on('close', () => {
			if (!res.writableFinished) this.controller.abort(new Error('the client closed the request\'s response'));
		});
	}

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	notify(message: JSONRPCMessage): void {
		if (!this.canStream || this.signal.aborted || this.res.writableEnded) return;
		if (!this.streaming) {
			this.streaming = true;
			this.res.writeHead(200, sseHeaders());
		}
		writeEvent(this.res, message);
	}

	finish(id: RequestId, answer: { result: Params } | { error: SurfaceError }): void {
		if (this.signal.aborted || this.res.writableEnded) return;
		const message = { jsonrpc: '2.0', id, ...answer };
		if (this.streaming) {
			writeEvent(this.res, message);
			this.res.end();
			return;
		}
		// In-band errors are HTTP 200: the JSON-RPC error is the payload (only the validation ladder uses 4xx).
		send(this.res, 200, message);
	}
}

/** Why the headers disagree with the body (SEP-2243), or undefined when they agree. */
function headerMismatch(req: IncomingMessage, method: string, params: Params, version: string): string | undefined {
	const versionHeader = req.headers['mcp-protocol-version'];
	if (versionHeader === undefined) return 'the MCP-Protocol-Version header is required';
	if (versionHeader !== version) return `MCP-Protocol-Version header '${String(versionHeader)}' does not match the body's protocol version '${version}'`;
	const methodHeader = req.headers['mcp-method'];
	if (methodHeader === undefined) return 'the Mcp-Method header is required';
	if (methodHeader !== method) return `Mcp-Method header '${String(methodHeader)}' does not match the body's method '${method}'`;
	const field = NAME_FIELDS[method];
	if (!field) return undefined;
	const nameHeader = req.headers['mcp-name'];
	if (typeof nameHeader !== 'string') return `the Mcp-Name header is required for ${method} (the value of params.${field})`;
	const name = decodeHeaderValue(nameHeader);
	if (name === undefined) return 'the Mcp-Name header\'s =?base64?…?= value is not valid Base64';
	if (name !== params[field]) return `Mcp-Name header value '${name}' does not match params.${field} '${String(params[field])}'`;
	return undefined;
}

/** A header value as sent, or its decoded text when it uses the `=?base64?…?=` sentinel. */
function decodeHeaderValue(value: string): string | undefined {
	if (!value.startsWith('=?base64?') || !value.endsWith('?=')) return value;
	const encoded = value.slice('=?base64?'.length, -'?='.length);
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
	return Buffer.from(encoded, 'base64').toString('utf8');
}

function invalid(problem: string): { error: SurfaceError } {
	return { error: { code: ErrorCode.InvalidParams, message: `Invalid params: ${problem}` } };
}

function cache(ttlMs: number): { ttlMs: number; cacheScope: 'private' } {
	return { ttlMs, cacheScope: 'private' };
}

function isObject(value: unknown): value is Params {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sseHeaders(): Record<string, string> {
	return { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' };
}

function writeEvent(res: ServerResponse, message: unknown): void {
	if (!res.writableEnded) res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
}

function send(res: ServerResponse, status: number, message: unknown): void {
	const body = JSON.stringify(message);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

function reject(res: ServerResponse, status: number, id: RequestId | null, code: number, message: string, data?: unknown): void {
	send(res, status, { jsonrpc: '2.0', id, error: { code, message, ...(data === undefined ? {} : { data }) } });
}
