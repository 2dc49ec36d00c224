/**
 * The user's command rules from settings, and which of them speaks for a command. The strongest matching rule wins,
 * so an `allow` for a program never outweighs a `deny` for some of its arguments.
 */

export type CommandAction = 'allow' | 'ask' | 'deny';

/** A rule from settings: `{ "program": "npm", "args": "test*", "action": "allow" }`. */
export interface CommandRule {
	/** Program name (`rm`), or an absolute path when the rule is about one binary. */
	readonly program: string;
	/** Matched against the arguments joined by spaces: a prefix on word boundaries, or a glob where `*` is anything. */
	readonly args?: string;
	readonly action: CommandAction;
}

/** A simple command as the policy found it, nested ones (`sudo rm`, `$(…)`) included. */
export interface SubCommand {
	readonly program: string;
	readonly args: readonly string[];
	/** Why this command (or one nested in it) asks or is denied; empty when it alone would run unasked. */
	readonly reasons: readonly string[];
}

export const severity: Record<CommandAction, number> = { allow: 0, ask: 1, deny: 2 };

/** The rule with the strongest action among those matching; `program` is as written, `name` its base name. */
export function strongestRule(rules: readonly CommandRule[], program: string, name: string, args: readonly string[]): CommandRule | undefined {
	let strongest: CommandRule | undefined;
	for (const rule of rules) {
		const programMatches = rule.program.includes('/') ? rule.program === program : rule.program === name;
		if (programMatches && argsMatch(rule.args, args) && (!strongest || severity[rule.action] > severity[strongest.action])) {
			strongest = rule;
		}
	}
	return strongest;
}

export function argsMatch(pattern: string | undefined, args: readonly string[]): boolean {
	if (pattern === undefined || pattern === '' || pattern === '*') {
		return true;
	}
	const joined = args.join(' ');
	if (!pattern.includes('*')) {
		return joined === pattern || joined.startsWith(`${pattern} `);
	}
	const pieces = pattern.split('*');
	if (!joined.startsWith(pieces[0])) {
		return false;
	}
	let at = pieces[0].length;
	for (const piece of pieces.slice(1, -1)) {
		const found = joined.indexOf(piece, at);
		if (found < 0) {
			return false;
		}
		at = found + piece.length;
	}
	const last = pieces[pieces.length - 1];
	return joined.length - last.length >= at && joined.endsWith(last);
}
