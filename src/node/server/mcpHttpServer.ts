import { createHash, timingSafeEqual } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../core/base/log';
import { legacySseAnswer } from './legacySse';
import { Withdrawn, type WithdrawnBy } from '../../core/gate/withdrawal';
import { checkMessage, type ErrorAnswer } from './messageCheck';
import { CLIENT_INFO_META, eraOfPost, LEGACY_VERSIONS, MODERN_VERSIONS } from './protocolEra';
import type { SessionTransport } from './sessionTransport';

/** One client session: its transport, and how to end it. */
export interface SessionHandle {
	readonly transport: SessionTransport;
	close(): Promise<void>;
}

export interface McpHttpServerOptions {
	/** Required as `Authorization: Bearer <secret>` on every request: VS Code's own credential, or a token `identify` knows. */
	readonly secret: string;
	/** Whose credential the secret is, on cards and audit records. Default "VS Code". */
	readonly secretName?: string;
	/** The client a token other than the secret was issued to, or undefined when it is no credential. */
	readonly identify?: (token: string) => string | undefined;
	/** Why a token `identify` does not know is refused (it was revoked, say), for the 401's message. */
	readonly explainRefusal?: (token: string) => string | undefined;
	/**
	 * Opens a session for a client's initialize: its transport, connected to the MCP server that answers it. `client`
	 * is the name of the credential that opened it; only that credential can use the session afterwards.
	 */
	readonly openSession: (client: string) => Promise<SessionHandle>;
	/** Why a session's initialize (or a stateless request) is refused (403), from the credential and the sender's own name; undefined admits it. */
	readonly refuseSession?: (client: string, clientName: string | undefined) => string | undefined;
	readonly log: Logger;
	/** Largest request body accepted; larger bodies get 413. */
	readonly maxBodyBytes?: number;
	/** Sessions with no request and no open stream for this long are closed. */
	readonly idleTimeoutMs?: number;
	/** Most sessions open at once; past it, a new session closes the one least recently used with nothing in flight. */
	readonly maxSessions?: number;
	/** Also listen on a Unix socket (a named pipe on Windows) that only this user can reach. */
	readonly useSocket?: boolean;
	/** Extra authenticated GET routes, such as `/metrics`. */
	readonly routes?: Readonly<Record<string, (res: ServerResponse) => void>>;
	/** Serves POSTs of the stateless era (2026-07-28) on the same endpoint; without it, only sessions are served. */
	readonly stateless?: StatelessEra;
}

/** The 2026-07-28 front end (statelessEndpoint.ts), as the HTTP server hands it a POST it has read and parsed. */
export interface StatelessEra {
	/** `client` is the name of the credential the request carries. */
	serve(req: IncomingMessage, res: ServerResponse, body: unknown, client: string): void;
	/** Ends its open streams, before the connections close. */
	close(): void;
}

interface Connection {
	active: number;
	readonly waiting: { readonly req: IncomingMessage; readonly res: ServerResponse; readonly viaSocket: boolean }[];
}

export interface ServerAddress {
	readonly url: string;
	readonly port: number;
	readonly socketPath?: string;
}

const MCP_PATH = '/mcp';
/**
 * Requests one connection may have in hand at once. A client that wants parallel calls opens more connections (every
 * HTTP client does); HTTP/1.1 answers a connection's requests in order anyway, so more in hand only buys memory: the
 * answers of a pipelining client that reads nothing (up to the result budget, 64 KB by default, each) would wait there.
 */
const MAX_ACTIVE_PER_CONNECTION = 8;
/**
 * Sessions kept open at once. One editor window serves a handful of clients, and a client that reconnects without
 * ending its old session (DELETE) leaves it open until the idle timeout (30 minutes): 1,000 leaves room for a client
 * that reconnects every two seconds for that whole time, while idle sessions hold about 30 KB each (30 MB in all).
 */
const MAX_SESSIONS = 1000;
/** Requests parsed from one connection while it is full; each costs a few KB until its turn comes. */
const MAX_WAITING_PER_CONNECTION = 1024;
/** The SDK's own transport takes at most this many messages in one POST (MAX_BATCH_SIZE); so do we. */
const MAX_BATCH = 100;

/**
 * Streamable HTTP on loopback, for one editor window. Refusals are decided before a body is read and always answer
 * with a JSON-RPC error body, so a misbehaving client learns why and the server keeps serving.
 */
export class McpHttpServer {
	private readonly sessions = new Map<string, { handle: SessionHandle; viaSocket: boolean; client: string }>();
	private readonly servers: Server[] = [];
	/** Every open connection, with the requests it has in hand and those waiting their turn. */
	private readonly connections = new Map<Socket, Connection>();
	private readonly secretDigest: Buffer;
	private readonly maxBodyBytes: number;
	private readonly idleTimeoutMs: number;
	private readonly maxSessions: number;
	/** Why recently closed sessions ended, so their client is told (bounded: the oldest reasons go first). */
	private readonly ended = new Map<string, string>();
	private allowedHosts = new Set<string>();
	private socketDir: string | undefined;
	private sweeper: NodeJS.Timeout | undefined;
	private address: ServerAddress | undefined;
	private onDrained: (() => void) | undefined;

	constructor(private readonly options: McpHttpServerOptions) {
		this.secretDigest = digest(options.secret);
		this.maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
		this.idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
		this.maxSessions = options.maxSessions ?? MAX_SESSIONS;
	}

	get sessionCount(): number {
		return this.sessions.size;
	}

	/** Open sessions by how their client connected. */
	sessionsByTransport(): { socket: number; tcp: number } {
		let socket = 0;
		for (const session of this.sessions.values()) if (session.viaSocket) socket++;
		return { socket, tcp: this.sessions.size - socket };
	}

	async listen(): Promise<ServerAddress> {
		const tcp = this.createHttpServer(false);
		await new Promise<void>((resolve, reject) => {
			tcp.once('error', reject);
			tcp.listen(0, '127.0.0.1', () => resolve());
		});
		const port = (tcp.address() as AddressInfo).port;
		this.allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
		let socketPath: string | undefined;
		if (this.options.useSocket) socketPath = await this.listenOnSocket();
		this.sweeper = setInterval(() => this.closeIdleSessions(), Math.min(60_000, this.idleTimeoutMs / 4));
		this.sweeper.unref();
		this.address = { url: `http://127.0.0.1:${port}${MCP_PATH}`, port, socketPath };
		this.options.log.info('server.listen', { url: this.address.url, socket: socketPath });
		return this.address;
	}

	async close(): Promise<void> {
		clearInterval(this.sweeper);
		this.options.stateless?.close();
		await Promise.allSettled([...this.sessions.keys()].map((id) => this.closeSession(id, 'the MCP Workbench server stopped', 'server_stopped')));
		// The answers the stopped calls just wrote (why they stopped) must reach their clients before the sockets go.
		await this.drained(1000);
		for (const socket of this.connections.keys()) socket.destroy();
		await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
		this.servers.length = 0;
		if (this.socketDir) await rm(this.socketDir, { recursive: true, force: true });
		this.socketDir = undefined;
		if (this.address) this.options.log.info('server.closed', { url: this.address.url });
		this.address = undefined;
	}

	private createHttpServer(viaSocket: boolean): Server {
		const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => this.admit(req, res, viaSocket));
		server.on('connection', (socket: Socket) => {
			this.connections.set(socket, { active: 0, waiting: [] });
			socket.on('close', () => this.connections.delete(socket));
		});
		this.servers.push(server);
		return server;
	}

	/**
	 * Handles a request when its connection has room, else queues it. A client can pipeline thousands of requests on
	 * one connection and never read the answers: node parses them all at once and every answer would wait in memory.
	 * Here a connection has at most MAX_ACTIVE_PER_CONNECTION requests in hand; a request counts until its answer is
	 * written out, which for an unread connection is never, so the next ones wait until the client reads. Past
	 * MAX_WAITING_PER_CONNECTION queued requests, the rest are refused as busy.
	 */
	private admit(req: IncomingMessage, res: ServerResponse, viaSocket: boolean): void {
		const connection = this.connections.get(req.socket);
		if (!connection) return this.serve(req, res, viaSocket);
		if (connection.active < MAX_ACTIVE_PER_CONNECTION && connection.waiting.length === 0) return this.start(connection, req, res, viaSocket);
		if (connection.waiting.length >= MAX_WAITING_PER_CONNECTION) {
			res.setHeader('retry-after', '1');
			return refuse(res, 429, -32000, `Server busy: this connection already has ${MAX_ACTIVE_PER_CONNECTION + MAX_WAITING_PER_CONNECTION} requests waiting for their answers to be read. Read the answers, then send this request again.`);
		}
		// Node keeps parsing the connection (reading a request's body resumes the socket), so the queue's cap is the bound.
		connection.waiting.push({ req, res, viaSocket });
	}

	private start(connection: Connection, req: IncomingMessage, res: ServerResponse, viaSocket: boolean): void {
		connection.active++;
		res.once('close', () => {
			connection.active--;
			this.next(connection);
			if (this.onDrained && this.activeRequests() === 0) this.onDrained();
		});
		this.serve(req, res, viaSocket);
	}

	private activeRequests(): number {
		let active = 0;
		for (const connection of this.connections.values()) active += connection.active;
		return active;
	}

	/** Resolves once no request is in hand (every answer written out), or after `ms`. */
	private drained(ms: number): Promise<void> {
		if (this.activeRequests() === 0) return Promise.resolve();
		return new Promise((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.onDrained = undefined;
				resolve();
			};
			const timer = setTimeout(done, ms);
			this.onDrained = done;
		});
	}

	private next(connection: Connection): void {
		while (connection.active < MAX_ACTIVE_PER_CONNECTION && connection.waiting.length > 0) {
			const waiting = connection.waiting.shift();
			if (waiting && !waiting.res.destroyed) this.start(connection, waiting.req, waiting.res, waiting.viaSocket);
		}
	}

	private serve(req: IncomingMessage, res: ServerResponse, viaSocket: boolean): void {
		this.handle(req, res, viaSocket).catch((error: unknown) => {
			this.options.log.error('request.failed', { error: error instanceof Error ? error.message : String(error) });
			if (!res.headersSent) refuse(res, 500, -32603, 'Internal server error');
			else res.end();
		});
	}

	private async listenOnSocket(): Promise<string> {
		let path: string;
		if (process.platform === 'win32') {
			path = `\\\\.\\pipe\\mcp-workbench-${createHash('sha256').update(this.options.secret).digest('hex').slice(0, 16)}`;
		} else {
			// A fresh 0700 folder: only this user can even see the socket.
			this.socketDir = await mkdtemp(join(tmpdir(), 'mcp-workbench-'));
			await chmod(this.socketDir, 0o700);
			path = join(this.socketDir, 'mcp.sock');
		}
		const server = this.createHttpServer(true);
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(path, () => resolve());
		});
		return path;
	}

	private async handle(req: IncomingMessage, res: ServerResponse, viaSocket: boolean): Promise<void> {
		const path = (req.url ?? '/').split('?')[0];
		// OAuth discovery probes must see 404: a 401 there sends VS Code into a sign-in flow we do not offer.
		if (path.startsWith('/.well-known/')) return refuse(res, 404, -32601, 'Not found');
		// Browsers always send Origin; no legitimate MCP client on this machine does.
		if (req.headers.origin !== undefined) return refuse(res, 403, -32000, 'Requests with an Origin header are refused');
		// DNS rebinding defence: a page on another name that resolves to 127.0.0.1 arrives with its own Host.
		if (!viaSocket && !this.allowedHosts.has(req.headers.host ?? '')) return refuse(res, 403, -32000, 'Host not allowed');
		const legacy = legacySseAnswer(req.method, path, req.headers, this.address?.url ?? MCP_PATH);
		if (legacy) return refuse(res, legacy.status, -32000, legacy.message);
		const client = this.clientOf(req);
		if (client === undefined) return refuse(res, 401, -32001, this.refusalOf(req) ?? 'Missing or wrong bearer token');
		// A session belongs to the credential that opened it: another client's token does not reach it.
		const sessionHeader = req.headers['mcp-session-id'];
		const owner = typeof sessionHeader === 'string' ? this.sessions.get(sessionHeader)?.client : undefined;
		if (owner !== undefined && owner !== client) return refuse(res, 404, -32001, 'Session not found: send initialize to start a new session');

		const route = this.options.routes?.[path];
		if (route && req.method === 'GET') return route(res);
		if (path !== MCP_PATH) return refuse(res, 404, -32601, `Not found: the MCP endpoint is ${MCP_PATH}`);

		switch (req.method) {
			case 'POST':
				return this.handlePost(req, res, viaSocket, client);
			case 'GET':
				if (this.refuseVersion(req, res)) return;
				return this.handleGet(req, res);
			case 'DELETE':
				if (this.refuseVersion(req, res)) return;
				return this.handleDelete(req, res);
			default:
				res.setHeader('allow', 'GET, POST, DELETE');
				return refuse(res, 405, -32000, 'Method not allowed');
		}
	}

	/**
	 * Refuses a GET or DELETE (session operations) that names a revision other than a session era's: 405 for the
	 * stateless era, which has neither (its transport's rule), 400 for a revision we do not know. True when refused.
	 */
	private refuseVersion(req: IncomingMessage, res: ServerResponse): boolean {
		const version = req.headers['mcp-protocol-version'];
		if (typeof version !== 'string' || LEGACY_VERSIONS.includes(version)) return false;
		if (this.options.stateless && MODERN_VERSIONS.includes(version)) {
			res.setHeader('allow', 'POST');
			refuse(res, 405, -32000, `Method not allowed: ${version} has no sessions and no GET stream; POST each request (subscriptions/listen for change notifications)`);
			return true;
		}
		refuse(res, 400, -32000, `Unsupported MCP-Protocol-Version ${version}; supported: ${this.versions().join(', ')}`);
		return true;
	}

	private versions(): readonly string[] {
		return this.options.stateless ? [...MODERN_VERSIONS, ...LEGACY_VERSIONS] : LEGACY_VERSIONS;
	}

	private async handlePost(req: IncomingMessage, res: ServerResponse, viaSocket: boolean, client: string): Promise<void> {
		const accept = req.headers.accept ?? '';
		const acceptsJson = accept.includes('application/json') || accept.includes('*/*');
		const acceptsSse = accept.includes('text/event-stream');
		if (!acceptsJson && !acceptsSse) return refuse(res, 406, -32000, 'Accept must include application/json or text/event-stream');
		if (!(req.headers['content-type'] ?? '').includes('application/json')) {
			return refuse(res, 415, -32000, 'Content-Type must be application/json');
		}
		const declared = Number(req.headers['content-length'] ?? 0);
		if (declared > this.maxBodyBytes) return refuse(res, 413, -32000, `Request body larger than ${this.maxBodyBytes} bytes`, true);
		const body = await readBody(req, this.maxBodyBytes);
		if (body === undefined) return refuse(res, 413, -32000, `Request body larger than ${this.maxBodyBytes} bytes`, true);

		let parsed: unknown;
		try {
			parsed = JSON.parse(body);
		} catch {
			return refuse(res, 400, -32700, 'Parse error: the body is not JSON');
		}
		const version = req.headers['mcp-protocol-version'];
		if (this.options.stateless && eraOfPost(version, parsed) === 'modern') {
			// Each request of this revision says who sent it; the same refusal as a session's initialize.
			for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
				if (this.refusedSender(res, client, message)) return;
			}
			return this.options.stateless.serve(req, res, parsed, client);
		}
		if (typeof version === 'string' && !LEGACY_VERSIONS.includes(version)) {
			return refuse(res, 400, -32000, `Unsupported MCP-Protocol-Version ${version}; supported: ${this.versions().join(', ')}`);
		}
		const raw = Array.isArray(parsed) ? parsed : [parsed];
		if (raw.length === 0) return refuse(res, 400, -32600, 'Invalid Request: empty batch');
		if (raw.length > MAX_BATCH) return refuse(res, 400, -32600, `Invalid Request: a batch holds at most ${MAX_BATCH} messages; send the rest in another POST`);
		// The SDK's protocol layer drops what its schemas reject without a word: each such message is answered here.
		const checked = raw.map(checkMessage);
		const messages: JSONRPCMessage[] = [];
		const refusals: ErrorAnswer[] = [];
		for (const entry of checked) {
			if ('message' in entry) messages.push(entry.message);
			else refusals.push(entry.refusal);
		}
		const refusalBody = Array.isArray(parsed) ? refusals : refusals[0];

		const sessionHeader = req.headers['mcp-session-id'];
		const initialize = checked.find((entry) => ('message' in entry ? 'method' in entry.message && entry.message.method === 'initialize' : entry.method === 'initialize'));
		if (initialize) {
			if (raw.length > 1) return refuse(res, 400, -32600, 'initialize must be sent alone');
			// No session exists to carry the answer, and none is opened for a request that cannot be answered.
			if ('refusal' in initialize) return answer(res, 400, initialize.refusal);
			if (sessionHeader !== undefined) return refuse(res, 400, -32600, 'initialize must not carry Mcp-Session-Id');
			if (!isRequest(messages[0])) return refuse(res, 400, -32600, 'Invalid Request: initialize must be a request, with an id');
			// Before the session limit: a refused initialize must not cost another client its session to eviction.
			if (this.refusedSender(res, client, messages[0])) return;
			if (this.sessions.size >= this.maxSessions && !(await this.evictOne())) {
				res.setHeader('retry-after', '1');
				return refuse(res, 429, -32000, `Server busy: ${this.sessions.size} sessions are open, each with a call in flight. End sessions you no longer use (DELETE), or retry when a call has finished.`);
			}
			const handle = await this.options.openSession(client);
			const { transport } = handle;
			this.sessions.set(transport.sessionId, { handle, viaSocket, client });
			transport.onclose = () => this.sessions.delete(transport.sessionId);
			this.options.log.info('session.open', { session: transport.sessionId, via: viaSocket ? 'socket' : 'tcp', sessions: this.sessions.size });
			transport.receive(messages, res, acceptsSse, acceptsJson);
			return;
		}
		// Nothing to process and no session to answer in: 400 with each message's error, as the SDK's transport answers.
		if (messages.length === 0 && sessionHeader === undefined) return answer(res, 400, refusalBody);
		const session = this.findSession(sessionHeader, res);
		// In a session, a refused message is answered like any other: the JSON-RPC error, in order with the rest.
		if (session) session.handle.transport.receive(messages, res, acceptsSse, acceptsJson, refusals);
	}

	/** Refuses (403) what `refuseSession` refuses for this credential and the sender's own name; true when it did. */
	private refusedSender(res: ServerResponse, client: string, message: unknown): boolean {
		const says = declaredName(message);
		const refusal = this.options.refuseSession?.(client, says);
		if (!refusal) return false;
		this.options.log.info('session.refused', { client, says });
		refuse(res, 403, -32000, refusal);
		return true;
	}

	private handleGet(req: IncomingMessage, res: ServerResponse): void {
		if (!(req.headers.accept ?? '').includes('text/event-stream')) {
			return refuse(res, 406, -32000, 'Accept must include text/event-stream');
		}
		const session = this.findSession(req.headers['mcp-session-id'], res);
		if (session && !session.handle.transport.openStream(res)) {
			refuse(res, 409, -32000, 'A stream is already open for this session');
		}
	}

	private async handleDelete(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const session = this.findSession(req.headers['mcp-session-id'], res);
		if (!session) return;
		await this.closeSession(session.handle.transport.sessionId, 'ended by DELETE');
		res.writeHead(200).end();
	}

	private findSession(header: string | string[] | undefined, res: ServerResponse) {
		if (typeof header !== 'string') {
			refuse(res, 400, -32000, 'Mcp-Session-Id header required (send initialize first)');
			return undefined;
		}
		const session = this.sessions.get(header);
		// 404 tells the client to start a new session (the spec's rule), e.g. after an idle expiry or a restart.
		if (!session) {
			const ended = this.ended.get(header);
			refuse(res, 404, -32001, ended ? `Session expired (${ended}): send initialize to start a new session` : 'Session not found: send initialize to start a new session');
			return undefined;
		}
		// Kept in order of use, least recent first, so eviction finds its candidate at the front.
		this.sessions.delete(header);
		this.sessions.set(header, session);
		return session;
	}

	/** Closes the session least recently used among those with nothing in flight; false when every one is busy. */
	private async evictOne(): Promise<boolean> {
		for (const [id, { handle: { transport } }] of this.sessions) {
			if (transport.inFlight > 0) continue;
			await this.closeSession(id, `closed to make room: at most ${this.maxSessions} sessions are kept, and it was the least recently used`);
			return true;
		}
		return false;
	}

	private async closeSession(id: string, reason: string, by: WithdrawnBy = 'session_ended'): Promise<void> {
		const session = this.sessions.get(id);
		if (!session) return;
		this.sessions.delete(id);
		this.ended.set(id, reason);
		if (this.ended.size > this.maxSessions) this.ended.delete(this.ended.keys().next().value as string);
		this.options.log.info('session.close', { session: id, reason, sessions: this.sessions.size });
		// The transport first: the calls it stops answer with why, before the protocol server goes.
		await session.handle.transport.close(new Withdrawn(by, reason));
		await session.handle.close();
	}

	private closeIdleSessions(): void {
		const cutoff = Date.now() - this.idleTimeoutMs;
		for (const [id, { handle: { transport } }] of this.sessions) {
			if (!transport.busy && transport.lastActivity < cutoff) void this.closeSession(id, `idle for more than ${duration(this.idleTimeoutMs)}`);
		}
	}

	private refusalOf(req: IncomingMessage): string | undefined {
		const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
		return match === null ? undefined : this.options.explainRefusal?.(match[1]);
	}

	/** The name of the client whose credential the request carries, or undefined when it carries none. */
	private clientOf(req: IncomingMessage): string | undefined {
		const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
		if (match === null) return undefined;
		// Digests have equal length, so the comparison takes the same time whatever the caller sent.
		if (timingSafeEqual(digest(match[1]), this.secretDigest)) return this.options.secretName ?? 'VS Code';
		return this.options.identify?.(match[1]);
	}
}

function isRequest(message: JSONRPCMessage): boolean {
	return 'method' in message && 'id' in message;
}

function duration(ms: number): string {
	if (ms >= 120_000) return `${Math.round(ms / 60_000)} minutes`;
	return ms >= 2000 ? `${Math.round(ms / 1000)} seconds` : `${ms} ms`;
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value).digest();
}

/** The name a request's sender gives itself: initialize's clientInfo, or the clientInfo in a stateless request's _meta. */
function declaredName(message: unknown): string | undefined {
	const params = (message as { params?: { clientInfo?: { name?: unknown }; _meta?: Record<string, { name?: unknown } | undefined> } } | null)?.params;
	const name = params?.clientInfo?.name ?? params?._meta?.[CLIENT_INFO_META]?.name;
	return typeof name === 'string' ? name : undefined;
}

function refuse(res: ServerResponse, status: number, code: number, message: string, closeConnection = false): void {
	answer(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, closeConnection);
}

function answer(res: ServerResponse, status: number, payload: ErrorAnswer | readonly ErrorAnswer[], closeConnection = false): void {
	const body = JSON.stringify(payload);
	const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
	// After refusing a body we did not read, the connection cannot carry another request.
	if (closeConnection) headers.connection = 'close';
	res.writeHead(status, headers).end(body);
}

/** Reads the body, or answers undefined as soon as it grows past the cap (without buffering the rest). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				req.removeAllListeners('data');
				req.resume();
				resolve(undefined);
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}
