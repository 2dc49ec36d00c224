import type { AnyToolSpec, ToolFamily } from './toolSpec';

/** The families a person switches on and off; `workspace_info` (family `workspace`) is always offered. */
export const SWITCHABLE_FAMILIES = ['files', 'git', 'terminal', 'tasks'] as const satisfies readonly ToolFamily[];
export type SwitchableFamily = (typeof SWITCHABLE_FAMILIES)[number];

const FAMILY_TEXT: Readonly<Record<SwitchableFamily, { readonly label: string; readonly what: string }>> = {
	files: { label: 'Files', what: 'read, search and change workspace files' },
	git: { label: 'Git', what: 'status, diffs, history, staging and commits' },
	terminal: { label: 'Terminal', what: 'run commands in a visible terminal' },
	tasks: { label: 'Tasks', what: 'list and run the workspace\'s tasks' },
};

/** One row of the family switch: a built-in family or one extension's contributed tools. */
export interface FamilyChoice {
	readonly key: { readonly kind: 'family'; readonly family: SwitchableFamily } | { readonly kind: 'extension'; readonly id: string };
	readonly label: string;
	/** What the group does and how many tools it holds, with every tool named: a person switches off what they can see. */
	readonly detail: string;
	readonly on: boolean;
}

export interface FamilySwitches {
	readonly families: readonly string[];
	readonly disabledExtensions: readonly string[];
}

/** The rows of the family switch, built-in families first, then each contributing extension. */
export function familyChoices(tools: readonly AnyToolSpec[], switches: FamilySwitches): FamilyChoice[] {
	const names = (group: readonly AnyToolSpec[]) => group.map((spec) => spec.name).sort().join(', ');
	const rows: FamilyChoice[] = SWITCHABLE_FAMILIES.map((family) => {
		const group = tools.filter((spec) => !spec.contributor && spec.family === family);
		return {
			key: { kind: 'family', family },
			label: FAMILY_TEXT[family].label,
			detail: `${FAMILY_TEXT[family].what}: ${group.length} tool${group.length === 1 ? '' : 's'} (${names(group)})`,
			on: switches.families.includes(family),
		};
	});
	const byExtension = new Map<string, { name: string; group: AnyToolSpec[] }>();
	for (const spec of tools) {
		if (!spec.contributor) continue;
		const entry = byExtension.get(spec.contributor.id) ?? { name: spec.contributor.name, group: [] };
		entry.group.push(spec);
		byExtension.set(spec.contributor.id, entry);
	}
	for (const [id, { name, group }] of [...byExtension].sort(([a], [b]) => a.localeCompare(b))) {
		rows.push({
			key: { kind: 'extension', id },
			label: `${name} (extension ${id})`,
			detail: `contributed by another extension: ${group.length} tool${group.length === 1 ? '' : 's'} (${names(group)})`,
			on: !switches.disabledExtensions.some((off) => off.toLowerCase() === id.toLowerCase()),
		});
	}
	return rows;
}

/**
 * The settings after the person's choice: the families chosen, and the extensions not chosen added to the ones
 * already off (an extension off now but not listed, because it registered nothing yet, stays off).
 */
export function switchesAfter(rows: readonly FamilyChoice[], chosen: readonly FamilyChoice[], before: FamilySwitches): FamilySwitches {
	const isChosen = (row: FamilyChoice) => chosen.some((pick) => JSON.stringify(pick.key) === JSON.stringify(row.key));
	const families = rows.flatMap((row) => (row.key.kind === 'family' && isChosen(row) ? [row.key.family] : []));
	const listed = new Set(rows.flatMap((row) => (row.key.kind === 'extension' ? [row.key.id.toLowerCase()] : [])));
	const disabledExtensions = [
		...before.disabledExtensions.filter((id) => !listed.has(id.toLowerCase())),
		...rows.flatMap((row) => (row.key.kind === 'extension' && !isChosen(row) ? [row.key.id] : [])),
	];
	return { families, disabledExtensions };
}
