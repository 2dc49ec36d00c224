import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Emitter } from '../../core/base/event';
import type { ConnectKind } from '../../core/server/connectClient';

/** A client connected through "Connect a Client…": its token outlives server restarts until it is revoked. */
export interface ConnectedClient {
	/** Stable, file-name safe: names the client's credential file and its launcher's `--client` argument. */
	readonly id: string;
	readonly name: string;
	readonly token: string;
	readonly created: string;
	/** The client it was connected for (absent in credentials saved before it was kept). */
	readonly kind?: ConnectKind;
}

/** What is kept of a revoked token: enough to tell its client why it is refused, nothing that would let it in. */
export interface RevokedClient {
	readonly name: string;
	/** sha256 of the token, hex. */
	readonly digest: string;
	readonly revoked: string;
}

export interface VaultContents {
	readonly clients: readonly ConnectedClient[];
	readonly revoked: readonly RevokedClient[];
}

/** Where connected clients' tokens persist: SecretStorage in the extension, memory in tests. */
export interface TokenVault {
	load(): Promise<VaultContents>;
	save(contents: VaultContents): Promise<void>;
}

export function memoryVault(initial: VaultContents = { clients: [], revoked: [] }): TokenVault {
	let contents = initial;
	return {
		load: async () => contents,
		save: async (next) => {
			contents = next;
		},
	};
}

/** Revocations remembered, so a revoked client hears why for a while; the oldest go first. */
const MAX_REVOKED = 200;

/**
 * Bearer tokens of named clients. A call's client is the name of the token it came with, not what the client says
 * about itself in `initialize`, which anyone can choose. Two kinds:
 * - connected clients ("Connect a Client…"): kept in the vault, valid across restarts, windows and reloads until
 *   revoked; the stdio launcher reads them from a private file.
 * - copied configurations ("Copy Client Configuration…"): valid only while the server run that minted them lasts,
 *   since the snippet holds the token itself.
 */
export class ClientTokens {
	private ephemeral: { readonly name: string; readonly digest: Buffer }[] = [];
	private connected: { readonly client: ConnectedClient; readonly digest: Buffer }[] = [];
	private revoked: RevokedClient[] = [];
	private readonly _onDidChange = new Emitter<void>();
	/** Fires when a client was connected or revoked, here or (after `reload`) in another window. */
	readonly onDidChange = this._onDidChange.event;

	/** `reserved`: names no token may get, such as the secret's ("VS Code"): a name must stand for one credential. */
	constructor(
		private readonly reserved: readonly string[] = [],
		private readonly vault: TokenVault = memoryVault(),
	) { }

	/** Reads the vault again (at start, and when another window changed it). */
	async reload(): Promise<void> {
		const contents = await this.vault.load();
		this.connected = contents.clients.map((client) => ({ client, digest: tokenDigest(client.token) }));
		this.revoked = [...contents.revoked];
		this._onDidChange.fire();
	}

	/** A new token for `name`, valid for this server run; a name already issued gets a number. */
	mint(name: string): { readonly token: string; readonly name: string } {
		const unique = this.uniqueName(name);
		const token = newToken();
		this.ephemeral.push({ name: unique, digest: tokenDigest(token) });
		return { token, name: unique };
	}

	/** Forgets the tokens of copied configurations: they end with the server run that minted them. */
	endRun(): void {
		this.ephemeral = [];
	}

	/** A lasting token for a client being connected, saved in the vault before it is returned. */
	async connect(name: string, kind?: ConnectKind): Promise<ConnectedClient> {
		await this.reload();
		const client: ConnectedClient = { id: randomUUID(), name: this.uniqueName(name), token: newToken(), created: new Date().toISOString(), ...(kind ? { kind } : {}) };
		this.connected.push({ client, digest: tokenDigest(client.token) });
		await this.persist();
		return client;
	}

	/** Revokes a connected client's token: its next request is refused with a message naming the revocation. */
	async revoke(id: string): Promise<ConnectedClient | undefined> {
		await this.reload();
		const entry = this.connected.find((candidate) => candidate.client.id === id);
		if (!entry) return undefined;
		this.connected = this.connected.filter((candidate) => candidate !== entry);
		this.revoked = [...this.revoked, { name: entry.client.name, digest: entry.digest.toString('hex'), revoked: new Date().toISOString() }].slice(-MAX_REVOKED);
		await this.persist();
		return entry.client;
	}

	/** The client a connected credential was made for, by its name; undefined for any other name. */
	kindOf(name: string): ConnectKind | undefined {
		return this.connected.find((entry) => entry.client.name === name)?.client.kind;
	}

	/** Connected clients, oldest first. */
	clients(): readonly ConnectedClient[] {
		return this.connected.map((entry) => entry.client);
	}

	/** The name the token was issued to, or undefined. Compares against every token, whatever matches first. */
	identify(token: string): string | undefined {
		const given = tokenDigest(token);
		let found: string | undefined;
		for (const entry of [...this.connected.map((c) => ({ name: c.client.name, digest: c.digest })), ...this.ephemeral]) {
			if (timingSafeEqual(given, entry.digest) && found === undefined) found = entry.name;
		}
		return found;
	}

	/** Why a token that `identify` does not know is refused, when it is a revoked one. */
	refusal(token: string): string | undefined {
		const given = tokenDigest(token).toString('hex');
		const revoked = this.revoked.find((entry) => entry.digest === given);
		if (!revoked) return undefined;
		return `The token of "${revoked.name}" was revoked in MCP Workbench (${revoked.revoked}). Connect the client again with "MCP Workbench: Connect a Client…".`;
	}

	get size(): number {
		return this.ephemeral.length + this.connected.length;
	}

	dispose(): void {
		this._onDidChange.dispose();
	}

	private uniqueName(name: string): string {
		const base = name.trim().slice(0, 80) || 'client';
		let unique = base;
		const taken = (candidate: string) =>
			this.reserved.includes(candidate) || this.ephemeral.some((entry) => entry.name === candidate) || this.connected.some((entry) => entry.client.name === candidate);
		for (let n = 2; taken(unique); n++) unique = `${base} (${n})`;
		return unique;
	}

	private async persist(): Promise<void> {
		await this.vault.save({ clients: this.clients(), revoked: this.revoked });
		this._onDidChange.fire();
	}
}

function newToken(): string {
	return randomBytes(32).toString('base64url');
}

function tokenDigest(token: string): Buffer {
	return createHash('sha256').update(token).digest();
}
