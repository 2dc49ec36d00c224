import type { WorkspaceFolderInfo } from '../host/host';
import { firstMatchingGlob, relativeForms } from '../paths/pathMatch';
import { sensitiveMatch } from '../paths/sensitivePaths';
import type { CallSubject, Risk } from '../tools/toolSpec';

export type PolicyAction = 'allow' | 'ask' | 'deny';

export interface PolicyRule {
	/** Tool name or glob over names (`git_*`, `*`). */
	readonly tool: string;
	/** Path globs relative to a workspace folder; the rule applies when every path of the call matches one. */
	readonly paths?: readonly string[];
	/** Task label globs, for task tools. */
	readonly tasks?: readonly string[];
	/**
	 * The extension (`publisher.name`) whose contributed tools the rule covers. Without it a glob that allows never
	 * reaches a contributed tool: `git_*: allow` was written for our git tools, not for another extension's `git_x`.
	 */
	readonly extension?: string;
	readonly action: PolicyAction;
}

export interface PolicySettings {
	/** Per tool: `{ "write_file": "allow" }`. */
	readonly tools: Readonly<Record<string, PolicyAction>>;
	/** Argument-pattern rules, first match wins; they override `tools`. */
	readonly rules: readonly PolicyRule[];
	/** Extra sensitive globs, on top of the built-in list. */
	readonly sensitivePaths: readonly string[];
}

export interface PolicyDecision {
	readonly action: PolicyAction;
	/** Which rule decided, for the audit: `default:write`, `setting:tools.write_file`, `sensitive:.env*`. */
	readonly rule: string;
	/** Sensitive and destructive calls ask whatever settings or session grants say. */
	readonly mustAsk: boolean;
}

/** The command analyser's verdict, from the terminal family's parser. */
export interface CommandVerdict {
	readonly action: PolicyAction;
	readonly rule: string;
}


const RISK_ORDER: readonly Risk[] = ['read', 'write', 'execute', 'destructive'];

/** What policy reads of the tool: its name, its own risk and, for another extension's tool, whose it is. */
export interface PolicyTarget {
	readonly name: string;
	readonly risk: Risk;
	readonly contributor?: { readonly id: string };
}

export function effectiveRisk(spec: PolicyTarget, subject: CallSubject): Risk {
	const own = RISK_ORDER.indexOf(spec.risk);
	const raised = subject.risk ? RISK_ORDER.indexOf(subject.risk) : -1;
	return RISK_ORDER[Math.max(own, raised)];
}

/**
 * Decides allow / ask / deny from the tool's risk, the user's settings and what the call really touches. Pure: the
 * settings and folders are passed in, so the same inputs always give the same decision.
 */
export function decide(
	spec: PolicyTarget,
	subject: CallSubject,
	settings: PolicySettings,
	folders: readonly WorkspaceFolderInfo[],
	command?: CommandVerdict,
): PolicyDecision {
	const risk = effectiveRisk(spec, subject);
	let action: PolicyAction = risk === 'read' ? 'allow' : 'ask';
	let rule = `default:${risk}`;

	const toolSetting = settings.tools[spec.name];
	if (toolSetting) {
		action = toolSetting;
		rule = `setting:tools.${spec.name}`;
	}
	if (command) {
		// The parser's verdict on the real command line replaces the tool-level default for commands.
		if (!toolSetting || command.action === 'deny' || (toolSetting === 'allow' && command.action === 'ask')) {
			action = command.action;
			rule = command.rule;
		}
	}
	// A path inside nested workspace folders has one relative form per folder; each is the same file.
	const pathForms = (subject.paths ?? []).map((p) => {
		const forms = relativeForms(p, folders);
		return forms.length > 0 ? forms : [p];
	});
	for (const [index, candidate] of settings.rules.entries()) {
		if (!matchesRule(candidate, spec, pathForms, subject)) continue;
		action = candidate.action;
		rule = `setting:rules[${index}]`;
		break;
	}
	if (action === 'deny') return { action, rule, mustAsk: false };

	// A call that changes a folder changes the sensitive files it holds or will hold (`rename staging → .vscode`).
	const asFolder = risk !== 'read';
	for (const form of pathForms.flat()) {
		const match = sensitiveMatch(form, settings.sensitivePaths, { asFolder });
		if (match) return { action: 'ask', rule: `sensitive:${match.glob}`, mustAsk: true };
	}
	if (subject.hardLinked?.length) return { action: 'ask', rule: 'hard-link', mustAsk: true };
	if (risk === 'destructive') return { action: 'ask', rule: action === 'allow' ? 'destructive:always-asks' : rule, mustAsk: true };
	return { action, rule, mustAsk: false };
}

function matchesRule(rule: PolicyRule, tool: PolicyTarget, pathForms: readonly (readonly string[])[], subject: CallSubject): boolean {
	if (!matchesName(rule.tool, tool.name)) return false;
	if (rule.extension !== undefined && rule.extension.toLowerCase() !== tool.contributor?.id.toLowerCase()) return false;
	// Trust is widened only by naming whose code runs: a glob that allows covers another extension's tools only with
	// its `extension`. Globs that ask or deny cover every tool, so `*: deny` still means everything.
	if (tool.contributor && rule.action === 'allow' && rule.tool !== tool.name && rule.extension === undefined) return false;
	if (rule.paths) {
		if (pathForms.length === 0) return false;
		if (!pathForms.every((forms) => forms.some((path) => firstMatchingGlob(rule.paths ?? [], path) !== undefined))) return false;
	}
	if (rule.tasks) {
		const label = subject.task?.label;
		if (label === undefined || firstMatchingGlob(rule.tasks, label) === undefined) return false;
	}
	return true;
}

function matchesName(pattern: string, name: string): boolean {
	if (pattern === '*' || pattern === name) return true;
	if (!pattern.includes('*')) return false;
	const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
	return new RegExp(`^${escaped.join('.*')}$`).test(name);
}
