// MCP Workbench extension API, version 1.
//
// Another VS Code extension adds tools to MCP Workbench's MCP server through this API. Its tools pass the same gate
// as the built-in ones: schema validation, the user's policy, approval in the MCP Workbench panel, rate limits,
// timeout and cancellation, output caps, redaction of secrets, the audit and metrics.
//
//   "extensionDependencies": ["mcp-workbench.mcp-workbench"]
//
//   const workbench = vscode.extensions.getExtension<McpWorkbenchExports>('mcp-workbench.mcp-workbench')?.exports;
//   const api = workbench?.getApi(1);
//   context.subscriptions.push(api.registerTool({ name: 'docker_ps', ... }));
//
// Copy this file into your extension (it has no imports); it ships inside the MCP Workbench VSIX as
// `extension/api/mcp-workbench.d.ts`.

/** What MCP Workbench's `activate` returns. Ask for the API version you were written against. */
export interface McpWorkbenchExports {
	/** The API of that version; throws an Error naming the versions this MCP Workbench offers when it has none. */
	getApi(version: 1): McpWorkbenchApi;
	/** The API versions this MCP Workbench offers, oldest first. */
	readonly apiVersions: readonly number[];
}

/** The API, version 1. */
export interface McpWorkbenchApi {
	readonly version: 1;
	/**
	 * Offers a tool to MCP clients (listed in `tools/list`, clients get `notifications/tools/list_changed`). The
	 * returned Disposable takes it away again; push it into your `context.subscriptions`. Throws an Error with the
	 * reason when the definition is refused: a name already taken (by MCP Workbench or another extension), a name that
	 * is not `[a-z][a-z0-9_]*` (at most 64 characters), an input schema that is not an object schema, an unknown risk.
	 * Tools are tied to the extension that registered them: when it is uninstalled or disabled, they go too.
	 */
	registerTool<Input = Record<string, unknown>>(tool: ContributedTool<Input>): Disposable;
}

export interface Disposable {
	dispose(): void;
}

/**
 * How much harm a call can do. The default policy follows it: `read` runs without asking, `write` and `execute`
 * ask, `destructive` asks every time (no "allow for the session", no setting silences it). The user's settings can
 * make any tool stricter; a tool's risk never makes the user's settings looser.
 */
export type Risk = 'read' | 'write' | 'execute' | 'destructive';

/**
 * A JSON Schema (draft 2020-12) of an object, or a zod 4 object schema (`z.object({...})`, from your own copy of
 * zod 4). Other Standard Schema libraries: convert to JSON Schema first.
 */
export type Schema = JsonSchemaObject | ZodLikeObject;

export interface JsonSchemaObject {
	readonly type: 'object';
	readonly properties?: Readonly<Record<string, unknown>>;
	readonly required?: readonly string[];
	readonly additionalProperties?: boolean | Readonly<Record<string, unknown>>;
	readonly [keyword: string]: unknown;
}

/** The parts of a zod 4 schema MCP Workbench reads (Standard Schema, and zod's own definition for JSON Schema). */
export interface ZodLikeObject {
	readonly '~standard': { readonly version: 1; readonly vendor: string; validate(value: unknown): unknown };
	readonly _zod: unknown;
}

export interface ContributedTool<Input = Record<string, unknown>> {
	/** The name clients call: snake_case, verb-first where it reads well (`kubectl_scale`). Unique across all tools. */
	readonly name: string;
	/** Short human title, shown on approval cards and in the panel. */
	readonly title: string;
	/** What the tool does and when an agent should use it; clients show it to the model. */
	readonly description: string;
	readonly input: Schema;
	/** The shape of `structured` in results, listed as the tool's `outputSchema`. */
	readonly output?: Schema;
	/** See {@link Risk}. The listed `readOnlyHint`/`destructiveHint` follow it, whatever `annotations` say. */
	readonly risk: Risk;
	/** Further MCP hints. `destructiveHint: true` raises the risk to `destructive`; nothing lowers it. */
	readonly annotations?: { readonly idempotentHint?: boolean; readonly openWorldHint?: boolean; readonly destructiveHint?: boolean };
	/**
	 * What an approval card says about a call, computed from the validated input before anything runs: one line
	 * ("scale deployment web to 3 replicas in namespace shop"). The card always shows the full arguments as well and
	 * names your extension. Throwing refuses the call with the error's message, before anyone is asked.
	 */
	describe?(input: Input): { readonly summary: string };
	/**
	 * Runs the call once the gate let it through. `input` is what the schema accepted. Return text, or text with
	 * structured content; throw (or return `isError`) for a failure the agent should read. The call is aborted
	 * (`context.signal`) on the client's cancellation and on the user's call timeout (`mcpWorkbench.calls.timeoutSeconds`).
	 */
	handler(input: Input, context: ToolCallContext): Promise<ToolCallResult | string>;
}

export interface ToolCallContext {
	/** Aborted when the client cancels, the call times out or the server stops. Stop work and child processes then. */
	readonly signal: AbortSignal;
	/** Reports progress to the client when it asked for progress; a no-op otherwise. */
	progress(progress: number, total?: number, message?: string): void;
	/** The most text the result should hold; longer text is cut (head and tail kept). */
	readonly maxOutputBytes: number;
	/** A person approved this very call in the panel (false when the policy allowed it without asking). */
	readonly approvedByPerson: boolean;
}

export interface ToolCallResult {
	readonly text: string;
	/** JSON for clients that read `structuredContent`; matches `output` when the tool declares one. */
	readonly structured?: Record<string, unknown>;
	readonly isError?: boolean;
}
