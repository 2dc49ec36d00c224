import type { PolicyRule } from './policy';

/** What a rule id needs besides itself to read as a sentence: the user's rules, a grant's label. */
export interface RuleContext {
	readonly rules?: readonly PolicyRule[];
	/** The label of the grant a `grant:<id>` or `user:grant:<id>` names, e.g. "run_command exactly `npm test`". */
	readonly grantLabel?: string;
}

const RISK_TEXT: Record<string, string> = {
	read: 'reads run without asking by default',
	write: 'changes to files ask by default',
	execute: 'running a program asks by default',
	destructive: 'destructive calls ask by default',
};

/**
 * The sentence a card and an audit record show for the rule id that decided a call (`default:write`,
 * `sensitive:.env*`, `grant:g3`, `timeout`…): the id says which rule, this says what it means. Unknown ids are shown
 * as they are, so a new rule is never hidden behind a wrong sentence.
 */
export function explainRule(rule: string, context: RuleContext = {}): string {
	const [head, ...restParts] = rule.split(':');
	const rest = restParts.join(':');
	switch (head) {
		case 'default':
			return `Default policy: ${RISK_TEXT[rest] ?? rest}`;
		case 'setting': {
			const tool = /^tools\.(.+)$/.exec(rest);
			if (tool) return `Your setting mcpWorkbench.policy.tools sets "${tool[1]}"`;
			const index = /^rules\[(\d+)\]$/.exec(rest);
			if (index) {
				const found = context.rules?.[Number(index[1])];
				return `Your rule ${Number(index[1]) + 1} in mcpWorkbench.policy.rules${found ? `: ${JSON.stringify(found)}` : ''}`;
			}
			if (rest === 'families') return 'The tool\'s family is switched off in mcpWorkbench.tools.families';
			return `Your setting ${rest}`;
		}
		case 'sensitive':
			return `Sensitive path (matches ${rest}): asked every time, whatever the settings or grants say`;
		case 'destructive':
			return 'Destructive: asked every time, whatever the settings or grants say';
		case 'command':
			return rest === 'read-only' ? 'Read-only command (runs in the read-only sandbox)' : `The command policy asks: ${rest}`;
		case 'grant':
			return `Your grant for this session${context.grantLabel ? `: ${context.grantLabel}` : ''}`;
		case 'user':
			return rest.startsWith('grant:') ? `Approved by you, and granted for this session${context.grantLabel ? `: ${context.grantLabel}` : ''}` : 'Decided by you';
		case 'timeout':
			return 'Nobody decided before the approval timed out';
		case 'cancelled':
			return 'Withdrawn before anyone decided (the client cancelled or the server stopped)';
		case 'binding':
			return 'What the card showed changed after the approval, so the approval did not apply';
		case 'trust':
			return 'The workspace is not trusted: only read-only tools are offered';
		case 'redaction':
			return 'The answer held a secret that cannot be redacted';
		case 'none':
			return 'Not decided: the call was refused before the policy (unknown tool or invalid arguments)';
		default:
			return rule;
	}
}

/** The glob of a `sensitive:<glob>` rule: the card's Sensitive badge. */
export function sensitiveGlob(rule: string): string | undefined {
	return rule.startsWith('sensitive:') ? rule.slice('sensitive:'.length) : undefined;
}
