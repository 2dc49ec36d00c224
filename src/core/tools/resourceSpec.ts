import type { Disposable } from '../base/disposable';
import type { Host } from '../host/host';
import type { CompletionSource } from './completion';
import type { Prepared, ToolContext, ToolFamily } from './toolSpec';

/** One resource as resources/list shows it. */
export interface ListedResource {
	readonly uri: string;
	readonly name: string;
	readonly title?: string;
	readonly mimeType?: string;
}

/** What a read returns, as MCP carries it: text, or base64 bytes for binary content. */
export type ResourceContents =
	| { readonly uri: string; readonly mimeType?: string; readonly text: string }
	| { readonly uri: string; readonly mimeType?: string; readonly blob: string };

/** The variables a URI template matched, each decoded by the spec that reads them. */
export type UriVariables = Readonly<Record<string, string | readonly string[]>>;

/**
 * A family of resources under one URI template, as data like a tool: resources/read of a matching URI passes the
 * gate as a read-only call (policy, rate limit, redaction, audit, metrics), with `prepare` resolving what it touches
 * and `read` returning the contents. Listing and completion are not calls and do not pass the gate.
 */
export interface ResourceSpec<P = unknown> {
	/** The template's name in resources/templates/list. */
	readonly name: string;
	readonly title: string;
	readonly description: string;
	/** RFC 6570, e.g. `workspace-file://{folder}/{+path}`. */
	readonly uriTemplate: string;
	/** The family that must be switched on for the resources to be offered. */
	readonly family: ToolFamily;
	/** Resources a client may attach, at most `limit`. */
	list?(host: Host, limit: number, signal: AbortSignal): Promise<readonly ListedResource[]>;
	/** Completions for a template variable's value. */
	readonly complete?: Readonly<Record<string, (value: string, host: Host) => readonly string[]>>;
	/** Template variables completed from a named source (see Completers); tried after `complete`. */
	readonly completeWith?: Readonly<Record<string, CompletionSource>>;
	/**
	 * Calls `changed` whenever what a read of this URI returns may have changed, until disposed: what makes
	 * resources/subscribe send notifications/resources/updated. `host` is the subscriber's (its own commands and
	 * records). Without it a subscription is accepted and never notified.
	 */
	watch?(variables: UriVariables, host: Host, changed: () => void): Disposable;
	/**
	 * A cheap fingerprint of what `list` returns for `host`; when it changes the session is sent
	 * notifications/resources/list_changed. Without it the listed set is taken as fixed.
	 */
	listKey?(host: Host): string;
	/** Resolves what the read touches from the URI's variables; a ToolError refuses the read. */
	prepare(variables: UriVariables, uri: string, host: Host): Promise<Prepared<P>>;
	read(uri: string, ctx: ToolContext<P>): Promise<readonly ResourceContents[]>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyResourceSpec = ResourceSpec<any>;

export function defineResource<P>(spec: ResourceSpec<P>): ResourceSpec<P> {
	return spec;
}
