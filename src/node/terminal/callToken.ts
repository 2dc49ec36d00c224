import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every unsandboxed process a call starts carries this variable, inherited by whatever it starts in turn. A process
 * that leaves the process group (`setsid`), forks twice or is re-parented to init is no longer found by its group or
 * its parent, but still by its environment: reading /proc/<pid>/environ finds every process of the call. (Sandboxed
 * calls need none of this: their PID namespace ends with them.)
 */
export const CALL_TOKEN_VARIABLE = 'MCP_WORKBENCH_CALL';

/** `<pid of this process>-<random>`: the owner's pid lets a later start find what a crashed editor left running. */
export function newCallToken(): string {
	return `${process.pid}-${randomBytes(8).toString('hex')}`;
}

/** Processes (other than this one) whose environment holds a token that `matches`; Linux only, else none. */
export function processesWithToken(matches: (token: string) => boolean): number[] {
	if (process.platform !== 'linux') return [];
	const found: number[] = [];
	const needle = `${CALL_TOKEN_VARIABLE}=`;
	for (const name of safeReaddir('/proc')) {
		if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
		let environ: string;
		try {
			environ = readFileSync(`/proc/${name}/environ`, 'latin1');
		} catch {
			continue; // Gone, or not ours to read.
		}
		const at = environ.indexOf(needle);
		if (at < 0) continue;
		const end = environ.indexOf('\0', at);
		if (matches(environ.slice(at + needle.length, end < 0 ? undefined : end))) found.push(Number(name));
	}
	return found;
}

/** SIGTERM to every process of the call now, SIGKILL to those left after the grace; resolves when none is left. */
export async function killCall(token: string, graceMs: number): Promise<void> {
	await killAll(() => processesWithToken((found) => found === token), graceMs);
}

/**
 * What an editor that died left running: processes whose token names an owner that is gone. Called when a server
 * starts, since a quiet command outlives a killed extension host (its group is its own).
 */
export async function killOrphanedCalls(graceMs: number): Promise<number> {
	const orphans = () => processesWithToken((token) => !isAlive(Number(token.split('-')[0])));
	const count = orphans().length;
	await killAll(orphans, graceMs);
	return count;
}

async function killAll(find: () => number[], graceMs: number): Promise<void> {
	const first = find();
	if (first.length === 0) return;
	for (const pid of first) signal(pid, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && find().length > 0) await new Promise((resolve) => setTimeout(resolve, 25));
	for (const pid of find()) signal(pid, 'SIGKILL');
}

function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch {
		// Already gone.
	}
}

function isAlive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function safeReaddir(path: string): string[] {
	try {
		return readdirSync(path);
	} catch {
		return [];
	}
}
