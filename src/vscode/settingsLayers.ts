// Which settings a workspace may change. The workspace's own `.vscode/settings.json` (or `*.code-workspace`) is the
// agent's to write, so for the policy it may only tighten: its values are read apart from the user's and merged one
// way. Pure (VS Code's `inspect` is passed in), so each way a setting can be written is tested without an editor.

/** What `WorkspaceConfiguration.inspect` reports for one key (languages left out: policy is not per language). */
export interface InspectedValue {
	readonly defaultValue?: unknown;
	readonly globalValue?: unknown;
	readonly workspaceValue?: unknown;
	readonly workspaceFolderValue?: unknown;
}

/** `inspect` on the root configuration, by full key (`mcpWorkbench.policy.tools`). */
export type Inspect = (key: string) => InspectedValue | undefined;

export interface Layers {
	readonly defaultValue: unknown;
	/** The user's values, most specific form first. */
	readonly user: readonly unknown[];
	/** Every value the workspace or a workspace folder gives, in any form. */
	readonly workspace: readonly unknown[];
}

/** The values under `path` in `value`, with the path's segments nested or joined by dots at any level. */
function dig(value: unknown, segments: readonly string[]): unknown[] {
	if (segments.length === 0) {
		return value === undefined ? [] : [value];
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return [];
	}
	const found: unknown[] = [];
	for (let take = 1; take <= segments.length; take++) {
		const key = segments.slice(0, take).join('.');
		if (Object.prototype.hasOwnProperty.call(value, key)) {
			found.push(...dig((value as Record<string, unknown>)[key], segments.slice(take)));
		}
	}
	return found;
}

/**
 * One key's values per layer, in every form a settings file can hold it: `"mcpWorkbench.policy.tools": …`,
 * `"mcpWorkbench.policy": { "tools": … }`, `"mcpWorkbench": { "policy": { "tools": … } }`, or any mix.
 */
export function layersOf(inspect: Inspect, key: string): Layers {
	const segments = key.split('.');
	const user: unknown[] = [];
	const workspace: unknown[] = [];
	let defaultValue: unknown;
	for (let length = segments.length; length >= 1; length--) {
		const inspected = inspect(segments.slice(0, length).join('.'));
		if (!inspected) continue;
		const rest = segments.slice(length);
		if (length === segments.length) defaultValue = inspected.defaultValue;
		user.push(...dig(inspected.globalValue, rest));
		workspace.push(...dig(inspected.workspaceValue, rest), ...dig(inspected.workspaceFolderValue, rest));
	}
	return { defaultValue, user, workspace };
}

type Action = 'allow' | 'ask' | 'deny';
const STRICTNESS: Record<Action, number> = { allow: 0, ask: 1, deny: 2 };

function isAction(value: unknown): value is Action {
	return value === 'allow' || value === 'ask' || value === 'deny';
}

function records(values: readonly unknown[]): Record<string, unknown>[] {
	return values.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
}

function arrays(values: readonly unknown[]): unknown[][] {
	return values.filter(Array.isArray);
}

/**
 * `policy.tools`: the user's actions, then each workspace action only where it is stricter than what the user set
 * (with no user value, "ask" and "deny" are stricter than any default; "allow" never is).
 */
export function mergeToolActions(layers: Layers): Record<string, Action> {
	const merged: Record<string, Action> = {};
	// Least specific form first, so the dotted key the Settings editor writes wins over a nested object.
	for (const value of records(layers.user).reverse()) {
		for (const [tool, action] of Object.entries(value)) {
			if (isAction(action)) merged[tool] = action;
		}
	}
	for (const value of records(layers.workspace)) {
		for (const [tool, action] of Object.entries(value)) {
			if (!isAction(action) || action === 'allow') continue;
			const current = merged[tool];
			if (current === undefined || STRICTNESS[action] > STRICTNESS[current]) merged[tool] = action;
		}
	}
	return merged;
}

/**
 * A list of rules with an `action`: the user's list, with the workspace's rules that can only tighten in front.
 * `onlyDeny`: for first-match lists (policy.rules) where an "ask" placed first would override a user's "deny".
 */
export function mergeRules(layers: Layers, onlyDeny: boolean): unknown[] {
	const user = arrays(layers.user)[0] ?? (Array.isArray(layers.defaultValue) ? layers.defaultValue : []);
	const tightening = new Map<string, unknown>();
	for (const rule of arrays(layers.workspace).flat()) {
		const action = rule !== null && typeof rule === 'object' ? (rule as { action?: unknown }).action : undefined;
		// The same rule is seen once per form that reaches it (the leaf and its parents' objects).
		if (onlyDeny ? action === 'deny' : action === 'deny' || action === 'ask') tightening.set(JSON.stringify(rule), rule);
	}
	return [...tightening.values(), ...user];
}

/** `policy.sensitivePaths`: every glob from every layer; more sensitive paths only ask more. */
export function mergeStrings(layers: Layers): string[] {
	const all = [...arrays(layers.user), ...arrays(layers.workspace)].flat().filter((v): v is string => typeof v === 'string');
	return [...new Set(all)];
}

/** `tools.families`: the user's list (or the default), narrowed by each workspace list; never widened. */
export function mergeFamilies(layers: Layers): string[] {
	const base = arrays(layers.user)[0] ?? (Array.isArray(layers.defaultValue) ? layers.defaultValue : []);
	let families = base.filter((v): v is string => typeof v === 'string');
	for (const narrower of arrays(layers.workspace)) {
		families = families.filter((family) => narrower.includes(family));
	}
	return families;
}
