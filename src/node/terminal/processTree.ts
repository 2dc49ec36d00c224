import { spawnSync } from 'node:child_process';

/** Grace between SIGTERM and SIGKILL when killing a tree. */
export const DEFAULT_KILL_GRACE_MS = 1500;

/**
 * Kills every descendant of a process (not the process itself): used on a terminal's shell, which must survive
 * while the command it runs dies. Children first learn of it by SIGTERM, survivors get SIGKILL after the grace.
 */
export async function killDescendants(rootPid: number, graceMs = DEFAULT_KILL_GRACE_MS): Promise<number[]> {
	const victims = descendantsOf(rootPid);
	await terminateAll(() => victims.filter(isAlive), graceMs);
	return victims;
}

/**
 * SIGTERM to every process `find` names now; SIGKILL, after the grace, to those it still names. `find` is asked
 * again each time, so a caller that finds processes afresh (by their environment) also reaches late forks.
 */
export async function terminateAll(find: () => number[], graceMs: number): Promise<void> {
	const first = find();
	if (first.length === 0) {
		return;
	}
	for (const pid of first) {
		trySignal(pid, 'SIGTERM');
	}
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && find().length > 0) {
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	for (const pid of find()) {
		trySignal(pid, 'SIGKILL');
	}
}

function descendantsOf(rootPid: number): number[] {
	if (process.platform === 'win32') {
		return [];
	}
	const listing = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
	if (listing.status !== 0) {
		return [];
	}
	const children = new Map<number, number[]>();
	for (const line of listing.stdout.split('\n')) {
		const [pid, ppid] = line.trim().split(/\s+/).map(Number);
		if (Number.isInteger(pid) && Number.isInteger(ppid)) {
			children.set(ppid, [...(children.get(ppid) ?? []), pid]);
		}
	}
	const found: number[] = [];
	const queue = [...(children.get(rootPid) ?? [])];
	while (queue.length > 0) {
		const pid = queue.shift() as number;
		found.push(pid);
		queue.push(...(children.get(pid) ?? []));
	}
	return found;
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(pid, signal);
	} catch {
		// Already gone.
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
