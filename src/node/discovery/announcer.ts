import { readFile, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { DisposableStore, type Disposable } from '../../core/base/disposable';
import type { Logger } from '../../core/base/log';
import type { WorkbenchServer } from '../server/workbenchServer';
import { credentialPath, discoveryPath, DISCOVERY_FORMAT, ensureCredentialsFolder, publishServer, unpublishServer, type CredentialRef } from './discovery';
import { writePrivateFile } from './privateFiles';

export interface AnnouncerOptions {
	/** `~/.mcp-workbench` (workbenchHome()). */
	readonly root: string;
	readonly server: WorkbenchServer;
	readonly folders: () => readonly string[];
	readonly version: string;
	readonly log: Logger;
}

/**
 * Keeps the server's discovery file and the connected clients' credential files in step with the server: published
 * when it runs, rewritten when folders or clients change, removed when it stops. Every change runs after the one
 * before, so the file on disk always ends as the last state.
 */
export class ServerAnnouncer implements Disposable {
	private readonly disposables = new DisposableStore();
	private path: string | undefined;
	private startedAt = '';
	/** Clients whose credential file this window wrote: only those are removed here on revocation. */
	private readonly written = new Set<string>();
	private queue: Promise<void> = Promise.resolve();

	constructor(private readonly options: AnnouncerOptions) {
		this.disposables.add(options.server.onDidChangeState(() => void this.sync()));
		this.disposables.add(options.server.tokens.onDidChange(() => void this.sync()));
	}

	/** Where this server is announced now, for the terminals' environment; undefined while stopped. */
	get file(): string | undefined {
		return this.path;
	}

	/** Call when the workspace folders changed. Resolves once the file on disk says so. */
	sync(): Promise<void> {
		const next = this.queue.then(() => this.write());
		this.queue = next.catch((error: unknown) => this.options.log.warn('discovery.write_failed', { error: error instanceof Error ? error.message : String(error) }));
		return this.queue;
	}

	private async write(): Promise<void> {
		const { server, root } = this.options;
		const connection = server.state === 'running' ? server.current : undefined;
		const clients = server.tokens.clients();
		for (const id of [...this.written]) {
			if (clients.some((client) => client.id === id)) continue;
			await rm(credentialPath(root, id), { force: true });
			this.written.delete(id);
		}
		if (!connection) {
			if (this.path) await unpublishServer(this.path);
			this.path = undefined;
			return;
		}
		const credentials: Record<string, CredentialRef> = {};
		if (clients.length > 0) await ensureCredentialsFolder(root);
		for (const client of clients) {
			const path = credentialPath(root, client.id);
			const current = await readFile(path, 'utf8').catch(() => undefined);
			if (current?.trim() !== client.token) await writePrivateFile(path, `${client.token}\n`);
			this.written.add(client.id);
			credentials[client.id] = { name: client.name, path };
		}
		if (!this.path) {
			this.path = discoveryPath(root);
			this.startedAt = new Date().toISOString();
		}
		await publishServer(this.path, {
			format: DISCOVERY_FORMAT,
			pid: process.pid,
			id: basename(this.path, '.json'),
			workspaceFolders: [...this.options.folders()],
			url: connection.url,
			...(connection.socketPath ? { socketPath: connection.socketPath } : {}),
			protocolVersions: SUPPORTED_PROTOCOL_VERSIONS,
			extensionVersion: this.options.version,
			startedAt: this.startedAt,
			credentials,
		});
	}

	/** Removes the discovery file (credential files stay: they outlive this window until their client is revoked). */
	async dispose(): Promise<void> {
		this.disposables.dispose();
		await this.queue;
		if (this.path) await unpublishServer(this.path);
		this.path = undefined;
	}
}
