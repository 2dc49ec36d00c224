// Workspace settings can only tighten the policy, whichever form a settings file writes them in. The settings files
// are plain objects here; `inspect` is modelled both ways VS Code could treat a nested object: merged into the
// dotted keys' tree, or kept apart under its own top-level key (an application-scoped key filtered out, the nested
// object not).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layersOf, mergeFamilies, mergeRules, mergeStrings, mergeToolActions, type Inspect, type InspectedValue } from '../../../src/vscode/settingsLayers';

type SettingsFile = Record<string, unknown>;

/** VS Code's tree: every top-level dotted key split into nested objects and merged. */
function tree(file: SettingsFile): Record<string, unknown> {
	const root: Record<string, unknown> = {};
	const merge = (target: Record<string, unknown>, key: string, value: unknown) => {
		const [head, ...rest] = key.split('.');
		if (rest.length === 0) {
			const existing = target[head];
			target[head] = existing && typeof existing === 'object' && value && typeof value === 'object' && !Array.isArray(value)
				? { ...existing as object, ...value as object } : value;
			return;
		}
		const child = (target[head] && typeof target[head] === 'object' ? target[head] : (target[head] = {})) as Record<string, unknown>;
		merge(child, rest.join('.'), value);
	};
	for (const [key, value] of Object.entries(file)) merge(root, key, value);
	return root;
}

function walk(value: unknown, key: string): unknown {
	let current = value;
	for (const segment of key.split('.')) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}

const DEFAULTS: SettingsFile = { 'mcpWorkbench.tools.families': ['files', 'git', 'terminal', 'tasks'], 'mcpWorkbench.policy.rules': [], 'mcpWorkbench.policy.tools': {} };

/** `inspect` as VS Code would answer it for a user and a workspace settings file. */
function inspector(user: SettingsFile, workspace: SettingsFile, mode: 'tree' | 'raw'): Inspect {
	const read = (file: SettingsFile, key: string) => (mode === 'tree' ? walk(tree(file), key) : file[key]);
	return (key): InspectedValue => ({ defaultValue: DEFAULTS[key], globalValue: read(user, key), workspaceValue: read(workspace, key) });
}

/** The three forms a settings file can write `mcpWorkbench.policy.<leaf>` in. */
function forms(leaf: string, value: unknown): [string, SettingsFile][] {
	return [
		['dotted', { [`mcpWorkbench.policy.${leaf}`]: value }],
		['policy object', { 'mcpWorkbench.policy': { [leaf]: value } }],
		['section object', { mcpWorkbench: { policy: { [leaf]: value } } }],
		['section object with a dotted inner key', { mcpWorkbench: { [`policy.${leaf}`]: value } }],
	];
}

describe('workspace settings only tighten the policy', () => {
	for (const mode of ['tree', 'raw'] as const) {
		for (const [form, workspace] of forms('tools', { write_file: 'allow', delete_file: 'allow', read_file: 'deny', run_command: 'ask' })) {
			test(`policy.tools (${form}, ${mode}): a workspace "allow" is dropped, "ask" and "deny" are kept over looser user values`, () => {
				const user = { 'mcpWorkbench.policy.tools': { run_command: 'allow', read_file: 'ask', git_push: 'deny' } };
				const merged = mergeToolActions(layersOf(inspector(user, workspace, mode), 'mcpWorkbench.policy.tools'));
				assert.deepEqual(merged, { run_command: 'ask', read_file: 'deny', git_push: 'deny' });
			});
		}
		for (const [form, workspace] of forms('rules', [{ tool: '*_file', paths: ['**'], action: 'allow' }, { tool: 'git_*', action: 'ask' }, { tool: 'run_command', action: 'deny' }])) {
			test(`policy.rules (${form}, ${mode}): only the workspace's deny rules count, placed before the user's`, () => {
				const user = { 'mcpWorkbench.policy.rules': [{ tool: 'git_push', action: 'deny' }] };
				const merged = mergeRules(layersOf(inspector(user, workspace, mode), 'mcpWorkbench.policy.rules'), true);
				assert.deepEqual(merged, [{ tool: 'run_command', action: 'deny' }, { tool: 'git_push', action: 'deny' }]);
			});
		}
		for (const [form, workspace] of forms('sensitivePaths', ['config/prod.yaml'])) {
			test(`policy.sensitivePaths (${form}, ${mode}): the workspace adds globs and removes none`, () => {
				const user = { 'mcpWorkbench.policy.sensitivePaths': ['secrets/**'] };
				const merged = mergeStrings(layersOf(inspector(user, workspace, mode), 'mcpWorkbench.policy.sensitivePaths'));
				assert.deepEqual(merged.sort(), ['config/prod.yaml', 'secrets/**']);
			});
		}
		test(`tools.families (${mode}): a workspace can switch families off, never on`, () => {
			const user = { 'mcpWorkbench.tools.families': ['files', 'git'] };
			for (const workspace of [{ 'mcpWorkbench.tools.families': ['files', 'git', 'terminal'] }, { mcpWorkbench: { tools: { families: ['git', 'terminal', 'tasks'] } } }]) {
				const merged = mergeFamilies(layersOf(inspector(user, workspace, mode), 'mcpWorkbench.tools.families'));
				assert.ok(!merged.includes('terminal') && !merged.includes('tasks'), JSON.stringify(merged));
			}
			assert.deepEqual(mergeFamilies(layersOf(inspector({}, {}, mode), 'mcpWorkbench.tools.families')), ['files', 'git', 'terminal', 'tasks']);
		});
		test(`terminal.commandRules (${mode}): a workspace "allow" rule is dropped, "ask" and "deny" kept`, () => {
			const workspace = { mcpWorkbench: { terminal: { commandRules: [{ program: 'curl', action: 'allow' }, { program: 'rm', action: 'deny' }, { program: 'npm', action: 'ask' }] } } };
			const merged = mergeRules(layersOf(inspector({}, workspace, mode), 'mcpWorkbench.terminal.commandRules'), false);
			assert.deepEqual(merged, [{ program: 'rm', action: 'deny' }, { program: 'npm', action: 'ask' }]);
		});
	}

	test('the user\'s own settings apply in every form, the dotted key winning over a nested object', () => {
		const user = { mcpWorkbench: { policy: { tools: { write_file: 'allow', git_push: 'ask' } } }, 'mcpWorkbench.policy.tools': { write_file: 'deny' } };
		assert.deepEqual(mergeToolActions(layersOf(inspector(user, {}, 'raw'), 'mcpWorkbench.policy.tools')), { write_file: 'deny', git_push: 'ask' });
	});
});
