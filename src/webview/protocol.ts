// Messages between the extension host and the sidebar webview, and the view models both sides share.
// The webview imports this file with `import type` only, so zod stays out of the browser bundle.
import { z } from 'zod';
import type { AuditRecord } from '../core/audit/auditRecord';
import type { ServerState } from '../core/server/serverState';
import { approvalDecisionSchema, type ApprovalDecision } from '../core/gate/approvals';
import type { CommitFileChange, Risk, ToolFamily } from '../core/tools/toolSpec';

export type { AuditRecord };

export type { ServerState };

export interface ServerView {
	readonly state: ServerState;
	/** The MCP endpoint while running, e.g. `http://127.0.0.1:39217/mcp`. */
	readonly url?: string;
	readonly sessions: number;
}

/** A call waiting for the user, as the approval card shows it. */
export interface PendingApprovalView {
	readonly id: string;
	readonly tool: string;
	readonly title: string;
	readonly family: ToolFamily;
	readonly risk: Risk;
	/** One line: what the call touches ("edit src/a.ts"). */
	readonly summary: string;
	/** The call's exact arguments, pretty-printed and already redacted. */
	readonly argumentsJson: string;
	/**
	 * `unified`: as the audit would record it (secrets redacted); `unredacted`: the text itself, present only when it
	 * differs, for the card's reveal toggle. `added`/`removed`: the diffstat.
	 */
	readonly diff?: { readonly path: string; readonly unified: string; readonly unredacted?: string; readonly added?: number; readonly removed?: number };
	readonly command?: { readonly line: string; readonly cwd: string; readonly sandbox?: string };
	/** A commit: where it goes, its message as text and every file it records. */
	readonly commit?: CommitView;
	readonly task?: { readonly label: string; readonly command?: string };
	/** Name of the credential (client token) the call came with. */
	readonly client: string;
	/** What the client declared itself to be, when that differs from `client`: its own words, shown as such. */
	readonly clientSays?: string;
	/** Epoch milliseconds. */
	readonly createdAt: number;
	/** Epoch milliseconds when the gate denies the call by itself. */
	readonly expiresAt: number;
	/** What "always allow for this pattern" grants, e.g. "write_file on src/**"; absent when the tool has no pattern. */
	readonly patternLabel?: string;
	/** False for sensitive paths and destructive calls: each one is asked, so no "always allow" is offered. */
	readonly grantable: boolean;
	/** Whether "always allow" may cover the whole tool (never for programs: their grants name the exact command). */
	readonly toolWideGrant?: boolean;
	/** The rule that made the call ask (`default:write`, `sensitive:.env*`, `command:…`). */
	readonly rule?: string;
	/** "Why this asks": the rule as a sentence. */
	readonly why?: string;
	/** The sensitive-path glob the call touches: the card's Sensitive badge. */
	readonly sensitive?: string;
	/** A command line's simple commands in order, each with the reasons it asks (empty: it alone would not ask). */
	readonly commandParts?: readonly { readonly text: string; readonly reasons: readonly string[] }[];
	/** False when the client sent no progress token: it hears nothing while the card waits and may give up after ~60 s. */
	readonly clientHearsProgress?: boolean;
}

/** One file of a commit card's table: the change as prepare found it, without the object ids only the host reads. */
export type CommitFileView = Omit<CommitFileChange, 'oldObject' | 'newObject'>;

/** What a commit records, as its card shows it. */
export interface CommitView {
	readonly repository: string;
	/** Absent on a detached HEAD. */
	readonly branch?: string;
	/** The commit HEAD names now, abbreviated; absent before the first commit. */
	readonly head?: string;
	readonly amend: boolean;
	/** The subject of the commit an amend replaces. */
	readonly amends?: string;
	/** `merge`: the commit concludes a merge in progress. */
	readonly operation?: string;
	/** As git will record it, newlines kept. */
	readonly message: string;
	readonly files: readonly CommitFileView[];
	/** The diffstat over all files. */
	readonly added: number;
	readonly removed: number;
}

/**
 * How a card stopped waiting. Withdrawn cards (`cancelled`: the client cancelled; `disconnected`: its connection
 * closed; `session_ended`: its session was deleted or expired; `server_stopped`) can no longer be approved.
 */
export type ClosedApprovalState = 'approved' | 'denied' | 'timeout' | 'cancelled' | 'disconnected' | 'session_ended' | 'server_stopped';

/** A card that closed recently, so the panel can say why it went. */
export interface ClosedApprovalView {
	readonly id: string;
	readonly tool: string;
	readonly summary: string;
	readonly client: string;
	readonly state: ClosedApprovalState;
	/** Epoch milliseconds. */
	readonly closedAt: number;
	readonly detail?: string;
}

/** A standing "always allow" for this session. */
export interface GrantView {
	readonly id: string;
	readonly tool: string;
	/** The client whose session it covers (a grant covers that session only). */
	readonly client?: string;
	/** Absent: the whole tool is allowed. */
	readonly pattern?: string;
	readonly createdAt: number;
}

/** A client connected through "Connect a Client…": its token's name, revocable here. */
export interface ClientView {
	readonly id: string;
	readonly name: string;
	/** ISO date the token was created. */
	readonly created: string;
}

export interface ToolMetricsView {
	readonly tool: string;
	readonly calls: number;
	readonly errors: number;
	/** Calls refused before they ran: denied, invalid, rate limited, timed out waiting. */
	readonly refused?: number;
	readonly p50Ms: number;
	readonly p95Ms: number;
}

/** Tools another extension added through the API, under that extension's name. */
export interface ExtensionToolsView {
	readonly extensionId: string;
	readonly extensionName: string;
	/** False when the user switched the extension's tools off (mcpWorkbench.tools.disabledExtensions). */
	readonly enabled: boolean;
	readonly tools: readonly { readonly name: string; readonly title: string; readonly risk: Risk }[];
}

export interface PanelSnapshot {
	readonly pending: readonly PendingApprovalView[];
	/** The cards closed most recently, newest first. */
	readonly closed?: readonly ClosedApprovalView[];
	/** Absent from hosts that offer no extension API. */
	readonly extensions?: readonly ExtensionToolsView[];
	readonly grants: readonly GrantView[];
	readonly metrics: readonly ToolMetricsView[];
	readonly server: ServerView;
	/** Connected clients' tokens (absent from hosts that have none). */
	readonly clients?: readonly ClientView[];
}

const id = z.string().min(1).max(200);

/** Absent or empty fields do not filter. `text` matches case-insensitively anywhere in the record. */
export const auditFilterSchema = z.strictObject({
	tool: z.string().max(200).optional(),
	decision: z.string().max(40).optional(),
	outcome: z.string().max(40).optional(),
	text: z.string().max(500).optional(),
	/** Local dates, `YYYY-MM-DD`, both inclusive; the host turns them into times. */
	since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).or(z.literal('')).optional(),
	until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).or(z.literal('')).optional(),
});
export type AuditFilterView = z.infer<typeof auditFilterSchema>;

export type { ApprovalDecision };

/** Largest audit page the panel may ask for in one message; the list asks for far fewer. */
export const MAX_AUDIT_PAGE = 500;

const panelMessageSchema = z.discriminatedUnion('type', [
	/** Sent on every (re)load of the webview: the host answers with a snapshot. */
	z.strictObject({ type: z.literal('ready') }),
	z.strictObject({ type: z.literal('decide'), approvalId: id, decision: approvalDecisionSchema }),
	z.strictObject({ type: z.literal('openDiff'), approvalId: id }),
	/** One file of a commit card: the diff editor shows it at the base commit and as staged. */
	z.strictObject({ type: z.literal('openCommitDiff'), approvalId: id, path: z.string().min(1).max(4096) }),
	z.strictObject({ type: z.literal('revokeGrant'), grantId: id }),
	z.strictObject({ type: z.literal('revokeClient'), clientId: id }),
	z.strictObject({ type: z.literal('revokeAllGrants') }),
	/** The empty state's button: opens the chat view in agent mode. */
	z.strictObject({ type: z.literal('openChat') }),
	z.strictObject({
		type: z.literal('queryAudit'),
		/** Echoed in the answer, so the panel can drop answers to queries it has since replaced. */
		requestId: z.number().int().nonnegative(),
		offset: z.number().int().nonnegative().max(1_000_000_000),
		limit: z.number().int().min(1).max(MAX_AUDIT_PAGE),
		filter: auditFilterSchema,
	}),
	z.strictObject({ type: z.literal('exportAudit'), format: z.enum(['json', 'csv']), filter: auditFilterSchema }),
]);

/** Webview → host. Untrusted: the host accepts only what `parsePanelMessage` returns. */
export type PanelToHostMessage = z.infer<typeof panelMessageSchema>;

/** Host → webview. */
export type HostToPanelMessage =
	| { readonly type: 'snapshot'; readonly snapshot: PanelSnapshot }
	/** New audit records exist; the panel refetches what it shows. */
	| { readonly type: 'auditChanged' }
	/** Rows newest first, starting at `offset` of the filtered list of `total` records. */
	| { readonly type: 'auditPage'; readonly requestId: number; readonly offset: number; readonly rows: readonly AuditRecord[]; readonly total: number }
	| { readonly type: 'auditFailed'; readonly requestId: number; readonly message: string }
	/** Something the user asked for failed; the panel shows the message. */
	| { readonly type: 'notice'; readonly message: string }
	/** Move focus to this approval's Approve button (the panel was opened to review it). */
	| { readonly type: 'focusApproval'; readonly approvalId: string }
	/** A decision was made outside the panel (a command, a notification): the panel announces it. */
	| { readonly type: 'announce'; readonly text: string };

/** The message if it is well-formed, else `undefined`. */
export function parsePanelMessage(raw: unknown): PanelToHostMessage | undefined {
	const parsed = panelMessageSchema.safeParse(raw);
	return parsed.success ? parsed.data : undefined;
}
