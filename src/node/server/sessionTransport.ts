import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId, Result } from '@modelcontextprotocol/sdk/types.js';
import { traceContextOf, type TraceContext } from '../../core/audit/traceContext';
import { Withdrawn } from '../../core/gate/withdrawal';
import { CallTasks, INVALID_PARAMS } from '../../core/server/callTasks';
import type { ErrorAnswer } from './messageCheck';

/** The requests that pass the gate. Every other message goes to the session's SDK server (initialize, lists, completion, ping). */
export type GatedRequest =
	| { readonly method: 'tools/call'; readonly name: string; readonly arguments?: Record<string, unknown> }
	| { readonly method: 'resources/read'; readonly uri: string }
	| { readonly method: 'prompts/get'; readonly name: string; readonly arguments?: Record<string, unknown> };

export interface GatedContext {
	/** Aborted by the client's notifications/cancelled, or when the session closes; the reason is a Withdrawn. */
	readonly signal: AbortSignal;
	/** Aborted when the connection that would carry the answer closed: nobody can receive it any more. */
	readonly detached: AbortSignal;
	/** Present when the client sent a progress token. */
	readonly sendProgress?: (progress: number, total?: number, message?: string) => void;
	/** The W3C trace context the request carried in `_meta`, for the audit. */
	readonly trace?: TraceContext;
}

/** A JSON-RPC error the route answers with (a resource that cannot be read, say). */
export interface RouteError {
	readonly code: number;
	readonly message: string;
	readonly data?: unknown;
}

/** Answers one gated request with its result, or with a JSON-RPC error. */
export type GatedRoute = (request: GatedRequest, context: GatedContext) => Promise<{ readonly result: Result } | { readonly error: RouteError }>;

/**
 * Requests one session may have in flight. Agents run a handful of tools in parallel (VS Code's agent mode a few,
 * subagents a few more) and calls waiting for approval count too; 64 leaves room for that, while the answers one
 * session can make the server hold stay within 64 times the result budget (64 KB by default): 4 MB.
 */
const MAX_IN_FLIGHT_PER_SESSION = 64;
/** The JSON-RPC error code of a "busy, retry" refusal (the server-error range JSON-RPC leaves to implementations). */
const BUSY = -32000;
/**
 * How long closing a session waits for the calls it stops to answer: a card closes at once, a command is stopped
 * (SIGTERM, then SIGKILL) within about two seconds. Their clients then read why, rather than a bare error.
 */
const CLOSE_GRACE_MS = 3000;

/**
 * One MCP session over Streamable HTTP. The SDK's own server transport converts every request to web streams and
 * back, which costs several times a raw round trip; this one writes straight to node's response objects and keeps
 * the protocol: plain JSON answers when the client accepts them, upgraded to an SSE stream as soon as the server
 * sends something tied to a request still in flight (progress, elicitation), and a GET stream for the rest.
 */
export class SessionTransport implements Transport {
	readonly sessionId = randomUUID();
	onclose?: () => void;
	onerror?: (error: Error) => void;
	onmessage?: (message: JSONRPCMessage) => void;

	private readonly exchanges = new Map<RequestId, Exchange>();
	private readonly running = new Map<RequestId, { readonly controller: AbortController; readonly detach: AbortController; readonly answered: Promise<void> }>();
	private stream: ServerResponse | undefined;
	/** tools/call sent as tasks (2025-11-25 `params.task`): they run on after their POST is answered. */
	private readonly tasks = new CallTasks();
	private closed = false;
	/** Closing: no new requests, while stopped calls still answer. */
	private closing = false;
	/** Last time a request arrived or a stream was open; idle sessions are closed by the server. */
	lastActivity = Date.now();
	/** Told the method of each request that arrives (what a client asked for, counted per credential by the server). */
	onRequest?: (method: string) => void;

	/**
	 * `route` answers the gated requests (tools/call, resources/read, prompts/get): their one path, with progress and cancellation
	 * here. They never reach the SDK's protocol layer, which would cost more than the rest of a call (per-message
	 * schema parsing, per-request closures) and would be a second path to keep equal to this one.
	 */
	constructor(
		private readonly route: GatedRoute,
		private readonly maxInFlight = MAX_IN_FLIGHT_PER_SESSION,
	) {}

	/** Requests awaiting an answer, and gated calls still running after their client went away. */
	get inFlight(): number {
		let count = this.exchanges.size;
		for (const id of this.running.keys()) if (!this.exchanges.has(id)) count++;
		return count;
	}

	async start(): Promise<void> {
		// Nothing to open: the HTTP server owns the sockets and hands requests over.
	}

	get busy(): boolean {
		return this.exchanges.size > 0 || this.stream !== undefined || this.tasks.working(this.sessionId);
	}

	/**
	 * Delivers a POST body: the messages that passed the SDK's schemas, and the answers already decided for those that
	 * did not (`refusals`). Requests are answered on `res`; a body of only notifications gets 202 at once.
	 */
	receive(messages: readonly JSONRPCMessage[], res: ServerResponse, acceptsSse: boolean, acceptsJson: boolean, refusals: readonly ErrorAnswer[] = []): void {
		this.lastActivity = Date.now();
		// Answers are routed by id: an id already in flight (or twice in one batch) would take another request's answer
		// and leave that request's POST waiting forever. Such a request is refused at once, on its own POST.
		const requestIds: RequestId[] = [];
		const refused: Outgoing[] = [...refusals];
		const skipped = new Set<JSONRPCMessage>();
		let inFlight = this.inFlight;
		for (const message of messages.filter(isRequest)) {
			this.onRequest?.(message.method);
			if (requestIds.includes(message.id) || this.exchanges.has(message.id) || this.running.has(message.id)) {
				skipped.add(message);
				refused.push({ jsonrpc: '2.0', id: message.id, error: { code: -32600, message: `Invalid Request: the id ${JSON.stringify(message.id)} belongs to a request still in flight; send each request with a new id.` } });
			} else if (inFlight >= this.maxInFlight) {
				// Every request in flight holds its answer in memory until it is read: a client cannot have more at once.
				skipped.add(message);
				refused.push({ jsonrpc: '2.0', id: message.id, error: { code: BUSY, message: `Server busy: this session already has ${this.maxInFlight} requests in flight, the most it runs at once. Wait for one of their answers, then send this request again.` } });
			} else {
				requestIds.push(message.id);
				inFlight++;
			}
		}
		if (requestIds.length === 0 && refused.length === 0) {
			res.writeHead(202, { 'mcp-session-id': this.sessionId }).end();
		} else {
			const exchange = new Exchange(res, requestIds, acceptsSse && !acceptsJson, acceptsSse, this.sessionId, requestIds.length + refused.length > 1);
			for (const id of requestIds) this.exchanges.set(id, exchange);
			res.on('close', () => {
				// A dropped connection is not a cancellation (the spec says so): what runs finishes. But its answers have
				// nowhere to go (no resumable streams here), so a call still waiting for approval is withdrawn.
				for (const id of exchange.waiting) {
					if (this.exchanges.get(id) !== exchange) continue;
					this.exchanges.delete(id);
					this.running.get(id)?.detach.abort(new Withdrawn('disconnected', 'The client\'s connection closed before the answer'));
				}
			});
			exchange.answerNow(refused);
		}
		for (const message of messages) {
			if (skipped.has(message)) continue;
			// One message failing must not cost the others their answers: it gets an error of its own instead.
			try {
				this.dispatch(message);
			} catch (error) {
				if (!isRequest(message)) continue;
				const reason = error instanceof RangeError ? 'it is nested too deeply to process' : 'an unexpected error';
				void this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: `Internal error: ${message.method} could not be handled (${reason}); the other messages were answered.` } });
			}
		}
	}

	private dispatch(message: JSONRPCMessage): void {
		const gated = gatedRequest(message);
		if (gated && 'problem' in gated) {
			void this.send({ jsonrpc: '2.0', id: gated.id, error: { code: -32602, message: `Invalid params: ${gated.problem}` } });
			return;
		}
		if (gated && gated.task) {
			this.runTask(gated.id, gated.request, gated.progressToken, gated.task.ttl);
			return;
		}
		if (gated) {
			this.runGated(gated.id, gated.request, gated.progressToken, gated.trace);
			return;
		}
		if (this.answerTaskRequest(message)) return;
		const cancelled = cancelledRequest(message);
		if (cancelled !== undefined) {
			this.running.get(cancelled.requestId)?.controller.abort(new Withdrawn('cancelled', cancelled.reason ? `The client cancelled the call: ${cancelled.reason}` : 'The client cancelled the call'));
			// A cancelled request gets no answer (the SDK sends none either): its POST must not wait for one.
			this.exchanges.get(cancelled.requestId)?.drop(cancelled.requestId);
			this.exchanges.delete(cancelled.requestId);
		}
		this.onmessage?.(message);
	}

	private runGated(id: RequestId, request: GatedRequest, progressToken: string | number | undefined, trace: TraceContext | undefined): void {
		const controller = new AbortController();
		const detach = new AbortController();
		const sendProgress = progressToken === undefined ? undefined : (progress: number, total?: number, message?: string) => {
			if (controller.signal.aborted) return;
			void this.send({ jsonrpc: '2.0', ...progressNotification(progressToken, progress, total, message) }, { relatedRequestId: id });
		};
		// Called synchronously, like the SDK's handlers: a call starts in the order its message arrived.
		let answer: ReturnType<GatedRoute>;
		try {
			answer = this.route(request, { signal: controller.signal, detached: detach.signal, ...(sendProgress ? { sendProgress } : {}), ...(trace ? { trace } : {}) });
		} catch (error) {
			answer = Promise.reject(error);
		}
		const answered = answer.then(
			(answered): JSONRPCMessage => ('error' in answered ? { jsonrpc: '2.0', id, error: answered.error } : { jsonrpc: '2.0', id, result: answered.result }),
			(error: unknown): JSONRPCMessage => ({ jsonrpc: '2.0', id, error: { code: -32603, message: error instanceof Error ? error.message : String(error) } }),
		).then((response) => {
			if (this.running.get(id)?.controller === controller) this.running.delete(id);
			// As the SDK does: a request the client cancelled gets no answer. One stopped by the session's end or the
			// server's stop does: it says why.
			const cancelledByClient = controller.signal.aborted && (!(controller.signal.reason instanceof Withdrawn) || controller.signal.reason.by === 'cancelled');
			if (!cancelledByClient) void this.send(response);
		});
		this.running.set(id, { controller, detach, answered });
	}

	/**
	 * A tools/call sent as a task: answered at once with the task, then run to its end whatever happens to the POST;
	 * progress goes to the session's GET stream. Cancelling the task stops the call (a command's whole process tree).
	 */
	private runTask(id: RequestId, request: GatedRequest, progressToken: string | number | undefined, ttl: number | undefined): void {
		const never = new AbortController().signal;
		const info = this.tasks.create(this.sessionId, ttl, async (signal) => {
			const sendProgress = progressToken === undefined ? undefined : (progress: number, total?: number, message?: string) => {
				if (!signal.aborted) void this.send({ jsonrpc: '2.0', ...progressNotification(progressToken, progress, total, message) });
			};
			return this.route(request, { signal, detached: never, ...(sendProgress ? { sendProgress } : {}) });
		});
		if (!info) {
			void this.send({ jsonrpc: '2.0', id, error: { code: BUSY, message: 'Server busy: this session already has 100 tasks working. Wait for one to finish or cancel one (tasks/cancel), then send this call again.' } });
			return;
		}
		void this.send({ jsonrpc: '2.0', id, result: { task: info } });
	}

	/** tasks/get, tasks/result, tasks/list and tasks/cancel, for this session's own tasks; false for other messages. */
	private answerTaskRequest(message: JSONRPCMessage): boolean {
		if (!isRequest(message) || !message.method.startsWith('tasks/')) return false;
		const { id } = message;
		const params = (message as { params?: Record<string, unknown> }).params ?? {};
		const taskId = typeof params.taskId === 'string' ? params.taskId : undefined;
		const unknown = () => void this.send({ jsonrpc: '2.0', id, error: { code: INVALID_PARAMS, message: `Invalid params: no task ${JSON.stringify(taskId ?? null)} in this session (tasks/list shows them).` } });
		switch (message.method) {
			case 'tasks/list':
				void this.send({ jsonrpc: '2.0', id, result: { tasks: this.tasks.list(this.sessionId) } });
				return true;
			case 'tasks/get': {
				const info = taskId === undefined ? undefined : this.tasks.get(this.sessionId, taskId);
				if (info) void this.send({ jsonrpc: '2.0', id, result: { ...info } });
				else unknown();
				return true;
			}
			case 'tasks/result': {
				const outcome = taskId === undefined ? undefined : this.tasks.result(this.sessionId, taskId);
				if (!outcome) unknown();
				else void outcome.then((answer) => this.send('result' in answer ? { jsonrpc: '2.0', id, result: answer.result } : { jsonrpc: '2.0', id, error: answer.error }));
				return true;
			}
			case 'tasks/cancel': {
				const cancelled = taskId === undefined ? undefined : this.tasks.cancel(this.sessionId, taskId);
				if (cancelled === undefined) unknown();
				else if (cancelled === 'finished') void this.send({ jsonrpc: '2.0', id, error: { code: INVALID_PARAMS, message: `Invalid params: task ${taskId} has already finished and cannot be cancelled.` } });
				else void this.send({ jsonrpc: '2.0', id, result: { ...cancelled } });
				return true;
			}
			default:
				return false;
		}
	}

	/** Opens the standalone GET stream for messages not tied to a request. */
	openStream(res: ServerResponse): boolean {
		if (this.stream) return false;
		this.lastActivity = Date.now();
		res.writeHead(200, sseHeaders(this.sessionId));
		res.flushHeaders();
		this.stream = res;
		res.on('close', () => {
			if (this.stream === res) this.stream = undefined;
			this.lastActivity = Date.now();
		});
		return true;
	}

	async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
		if (this.closed) return;
		this.deliver(message, options);
	}

	private deliver(message: JSONRPCMessage, options?: TransportSendOptions): void {
		const responseId = isResponse(message) ? message.id : undefined;
		const related = responseId ?? options?.relatedRequestId;
		const exchange = related === undefined ? undefined : this.exchanges.get(related);
		if (exchange) {
			if (responseId !== undefined) this.exchanges.delete(responseId);
			exchange.deliver(message, responseId);
			return;
		}
		if (responseId !== undefined) return; // its client went away
		// Tied to a request that is over or cancelled: the GET stream is for messages tied to none.
		if (options?.relatedRequestId !== undefined) return;
		const text = this.stream ? encode(message) : undefined;
		if (this.stream && text !== undefined) writeEvent(this.stream, text);
		// With no stream open, a notification not tied to a request has no reader: the spec lets us drop it.
	}

	/**
	 * Ends the session. Calls still running or waiting are stopped with `why` (the session ended, the server stopped)
	 * and their answers, which say so, still go out for a short while; then every request not answered gets an error.
	 */
	async close(why: Withdrawn = new Withdrawn('session_ended', 'the session closed')): Promise<void> {
		if (this.closed || this.closing) return;
		this.closing = true;
		const answered = [...this.running.values()].map((call) => call.answered);
		for (const call of this.running.values()) call.controller.abort(why);
		this.tasks.dropOwner(this.sessionId, why);
		if (answered.length > 0) {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([Promise.allSettled(answered), new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
			clearTimeout(timer);
		}
		this.closed = true;
		this.running.clear();
		// A POST still waiting is told its requests will get no answer, so the client neither hangs nor reads an empty 200.
		for (const exchange of new Set(this.exchanges.values())) exchange.abort(`The session ended before this request was answered (${why.detail}): send initialize to start a new session, then retry.`);
		this.exchanges.clear();
		this.stream?.end();
		this.stream = undefined;
		this.onclose?.();
	}
}

/** The answer to one POST: collects the responses to its requests, as one JSON body or as SSE events. */
class Exchange {
	readonly waiting: Set<RequestId>;
	/** Each response already encoded, so one that cannot be encoded costs only its own answer. */
	private readonly bodies: string[] = [];
	private streaming = false;

	constructor(
		private readonly res: ServerResponse,
		ids: RequestId[],
		streamFromStart: boolean,
		private readonly canStream: boolean,
		private readonly sessionId: string,
		private readonly batch: boolean,
	) {
		this.waiting = new Set(ids);
		if (streamFromStart) this.startStream();
	}

	/** Answers known before anything runs (refusals); the POST ends at once when nothing else is awaited. */
	answerNow(responses: readonly Outgoing[]): void {
		for (const response of responses) this.add(response);
		if (responses.length === 0 || this.waiting.size > 0) return;
		this.finish();
	}

	deliver(message: JSONRPCMessage, responseId: RequestId | undefined): void {
		if (responseId === undefined) {
			// Something tied to a request in flight: only a stream can carry it before the answer.
			if (!this.streaming && this.canStream && !this.res.headersSent) this.startStream();
			if (this.streaming) this.add(message);
			return;
		}
		this.waiting.delete(responseId);
		this.add(message);
		if (this.waiting.size === 0) this.finish();
	}

	/** Stops waiting for a request that will not be answered; the POST ends once nothing else is awaited. */
	drop(id: RequestId): void {
		if (!this.waiting.delete(id) || this.waiting.size > 0 || this.res.writableEnded) return;
		if (this.streaming || this.bodies.length > 0) {
			this.finish();
		} else if (!this.res.headersSent) {
			this.res.writeHead(202, { 'mcp-session-id': this.sessionId }).end();
		}
	}

	/** Answers every request still awaited with an error that says why, and ends the POST. */
	abort(message: string): void {
		for (const id of this.waiting) this.add({ jsonrpc: '2.0', id, error: { code: -32000, message } });
		this.waiting.clear();
		this.finish();
	}

	private add(message: Outgoing): void {
		const text = encode(message);
		if (text === undefined) return;
		if (this.streaming) writeEvent(this.res, text);
		else this.bodies.push(text);
	}

	private finish(): void {
		if (this.res.writableEnded) return;
		if (this.streaming) {
			this.res.end();
			return;
		}
		const body = this.batch ? `[${this.bodies.join(',')}]` : (this.bodies[0] ?? '');
		this.res.writeHead(200, {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(body),
			'mcp-session-id': this.sessionId,
		});
		this.res.end(body);
	}

	private startStream(): void {
		this.streaming = true;
		this.res.writeHead(200, sseHeaders(this.sessionId));
		this.res.flushHeaders();
	}
}

/** What goes out on a POST: responses and notifications from the server, and refusals with a null id. */
type Outgoing = JSONRPCMessage | ErrorAnswer;

/** The JSON text of a message; a response that cannot be encoded becomes an internal error for its id. */
function encode(message: Outgoing): string | undefined {
	try {
		return JSON.stringify(message);
	} catch {
		if (!('id' in message) || 'method' in message) return undefined;
		return JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: 'Internal error: the answer could not be encoded as JSON' } });
	}
}

function sseHeaders(sessionId: string): Record<string, string> {
	return {
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache, no-transform',
		connection: 'keep-alive',
		'mcp-session-id': sessionId,
	};
}

function writeEvent(res: ServerResponse, text: string): void {
	if (!res.writableEnded) res.write(`event: message\ndata: ${text}\n\n`);
}

function isRequest(message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId; method: string } {
	return 'method' in message && 'id' in message && message.id !== undefined;
}

function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } {
	return !('method' in message) && 'id' in message && ('result' in message || 'error' in message);
}

/** notifications/progress for a request's token, leaving out what the tool did not say. */
export function progressNotification(progressToken: string | number, progress: number, total?: number, message?: string) {
	return { method: 'notifications/progress' as const, params: { progressToken, progress, ...(total === undefined ? {} : { total }), ...(message ? { message } : {}) } };
}

const GATED_METHODS: ReadonlySet<string> = new Set<GatedRequest['method']>(['tools/call', 'resources/read', 'prompts/get']);

const MISSING_PARAMS: Readonly<Record<GatedRequest['method'], string>> = {
	'tools/call': 'tools/call needs params.name, the tool\'s name as a string (see tools/list)',
	'resources/read': 'resources/read needs params.uri, the resource\'s URI as a string (see resources/list)',
	'prompts/get': 'prompts/get needs params.name, the prompt\'s name as a string (see prompts/list)',
};

/** A gated request, with its progress token; or what is wrong with its params (answered as invalid params). */
function gatedRequest(message: JSONRPCMessage): { id: RequestId; request: GatedRequest; progressToken?: string | number; trace?: TraceContext; task?: { ttl?: number } } | { id: RequestId; problem: string } | undefined {
	if (!('method' in message) || !GATED_METHODS.has(message.method) || !('id' in message) || message.id === undefined) return undefined;
	const { id } = message;
	const method = message.method as GatedRequest['method'];
	const params = message.params as Record<string, unknown> | undefined;
	if (!isPlainObject(params)) return { id, problem: MISSING_PARAMS[method] };
	const meta = params._meta;
	if (meta !== undefined && !isPlainObject(meta)) return { id, problem: 'params._meta must be an object' };
	const token = meta?.progressToken;
	if (token !== undefined && typeof token !== 'string' && typeof token !== 'number') return { id, problem: 'params._meta.progressToken must be a string or a number' };
	const trace = traceContextOf(meta);
	const progress = { ...(token === undefined ? {} : { progressToken: token }), ...(trace ? { trace } : {}) };
	if (method === 'resources/read') {
		if (typeof params.uri !== 'string') return { id, problem: 'resources/read needs params.uri, the resource\'s URI as a string (see resources/list)' };
		return { id, request: { method, uri: params.uri }, ...progress };
	}
	if (typeof params.name !== 'string') return { id, problem: MISSING_PARAMS[method] };
	const args = params.arguments;
	if (args !== undefined && !isPlainObject(args)) return { id, problem: 'params.arguments must be an object of named arguments' };
	if (method === 'prompts/get') return { id, request: { method, name: params.name, ...(args === undefined ? {} : { arguments: args }) }, ...progress };
	const task = params.task;
	if (task !== undefined && (!isPlainObject(task) || (task.ttl !== undefined && (typeof task.ttl !== 'number' || !(task.ttl >= 0))))) return { id, problem: 'params.task must be an object, with ttl (milliseconds) a number when given' };
	const asTask = task === undefined ? {} : { task: typeof task.ttl === 'number' ? { ttl: task.ttl } : {} };
	return { id, request: { method, name: params.name, ...(args === undefined ? {} : { arguments: args }) }, ...progress, ...asTask };
}

function cancelledRequest(message: JSONRPCMessage): { requestId: RequestId; reason?: string } | undefined {
	if (!('method' in message) || message.method !== 'notifications/cancelled' || 'id' in message) return undefined;
	const params = message.params as Record<string, unknown> | undefined;
	const requestId = params?.requestId;
	if (typeof requestId !== 'string' && typeof requestId !== 'number') return undefined;
	return { requestId, ...(typeof params?.reason === 'string' ? { reason: params.reason } : {}) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
