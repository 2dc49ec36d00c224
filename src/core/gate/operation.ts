import type { Host } from '../host/host';
import type { AnyResourceSpec, ResourceContents } from '../tools/resourceSpec';
import type { AnyToolSpec, Prepared, Risk, ToolContext, ToolFamily, ToolResult } from '../tools/toolSpec';

/** The name resource reads carry in the audit, the metrics and the rate limit: the MCP method, unlike any tool's. */
export const RESOURCE_READ = 'resources/read';

/** What the pipeline needs to know of a tool call or a resource read; everything else is the same for both. */
export interface Operation<P> {
	readonly name: string;
	readonly family: ToolFamily;
	readonly risk: Risk;
	readonly timeoutMs?: number;
	/** A tool call waits for the user when the policy asks; a resource read has nobody to ask and is refused. */
	readonly canAsk: boolean;
	/** The approval card's title. */
	readonly title: string;
	prepare(): Promise<Prepared<P>>;
	run(ctx: ToolContext<P>): Promise<Ran>;
}

/** What a run produced, before redaction and capping. */
export interface Ran {
	readonly result: ToolResult;
	readonly contents?: readonly ResourceContents[];
}

export function toolOperation<P>(spec: AnyToolSpec, input: unknown, host: Host): Operation<P> {
	return {
		name: spec.name,
		family: spec.family,
		risk: spec.risk,
		timeoutMs: spec.timeoutMs,
		canAsk: true,
		title: spec.title,
		prepare: async () => (spec.prepare ? await spec.prepare(input, host) : { subject: {}, plan: undefined }),
		run: async (ctx) => ({ result: await spec.handler(input, ctx) }),
	};
}

export function resourceOperation<P>(spec: AnyResourceSpec, uri: string, variables: Parameters<AnyResourceSpec['prepare']>[0], host: Host): Operation<P> {
	return {
		name: RESOURCE_READ,
		family: spec.family,
		risk: 'read',
		canAsk: false,
		title: spec.title,
		prepare: () => spec.prepare(variables, uri, host),
		run: async (ctx) => {
			const contents = await spec.read(uri, ctx);
			const text = contents.map((item) => ('text' in item ? item.text : '')).join('');
			return { result: { text }, contents };
		},
	};
}
