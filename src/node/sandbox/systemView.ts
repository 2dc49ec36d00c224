import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { HiddenPath, SystemEntry } from '../../core/sandbox/bwrapArguments';

/**
 * What of the machine a sandboxed process sees besides the workspace: the folders programs and libraries live in,
 * read-only, minus the files in them that hold secrets; and from the home folder only what the allowed programs read
 * to behave as the user configured them, none of it a key, a token or a credential store.
 */

/** Programs, libraries, their configuration. Not /home, /root, /run, /var, /srv, /mnt, /media or /tmp: user data and sockets. */
const SYSTEM_FOLDERS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt', '/nix'];

/** Secrets in /etc that a root process (or a misconfigured permission) could read. */
const ETC_SECRET_FILES = ['/etc/shadow', '/etc/shadow-', '/etc/gshadow', '/etc/gshadow-', '/etc/sudoers', '/etc/security/opasswd', '/etc/machine-id'];
const ETC_SECRET_FOLDERS = ['/etc/ssl/private', '/etc/sudoers.d', '/etc/NetworkManager/system-connections', '/etc/wireguard', '/etc/docker', '/etc/ipsec.d/private'];

/**
 * Read from home, read-only: git's own configuration (the user's name, aliases, ignore and attribute files; git
 * refuses credential helpers no network can reach anyway) and the folders language toolchains install programs into,
 * so `node --version` works for a user of nvm. Never ~/.ssh, ~/.aws, ~/.config/gh, ~/.npmrc, ~/.netrc, ~/.docker,
 * ~/.kube, ~/.git-credentials, keyrings or browser profiles.
 */
const HOME_READ_ONLY = [
	'.gitconfig', '.config/git/config', '.config/git/ignore', '.config/git/attributes', '.gitignore_global', '.inputrc',
	'.nvm/versions', '.volta/bin', '.volta/tools/image', '.local/share/fnm/node-versions', '.cargo/bin', '.rustup/toolchains',
	'.pyenv/versions', '.pyenv/shims', '.local/bin', '.bun/bin', '.deno/bin', '.sdkman/candidates', 'go/bin',
];

export function systemEntries(): SystemEntry[] {
	const entries: SystemEntry[] = [];
	for (const path of SYSTEM_FOLDERS) {
		const stats = lstatOrUndefined(path);
		if (!stats) continue;
		if (stats.isSymbolicLink()) entries.push({ path, linkTarget: readlinkSync(path) });
		else if (stats.isDirectory()) entries.push({ path });
	}
	return entries;
}

export function systemSecrets(): HiddenPath[] {
	const hidden: HiddenPath[] = [];
	for (const path of ETC_SECRET_FILES) if (isKind(path, 'file')) hidden.push({ path, directory: false });
	for (const path of ETC_SECRET_FOLDERS) if (isKind(path, 'directory')) hidden.push({ path, directory: true });
	// Host keys: a process could impersonate this machine with them.
	for (const name of safeReaddir('/etc/ssh')) {
		if (/_key$/.test(name)) hidden.push({ path: join('/etc/ssh', name), directory: false });
	}
	return hidden;
}

export function homeReadOnly(home: string): string[] {
	return HOME_READ_ONLY.map((relative) => join(home, relative)).filter((path) => existsSync(path) && !lstatOrUndefined(path)?.isSymbolicLink());
}

function isKind(path: string, kind: 'file' | 'directory'): boolean {
	const stats = lstatOrUndefined(path);
	return stats !== undefined && (kind === 'file' ? stats.isFile() : stats.isDirectory());
}

function lstatOrUndefined(path: string) {
	try {
		return lstatSync(path);
	} catch {
		return undefined;
	}
}

function safeReaddir(path: string): string[] {
	try {
		return readdirSync(path);
	} catch {
		return [];
	}
}
