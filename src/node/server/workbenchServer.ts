import { randomBytes } from 'node:crypto';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { AuditRecord } from '../../core/audit/auditRecord';
import { Emitter, type Event } from '../../core/base/event';
import { editorOnClientEntry } from '../../core/server/editorOnClientEntry';
import type { ServerState } from '../../core/server/serverState';
import type { Gate } from '../../core/gate/gate';
import type { Logger } from '../../core/base/log';
import type { Host } from '../../core/host/host';
import type { OfferContext, ToolRegistry } from '../../core/tools/toolRegistry';
import { SERVER_ICONS } from '../../core/tools/icons';
import { ClientTokens, type TokenVault } from './clientTokens';
import { McpHttpServer, type ServerAddress } from './mcpHttpServer';
import { openSession } from './session';
import { StatelessEndpoint } from './statelessEndpoint';

/** The server's name in both eras' identity (initialize's serverInfo, and `_meta` serverInfo on every 2026 result). */
const SERVER_NAME = 'mcp-workbench';
const SERVER_TITLE = 'MCP Workbench';


export interface Connection extends ServerAddress {
	/** VS Code's own credential (its MCP server registration); never logged. Other clients get tokens of their own. */
	readonly secret: string;
}

export interface WorkbenchServerOptions {
	readonly version: string;
	readonly registry: ToolRegistry;
	readonly gate: Gate;
	/** What resource listing and completion read (reads themselves pass the gate). */
	readonly host: Host;
	readonly offer: () => OfferContext;
	readonly log: Logger;
	readonly useSocket: boolean;
	readonly idleTimeoutMs?: number;
	readonly maxBodyBytes?: number;
	/** Prometheus text for `/metrics`. */
	readonly metricsText?: () => string;
	/** Whose credential the secret is, on cards and in the audit. Default "VS Code" (the extension's own registration). */
	readonly secretName?: string;
	/** Called with each new secret before it is used, so redaction knows it. */
	readonly onSecret?: (secret: string) => void;
	readonly instructions?: string;
	/** Each record the gate appends to the audit: sessions re-check their listed resources on it. */
	readonly onDidRecord?: Event<AuditRecord>;
	/** Where connected clients' tokens persist (SecretStorage in the extension); default: memory. */
	readonly vault?: TokenVault;
}

/** The server's lifecycle: a fresh secret and port on every start, everything closed on stop. */
export class WorkbenchServer {
	private http: McpHttpServer | undefined;
	/** The 2026-07-28 era's front end on the same endpoint; it holds only the open subscriptions/listen streams. */
	private stateless: StatelessEndpoint | undefined;
	private connection: Connection | undefined;
	/**
	 * Other clients' tokens: connected clients' last until revoked; copied configurations' end with the run, like
	 * the secret.
	 */
	readonly tokens: ClientTokens;
	private readonly servers = new Set<Server>();
	/** Open sessions per credential name: whether VS Code's own client is connected right now. */
	private readonly openSessions = new Map<string, number>();
	/** Requests received per credential and method while the server ran: what each client asked for (prompts/list …). */
	private readonly requests = new Map<string, Map<string, number>>();
	private readonly schemaValidator = new AjvJsonSchemaValidator();
	private _state: ServerState = 'stopped';
	private transition: Promise<void> = Promise.resolve();
	private readonly _onDidChangeState = new Emitter<ServerState>();
	readonly onDidChangeState = this._onDidChangeState.event;
	private readonly _onDidChangeSessions = new Emitter<number>();
	readonly onDidChangeSessions = this._onDidChangeSessions.event;

	constructor(private readonly options: WorkbenchServerOptions) {
		this.tokens = new ClientTokens([options.secretName ?? 'VS Code'], options.vault);
		// Redaction learns every connected client's token, also those another window connected.
		this.tokens.onDidChange(() => {
			for (const client of this.tokens.clients()) options.onSecret?.(client.token);
		});
	}

	get state(): ServerState {
		return this._state;
	}

	get current(): Connection | undefined {
		return this.connection;
	}

	get sessionCount(): number {
		return this.http?.sessionCount ?? 0;
	}

	sessionsByTransport(): { socket: number; tcp: number } {
		return this.http?.sessionsByTransport() ?? { socket: 0, tcp: 0 };
	}

	start(): Promise<void> {
		return this.serialize(async () => {
			if (this.http) return;
			this.setState('starting');
			this.requests.clear();
			const secret = randomBytes(32).toString('base64url');
			this.options.onSecret?.(secret);
			const secretName = this.options.secretName ?? 'VS Code';
			const tokens = this.tokens;
			tokens.endRun();
			await tokens.reload();
			for (const client of tokens.clients()) this.options.onSecret?.(client.token);
			const stateless = new StatelessEndpoint({
				name: SERVER_NAME,
				title: SERVER_TITLE,
				version: this.options.version,
				icons: SERVER_ICONS,
				registry: this.options.registry,
				gate: this.options.gate,
				host: this.options.host,
				offer: this.options.offer,
				log: this.options.log,
				...(this.options.instructions ? { instructions: this.options.instructions } : {}),
			});
			const http = new McpHttpServer({
				stateless,
				secret,
				secretName,
				identify: (token) => tokens.identify(token),
				explainRefusal: (token) => tokens.refusal(token),
				refuseSession: (client, says) => editorOnClientEntry({ name: client, kind: tokens.kindOf(client) }, says),
				log: this.options.log,
				useSocket: this.options.useSocket,
				idleTimeoutMs: this.options.idleTimeoutMs,
				maxBodyBytes: this.options.maxBodyBytes,
				routes: this.options.metricsText ? { '/metrics': (res) => sendMetrics(res, this.options.metricsText?.() ?? '') } : {},
				openSession: async (client) => {
					const session = await openSession({
						client,
						name: SERVER_NAME,
						version: this.options.version,
						registry: this.options.registry,
						gate: this.options.gate,
						host: this.options.host,
						offer: this.options.offer,
						schemaValidator: this.schemaValidator,
						...(this.options.onDidRecord ? { onDidRecord: this.options.onDidRecord } : {}),
						onRequest: (method) => this.countRequest(client, method),
						...(this.options.instructions ? { instructions: this.options.instructions } : {}),
					});
					this.servers.add(session.server);
					this.openSessions.set(client, (this.openSessions.get(client) ?? 0) + 1);
					this._onDidChangeSessions.fire(this.servers.size);
					return {
						transport: session.transport,
						close: async () => {
							if (this.servers.delete(session.server)) this.dropOpenSession(client);
							this._onDidChangeSessions.fire(this.servers.size);
							this.options.gate.endSession(session.transport.sessionId);
							await session.close();
						},
					};
				},
			});
			try {
				const address = await http.listen();
				this.http = http;
				this.stateless = stateless;
				this.connection = { ...address, secret };
				this.setState('running');
			} catch (error) {
				await http.close();
				this.options.log.error('server.start_failed', { error: error instanceof Error ? error.message : String(error) });
				this.setState('error');
				throw error;
			}
		});
	}

	/**
	 * A token for another client, named after it: its calls show that name on cards and in the audit. Valid until the
	 * server stops or restarts.
	 */
	mintToken(name: string): { readonly token: string; readonly name: string } {
		if (!this.http) throw new Error('the server is stopped. Start it first: a token is valid only while it runs.');
		const minted = this.tokens.mint(name);
		this.options.onSecret?.(minted.token);
		return minted;
	}

	stop(): Promise<void> {
		return this.serialize(async () => {
			const http = this.http;
			this.http = undefined;
			this.stateless = undefined;
			this.connection = undefined;
			if (http) await http.close();
			this.servers.clear();
			this.openSessions.clear();
			this.setState('stopped');
		});
	}

	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	/** Sessions the client with this credential name has open now ("VS Code": the editor's own MCP client). */
	sessionsOf(client: string): number {
		return this.openSessions.get(client) ?? 0;
	}

	private dropOpenSession(client: string): void {
		const left = (this.openSessions.get(client) ?? 0) - 1;
		if (left > 0) this.openSessions.set(client, left);
		else this.openSessions.delete(client);
	}

	/** How many requests of each method the client with this credential name has sent since the server started. */
	requestsFrom(client: string): Readonly<Record<string, number>> {
		return Object.fromEntries(this.requests.get(client) ?? []);
	}

	private countRequest(client: string, method: string): void {
		let counts = this.requests.get(client);
		if (!counts) {
			// Bounded: credential names are minted by the user, methods are checked against the protocol's before this.
			if (this.requests.size >= 1000) return;
			counts = new Map();
			this.requests.set(client, counts);
		}
		if (counts.size < 200 || counts.has(method)) counts.set(method, (counts.get(method) ?? 0) + 1);
	}

	/** Tells every connected client to fetch the lists again (trust or enabled families changed). */
	notifyToolsChanged(): void {
		for (const server of this.servers) {
			if (!server.transport) continue;
			void server.sendToolListChanged().catch(() => undefined);
			void server.sendResourceListChanged().catch(() => undefined);
			void server.sendPromptListChanged().catch(() => undefined);
		}
		this.stateless?.notify('tools');
		this.stateless?.notify('resources');
		this.stateless?.notify('prompts');
	}

	private setState(state: ServerState): void {
		this._state = state;
		this._onDidChangeState.fire(state);
	}

	/** Start and stop never interleave, whoever calls them. */
	private serialize(work: () => Promise<void>): Promise<void> {
		const next = this.transition.then(work);
		this.transition = next.catch(() => undefined);
		return next;
	}

	async dispose(): Promise<void> {
		await this.stop();
		this._onDidChangeState.dispose();
		this._onDidChangeSessions.dispose();
		this.tokens.dispose();
	}
}

function sendMetrics(res: import('node:http').ServerResponse, text: string): void {
	res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}
