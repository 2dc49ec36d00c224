// Each running server announces itself in a private file under the user's home, so a client started anywhere on
// this machine (the stdio launcher, a CLI) finds the server of its workspace with no port or secret in its own
// configuration: ports change on every start, the file follows them. Claude Code's IDE integration does the same
// with its lock files. The folder is 0700 and every file 0600: only this user may read where the credentials are.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, realpath, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { privateFolder, writePrivateFile } from './privateFiles';

/** Format of the file, raised when a field changes meaning (readers skip files of another format). */
export const DISCOVERY_FORMAT = 1;

/** The terminal environment variables that name the server (VS Code's integrated terminals get them). */
export const ENV_DISCOVERY_FILE = 'MCP_WORKBENCH_DISCOVERY_FILE';
export const ENV_SERVER_URL = 'MCP_WORKBENCH_URL';
/** Overrides the folder everything lives in (default `~/.mcp-workbench`): tests, or a user who wants it elsewhere. */
export const ENV_HOME = 'MCP_WORKBENCH_HOME';

export interface CredentialRef {
	/** The client's name, as cards and the audit show it. */
	readonly name: string;
	/** The file holding its bearer token (0600). */
	readonly path: string;
}

export interface DiscoveryRecord {
	readonly format: typeof DISCOVERY_FORMAT;
	readonly pid: number;
	/** Unique per server run: a restart publishes a new file. */
	readonly id: string;
	readonly workspaceFolders: readonly string[];
	readonly url: string;
	readonly socketPath?: string;
	readonly protocolVersions: readonly string[];
	readonly extensionVersion: string;
	readonly startedAt: string;
	/** By client id: where each connected client's credential lives. Never the credential itself. */
	readonly credentials: Readonly<Record<string, CredentialRef>>;
}

export interface DiscoveredServer {
	readonly path: string;
	readonly record: DiscoveryRecord;
}

/** `~/.mcp-workbench`, or what MCP_WORKBENCH_HOME names. */
export function workbenchHome(env: NodeJS.ProcessEnv = process.env): string {
	return env[ENV_HOME] || join(homedir(), '.mcp-workbench');
}

export function serversFolder(root: string): string {
	return join(root, 'servers');
}

export function credentialsFolder(root: string): string {
	return join(root, 'credentials');
}

export function credentialPath(root: string, clientId: string): string {
	return join(credentialsFolder(root), `${clientId}.token`);
}

/** A new file name for this process's server: the pid first, so a reader can tell a dead writer without opening it. */
export function discoveryPath(root: string, pid = process.pid): string {
	return join(serversFolder(root), `${pid}-${randomBytes(4).toString('hex')}.json`);
}

/** Writes (or rewrites) the server's file atomically, 0600 in a 0700 folder. */
export async function publishServer(path: string, record: DiscoveryRecord): Promise<void> {
	await writePrivateFile(path, `${JSON.stringify(record, null, '\t')}\n`);
}

export async function unpublishServer(path: string): Promise<void> {
	await rm(path, { force: true });
}

/**
 * Every server whose process still runs. Files of dead processes (a crash, a killed window) are removed on the way,
 * so they never send a client to a port someone else may hold by now; unreadable or foreign files are skipped.
 */
export async function listServers(root: string): Promise<DiscoveredServer[]> {
	const folder = serversFolder(root);
	let names: string[];
	try {
		names = await readdir(folder);
	} catch {
		return [];
	}
	const found: DiscoveredServer[] = [];
	for (const name of names) {
		if (!name.endsWith('.json')) continue;
		const path = join(folder, name);
		let record: DiscoveryRecord;
		try {
			record = JSON.parse(await readFile(path, 'utf8')) as DiscoveryRecord;
		} catch {
			continue;
		}
		if (record.format !== DISCOVERY_FORMAT || typeof record.pid !== 'number' || typeof record.url !== 'string') continue;
		if (!isAlive(record.pid)) {
			await rm(path, { force: true });
			continue;
		}
		found.push({ path, record });
	}
	return found;
}

/** Reads one named file (the terminal's MCP_WORKBENCH_DISCOVERY_FILE); undefined when gone or its process is dead. */
export async function readServer(path: string): Promise<DiscoveredServer | undefined> {
	try {
		const record = JSON.parse(await readFile(path, 'utf8')) as DiscoveryRecord;
		return record.format === DISCOVERY_FORMAT && isAlive(record.pid) ? { path, record } : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The server serving `directory`: among those with a workspace folder holding it, the one with the deepest such
 * folder (a nested project's own window wins over its parent's), then the most recently started.
 */
export async function serverFor(servers: readonly DiscoveredServer[], directory: string): Promise<DiscoveredServer | undefined> {
	const target = await realpath(directory).catch(() => directory);
	let best: { server: DiscoveredServer; depth: number } | undefined;
	for (const server of servers) {
		for (const folder of server.record.workspaceFolders) {
			const real = await realpath(folder).catch(() => folder);
			if (!contains(real, target)) continue;
			const depth = real.length;
			const better = !best || depth > best.depth || (depth === best.depth && server.record.startedAt > best.server.record.startedAt);
			if (better) best = { server, depth };
		}
	}
	return best?.server;
}

export async function ensureCredentialsFolder(root: string): Promise<string> {
	return privateFolder(credentialsFolder(root));
}

function contains(folder: string, path: string): boolean {
	const rel = relative(folder, path);
	return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Whether a process with this pid exists (one of another user's counts: it is not gone). */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to someone else; only ESRCH means it is gone.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
