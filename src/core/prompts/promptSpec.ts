import type { GateResult, ReadResult } from '../gate/gate';
import type { ResourceContents } from '../tools/resourceSpec';
import type { CompletionSource } from '../tools/completion';
import type { ToolFamily } from '../tools/toolSpec';

/** One argument as prompts/list shows it; MCP prompt arguments are strings. */
export interface PromptArgument {
	readonly name: string;
	readonly description: string;
	readonly required?: boolean;
	/** Where completion/complete finds values for it. */
	readonly complete?: CompletionSource;
	/** Longest value accepted (default 4096 characters); an error text may be long, a ref is not. */
	readonly maxLength?: number;
}

export type PromptContent =
	| { readonly type: 'text'; readonly text: string }
	| { readonly type: 'resource'; readonly resource: ResourceContents };

export interface PromptMessage {
	readonly role: 'user' | 'assistant';
	readonly content: PromptContent;
}

export interface BuiltPrompt {
	readonly description?: string;
	readonly messages: readonly PromptMessage[];
}

/**
 * How a prompt reads the workspace: only through the gate, as the same session, with the same policy, redaction,
 * rate limit and audit as the tools and resources it names. Nobody is there to approve anything while a prompt is
 * built, so a read the policy would ask about (a sensitive file) is refused, never shown.
 */
export interface PromptReads {
	/** Calls a tool; a refusal comes back as an error result, like any call's. */
	tool(name: string, args: Readonly<Record<string, unknown>>): Promise<GateResult>;
	resource(uri: string): Promise<ReadResult>;
}

export interface PromptContext {
	readonly reads: PromptReads;
	readonly signal: AbortSignal;
}

/**
 * A prompt template as data, like a tool: prompts/get passes the gate as a read-only operation (rate limit, audit,
 * metrics), and `build` sees the workspace only through `ctx.reads`, the gate again. It gets no Host: a prompt
 * cannot read around the policy even by mistake.
 */
export interface PromptSpec {
	/** snake_case, unique; VS Code shows it as the slash command `/mcp.<server>.<name>`. */
	readonly name: string;
	readonly title: string;
	readonly description: string;
	/** Offered only while this family is switched on (its reads would be refused otherwise). */
	readonly family: ToolFamily;
	readonly arguments: readonly PromptArgument[];
	build(args: Readonly<Record<string, string>>, ctx: PromptContext): Promise<BuiltPrompt>;
}

export function definePrompt(spec: PromptSpec): PromptSpec {
	return spec;
}
