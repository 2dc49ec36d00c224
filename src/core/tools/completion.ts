import type { Host } from '../host/host';

/**
 * The kinds of values an argument can be completed with, named so specs stay data: a prompt argument or a resource
 * template variable says `complete: 'ref'`, and the family that knows refs (git) supplies the completer.
 */
export type CompletionSource = 'task' | 'taskRun' | 'command' | 'path' | 'ref' | 'auditRecord';

export interface CompletionRequest {
	/** What the user typed so far. */
	readonly value: string;
	/** Arguments already filled in (completion/complete's `context.arguments`), e.g. the repository a ref belongs to. */
	readonly arguments: Readonly<Record<string, string>>;
	/** The host as the asking session sees it: its own background commands, its own audit records. */
	readonly host: Host;
	readonly signal: AbortSignal;
}

/**
 * Suggestions for a value, best first. Completion is not a call: it reads no file's content and runs nothing that
 * changes anything, so it does not pass the gate; it never suggests a sensitive path.
 */
export type Completer = (request: CompletionRequest) => Promise<readonly string[]>;

export type Completers = Readonly<Partial<Record<CompletionSource, Completer>>>;

/** The protocol caps one answer at 100 values. */
export const MAX_COMPLETIONS = 100;
