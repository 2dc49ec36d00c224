import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import type { WorkspaceFolderInfo } from '../../../../src/core/host/host';
import { decide, type CommandVerdict, type PolicySettings } from '../../../../src/core/gate/policy';
import { defineTool, type CallSubject, type Risk } from '../../../../src/core/tools/toolSpec';

const folders: WorkspaceFolderInfo[] = [
	{ name: 'app', path: '/ws/app', uri: 'file:///ws/app', index: 0 },
	{ name: 'lib', path: '/ws/lib', uri: 'file:///ws/lib', index: 1 },
];

function tool(name: string, risk: Risk) {
	return defineTool({ name, title: name, description: name, family: 'files', risk, input: z.object({}), annotations: {}, handler: async () => ({ text: '' }) });
}

const none: PolicySettings = { tools: {}, rules: [], sensitivePaths: [] };

interface Row {
	readonly name: string;
	readonly risk: Risk;
	readonly subject?: CallSubject;
	readonly settings?: Partial<PolicySettings>;
	readonly command?: CommandVerdict;
	readonly expect: 'allow' | 'ask' | 'deny';
	readonly rule?: string | RegExp;
	readonly mustAsk?: boolean;
}

const rows: Row[] = [
	{ name: 'read-only tools allow by default', risk: 'read', subject: { paths: ['/ws/app/src/a.ts'] }, expect: 'allow', rule: 'default:read' },
	{ name: 'writes ask by default', risk: 'write', subject: { paths: ['/ws/app/src/a.ts'] }, expect: 'ask', rule: 'default:write' },
	{ name: 'commands ask by default', risk: 'execute', expect: 'ask', rule: 'default:execute' },
	{ name: 'destructive asks by default and must ask', risk: 'destructive', expect: 'ask', mustAsk: true },
	{ name: 'a per-tool allow lets a write through', risk: 'write', subject: { paths: ['/ws/app/src/a.ts'] }, settings: { tools: { t: 'allow' } }, expect: 'allow', rule: 'setting:tools.t' },
	{ name: 'a per-tool deny refuses a read', risk: 'read', settings: { tools: { t: 'deny' } }, expect: 'deny' },
	{ name: 'a per-tool allow cannot silence a destructive call', risk: 'destructive', settings: { tools: { t: 'allow' } }, expect: 'ask', rule: 'destructive:always-asks', mustAsk: true },
	{ name: 'arguments can raise the risk (force push)', risk: 'write', subject: { risk: 'destructive' }, settings: { tools: { t: 'allow' } }, expect: 'ask', mustAsk: true },
	{ name: 'a path rule allows writes under src/**', risk: 'write', subject: { paths: ['/ws/app/src/deep/a.ts'] }, settings: { rules: [{ tool: 't', paths: ['src/**'], action: 'allow' }] }, expect: 'allow', rule: 'setting:rules[0]' },
	{ name: 'a path rule needs every path to match', risk: 'write', subject: { paths: ['/ws/app/src/a.ts', '/ws/app/docs/b.md'] }, settings: { rules: [{ tool: 't', paths: ['src/**'], action: 'allow' }] }, expect: 'ask' },
	{ name: 'rules match tool globs', risk: 'write', subject: { paths: ['/ws/lib/x.ts'] }, settings: { rules: [{ tool: 't*', paths: ['*.ts'], action: 'deny' }] }, expect: 'deny' },
	{ name: 'first matching rule wins', risk: 'write', subject: { paths: ['/ws/app/a.ts'] }, settings: { rules: [{ tool: '*', action: 'ask' }, { tool: 't', action: 'allow' }] }, expect: 'ask', rule: 'setting:rules[0]' },
	{ name: 'task label rules', risk: 'execute', subject: { task: { label: 'build', command: 'npm run build' } }, settings: { rules: [{ tool: 't', tasks: ['build'], action: 'allow' }] }, expect: 'allow' },
	{ name: 'task label rules do not match other tasks', risk: 'execute', subject: { task: { label: 'deploy' } }, settings: { rules: [{ tool: 't', tasks: ['build'], action: 'allow' }] }, expect: 'ask' },
	{ name: 'reading .env asks even though reads allow', risk: 'read', subject: { paths: ['/ws/app/.env'] }, expect: 'ask', rule: /^sensitive:/, mustAsk: true },
	{ name: '.env.local is sensitive', risk: 'read', subject: { paths: ['/ws/app/config/.env.local'] }, expect: 'ask', mustAsk: true },
	{ name: 'writing .git/config asks even when the tool is allowed', risk: 'write', subject: { paths: ['/ws/app/.git/config'] }, settings: { tools: { t: 'allow' } }, expect: 'ask', mustAsk: true },
	{ name: 'git hooks are sensitive', risk: 'write', subject: { paths: ['/ws/lib/.git/hooks/pre-commit'] }, settings: { rules: [{ tool: '*', action: 'allow' }] }, expect: 'ask', mustAsk: true },
	{ name: '.vscode/settings.json is sensitive', risk: 'write', subject: { paths: ['/ws/app/.vscode/settings.json'] }, settings: { tools: { t: 'allow' } }, expect: 'ask' },
	{ name: '.vscode/tasks.json is sensitive', risk: 'write', subject: { paths: ['/ws/app/.vscode/tasks.json'] }, settings: { tools: { t: 'allow' } }, expect: 'ask' },
	{ name: 'MCP configuration is sensitive', risk: 'write', subject: { paths: ['/ws/app/.mcp.json'] }, settings: { tools: { t: 'allow' } }, expect: 'ask' },
	{ name: 'agent instructions are sensitive', risk: 'write', subject: { paths: ['/ws/app/AGENTS.md'] }, settings: { tools: { t: 'allow' } }, expect: 'ask' },
	{ name: 'Claude hooks are sensitive', risk: 'write', subject: { paths: ['/ws/app/.claude/settings.json'] }, settings: { tools: { t: 'allow' } }, expect: 'ask' },
	{ name: 'CI workflows are sensitive', risk: 'write', subject: { paths: ['/ws/app/.github/workflows/ci.yml'] }, settings: { tools: { t: 'allow' } }, expect: 'ask' },
	{ name: 'user-added sensitive globs', risk: 'read', subject: { paths: ['/ws/app/secrets/prod.yaml'] }, settings: { sensitivePaths: ['secrets/**'] }, expect: 'ask', rule: 'sensitive:secrets/**' },
	{ name: 'a deny rule beats sensitivity', risk: 'write', subject: { paths: ['/ws/app/.env'] }, settings: { tools: { t: 'deny' } }, expect: 'deny' },
	{ name: 'ordinary dotfiles are not sensitive', risk: 'write', subject: { paths: ['/ws/app/.eslintrc.json'] }, settings: { tools: { t: 'allow' } }, expect: 'allow' },
	{ name: 'a look-alike .envy is still caught by .env*', risk: 'read', subject: { paths: ['/ws/app/.envy'] }, expect: 'ask' },
	{ name: 'the parser allows a read-only command', risk: 'execute', subject: { command: { line: 'git status', cwd: '/ws/app' } }, command: { action: 'allow', rule: 'command:read-only' }, expect: 'allow', rule: 'command:read-only' },
	{ name: 'the parser asks for a chained command even if the tool is allowed', risk: 'execute', subject: { command: { line: 'ls; rm -rf x', cwd: '/ws/app' } }, settings: { tools: { t: 'allow' } }, command: { action: 'ask', rule: 'command:chain' }, expect: 'ask', rule: 'command:chain' },
	{ name: 'the parser denies', risk: 'execute', subject: { command: { line: 'rm -rf /', cwd: '/ws/app' } }, settings: { tools: { t: 'allow' } }, command: { action: 'deny', rule: 'command:rule' }, expect: 'deny' },
	{ name: 'a tool-level ask is not loosened by the parser', risk: 'execute', subject: { command: { line: 'ls', cwd: '/ws/app' } }, settings: { tools: { t: 'ask' } }, command: { action: 'allow', rule: 'command:read-only' }, expect: 'ask', rule: 'setting:tools.t' },
];

describe('policy decisions', () => {
	for (const row of rows) {
		test(row.name, () => {
			const settings = { ...none, ...row.settings };
			const decision = decide(tool('t', row.risk), row.subject ?? {}, settings, folders, row.command);
			assert.equal(decision.action, row.expect, `rule ${decision.rule}`);
			if (typeof row.rule === 'string') assert.equal(decision.rule, row.rule);
			if (row.rule instanceof RegExp) assert.match(decision.rule, row.rule);
			if (row.mustAsk !== undefined) assert.equal(decision.mustAsk, row.mustAsk);
		});
	}
});
