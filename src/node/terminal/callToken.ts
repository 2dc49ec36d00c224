import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { terminateAll } from './processTree';

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

/** SIGTERM to every process of the call now, SIGKILL to those left after the grace. */
export async function killCall(token: string, graceMs: number): Promise<void> {
	await terminateAll(() => processesWithToken((found) => found === token), graceMs);
}

/**
 * What an editor that died left running: processes whose token names an owner that is gone. Called when a server
 * starts, since a quiet command outlives a killed extension host (its group is its own).
 */
export async function killOrphanedCalls(graceMs: number): Promise<number> {
	const orphans = () => processesWithToken((token) => !ownerAlive(Number(token.split('-')[0])));
	const count = orphans().length;
	await terminateAll(orphans, graceMs);
	return count;
}

/** Whether the editor that made a token still runs (EPERM: it runs, as another user). */
function ownerAlive(pid: number): boolean {
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
