import * as vscode from 'vscode';
import type { SandboxMode } from '../core/host/sandbox';
import type { PolicyAction, PolicyRule } from '../core/gate/policy';
import type { RateLimitSettings } from '../core/gate/rateLimit';
import type { CommandRule } from '../core/shell/commandPolicy';
import type { ToolFamily } from '../core/tools/toolSpec';
import { ALL_FAMILIES, type WorkbenchSettings } from '../node/workbench';
import { layersOf, mergeFamilies, mergeRules, mergeStrings, mergeToolActions, type Layers } from './settingsLayers';

export const SECTION = 'mcpWorkbench';

/** How the editor starts and reaches the server; the rest of the server's settings are in WorkbenchSettings. */
export interface ServerSettings {
	readonly autoStart: boolean;
	readonly vscodeTransport: 'auto' | 'socket' | 'tcp';
}

function config(): vscode.WorkspaceConfiguration {
	return vscode.workspace.getConfiguration(SECTION);
}

/**
 * A setting the workspace may only tighten, read layer by layer in every form it can be written (see
 * settingsLayers.ts): `get` would hand back a workspace value, and VS Code's application scope does not hold back
 * one written as a nested object (`"mcpWorkbench": { "policy": … }`).
 */
function layers(key: string): Layers {
	const root = vscode.workspace.getConfiguration();
	return layersOf((full) => root.inspect(full), `${SECTION}.${key}`);
}

export function readServerSettings(): ServerSettings {
	const c = config();
	return {
		autoStart: c.get<boolean>('server.autoStart', true),
		vscodeTransport: c.get<'auto' | 'socket' | 'tcp'>('server.vscodeTransport', 'auto'),
	};
}

/** Everything the composition runs with, read from the user's settings and the workspace's trust. */
export function readWorkbenchSettings(): WorkbenchSettings {
	const c = config();
	return {
		trusted: vscode.workspace.isTrusted,
		families: enabledFamilies(),
		// Every layer's list counts: a workspace may switch an extension's tools off, never back on.
		disabledExtensions: mergeStrings(layers('tools.disabledExtensions')),
		policy: {
			tools: sanitizeActions(mergeToolActions(layers('policy.tools'))),
			rules: sanitizeRules(mergeRules(layers('policy.rules'), true)),
			sensitivePaths: mergeStrings(layers('policy.sensitivePaths')),
		},
		callTimeoutMs: Math.max(1, c.get<number>('calls.timeoutSeconds', 120)) * 1000,
		maxOutputBytes: Math.max(1, c.get<number>('calls.maxOutputKB', 8192)) * 1024,
		// Below 4 KB an answer would be mostly marker.
		resultBudgetBytes: Math.max(4, c.get<number>('calls.resultBudgetKB', 64)) * 1024,
		rateLimits: readRateLimits(),
		approvalTimeoutMs: Math.max(5, c.get<number>('approval.timeoutSeconds', 300)) * 1000,
		commandRules: readCommandRules(),
		idleTimeoutMs: Math.max(1, c.get<number>('server.idleTimeoutMinutes', 30)) * 60_000,
		maxBodyBytes: Math.max(1, c.get<number>('server.maxRequestBodyMB', 4)) * 1024 * 1024,
	};
}

export function enabledFamilies(): ToolFamily[] {
	const chosen = mergeFamilies(layers('tools.families'));
	// workspace_info is how an agent learns where it is: always offered.
	return ALL_FAMILIES.filter((family) => family === 'workspace' || chosen.includes(family));
}

function readRateLimits(): RateLimitSettings {
	const c = config();
	const perTool = c.get<Record<string, unknown>>('rateLimit.perToolPerMinute', {});
	return {
		perToolPerMinute: Object.fromEntries(Object.entries(perTool).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0)),
		defaultPerToolPerMinute: c.get<number>('rateLimit.defaultPerToolPerMinute', 600),
		perSessionPerMinute: c.get<number>('rateLimit.perSessionPerMinute', 1200),
	};
}

export function auditMaxFileBytes(): number {
	return Math.max(1, config().get<number>('audit.maxFileMB', 10)) * 1024 * 1024;
}

const ACTIONS = new Set(['allow', 'ask', 'deny']);

/** Settings are user input too: a malformed entry is skipped, never trusted. */
function sanitizeActions(value: Record<string, unknown>): Record<string, PolicyAction> {
	return Object.fromEntries(Object.entries(value ?? {}).filter((e): e is [string, PolicyAction] => typeof e[1] === 'string' && ACTIONS.has(e[1])));
}

function sanitizeRules(value: unknown[]): PolicyRule[] {
	const rules: PolicyRule[] = [];
	for (const item of Array.isArray(value) ? value : []) {
		if (!item || typeof item !== 'object') continue;
		const { tool, action, paths, tasks, extension } = item as Record<string, unknown>;
		if (typeof tool !== 'string' || typeof action !== 'string' || !ACTIONS.has(action)) continue;
		const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);
		rules.push({ tool, action: action as PolicyAction, ...(strings(paths) ? { paths: strings(paths) } : {}), ...(strings(tasks) ? { tasks: strings(tasks) } : {}), ...(typeof extension === 'string' ? { extension } : {}) });
	}
	return rules;
}

export interface TerminalSettings {
	readonly defaultTimeoutMs: number;
	readonly maxTimeoutMs: number;
	readonly useTerminal: boolean;
	readonly shellIntegrationTimeoutMs: number;
}

/** How approved commands run (mcpWorkbench.sandbox.approvedCommands); anything unknown is the default. */
export function readApprovedCommandsSandbox(): SandboxMode {
	const value = config().get<string>('sandbox.approvedCommands', 'off');
	return value === 'workspace-write' || value === 'read-only' ? value : 'off';
}

export function readTerminalSettings(): TerminalSettings {
	const c = config();
	const seconds = (key: string, fallback: number) => Math.max(1, c.get<number>(key, fallback)) * 1000;
	return {
		defaultTimeoutMs: seconds('terminal.defaultTimeoutSeconds', 60),
		maxTimeoutMs: seconds('terminal.maxTimeoutSeconds', 600),
		useTerminal: c.get<boolean>('terminal.useVisibleTerminal', true),
		shellIntegrationTimeoutMs: seconds('terminal.shellIntegrationTimeoutSeconds', 5),
	};
}

function readCommandRules(): CommandRule[] {
	const rules: CommandRule[] = [];
	for (const item of mergeRules(layers('terminal.commandRules'), false)) {
		if (!item || typeof item !== 'object') continue;
		const { program, args, action } = item as Record<string, unknown>;
		if (typeof program !== 'string' || program === '' || typeof action !== 'string' || !ACTIONS.has(action)) continue;
		rules.push({ program, action: action as PolicyAction, ...(typeof args === 'string' ? { args } : {}) });
	}
	return rules;
}
