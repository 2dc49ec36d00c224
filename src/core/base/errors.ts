/**
 * Why a call failed, for code that must tell failures apart (a directory where a file was expected, a file that
 * changed): callers branch on the reason, never on the wording of a message, which is written for the agent and
 * may change.
 */
export type ErrorReason =
	| 'invalid-input'
	| 'not-found'
	| 'is-directory'
	| 'not-a-file'
	| 'exists'
	| 'outside-workspace'
	| 'changed'
	| 'too-large'
	| 'binary'
	// A file with more than one hard link: its other names may be sensitive or outside the workspace.
	| 'hard-linked'
	| 'unavailable'
	| 'cancelled'
	| 'no-commits'
	| 'failed';

/** An error the agent can act on: the message says what went wrong and what to do next. */
export class ToolError extends Error {
	constructor(message: string, readonly reason: ErrorReason = 'failed') {
		super(message);
		this.name = 'ToolError';
	}
}

export function isToolError(error: unknown, reason?: ErrorReason): error is ToolError {
	return error instanceof ToolError && (reason === undefined || error.reason === reason);
}

export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
