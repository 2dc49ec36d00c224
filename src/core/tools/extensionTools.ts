import type { ContributedTool, McpWorkbenchApi, McpWorkbenchExports } from '../../../api/mcp-workbench';
import { DisposableStore, type Disposable } from '../base/disposable';
import { contributedToolSpec, type Contributor } from './contributedTool';
import type { ToolRegistry } from './toolRegistry';
import type { Risk } from './toolSpec';

/** The versions of the extension API this build offers (api/mcp-workbench.d.ts). */
export const API_VERSIONS: readonly number[] = Object.freeze([1]);

/** One contributing extension and the tools it offers now, for the panel. */
export interface ContributorTools {
	readonly contributor: Contributor;
	readonly tools: readonly { readonly name: string; readonly title: string; readonly risk: Risk }[];
}

/**
 * Who contributed which tool. Every registration is held per extension, so an extension that is uninstalled or
 * disabled loses all its tools at once even when it never disposed them itself.
 */
export class ExtensionTools implements Disposable {
	private readonly byExtension = new Map<string, { readonly contributor: Contributor; readonly store: DisposableStore; readonly names: Set<string> }>();

	constructor(private readonly registry: ToolRegistry) {}

	register(contributor: Contributor, definition: ContributedTool<never>): Disposable {
		const spec = contributedToolSpec(definition, contributor);
		const added = this.registry.add(spec);
		let entry = this.byExtension.get(contributor.id);
		if (!entry) {
			entry = { contributor, store: new DisposableStore(), names: new Set() };
			this.byExtension.set(contributor.id, entry);
		}
		const owner = entry;
		owner.names.add(spec.name);
		let disposed = false;
		const registration: Disposable = {
			dispose: () => {
				if (disposed) return;
				disposed = true;
				added.dispose();
				owner.names.delete(spec.name);
				owner.store.delete(registration);
				if (owner.names.size === 0 && this.byExtension.get(contributor.id) === owner) this.byExtension.delete(contributor.id);
			},
		};
		owner.store.add(registration);
		return registration;
	}

	/** Removes every tool of the extensions not in `present` (uninstalled, disabled). */
	retainOnly(present: ReadonlySet<string>): void {
		for (const [id, entry] of [...this.byExtension]) {
			if (!present.has(id)) entry.store.dispose();
		}
	}

	list(): ContributorTools[] {
		return [...this.byExtension.values()].map(({ contributor, names }) => ({
			contributor,
			tools: [...names].flatMap((name) => {
				const spec = this.registry.get(name);
				return spec ? [{ name, title: spec.title, risk: spec.risk }] : [];
			}),
		}));
	}

	/**
	 * What `activate` returns to other extensions. `caller` names the extension making each call (the editor finds it
	 * from the call's stack, so no extension can register in another's name); it throws when it cannot tell.
	 */
	exports(caller: () => Contributor): McpWorkbenchExports {
		const v1: McpWorkbenchApi = Object.freeze({
			version: 1 as const,
			registerTool: (tool: ContributedTool<never>) => this.register(caller(), tool),
		});
		return Object.freeze({
			apiVersions: API_VERSIONS,
			getApi: (version: number) => {
				if (version !== 1) throw new Error(`MCP Workbench offers extension API versions ${API_VERSIONS.join(', ')}, not ${String(version)}.`);
				return v1;
			},
		}) as McpWorkbenchExports;
	}

	dispose(): void {
		for (const entry of [...this.byExtension.values()]) entry.store.dispose();
		this.byExtension.clear();
	}
}

/**
 * The extension whose code is calling, from a stack trace: the first frame in a file inside another extension's
 * folder. The editor's own frames and MCP Workbench's are skipped.
 */
export function callerFromStack(stack: string, extensions: readonly { readonly id: string; readonly path: string; readonly name: string }[], selfId: string): Contributor | undefined {
	const others = extensions.filter((extension) => extension.id !== selfId && extension.path.length > 1).sort((a, b) => b.path.length - a.path.length);
	for (const line of stack.split('\n').slice(1)) {
		const frame = line.replace(/file:\/\//g, '').replace(/\\/g, '/');
		const owner = others.find((extension) => {
			const folder = extension.path.replace(/\\/g, '/').replace(/\/$/, '');
			return frame.includes(`${folder}/`);
		});
		if (owner) return { id: owner.id, name: owner.name };
	}
	return undefined;
}
