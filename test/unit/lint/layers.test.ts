import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';

// The layer rules of eslint.config.mjs, driven through ESLint's own API: each case lints a probe file that does not
// exist, placed inside a layer, whose one import names a real module (the zones resolve imports to files).
const ROOT = resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });

const ZONES = 'import-x/no-restricted-paths';
const MODULES = 'no-restricted-imports';
const LAYER_RULES = new Set([ZONES, MODULES]);

interface Probe {
	/** The probe's path from the project root: where the import is written. */
	readonly file: string;
	/** The imported module: a path relative to the probe (without .ts), or a module name. */
	readonly from: string;
	readonly typeOnly?: boolean;
}

/** The problems the layer rules report for `file` importing `from`. */
async function layerProblems({ file, from, typeOnly }: Probe): Promise<{ ruleId: string | null; message: string }[]> {
	if (from.startsWith('.')) {
		// Else an allowed case would pass only because the resolver found nothing to check.
		const target = resolve(ROOT, dirname(file), from);
		assert.ok(existsSync(`${target}.ts`), `the probe's import ${from} must name a real module (${target}.ts)`);
	}
	const code = typeOnly ? `import type * as m from '${from}';\nexport type { m };\n` : `import * as m from '${from}';\nexport { m };\n`;
	const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
	assert.ok(result, 'ESLint returns one result per lintText');
	assert.equal(result.fatalErrorCount, 0, JSON.stringify(result.messages));
	return result.messages.filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId)).map(({ ruleId, message }) => ({ ruleId, message }));
}

interface Refused extends Probe {
	readonly name: string;
	readonly rule: string;
	/** Words of the message that name the layer and its rule. */
	readonly says: RegExp;
}

const refused: Refused[] = [
	{ name: 'core importing src/node', file: 'src/core/gate/probe.ts', from: '../../node/audit/auditStore', rule: ZONES, says: /core is pure logic: it imports only core/ },
	{ name: 'core importing src/tools', file: 'src/core/tools/probe.ts', from: '../../tools/files/index', rule: ZONES, says: /core is pure logic: it imports only core/ },
	{ name: 'core importing node:fs', file: 'src/core/gate/probe.ts', from: 'node:fs', rule: MODULES, says: /core is pure logic: no Node builtins/ },
	{ name: 'core importing fs/promises', file: 'src/core/gate/probe.ts', from: 'fs/promises', rule: MODULES, says: /core is pure logic: no Node builtins/ },
	{ name: 'core importing vscode', file: 'src/core/gate/probe.ts', from: 'vscode', rule: MODULES, says: /core is pure logic: only src\/vscode and src\/extension\.ts import vscode/ },
	{ name: 'core importing an npm package that does I/O', file: 'src/core/gate/probe.ts', from: 'simple-git', rule: ZONES, says: /core is pure logic: of npm packages it imports only pure ones/ },
	{ name: 'node importing src/tools', file: 'src/node/files/probe.ts', from: '../../tools/files/index', rule: ZONES, says: /node does not import the tool specs in src\/tools/ },
	{ name: 'a workbench.ts deeper in node importing src/tools', file: 'src/node/server/workbench.ts', from: '../../tools/files/index', rule: ZONES, says: /node does not import the tool specs in src\/tools/ },
	{ name: 'node importing src/vscode', file: 'src/node/files/probe.ts', from: '../../vscode/settings', rule: ZONES, says: /node holds the Node implementations of core/ },
	{ name: 'node importing vscode', file: 'src/node/files/probe.ts', from: 'vscode', rule: MODULES, says: /node holds Node implementations, not VS Code ones/ },
	{ name: 'tools importing src/vscode', file: 'src/tools/files/probe.ts', from: '../../vscode/settings', rule: ZONES, says: /tools are tool specs over core's hosts/ },
	{ name: 'tools importing vscode', file: 'src/tools/files/probe.ts', from: 'vscode', rule: MODULES, says: /tools reach the editor only through core's hosts/ },
	{ name: 'vscode importing src/tools', file: 'src/vscode/hosts/probe.ts', from: '../../tools/git/index', rule: ZONES, says: /vscode adapts VS Code's API to core's hosts/ },
	{ name: 'vscode importing webview code other than the protocol', file: 'src/vscode/panel/probe.ts', from: '../../webview/viewModel', rule: ZONES, says: /vscode reaches the webview only through the shared message protocol/ },
	{ name: 'vscode importing src/extension.ts', file: 'src/vscode/probe.ts', from: '../extension', rule: ZONES, says: /vscode adapts VS Code's API/ },
	{ name: 'webview importing src/node', file: 'src/webview/probe.ts', from: '../node/server/workbenchServer', rule: ZONES, says: /webview is the panel's browser code: it imports only webview and core/ },
	{ name: 'webview importing src/vscode', file: 'src/webview/probe.ts', from: '../vscode/panel/sidebarView', rule: ZONES, says: /webview is the panel's browser code/ },
	{ name: 'webview importing node:path', file: 'src/webview/probe.ts', from: 'node:path', rule: MODULES, says: /webview is browser code: no Node builtins/ },
	{ name: 'prompts importing a tool (reading around the gate)', file: 'src/prompts/git/probe.ts', from: '../../tools/git/readTools', rule: ZONES, says: /prompts read the workspace only through the gate/ },
	{ name: 'prompts importing src/node', file: 'src/prompts/git/probe.ts', from: '../../node/git/gitRunner', rule: ZONES, says: /prompts read the workspace only through the gate/ },
	{ name: 'prompts importing node:fs', file: 'src/prompts/git/probe.ts', from: 'node:fs', rule: MODULES, says: /prompts read only through the gate: no Node builtins/ },
	{ name: 'node importing src/prompts', file: 'src/node/server/probe.ts', from: '../../prompts/allPrompts', rule: ZONES, says: /node does not import the tool specs in src\/tools or the prompts in src\/prompts/ },
	{ name: 'vscode importing src/prompts', file: 'src/vscode/probe.ts', from: '../prompts/allPrompts', rule: ZONES, says: /vscode adapts VS Code's API/ },
];

const allowed: (Probe & { readonly name: string })[] = [
	{ name: 'core importing core (another concern)', file: 'src/core/gate/probe.ts', from: '../tools/toolSpec' },
	{ name: 'core importing zod', file: 'src/core/gate/probe.ts', from: 'zod' },
	{ name: 'core importing picomatch', file: 'src/core/paths/probe.ts', from: 'picomatch' },
	{ name: 'node importing core', file: 'src/node/files/probe.ts', from: '../../core/paths/pathJail' },
	{ name: 'node importing node:fs', file: 'src/node/files/probe.ts', from: 'node:fs' },
	{ name: 'src/node/workbench.ts (the composition) importing src/tools', file: 'src/node/workbench.ts', from: '../tools/files/index' },
	{ name: 'tools importing node', file: 'src/tools/files/probe.ts', from: '../../node/files/fileBytes' },
	{ name: 'tools importing core', file: 'src/tools/files/probe.ts', from: '../../core/tools/toolSpec' },
	{ name: 'vscode importing node', file: 'src/vscode/hosts/probe.ts', from: '../../node/terminal/childCommand' },
	{ name: 'vscode importing vscode', file: 'src/vscode/hosts/probe.ts', from: 'vscode' },
	{ name: 'vscode importing the webview protocol', file: 'src/vscode/panel/probe.ts', from: '../../webview/protocol' },
	{ name: 'webview importing core types', file: 'src/webview/probe.ts', from: '../core/tools/toolSpec', typeOnly: true },
	{ name: 'the webview protocol importing zod', file: 'src/webview/protocol.ts', from: 'zod' },
	{ name: 'extension.ts importing tools', file: 'src/extension.ts', from: './tools/files/index' },
	{ name: 'prompts importing core', file: 'src/prompts/git/probe.ts', from: '../../core/prompts/promptSpec' },
	{ name: 'src/node/workbench.ts (the composition) importing src/prompts', file: 'src/node/workbench.ts', from: '../prompts/allPrompts' },
];

describe('lint: layers', () => {
	for (const probe of refused) {
		test(`refuses ${probe.name}`, async () => {
			const problems = await layerProblems(probe);
			assert.deepEqual(problems.map((p) => p.ruleId), [probe.rule], JSON.stringify(problems));
			assert.match(problems[0]?.message ?? '', probe.says);
		});
	}
	for (const probe of allowed) {
		test(`allows ${probe.name}`, async () => {
			assert.deepEqual(await layerProblems(probe), []);
		});
	}
});
