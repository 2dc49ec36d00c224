import type { ToolFamily } from '../tools/toolSpec';
import type { TraceContext } from './traceContext';

/** How the gate decided: by policy, by the user, or not at all (the call failed validation first). */
export type Decision = 'allow' | 'approve' | 'deny' | 'none';

/** What happened to the call in the end. */
export type Outcome = 'ok' | 'error' | 'denied' | 'invalid' | 'rate_limited' | 'timeout' | 'cancelled';

/** One tool call, as the audit stores it: arguments and messages already redacted. */
export interface AuditEntry {
	/** ISO time the call arrived. */
	readonly time: string;
	/**
	 * `name`: the credential's (the token the user issued to this client); `says`: what the client declared itself to
	 * be in `initialize`, when that differs. Only `name` is established.
	 */
	readonly client: { readonly name: string; readonly version: string; readonly says?: string };
	readonly sessionId: string;
	/** The W3C trace context the client sent with the request (`_meta.traceparent`), when it sent a valid one. */
	readonly trace?: TraceContext;
	readonly tool: string;
	readonly family: ToolFamily | 'unknown';
	/** The extension (`publisher.name`) that contributed the tool, for tools added through the extension API. */
	readonly extension?: string;
	readonly arguments: unknown;
	/** One line: what the call touched ("edit src/a.ts"). */
	readonly summary?: string;
	readonly decision: Decision;
	/**
	 * Who or which rule decided: `default:read`, `setting:mcpWorkbench.policy.tools.write_file`, `sensitive:.env*`,
	 * `user`, `grant:session`, `timeout`, `trust`.
	 */
	readonly decidedBy: string;
	/** `decidedBy` as a sentence: the rule and its text, the grant and its pattern, the person, the timeout. */
	readonly decidedHow?: string;
	/** The deny reason the agent received, or the error message. */
	readonly reason?: string;
	/** The working directory of a command or task that ran. */
	readonly cwd?: string;
	/** The exit code of a command or task that ran to its end. */
	readonly exitCode?: number;
	readonly durationMs: number;
	readonly outcome: Outcome;
	/** Bytes the client received (text and structured content). */
	readonly resultBytes: number;
	readonly truncated: boolean;
	/**
	 * Bytes of the whole result, when the answer was cut to the result budget (`resultBytes` is then what was sent);
	 * the rest stayed readable as a `workbench://results/…` resource for the session.
	 */
	readonly fullBytes?: number;
}

/** An entry as written: numbered and chained to the one before it, so any edit or removal shows. */
export interface AuditRecord extends AuditEntry {
	readonly seq: number;
	/** Hash of the previous record ('' for the first record ever). */
	readonly prev: string;
	/**
	 * HMAC-SHA-256, keyed with the audit key (kept outside the audit folder), over this record's canonical JSON without
	 * `hash`. Records written before the chain was keyed hold a plain SHA-256 and no `chain`.
	 */
	readonly hash: string;
	/** `hmac-sha256`; absent on legacy records. */
	readonly chain?: 'hmac-sha256';
}

/** Where the gate sends entries; the store appends, the panel reads. */
export interface AuditSink {
	append(entry: AuditEntry): Promise<AuditRecord>;
}
