import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';

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
	private stream: ServerResponse | undefined;
	private closed = false;
	/** Last time a request arrived or a stream was open; idle sessions are closed by the server. */
	lastActivity = Date.now();

	async start(): Promise<void> {
		// Nothing to open: the HTTP server owns the sockets and hands requests over.
	}

	get busy(): boolean {
		return this.exchanges.size > 0 || this.stream !== undefined;
	}

	/** Delivers a POST body. Requests in it are answered on `res`; a body of only notifications gets 202 at once. */
	receive(messages: JSONRPCMessage[], res: ServerResponse, acceptsSse: boolean, acceptsJson: boolean): void {
		this.lastActivity = Date.now();
		const requestIds = messages.filter(isRequest).map((m) => m.id);
		if (requestIds.length === 0) {
			res.writeHead(202, { 'mcp-session-id': this.sessionId }).end();
		} else {
			const exchange = new Exchange(res, requestIds, acceptsSse && !acceptsJson, acceptsSse, this.sessionId);
			for (const id of requestIds) this.exchanges.set(id, exchange);
			res.on('close', () => {
				// A dropped connection is not a cancellation (the spec says so); its answers have nowhere to go.
				for (const id of exchange.waiting) this.exchanges.delete(id);
			});
		}
		for (const message of messages) this.onmessage?.(message);
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
		const responseId = isResponse(message) ? message.id : undefined;
		const related = responseId ?? options?.relatedRequestId;
		const exchange = related === undefined ? undefined : this.exchanges.get(related);
		if (exchange) {
			if (responseId !== undefined) this.exchanges.delete(responseId);
			exchange.deliver(message, responseId);
			return;
		}
		if (responseId !== undefined) return; // its client went away
		if (this.stream) writeEvent(this.stream, message);
		// With no stream open, a notification not tied to a request has no reader: the spec lets us drop it.
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const exchange of new Set(this.exchanges.values())) exchange.abort();
		this.exchanges.clear();
		this.stream?.end();
		this.stream = undefined;
		this.onclose?.();
	}
}

/** The answer to one POST: collects the responses to its requests, as one JSON body or as SSE events. */
class Exchange {
	readonly waiting: Set<RequestId>;
	private readonly responses: JSONRPCMessage[] = [];
	private streaming = false;

	constructor(
		private readonly res: ServerResponse,
		ids: RequestId[],
		streamFromStart: boolean,
		private readonly canStream: boolean,
		private readonly sessionId: string,
		private readonly batch = ids.length > 1,
	) {
		this.waiting = new Set(ids);
		if (streamFromStart) this.startStream();
	}

	deliver(message: JSONRPCMessage, responseId: RequestId | undefined): void {
		if (responseId === undefined) {
			// Something tied to a request in flight: only a stream can carry it before the answer.
			if (!this.streaming && this.canStream && !this.res.headersSent) this.startStream();
			if (this.streaming) writeEvent(this.res, message);
			return;
		}
		this.waiting.delete(responseId);
		if (this.streaming) {
			writeEvent(this.res, message);
			if (this.waiting.size === 0) this.res.end();
			return;
		}
		this.responses.push(message);
		if (this.waiting.size > 0) return;
		const body = JSON.stringify(this.batch ? this.responses : this.responses[0]);
		this.res.writeHead(200, {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(body),
			'mcp-session-id': this.sessionId,
		});
		this.res.end(body);
	}

	abort(): void {
		if (!this.res.writableEnded) this.res.end();
	}

	private startStream(): void {
		this.streaming = true;
		this.res.writeHead(200, sseHeaders(this.sessionId));
		this.res.flushHeaders();
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

function writeEvent(res: ServerResponse, message: JSONRPCMessage): void {
	if (!res.writableEnded) res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
}

function isRequest(message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId; method: string } {
	return 'method' in message && 'id' in message && message.id !== undefined;
}

function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } {
	return !('method' in message) && 'id' in message && ('result' in message || 'error' in message);
}
