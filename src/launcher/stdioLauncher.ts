// The stdio side of MCP Workbench for clients that only spawn a process (Claude Desktop, and any client configured
// by "Connect a Client…"). It holds no port and no secret: at every (re)connection it reads where the server of its
// workspace is, and where its client's credential lives, from the discovery files. A server restart or a window
// reload is invisible to the client: the launcher replays the client's initialize against the new server; only a
// request that was on the wire at that moment gets an error saying so.
import { Agent, request, type IncomingMessage } from 'node:http';
import { readFile } from 'node:fs/promises';
import { listServers, readServer, serverFor, type DiscoveredServer } from '../node/discovery/discovery';
import { SseParser } from './sseParser';

type Id = string | number;
type Message = { jsonrpc: '2.0'; id?: Id | null; method?: string; params?: unknown; result?: unknown; error?: unknown };

export interface LauncherOptions {
	/** `~/.mcp-workbench` (or MCP_WORKBENCH_HOME). */
	readonly root: string;
	/** The folder whose server to use: the working directory, or `--workspace`. */
	readonly workspace: string;
	/** The connected client whose credential to present (`--client`). */
	readonly clientId: string | undefined;
	/** A terminal's MCP_WORKBENCH_DISCOVERY_FILE: that window's server, tried first. */
	readonly discoveryFile?: string;
	/** Writes one message to the client (stdout). */
	readonly send: (message: Message) => void;
	/** Diagnostics for the client's log (stderr). */
	readonly log: (line: string) => void;
	/** How long to wait for a server to appear (VS Code starting, a window reloading) before answering with an error. */
	readonly waitForServerMs?: number;
}

interface Upstream {
	readonly server: DiscoveredServer;
	readonly token: string;
	readonly sessionId: string;
	readonly protocolVersion: string | undefined;
	readonly agent: Agent;
	stream?: IncomingMessage;
	closed: boolean;
}

/** Why an exchange failed: before the request reached the server (safe to send again), or after (it may have run). */
class TransportError extends Error {
	constructor(message: string, readonly delivered: boolean) {
		super(message);
	}
}

/** The server refused the request as a whole (no session, revoked token): the JSON-RPC error it answered with. */
class Refused extends Error {
	constructor(readonly status: number, readonly body: string) {
		super(`HTTP ${status}`);
	}
}

const SERVER_ERROR = -32000;
const REPLAY_PREFIX = 'mcp-workbench-launcher:';

export class StdioLauncher {
	private initialize: Message | undefined;
	private upstream: Promise<Upstream> | undefined;
	private replays = 0;
	private closing = false;

	constructor(private readonly options: LauncherOptions) {}

	/** One message from the client. Requests run concurrently: a long tool call does not hold up a ping. */
	async receive(message: Message): Promise<void> {
		if (message.method === 'initialize' && message.id !== undefined) {
			this.initialize = message;
			this.upstream = this.connect(message, true);
			await this.upstream.catch((error: unknown) => this.answerError(message, error));
			return;
		}
		await this.forward(message, true);
	}

	/** The client closed its stdin: end the session so the server does not keep it until the idle timeout. */
	async close(): Promise<void> {
		this.closing = true;
		const upstream = await this.upstream?.catch(() => undefined);
		if (!upstream) return;
		this.drop(upstream);
		await exchange(upstream, 'DELETE', undefined).then((res) => res.resume(), () => undefined);
	}

	private async forward(message: Message, retry: boolean): Promise<void> {
		let upstream: Upstream;
		try {
			upstream = await this.current();
		} catch (error) {
			return this.answerError(message, error);
		}
		try {
			await this.post(upstream, message);
		} catch (error) {
			// Closing dropped the connection under this request on purpose: its client is gone, nobody reads an answer,
			// and a retry would start the call again.
			if (this.closing) return;
			if (error instanceof Refused && error.status === 404 && retry) {
				// The session ended (an idle timeout, or a server that restarted on the same address): a new one, then again.
				this.drop(upstream);
				return this.forward(message, false);
			}
			if (error instanceof TransportError) {
				this.drop(upstream);
				if (!error.delivered && retry) return this.forward(message, false);
				if (message.id !== undefined && message.id !== null && message.method) {
					return this.answer(message.id, 'The MCP Workbench server restarted (or its VS Code window reloaded) while this request was in flight, so it may or may not have run. The launcher has reconnected: send it again.');
				}
				return;
			}
			return this.answerError(message, error);
		}
	}

	/** The live session, reconnecting (and waiting for a server) when there is none. */
	private current(): Promise<Upstream> {
		if (!this.initialize) return Promise.reject(new Error('The client sent a request before initialize.'));
		if (!this.upstream) {
			const replay = { ...this.initialize, id: `${REPLAY_PREFIX}${++this.replays}` };
			this.upstream = this.connect(replay, false);
			// A failed attempt is not kept: the next message tries again.
			this.upstream.catch(() => {
				this.upstream = undefined;
			});
		}
		return this.upstream;
	}

	private drop(upstream: Upstream): void {
		if (upstream.closed) return;
		upstream.closed = true;
		upstream.stream?.destroy();
		upstream.agent.destroy();
		void this.upstream?.then((live) => {
			if (live === upstream) this.upstream = undefined;
		}, () => undefined);
	}

	/**
	 * Finds the server, opens a session with the client's initialize and the GET stream. `first`: the client's own
	 * initialize, whose answer it awaits; a replay's answer is the launcher's alone, and it sends `initialized` itself.
	 */
	private async connect(initialize: Message, first: boolean): Promise<Upstream> {
		const server = await this.findServer();
		const token = await this.credential(server);
		const agent = new Agent({ keepAlive: true });
		const base = { server, token, agent, sessionId: '', protocolVersion: undefined, closed: false };
		const res = await exchange(base, 'POST', initialize);
		if (res.statusCode !== 200) throw new Refused(res.statusCode ?? 0, await text(res));
		const sessionId = String(res.headers['mcp-session-id'] ?? '');
		let answer: Message | undefined;
		await readMessages(res, (message) => {
			if (message.id === initialize.id) answer = message;
		});
		if (!answer) throw new Error('The server did not answer initialize.');
		if (first) this.options.send(answer);
		const result = answer.result as { protocolVersion?: string } | undefined;
		const upstream: Upstream = { ...base, sessionId, protocolVersion: result?.protocolVersion };
		if (!first) {
			await this.post(upstream, { jsonrpc: '2.0', method: 'notifications/initialized' });
			this.options.log(`reconnected to ${server.record.url} (session ${sessionId})`);
			// The new window may offer other tools (settings, trust): let the client list them again.
			this.options.send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
		}
		this.openStream(upstream);
		return upstream;
	}

	/** The session's GET stream: server-initiated messages. Its end means the server went away: reconnect then. */
	private openStream(upstream: Upstream): void {
		const req = request(target(upstream, 'GET', { accept: 'text/event-stream' }), (res) => {
			if (res.statusCode !== 200) return void res.resume();
			upstream.stream = res;
			res.setEncoding('utf8');
			const parser = new SseParser((data) => this.fromServer(data));
			res.on('data', (chunk: string) => parser.push(chunk));
			res.on('close', () => this.streamEnded(upstream));
		});
		req.on('error', () => this.streamEnded(upstream));
		req.end();
	}

	private streamEnded(upstream: Upstream): void {
		if (upstream.closed || this.closing) return;
		this.drop(upstream);
		// Reconnect now rather than at the next request, so notifications and server requests flow again.
		void this.current().catch((error: unknown) => this.options.log(`not reconnected yet: ${describe(error)}`));
	}

	private fromServer(data: string): void {
		let message: Message;
		try {
			message = JSON.parse(data) as Message;
		} catch {
			return;
		}
		this.relay(message);
	}

	/** A message from the server to the client, unless it answers the launcher's own replayed initialize. */
	private relay(message: Message): void {
		if (typeof message.id === 'string' && message.id.startsWith(REPLAY_PREFIX)) return;
		this.options.send(message);
	}

	private async post(upstream: Upstream, message: Message): Promise<void> {
		const res = await exchange(upstream, 'POST', message);
		if (res.statusCode === 202) return void res.resume();
		if (res.statusCode !== 200) throw new Refused(res.statusCode ?? 0, await text(res));
		// Already parsed: relayed as it is, not encoded and parsed again.
		await readMessages(res, (answer) => this.relay(answer));
	}

	private async findServer(): Promise<DiscoveredServer> {
		const deadline = Date.now() + (this.options.waitForServerMs ?? 30_000);
		for (;;) {
			const named = this.options.discoveryFile ? await readServer(this.options.discoveryFile) : undefined;
			const found = named ?? (await serverFor(await listServers(this.options.root), this.options.workspace));
			if (found) return found;
			if (Date.now() >= deadline) {
				throw new Error(`No MCP Workbench server is running for ${this.options.workspace}. Open that folder in VS Code with MCP Workbench installed (its server starts with the window), or pass --workspace <folder>.`);
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	private async credential(server: DiscoveredServer): Promise<string> {
		const id = this.options.clientId;
		if (!id) throw new Error('No client given: start the launcher with --client <id>, as "MCP Workbench: Connect a Client…" writes it.');
		const ref = server.record.credentials[id];
		if (!ref) throw new Error(`MCP Workbench knows no connected client "${id}": it was revoked, or connected on another machine. Connect it again with "MCP Workbench: Connect a Client…".`);
		return (await readFile(ref.path, 'utf8')).trim();
	}

	private answerError(message: Message, error: unknown): void {
		if (this.closing) return;
		this.options.log(describe(error));
		if (message.id === undefined || message.id === null || !message.method) return;
		this.answer(message.id, describe(error));
	}

	private answer(id: Id, text: string): void {
		this.options.send({ jsonrpc: '2.0', id, error: { code: SERVER_ERROR, message: text } });
	}
}

/** The server's own message for a refusal (a revoked token says so), or the error's. */
function describe(error: unknown): string {
	if (error instanceof Refused) {
		try {
			const body = JSON.parse(error.body) as { error?: { message?: string } };
			if (body.error?.message) return `MCP Workbench: ${body.error.message}`;
		} catch {
			// not JSON: fall through
		}
		return `MCP Workbench answered HTTP ${error.status}: ${error.body.slice(0, 500)}`;
	}
	return error instanceof Error ? error.message : String(error);
}

function target(upstream: Pick<Upstream, 'server' | 'token' | 'sessionId' | 'protocolVersion' | 'agent'>, method: string, headers: Record<string, string>) {
	const { record } = upstream.server;
	const url = new URL(record.url);
	const all: Record<string, string> = { authorization: `Bearer ${upstream.token}`, ...headers };
	if (upstream.sessionId) all['mcp-session-id'] = upstream.sessionId;
	if (upstream.protocolVersion) all['mcp-protocol-version'] = upstream.protocolVersion;
	// The private socket when there is one: no port to race for, and only this user can open it.
	const where = record.socketPath ? { socketPath: record.socketPath } : { host: url.hostname, port: Number(url.port) };
	return { ...where, path: url.pathname, method, agent: upstream.agent, headers: all };
}

function exchange(upstream: Pick<Upstream, 'server' | 'token' | 'sessionId' | 'protocolVersion' | 'agent'>, method: string, message: Message | undefined): Promise<IncomingMessage> {
	const body = message === undefined ? undefined : JSON.stringify(message);
	const headers: Record<string, string> = { accept: 'application/json, text/event-stream' };
	if (body !== undefined) {
		headers['content-type'] = 'application/json';
		headers['content-length'] = String(Buffer.byteLength(body));
	}
	return new Promise((resolve, reject) => {
		let sent = false;
		const req = request(target(upstream, method, headers), resolve);
		req.on('socket', (socket) => {
			socket.setNoDelay(true);
		});
		req.on('finish', () => {
			sent = true;
		});
		req.on('error', (error: NodeJS.ErrnoException) => {
			// Refused or absent: nothing reached a server. Anything else may have reached it.
			const notDelivered = error.code === 'ECONNREFUSED' || error.code === 'ENOENT' || !sent;
			reject(new TransportError(error.message, !notDelivered));
		});
		req.end(body);
	});
}

/** Every JSON-RPC message of an answer: a JSON body (one or a batch) or an SSE stream, as it arrives. */
function readMessages(res: IncomingMessage, each: (message: Message) => void): Promise<void> {
	return new Promise((resolve, reject) => {
		res.setEncoding('utf8');
		const deliver = (data: string) => {
			try {
				const parsed = JSON.parse(data) as Message | Message[];
				for (const message of Array.isArray(parsed) ? parsed : [parsed]) each(message);
			} catch {
				// a malformed event is skipped, the rest still flows
			}
		};
		if ((res.headers['content-type'] ?? '').includes('text/event-stream')) {
			const parser = new SseParser(deliver);
			res.on('data', (chunk: string) => parser.push(chunk));
		} else {
			let body = '';
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => body && deliver(body));
		}
		res.on('error', (error) => reject(new TransportError(error.message, true)));
		// A server that stops mid-answer closes the stream before its end.
		res.on('close', () => (res.complete ? resolve() : reject(new TransportError('the server closed the answer before it was complete', true))));
	});
}

function text(res: IncomingMessage): Promise<string> {
	return new Promise((resolve) => {
		let body = '';
		res.setEncoding('utf8');
		res.on('data', (chunk: string) => (body += chunk));
		res.on('end', () => resolve(body));
		res.on('error', () => resolve(body));
	});
}
