import { z } from 'zod';
import type { PromptSpec } from '../prompts/promptSpec';
import type { Completers } from './completion';
import { omitNullOptionals, strictModelSchema, type JsonSchema } from './modelSchema';
import type { Disposable } from '../base/disposable';
import { Emitter, type Event } from '../base/event';
import type { AnyResourceSpec, UriVariables } from './resourceSpec';
import type { AnyToolSpec, ToolFamily } from './toolSpec';
import { familyIcons, type Icon } from './icons';
import { UriTemplate } from './uriTemplate';

export interface ListedTool {
	readonly name: string;
	readonly title: string;
	readonly description: string;
	readonly inputSchema: Record<string, unknown>;
	readonly outputSchema?: Record<string, unknown>;
	readonly annotations: Record<string, unknown>;
	readonly icons: readonly Icon[];
}

export interface OfferContext {
	readonly trusted: boolean;
	readonly families: readonly ToolFamily[];
	/** Extensions (`publisher.name`) whose contributed tools the user switched off. */
	readonly disabledExtensions?: readonly string[];
}

/**
 * The one list of tools and resource templates. Every session's server is built from it, so all sessions offer the
 * same; JSON Schemas are derived once from the zod specs.
 */
export class ToolRegistry {
	private readonly byName = new Map<string, AnyToolSpec>();
	private readonly listed = new Map<string, ListedTool>();
	private readonly natural = new Map<string, JsonSchema>();
	private readonly templates: { readonly spec: AnyResourceSpec; readonly template: UriTemplate }[] = [];
	private readonly promptsByName = new Map<string, PromptSpec>();
	private readonly _onDidChange = new Emitter<void>();
	/** Fires when a contributed tool comes or goes. */
	readonly onDidChange: Event<void> = this._onDidChange.event;

	constructor(specs: readonly AnyToolSpec[], resources: readonly AnyResourceSpec[] = [], prompts: readonly PromptSpec[] = [], readonly completers: Completers = {}) {
		for (const prompt of prompts) {
			if (this.promptsByName.has(prompt.name)) throw new Error(`duplicate prompt name ${prompt.name}`);
			this.promptsByName.set(prompt.name, prompt);
		}
		for (const spec of specs) {
			if (this.byName.has(spec.name)) throw new Error(`duplicate tool name ${spec.name}`);
			this.byName.set(spec.name, spec);
		}
		for (const spec of resources) {
			if (this.templates.some((known) => known.spec.name === spec.name)) throw new Error(`duplicate resource template ${spec.name}`);
			this.templates.push({ spec, template: new UriTemplate(spec.uriTemplate) });
		}
	}

	/** Resource templates offered now: their family must be on (they only read, so trust does not matter). */
	resources(context: OfferContext): readonly AnyResourceSpec[] {
		return this.templates.map((entry) => entry.spec).filter((spec) => context.families.includes(spec.family));
	}

	/** Prompts offered now: their family must be on (they only read, so trust does not matter, as for resources). */
	prompts(context: OfferContext): readonly PromptSpec[] {
		return [...this.promptsByName.values()].filter((spec) => context.families.includes(spec.family));
	}

	prompt(name: string): PromptSpec | undefined {
		return this.promptsByName.get(name);
	}

	/** The template a URI belongs to and its variables, or undefined when none matches. */
	resourceFor(uri: string): { readonly spec: AnyResourceSpec; readonly variables: UriVariables } | undefined {
		for (const { spec, template } of this.templates) {
			const variables = template.match(uri);
			if (variables) return { spec, variables };
		}
		return undefined;
	}

	/**
	 * Adds a tool another extension contributed. Names are never shared: a name already taken (a built-in tool, or
	 * another extension's) is refused, so no contribution can shadow or replace a tool the user knows.
	 */
	add(spec: AnyToolSpec): Disposable {
		if (this.byName.has(spec.name)) {
			const owner = this.byName.get(spec.name)?.contributor;
			throw new Error(`The tool name "${spec.name}" is taken${owner ? ` by the extension ${owner.id}` : ' by MCP Workbench'}; choose another name (for example prefixed with your extension's name).`);
		}
		this.byName.set(spec.name, spec);
		this._onDidChange.fire();
		let removed = false;
		return {
			dispose: () => {
				// Only this registration's own entry: a disposable kept after removal must not take a later one's tool.
				if (removed || this.byName.get(spec.name) !== spec) return;
				removed = true;
				this.byName.delete(spec.name);
				this.listed.delete(spec.name);
				this._onDidChange.fire();
			},
		};
	}

	get(name: string): AnyToolSpec | undefined {
		return this.byName.get(name);
	}

	all(): readonly AnyToolSpec[] {
		return [...this.byName.values()];
	}

	/** Whether a tool is offered now. A restricted (untrusted) workspace gets read-only tools only. */
	isOffered(spec: AnyToolSpec, context: OfferContext): boolean {
		const switchedOn = spec.contributor ? !(context.disabledExtensions ?? []).includes(spec.contributor.id) : context.families.includes(spec.family);
		return switchedOn && (context.trusted || spec.risk === 'read');
	}

	list(context: OfferContext): ListedTool[] {
		return this.all()
			.filter((spec) => this.isOffered(spec, context))
			.map((spec) => this.describe(spec));
	}

	/**
	 * Changes whenever the offered tool set or any schema changes. VS Code caches a server's tool list by label and
	 * re-reads it only when the definition's version changes.
	 */
	version(context: OfferContext): string {
		return fnv1a(JSON.stringify(this.list(context)));
	}

	/**
	 * A call's arguments as the tool's zod schema takes them: the listed schema asks for every property and lets an
	 * optional one be null (strict calling), so a null for an optional property means "left out".
	 */
	argumentsFor(spec: AnyToolSpec, args: unknown): unknown {
		return omitNullOptionals(this.naturalSchema(spec), args);
	}

	private naturalSchema(spec: AnyToolSpec): JsonSchema {
		let natural = this.natural.get(spec.name);
		if (!natural) {
			natural = jsonSchema(spec.input);
			this.natural.set(spec.name, natural);
		}
		return natural;
	}

	private describe(spec: AnyToolSpec): ListedTool {
		let listed = this.listed.get(spec.name);
		if (!listed) {
			listed = {
				name: spec.name,
				title: spec.title,
				description: spec.description,
				inputSchema: listedInput(this.naturalSchema(spec)),
				...(spec.output ? { outputSchema: withContentId(jsonSchema(spec.output)) } : {}),
				annotations: { title: spec.title, ...spec.annotations },
				icons: familyIcons(spec.family),
			};
			this.listed.set(spec.name, listed);
		}
		return listed;
	}
}

/**
 * The strict form when the schema has one (every built-in tool: a unit test holds them to it); a contributed tool with
 * a shape strict calling cannot express (a map) is listed as it is rather than dropped from every client's list.
 */
function listedInput(natural: JsonSchema): JsonSchema {
	try {
		return strictModelSchema(natural);
	} catch {
		return natural;
	}
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
	const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
	return rest;
}

/**
 * An output schema named by its content. The SDK client compiles a validator for every output schema on each
 * listTools() (ajv, most of that call's time) unless the schema has an `$id` it compiled before: with one, a client
 * compiles each distinct schema once per connection, and identical schemas of several tools once between them. Named
 * by content, never by tool, so a schema that changes gets a new name rather than an old validator.
 */
function withContentId(schema: Record<string, unknown>): Record<string, unknown> {
	const text = JSON.stringify(schema);
	return { $id: `urn:mcp-workbench:schema:${fnv1a(text)}${fnv1a(text, 0x01000193)}`, ...schema };
}

/** A short, stable fingerprint; not for security. */
function fnv1a(text: string, seed = 0x811c9dc5): string {
	let hash = seed;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(16).padStart(8, '0');
}
