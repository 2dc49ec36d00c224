// MCP over raw HTTP, for requests no client library would send (and for what an attacker sends): the headers a
// Streamable HTTP client sends, a session opened by hand, and SSE bodies read back into JSON-RPC messages.
import assert from 'node:assert/strict';
import { initializeBody, rawRequest, type RawResponse } from './rawHttp';

/** Where a raw session goes: a TestWorkbench, or a server's `current` connection. */
export interface RawTarget {
	readonly url: string;
	readonly secret: string;
}

export interface JsonRpcAnswer {
	readonly jsonrpc: '2.0';
	readonly id: number | string | null;
	readonly result?: Record<string, unknown>;
	readonly error?: { readonly code: number; readonly message: string };
}

/** A session opened with a raw initialize and told `initialized`. */
export interface RawSession {
	readonly id: string;
	/** Sends any body (a string as it is) in the session; `json` parses the answer when read (see parseAnswer). */
	post(body: unknown): Promise<RawResponse & { readonly json: unknown }>;
	/** Sends one request and returns the parsed JSON-RPC answer (the whole body). */
	request(method: string, params: unknown, id?: number | string): Promise<JsonRpcAnswer>;
	/** Ends the session with a DELETE. */
	end(): Promise<RawResponse>;
}

/** The headers of a Streamable HTTP POST carrying `secret`; `extra` adds or replaces any (a session id, a Host…). */
export function mcpHeaders(secret: string, extra: Record<string, string> = {}): Record<string, string> {
	return {
		authorization: `Bearer ${secret}`,
		'content-type': 'application/json',
		accept: 'application/json, text/event-stream',
		...extra,
	};
}

/** The JSON-RPC messages an SSE text carries: each `data:` line's JSON. */
export function sseMessages(text: string): unknown[] {
	return text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as unknown);
}

/** For a stream read as it arrives: the messages of the events complete so far, and the text of the one still coming. */
export function takeSseMessages(buffer: string): { readonly messages: unknown[]; readonly rest: string } {
	const end = buffer.lastIndexOf('\n\n');
	if (end < 0) return { messages: [], rest: buffer };
	return { messages: sseMessages(buffer.slice(0, end)), rest: buffer.slice(end + 2) };
}

/** Reads an SSE body back into the JSON-RPC messages it carried; a JSON body as itself. */
export function parseAnswer(response: RawResponse): unknown {
	const type = String(response.headers['content-type'] ?? '');
	if (type.includes('text/event-stream')) return sseMessages(response.body);
	return response.body === '' ? undefined : JSON.parse(response.body) as unknown;
}

/** A raw initialize that must succeed; the new session's id. The session is not told `initialized` (openRawSession is). */
export async function initializeRaw(target: RawTarget): Promise<string> {
	const init = await rawRequest({ url: target.url }, { headers: mcpHeaders(target.secret), body: initializeBody });
	assert.equal(init.status, 200, init.body);
	return String(init.headers['mcp-session-id']);
}

export async function openRawSession(target: RawTarget): Promise<RawSession> {
	const id = await initializeRaw(target);
	const headers = mcpHeaders(target.secret, { 'mcp-session-id': id });
	await rawRequest({ url: target.url }, { headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
	let next = 1000;
	const session: RawSession = {
		id,
		async post(body) {
			const response = await rawRequest({ url: target.url }, { headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
			// Parsed when read, so a test that checks the status first fails on the status, not on a body that is no JSON.
			return {
				...response,
				get json() {
					return parseAnswer(response);
				},
			};
		},
		async request(method, params, requestId = next++) {
			const response = await session.post({ jsonrpc: '2.0', id: requestId, method, ...(params === undefined ? {} : { params }) });
			assert.equal(response.status, 200, response.body);
			const json = response.json;
			const answer = (Array.isArray(json) ? json.at(-1) : json) as JsonRpcAnswer;
			assert.equal(answer.id, requestId, `the answer is to request ${requestId}: ${response.body}`);
			return answer;
		},
		end() {
			return rawRequest({ url: target.url }, { method: 'DELETE', headers });
		},
	};
	return session;
}
