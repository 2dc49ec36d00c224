import { z } from 'zod';
import { Emitter } from '../base/event';
import type { WorkspaceFolderInfo } from '../host/host';
import { firstMatchingGlob, relativeToFolder } from '../paths/pathMatch';
import type { CallSubject, Risk, ToolFamily } from '../tools/toolSpec';
import { withdrawalOf, type WithdrawnBy } from './withdrawal';

/** What a session grant covers beyond the tool name: paths under folders, one command line, or one task label. */
export type GrantPattern =
	| { readonly kind: 'paths'; readonly globs: readonly string[] }
	| { readonly kind: 'command'; readonly line: string }
	| { readonly kind: 'task'; readonly label: string };

export interface Grant {
	readonly id: string;
	/** The session whose card the user answered: a grant covers that session's calls only. */
	readonly sessionId: string;
	/** Who the session's client is, for the panel's list. */
	readonly client: string;
	readonly tool: string;
	readonly pattern?: GrantPattern;
	readonly label: string;
	readonly createdAt: number;
}

export interface ApprovalRequest {
	readonly id: string;
	readonly tool: string;
	readonly title: string;
	readonly family: ToolFamily;
	readonly risk: Risk;
	readonly summary: string;
	/** Redacted arguments, exactly as the call will run with them. */
	readonly arguments: unknown;
	readonly subject: CallSubject;
	/** Whose credential the call came with. */
	readonly client: string;
	/** What the client declared itself to be, when that differs from `client`: shown as "says it is …". */
	readonly clientSays?: string;
	readonly sessionId: string;
	readonly createdAt: number;
	readonly expiresAt: number;
	/** Sensitive and destructive calls cannot be granted for the session: each one is asked. */
	readonly grantable: boolean;
	readonly pattern?: GrantPattern;
	readonly patternLabel?: string;
	/** The rule that made the call ask (`default:write`, `sensitive:.env*`, `command:…`), for the card's "why". */
	readonly rule?: string;
	/** That rule as a sentence (explainRule). */
	readonly why?: string;
	/** A command line's simple commands in order, each with the reasons it asks (none: it alone would not ask). */
	readonly commandParts?: readonly CommandPart[];
	/** The edit's unified diff with what the audit redacts removed; absent when nothing was redacted. */
	readonly redactedDiff?: string;
	/**
	 * Whether the client hears that the call waits (it sent a progress token, so it gets progress while the card is
	 * open). Without it, many clients give up after about 60 s; the card can say so.
	 */
	readonly clientHearsProgress?: boolean;
}

/** One simple command of a line, as the card lists it. */
export interface CommandPart {
	readonly text: string;
	readonly reasons: readonly string[];
}

/**
 * Whether "always allow" may cover every call of a tool. Not for programs: `run_command` allowed outright would run
 * `rm -rf build` and anything else unasked, so their grants name the exact command line.
 */
export function toolWideGrantAllowed(risk: Risk): boolean {
	return risk === 'read' || risk === 'write';
}

/** How a card was closed: decided, timed out, or withdrawn (the client cancelled, disconnected, its session ended, the server stopped). */
export type ClosedState = 'approved' | 'denied' | 'timeout' | WithdrawnBy;

/** A card no longer waiting, kept a while so the panel can show why it went. Never approvable. */
export interface ClosedApproval {
	readonly request: ApprovalRequest;
	readonly state: ClosedState;
	readonly closedAt: number;
	readonly detail?: string;
}

/** Closed cards kept for the panel: enough to explain the last few that vanished. */
const CLOSED_KEPT = 20;

/** The user's answer to one request. The panel's messages are validated against this schema (the webview is untrusted). */
export const approvalDecisionSchema = z.discriminatedUnion('kind', [
	z.strictObject({ kind: z.literal('approve') }),
	z.strictObject({ kind: z.literal('deny'), reason: z.string().max(2000).optional() }),
	z.strictObject({ kind: z.literal('allowSession'), scope: z.enum(['tool', 'pattern']) }),
]);
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;

export interface ApprovalResult {
	readonly approved: boolean;
	/** `user`, `user:grant:<id>`, `timeout`, or why it was withdrawn: `cancelled`, `disconnected`, `session_ended`, `server_stopped`. */
	readonly by: string;
	readonly reason?: string;
}

export interface ApprovalClock {
	now(): number;
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

type NewRequest = Omit<ApprovalRequest, 'id' | 'createdAt' | 'expiresAt' | 'pattern' | 'patternLabel'>;

/**
 * Holds calls that wait for the user, and the "always allow for this session" grants. Only the user's side (panel,
 * notification) calls `decide` and `revoke`; nothing reachable from a tool call can.
 */
export class ApprovalBroker {
	private readonly waiting = new Map<string, { request: ApprovalRequest; resolve: (result: ApprovalResult) => void; timer: unknown }>();
	private readonly standing = new Map<string, Grant>();
	private readonly recentlyClosed: ClosedApproval[] = [];
	private readonly _onDidChange = new Emitter<void>();
	readonly onDidChange = this._onDidChange.event;
	private counter = 0;

	constructor(
		private readonly clock: ApprovalClock,
		private readonly timeoutMs: () => number,
		private readonly folders: () => readonly WorkspaceFolderInfo[],
	) {}

	pending(): ApprovalRequest[] {
		return [...this.waiting.values()].map((entry) => entry.request);
	}

	grants(): Grant[] {
		return [...this.standing.values()];
	}

	/** How long a card waits for a decision now. */
	waitLimitMs(): number {
		return this.timeoutMs();
	}

	/** The cards closed most recently, newest first, with how each was closed. */
	closed(): readonly ClosedApproval[] {
		return [...this.recentlyClosed].reverse();
	}

	/** Waits for the user's decision; a timeout or the client's cancellation resolves it as not approved. */
	request(input: NewRequest, signal?: AbortSignal): Promise<ApprovalResult> {
		const now = this.clock.now();
		const pattern = input.grantable ? patternFor(input.subject, this.folders()) : undefined;
		const request: ApprovalRequest = {
			...input,
			id: `a${++this.counter}-${now.toString(36)}`,
			createdAt: now,
			expiresAt: now + this.timeoutMs(),
			...(pattern ? { pattern, patternLabel: `${input.tool} ${describePattern(pattern)}` } : {}),
		};
		return new Promise<ApprovalResult>((resolve) => {
			const finish = (result: ApprovalResult) => {
				const entry = this.waiting.get(request.id);
				if (!entry) return;
				this.clock.clearTimeout(entry.timer);
				this.waiting.delete(request.id);
				signal?.removeEventListener('abort', onAbort);
				this.recentlyClosed.push({ request, state: stateOf(result), closedAt: this.clock.now(), ...(result.reason ? { detail: result.reason } : {}) });
				if (this.recentlyClosed.length > CLOSED_KEPT) this.recentlyClosed.shift();
				resolve(result);
				this._onDidChange.fire();
			};
			const onAbort = () => {
				const withdrawn = withdrawalOf(signal as AbortSignal);
				finish({ approved: false, by: withdrawn.by, reason: withdrawn.detail });
			};
			const timer = this.clock.setTimeout(
				() => finish({ approved: false, by: 'timeout', reason: `No decision within ${Math.round(this.timeoutMs() / 1000)} s` }),
				request.expiresAt - now,
			);
			this.waiting.set(request.id, { request, resolve: finish, timer });
			if (signal?.aborted) return onAbort();
			signal?.addEventListener('abort', onAbort, { once: true });
			this._onDidChange.fire();
		});
	}

	/** The user's answer. Returns false when the request is gone (decided, timed out or cancelled). */
	decide(id: string, decision: ApprovalDecision): boolean {
		const entry = this.waiting.get(id);
		if (!entry) return false;
		const { request } = entry;
		if (decision.kind === 'deny') {
			entry.resolve({ approved: false, by: 'user', reason: decision.reason?.trim() || undefined });
			return true;
		}
		if (decision.kind === 'allowSession' && request.grantable && (decision.scope === 'pattern' ? request.pattern : toolWideGrantAllowed(request.risk))) {
			const pattern = decision.scope === 'pattern' ? request.pattern : undefined;
			const grant: Grant = {
				id: `g${++this.counter}`,
				sessionId: request.sessionId,
				client: request.client,
				tool: request.tool,
				...(pattern ? { pattern } : {}),
				label: pattern ? `${request.tool} ${describePattern(pattern)}` : `${request.tool} (any arguments)`,
				createdAt: this.clock.now(),
			};
			this.standing.set(grant.id, grant);
			entry.resolve({ approved: true, by: `user:grant:${grant.id}` });
			return true;
		}
		entry.resolve({ approved: true, by: 'user' });
		return true;
	}

	revoke(grantId: string): void {
		if (this.standing.delete(grantId)) this._onDidChange.fire();
	}

	/** Revokes every standing grant; returns how many there were. */
	clearGrants(): number {
		const count = this.standing.size;
		if (count === 0) return 0;
		this.standing.clear();
		this._onDidChange.fire();
		return count;
	}

	/** A standing grant of this session covering this call, if any; another session's grants never apply. */
	findGrant(tool: string, subject: CallSubject, sessionId: string): Grant | undefined {
		for (const grant of this.standing.values()) {
			if (grant.tool !== tool || grant.sessionId !== sessionId) continue;
			if (!grant.pattern || patternCovers(grant.pattern, subject, this.folders())) return grant;
		}
		return undefined;
	}

	/** Closes every card still waiting, as withdrawn by the server's stop: nothing they asked for runs. */
	denyAll(reason: string): void {
		for (const entry of [...this.waiting.values()]) {
			entry.resolve({ approved: false, by: 'server_stopped', reason });
		}
	}

	dispose(): void {
		this.denyAll('The MCP Workbench server stopped');
		this._onDidChange.dispose();
	}
}

function stateOf(result: ApprovalResult): ClosedState {
	if (result.approved) return 'approved';
	switch (result.by) {
		case 'timeout':
		case 'cancelled':
		case 'disconnected':
		case 'session_ended':
		case 'server_stopped':
			return result.by;
		default:
			return 'denied';
	}
}

function patternFor(subject: CallSubject, folders: readonly WorkspaceFolderInfo[]): GrantPattern | undefined {
	if (subject.command) return { kind: 'command', line: subject.command.line };
	if (subject.task) return { kind: 'task', label: subject.task.label };
	if (subject.paths && subject.paths.length > 0) {
		const globs = new Set<string>();
		for (const path of subject.paths) {
			const relative = relativeToFolder(path, folders)?.relative;
			if (relative === undefined || relative === '') return undefined;
			const slash = relative.lastIndexOf('/');
			globs.add(slash < 0 ? '*' : `${escapeGlob(relative.slice(0, slash))}/**`);
		}
		return { kind: 'paths', globs: [...globs] };
	}
	return undefined;
}

/**
 * A folder name as a glob that matches only itself: a folder named `{docs,src}` or `[s]rc` must not become a grant
 * for `src/**`.
 */
function escapeGlob(path: string): string {
	return path.replace(/[\\*?[\]{}()!@+|^$]/g, (char) => `\\${char}`);
}

function patternCovers(pattern: GrantPattern, subject: CallSubject, folders: readonly WorkspaceFolderInfo[]): boolean {
	switch (pattern.kind) {
		case 'command':
			return subject.command?.line === pattern.line;
		case 'task':
			return subject.task?.label === pattern.label;
		case 'paths': {
			const paths = subject.paths ?? [];
			return paths.length > 0 && paths.every((path) => {
				const relative = relativeToFolder(path, folders)?.relative;
				return relative !== undefined && firstMatchingGlob(pattern.globs, relative) !== undefined;
			});
		}
	}
}

function describePattern(pattern: GrantPattern): string {
	switch (pattern.kind) {
		case 'command':
			return `exactly \`${pattern.line}\``;
		case 'task':
			return `task "${pattern.label}"`;
		case 'paths':
			return `on ${pattern.globs.join(', ')}`;
	}
}
