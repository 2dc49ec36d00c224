import type { Host } from '../host/host';
import type { PromptReads, PromptSpec } from '../prompts/promptSpec';
import type { AnyResourceSpec, ResourceContents } from '../tools/resourceSpec';
import type { AnyToolSpec, Prepared, Risk, ToolContext, ToolFamily, ToolResult } from '../tools/toolSpec';

/** The name resource reads carry in the audit, the metrics and the rate limit: the MCP method, unlike any tool's. */
export const RESOURCE_READ = 'resources/read';

/** What the pipeline needs to know of a tool call or a resource read; everything else is the same for both. */
export interface Operation<P> {
	readonly name: string;
	readonly family: ToolFamily;
	readonly risk: Risk;
	/** Another extension's tool: whose code runs, for the policy's rules that name an extension. */
	readonly contributor?: { readonly id: string };
	readonly timeoutMs?: number;
	/** A tool call waits for the user when the policy asks; a resource read has nobody to ask and is refused. */
	readonly canAsk: boolean;
	/** What the refusal says when the policy asks and nobody can be asked: where to get it with an approval instead. */
	readonly insteadOfAsking?: string;
	/** The approval card's title. */
	readonly title: string;
	prepare(): Promise<Prepared<P>>;
	run(ctx: ToolContext<P>): Promise<Ran>;
}

/** What a run produced, before redaction and capping: a tool's result, and a resource read's contents. */
export interface Ran extends ToolResult {
	readonly contents?: readonly ResourceContents[];
}

/** What a tool without prepare() touches: nothing the policy or a card could name. Shared and frozen: no call can change it. */
const NOTHING_PREPARED: Promise<Prepared<never>> = Promise.resolve(Object.freeze({ subject: Object.freeze({}), plan: undefined as never }));

/** A tool call; `unattended` (a prompt reading with it) cannot wait for anyone's approval. */
export function toolOperation<P>(spec: AnyToolSpec, input: unknown, host: Host, unattended = false): Operation<P> {
	return {
		name: spec.name,
		family: spec.family,
		risk: spec.risk,
		...(spec.contributor ? { contributor: spec.contributor } : {}),
		timeoutMs: spec.timeoutMs,
		canAsk: !unattended,
		...(unattended ? { insteadOfAsking: `a prompt is built without asking anyone, so it was left out; call ${spec.name} yourself to ask the user` } : {}),
		title: spec.title,
		prepare: () => (spec.prepare ? Promise.resolve(spec.prepare(input, host)) : NOTHING_PREPARED),
		run: (ctx) => spec.handler(input, ctx),
	};
}

export function resourceOperation<P>(spec: AnyResourceSpec, uri: string, variables: Parameters<AnyResourceSpec['prepare']>[0], host: Host): Operation<P> {
	return {
		name: RESOURCE_READ,
		family: spec.family,
		risk: 'read',
		canAsk: false,
		insteadOfAsking: 'read it with the read_file tool instead',
		title: spec.title,
		prepare: () => spec.prepare(variables, uri, host),
		run: async (ctx) => {
			const contents = await spec.read(uri, ctx);
			const text = contents.map((item) => ('text' in item ? item.text : '')).join('');
			return { text, contents };
		},
	};
}

/** The name prompts/get carries in the audit, the metrics and the rate limit. */
export const PROMPT_GET = 'prompts/get';

/**
 * prompts/get: a read-only operation whose run builds the messages through `reads` (the gate again, for each tool or
 * resource the prompt reads with). The messages travel as the result's structured value, so the gate redacts them.
 */
export function promptOperation(spec: PromptSpec, args: Readonly<Record<string, string>>, readsFor: (signal: AbortSignal) => PromptReads): Operation<undefined> {
	return {
		name: PROMPT_GET,
		family: spec.family,
		risk: 'read',
		canAsk: false,
		insteadOfAsking: 'a prompt cannot ask anyone',
		title: spec.title,
		prepare: () => Promise.resolve({ subject: { summary: `prompt ${spec.name}` }, plan: undefined }),
		run: async (ctx) => {
			const built = await spec.build(args, { reads: readsFor(ctx.signal), signal: ctx.signal });
			const text = built.messages.map((message) => (message.content.type === 'text' ? message.content.text : '')).join('\n');
			return { text, structured: built };
		},
	};
}
