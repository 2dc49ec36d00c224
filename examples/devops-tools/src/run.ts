import { execFile } from 'node:child_process';

/** What a program printed and how it ended. */
export interface Ran {
	readonly stdout: string;
	readonly stderr: string;
	readonly code: number;
}

/** The program is not installed (or not on PATH): the agent should tell the user, not retry. */
export class ProgramMissing extends Error {
	constructor(readonly program: string, readonly hint: string) {
		super(`${program} was not found on PATH, so nothing ran. ${hint}`);
		this.name = 'ProgramMissing';
	}
}

/** Most output kept from one run; the gate cuts the answer further to the user's limit. */
const MAX_BUFFER = 8 * 1024 * 1024;

/**
 * Runs a program with an argument array, never through a shell: no argument can become a second command, a
 * redirection or a glob. The signal (the gate's timeout and the client's cancellation) kills it.
 */
export function runProgram(program: string, args: readonly string[], signal: AbortSignal, hint: string): Promise<Ran> {
	return new Promise((resolve, reject) => {
		execFile(program, [...args], { signal, maxBuffer: MAX_BUFFER, encoding: 'utf8', windowsHide: true, shell: false }, (error, stdout, stderr) => {
			if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new ProgramMissing(program, hint));
			if (error && error.name === 'AbortError') return reject(error);
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({ stdout, stderr, code });
		});
	});
}

/** The answer for a program that failed: its exit code and what it said on stderr. */
export function failure(program: string, args: readonly string[], ran: Ran): { text: string; isError: true } {
	return { text: `${program} ${args.join(' ')} exited with code ${ran.code}:\n${ran.stderr.trim() || ran.stdout.trim() || '(no output)'}`, isError: true };
}
