import type { z } from 'zod';
import type { Host } from '../host/host';
import type { CommandAnalysis } from '../shell/commandPolicy';

/**
 * The families a user can switch on or off; every tool belongs to exactly one. `extension`: tools other extensions
 * contribute through the API, switched off per extension (mcpWorkbench.tools.disabledExtensions).
 */
export type ToolFamily = 'workspace' | 'files' | 'git' | 'terminal' | 'tasks' | 'extension';

/**
 * How much harm a call can do. Policy defaults derive from it: `read` is allowed, `write` and `execute` ask,
 * `destructive` always asks (a user's "allow" setting cannot silence it, only a per-session grant can).
 */
export type Risk = 'read' | 'write' | 'execute' | 'destructive';

/** MCP tool annotations, kept honest: clients such as VS Code skip their own confirmation for `readOnlyHint`. */
export interface ToolAnnotations {
	readonly title?: string;
	readonly readOnlyHint?: boolean;
	readonly destructiveHint?: boolean;
	readonly idempotentHint?: boolean;
	readonly openWorldHint?: boolean;
}

/**
 * What a call will touch, computed from its parsed arguments before anything runs. The policy matches rules against
 * it and the approval card shows it, so it must describe the real effect, not the agent's wording of it.
 */
export interface CallSubject {
	/** Absolute, jail-resolved paths the call reads or writes (sensitive-path rules match these). */
	readonly paths?: readonly string[];
	/**
	 * Paths among `paths` whose content has other names (a file with more than one hard link): the sensitive-path
	 * rules cannot see those names, so the policy asks as it does for a sensitive path.
	 */
	readonly hardLinked?: readonly string[];
	/** The exact command line a terminal call runs, and where. */
	readonly command?: {
		readonly line: string;
		readonly cwd: string;
		/** How an approved run is bounded: "sandboxed (bubblewrap): may write inside the workspace folders only …". */
		readonly sandbox?: string;
	};
	/** A task call's label and its resolved command line. */
	readonly task?: { readonly label: string; readonly command?: string };
	/** Everything a commit will record (branch, message, each staged change), for the approval card. */
	readonly commit?: CommitPreview;
	/** A unified diff of what an edit will change, for the approval card. */
	readonly diff?: { readonly path: string; readonly before: string; readonly after: string; readonly unified: string };
	/**
	 * What the target holds now (a hash of a file's text, or its size and time when the text is unreadable), so the
	 * re-check sees a change that no diff shows: a file too large to diff still binds the approval to its content.
	 */
	readonly fingerprint?: string;
	/** A risk higher than the tool's own, when these arguments make the call worse (git push --force, amend). */
	readonly risk?: Risk;
	/** One line for notifications and the audit list ("edit src/a.ts", "git commit -m …"). */
	readonly summary?: string;
}

/** One change a commit records, as `git diff --cached --raw --numstat` reports it. */
export interface CommitFileChange {
	/** Repository-relative, '/'-separated: the name after the commit. */
	readonly path: string;
	/** The name before, for a rename. */
	readonly oldPath?: string;
	readonly status: 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';
	/** Lines added and removed; absent for a binary file or a submodule. */
	readonly added?: number;
	readonly removed?: number;
	readonly binary?: boolean;
	readonly submodule?: boolean;
	/** Either name matches a sensitive-path glob: listed with its counts, its content never shown. */
	readonly sensitive?: boolean;
	/**
	 * The object ids before and after (absent for a side that does not exist): the diff editor shows exactly these,
	 * and a change to the staged content after the card was shown changes them, so the approval no longer applies.
	 */
	readonly oldObject?: string;
	readonly newObject?: string;
}

/** What a commit will record, resolved before anyone is asked. Nothing in it is clipped: the person approves it all. */
export interface CommitPreview {
	/** The repository's absolute root (where the objects are read for the diff editor). */
	readonly root: string;
	/** How the agent names the repository. */
	readonly repository: string;
	/** The branch the commit goes on; absent on a detached HEAD. */
	readonly branch?: string;
	/** The commit HEAD names now; absent before the first commit. */
	readonly head?: string;
	/** The commit the files are compared with (HEAD, or its parent for an amend); absent: compared with nothing. */
	readonly base?: string;
	readonly amend: boolean;
	/** The subject line of the commit an amend replaces. */
	readonly amends?: string;
	/** An operation the commit concludes or continues (`merge`: it records a merge commit). */
	readonly operation?: string;
	/** The message as git will record it (whitespace cleaned up, as `--cleanup=whitespace` does). */
	readonly message: string;
	readonly files: readonly CommitFileChange[];
}

/** A text block or JSON the client receives; the gate caps, redacts and audits it on the way out. */
export interface ToolResult<O = unknown> {
	readonly text: string;
	readonly structured?: O;
	readonly isError?: boolean;
	/** Set by handlers that cut their own output (line ranges, result limits), so the audit records it. */
	readonly truncated?: boolean;
}

/** Everything a handler may use. Handlers get it only from the gate, so none can skip a step. */
export interface ToolContext<P = unknown> {
	readonly host: Host;
	/** Aborted on client cancellation, timeout, or server stop. */
	readonly signal: AbortSignal;
	/** Reports progress to the client when it asked for it; a no-op otherwise. */
	progress(progress: number, total?: number, message?: string): void;
	/** Largest text a handler should produce; the gate cuts anything longer. */
	readonly maxOutputBytes: number;
	/** What prepare() resolved, frozen: the handler carries out this plan and resolves nothing again. */
	readonly plan: P;
	/** What the policy decided on and the approval card showed, frozen. */
	readonly subject: CallSubject;
	/** The gate's parse of `subject.command`, the one parse of the line (where it may run depends on it). */
	readonly command?: CommandAnalysis;
	/**
	 * A person approved this very call in a card. False when the policy, a rule or an earlier grant allowed it without
	 * asking: what runs then must be bounded by the OS sandbox, not by what the classifier believed.
	 */
	readonly approvedByPerson: boolean;
}

/**
 * What a tool's preparation computed before anything runs: the subject the policy and the person deciding see, and
 * the plan the handler carries out (jail-resolved paths, the text a write replaces and its hash, the repository).
 */
export interface Prepared<P> {
	readonly subject: CallSubject;
	readonly plan: P;
}

export interface ToolSpec<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject | undefined = z.ZodObject | undefined, P = undefined> {
	/** snake_case verb first, unique across families: `read_file`, `git_status`. */
	readonly name: string;
	readonly title: string;
	readonly description: string;
	readonly family: ToolFamily;
	/** The extension that contributed the tool through the API; absent for MCP Workbench's own. */
	readonly contributor?: { readonly id: string; readonly name: string };
	readonly risk: Risk;
	readonly input: I;
	readonly output?: O;
	readonly annotations: ToolAnnotations;
	/** Longest a call may run before the gate aborts it; the gate's default applies when absent. */
	readonly timeoutMs?: number;
	/**
	 * Resolves what the call touches, for policy and approval, and the plan its handler runs. Throwing a ToolError
	 * refuses the call before anyone is asked. The gate runs it again right before an approved call runs: a subject
	 * that changed meanwhile (the file under an edit, a task's command) refuses the call.
	 * Without it the subject is empty and the plan undefined.
	 */
	prepare?(input: z.output<I>, host: Host): Promise<Prepared<P>> | Prepared<P>;
	handler(input: z.output<I>, ctx: ToolContext<P>): Promise<ToolResult<O extends z.ZodObject ? z.output<O> : unknown>>;
}

/** Erases the spec's generic parameters so specs of different shapes fit one array. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyToolSpec = ToolSpec<any, any, any>;

/** Keeps the generic parameters while writing a spec literal, and checks it. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject | undefined = undefined, P = undefined>(spec: ToolSpec<I, O, P>): ToolSpec<I, O, P> {
	return spec;
}
