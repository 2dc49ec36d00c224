import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Zone paths are relative to the project, whatever the working directory of whoever runs ESLint. */
const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The layers of src/, as path zones (modelled on microsoft/vscode-copilot-chat): each import is resolved to a file and
 * refused when that file lies in a `from` of a zone whose `target` holds the importing file. src/extension.ts, the
 * composition root, is the target of no zone; test/ and bench/ are outside src/ and may import anything.
 */
const layerZones = [
	{
		target: 'src/core',
		from: ['src/node', 'src/tools', 'src/vscode', 'src/webview', 'src/extension.ts'],
		message: 'core is pure logic: it imports only core (no Node I/O, no vscode, no outer layer: src/node, src/tools, src/vscode, src/webview, src/extension.ts).',
	},
	{
		target: 'src/core',
		from: 'node_modules',
		except: ['./zod', './picomatch', './diff', './jsonc-parser', './smol-toml'],
		message: 'core is pure logic: of npm packages it imports only pure ones (zod, picomatch, diff, jsonc-parser, smol-toml); Node or editor packages belong in src/node or src/vscode.',
	},
	{
		target: 'src/prompts',
		from: ['src/node', 'src/tools', 'src/vscode', 'src/webview', 'src/extension.ts'],
		message: 'prompts read the workspace only through the gate (PromptContext.reads): they import core only (no src/node, src/tools, src/vscode, src/webview, src/extension.ts).',
	},
	{
		target: 'src/node',
		from: ['src/vscode', 'src/webview', 'src/extension.ts'],
		message: 'node holds the Node implementations of core: it imports core, node, npm packages and Node builtins (no src/vscode, src/webview, src/extension.ts).',
	},
	{
		// Every file of src/node except src/node/workbench.ts, the one composition (createWorkbench).
		target: ['src/node/*/**', 'src/node/!(workbench).ts'],
		from: ['src/tools', 'src/prompts'],
		message: 'node does not import the tool specs in src/tools or the prompts in src/prompts: only src/node/workbench.ts (createWorkbench, the one composition) may.',
	},
	{
		target: 'src/tools',
		from: ['src/vscode', 'src/webview', 'src/extension.ts'],
		message: 'tools are tool specs over core\'s hosts: they import core, node, npm packages and Node builtins (no src/vscode, src/webview, src/extension.ts).',
	},
	{
		target: 'src/vscode',
		from: ['src/tools', 'src/prompts', 'src/extension.ts'],
		message: 'vscode adapts VS Code\'s API to core\'s hosts: it imports core, node and vscode, not the tool specs in src/tools (src/node/workbench.ts composes them) nor src/extension.ts.',
	},
	{
		target: 'src/vscode',
		from: 'src/webview',
		except: ['./protocol.ts'],
		message: 'vscode reaches the webview only through the shared message protocol, src/webview/protocol.ts: the rest of src/webview is browser code.',
	},
	{
		target: 'src/launcher',
		from: ['src/vscode', 'src/webview', 'src/tools', 'src/extension.ts'],
		message: 'launcher is the stdio launcher, run outside VS Code by plain Node: it imports core and node (the discovery files), no vscode, webview or tool specs.',
	},
	{
		target: 'src/webview',
		from: ['src/node', 'src/tools', 'src/vscode', 'src/extension.ts'],
		message: 'webview is the panel\'s browser code: it imports only webview and core (no src/node, src/tools, src/vscode, src/extension.ts).',
	},
];

/**
 * Module names, not paths, so `no-restricted-imports`: only src/vscode and src/extension.ts import `vscode`; core and
 * webview import no Node builtin (`node:*` and the bare names: fs, fs/promises, child_process, …).
 */
function restrictedModules(layer, { allowBuiltins }) {
	const noBuiltin = `${layer}: no Node builtins.`;
	return ['error', {
		paths: [
			{ name: 'vscode', message: `${layer}: only src/vscode and src/extension.ts import vscode.` },
			...(allowBuiltins ? [] : builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message: noBuiltin }))),
		],
		patterns: allowBuiltins ? [] : [{ group: ['node:*'], message: noBuiltin }],
	}];
}

export default tseslint.config(
	{ ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'test-results/**', 'scripts/**', 'esbuild.mjs', 'eslint.config.mjs'] },
	...tseslint.configs.recommended,
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			eqeqeq: ['error', 'always'],
			'no-restricted-syntax': ['error', { selector: 'CallExpression[callee.property.name="exec"][callee.object.name="child_process"]', message: 'no shell: use execFile/spawn with argument arrays' }],
		},
	},
	{
		// Layers by path. Only files under src/ are targets, so only they pay for resolving their imports. An import the
		// resolver cannot find is not checked: today that is only `vscode` (types, no module), which no-restricted-imports covers.
		files: ['src/**/*.ts'],
		ignores: ['src/extension.ts'],
		plugins: { 'import-x': importX },
		settings: {
			'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
		},
		rules: {
			'import-x/no-restricted-paths': ['error', { basePath: root, zones: layerZones }],
		},
	},
	{ files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': restrictedModules('core is pure logic', { allowBuiltins: false }) } },
	{ files: ['src/node/**/*.ts'], rules: { 'no-restricted-imports': restrictedModules('node holds Node implementations, not VS Code ones', { allowBuiltins: true }) } },
	{ files: ['src/tools/**/*.ts'], rules: { 'no-restricted-imports': restrictedModules('tools reach the editor only through core\'s hosts', { allowBuiltins: true }) } },
	{ files: ['src/prompts/**/*.ts'], rules: { 'no-restricted-imports': restrictedModules('prompts read only through the gate', { allowBuiltins: false }) } },
	{ files: ['src/webview/**/*.ts'], rules: { 'no-restricted-imports': restrictedModules('webview is browser code', { allowBuiltins: false }) } },
);
