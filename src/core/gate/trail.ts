import type { AuditEntry, Decision, Outcome } from '../audit/auditRecord';
import { shorten } from '../base/text';
import type { ResourceContents } from '../tools/resourceSpec';
import type { ToolFamily } from '../tools/toolSpec';
import type { TraceContext } from '../audit/traceContext';

/** Who made a call, as its audit record names them. */
export interface Caller {
	readonly sessionId: string;
	/** `name`: whose credential the call came with; `says`: the name the client declared, when it differs. */
	readonly client: { readonly name: string; readonly version: string; readonly says?: string };
	/** The client's trace context for this request, recorded so the audit record can be found from its trace. */
	readonly trace?: TraceContext;
}

/** Removes secrets from values and text before they are recorded or answered. */
export interface Redact {
	value(value: unknown): unknown;
	text(text: string): string;
}

/** How a call ended, as the gate answers it; a resource read also carries its contents. */
export interface Finished {
	readonly text: string;
	readonly structured?: unknown;
	readonly isError: boolean;
	readonly contents?: readonly ResourceContents[];
}

/** Collects what the audit record needs while the call moves through the gate. */
export class Trail {
	family: ToolFamily | 'unknown' = 'unknown';
	/** The contributing extension of a tool added through the API. */
	extension: string | undefined;
	arguments: unknown;
	summary: string | undefined;
	truncated = false;
	/** The whole result's bytes, when the answer was cut to the result budget. */
	fullBytes: number | undefined;
	/** How long the handler ran, once it did. */
	runMs: number | undefined;
	outcome: Outcome = 'error';
	/** Where a command ran, and how it ended: "OK" with exit code 2 is a failed command. */
	cwd: string | undefined;
	exitCode: number | undefined;
	private decision: Decision = 'none';
	private decidedBy = 'none';
	private decidedHow: string | undefined;
	private reason: string | undefined;

	constructor(
		private readonly origin: Caller,
		readonly name: string,
		argumentsAsSent: unknown,
		readonly started: number,
		private readonly redact: Redact,
	) {
		this.arguments = argumentsAsSent;
	}

	/** `how`: the rule, grant or person as a sentence, kept with the record (a grant's label is gone once revoked). */
	decide(decision: Decision, by: string, reason?: string, how?: string): void {
		this.decision = decision;
		this.decidedBy = by;
		this.reason = reason;
		this.decidedHow = how;
	}

	/** Why the call ended as it did, when the decision itself does not say (a run stopped by the server's stop). */
	explain(reason: string): void {
		this.reason = reason;
	}

	finish(outcome: Outcome, text: string, structured?: unknown, contents?: readonly ResourceContents[]): Finished {
		this.outcome = outcome;
		const isError = outcome !== 'ok';
		if (isError && this.reason === undefined) this.reason = text;
		return { text, ...(structured === undefined ? {} : { structured }), ...(contents ? { contents } : {}), isError };
	}

	entry(durationMs: number, resultBytes: number): AuditEntry {
		return {
			time: new Date(this.started).toISOString(),
			client: this.origin.client,
			sessionId: this.origin.sessionId,
			...(this.origin.trace ? { trace: this.origin.trace } : {}),
			tool: this.name,
			family: this.family,
			...(this.extension ? { extension: this.extension } : {}),
			arguments: boundedForAudit(this.redact.value(this.arguments)),
			...(this.summary ? { summary: shorten(this.redact.text(this.summary), AUDIT_STRING_CHARS) } : {}),
			decision: this.decision,
			decidedBy: this.decidedBy,
			...(this.decidedHow ? { decidedHow: shorten(this.redact.text(this.decidedHow), AUDIT_STRING_CHARS) } : {}),
			...(this.reason ? { reason: shorten(this.redact.text(this.reason), AUDIT_STRING_CHARS) } : {}),
			...(this.cwd !== undefined ? { cwd: shorten(this.cwd, AUDIT_STRING_CHARS) } : {}),
			...(this.exitCode !== undefined ? { exitCode: this.exitCode } : {}),
			durationMs,
			outcome: this.outcome,
			resultBytes,
			truncated: this.truncated,
			...(this.fullBytes !== undefined ? { fullBytes: this.fullBytes } : {}),
		};
	}
}

/** Most of a caller's own text (a tool name, a URI) an answer repeats back. */
export const ECHO_CHARS = 300;
/**
 * The audit keeps a bounded history (its oldest file goes when a new one starts), so one record must not be able to
 * push out thousands: a string in a record keeps its head and tail, and arguments whose JSON is still too large are
 * kept as their head alone. Refused calls record their arguments too, and refusals are not rate limited.
 */
const AUDIT_STRING_CHARS = 8 * 1024;
const AUDIT_ARGUMENT_CHARS = 64 * 1024;

function shortenStrings(value: unknown): unknown {
	if (typeof value === 'string') return shorten(value, AUDIT_STRING_CHARS);
	if (Array.isArray(value)) return value.map(shortenStrings);
	if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [shorten(key, AUDIT_STRING_CHARS), shortenStrings(item)]));
	}
	return value;
}

/**
 * Whether a value's JSON stays within the bounds as it is, found without copying it (nearly every call's arguments
 * do): what is left of `budget`, or -1 when a string is too long, the value too large or not plain JSON data.
 */
function leftOfBudget(value: unknown, budget: number): number {
	if (budget < 0) return -1;
	switch (typeof value) {
		case 'string':
			return value.length > AUDIT_STRING_CHARS ? -1 : budget - value.length - 2;
		case 'number':
		case 'boolean':
		case 'undefined':
			return budget - 24;
		case 'object':
			break;
		default:
			return -1;
	}
	if (value === null) return budget - 4;
	if (Array.isArray(value)) {
		let left = budget - 2;
		for (const item of value) {
			left = leftOfBudget(item, left - 1);
			if (left < 0) return -1;
		}
		return left;
	}
	if (Object.getPrototypeOf(value) !== Object.prototype) return -1;
	let left = budget - 2;
	for (const key in value) {
		if (key.length > AUDIT_STRING_CHARS) return -1;
		left = leftOfBudget((value as Record<string, unknown>)[key], left - key.length - 4);
		if (left < 0) return -1;
	}
	return left;
}

function boundedForAudit(value: unknown): unknown {
	if (leftOfBudget(value, AUDIT_ARGUMENT_CHARS) >= 0) return value;
	const bounded = shortenStrings(value);
	const json = JSON.stringify(bounded) ?? '';
	if (json.length <= AUDIT_ARGUMENT_CHARS) return bounded;
	return { '[truncated]': `${json.slice(0, AUDIT_STRING_CHARS)}…`, characters: json.length };
}
