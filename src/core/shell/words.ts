/**
 * A word of a command line as bash reads it: its value after quote removal, and the hazards that may make it
 * something else at run time. The parts of a word that run commands are handed to the caller, which checks them.
 */
import { children, type BashSyntaxNode } from './bashSyntax';

export type WordHazard = 'expansion' | 'substitution' | 'glob' | 'tilde' | 'brace' | 'history';

export interface Word {
	/** The word after quote removal; computed parts (`$X`, `$(…)`) are kept as written. */
	readonly value: string;
	/** Why the value may differ at run time; empty when the word is exactly `value`. */
	readonly hazards: readonly WordHazard[];
}

/** Where the computed parts of a word go, so the commands in them are checked like the line's own. */
export interface WordWalk {
	/** `$(…)`, backticks, `<(…)`, `>(…)`. */
	substitution(node: BashSyntaxNode, depth: number): void;
	/** `$X`, `${…}`, `$((…))`, `$'…'`, `2#$(…)` and anything unforeseen: substitutions may hide inside. */
	expansion(node: BashSyntaxNode, depth: number): void;
}

/** A word's value after quote removal, and what may make it differ at run time. */
export function wordValue(node: BashSyntaxNode, walk: WordWalk, depth: number): Word {
	const hazards = new Set<WordHazard>();
	const value = wordPart(node, true, hazards, walk, depth);
	// A lone `{`, `}` or `!` is a reserved word, not an expansion. (The value is compared first: the text is a
	// call into the parser's WebAssembly, and only a word of one of these characters has itself as its value.)
	if ((value === '{' || value === '}' || value === '!') && node.text === value) {
		hazards.clear();
	}
	return { value, hazards: [...hazards] };
}

function wordPart(node: BashSyntaxNode, first: boolean, hazards: Set<WordHazard>, walk: WordWalk, depth: number): string {
	switch (node.type) {
		case 'word':
			return unquoted(node.text, first, hazards);
		case 'number': {
			const text = node.text;
			// Only a `$` or a backtick in a number (`2#$(…)`) is a part of it the grammar read: a computed part.
			if (text.includes('$') || text.includes('`')) {
				hazards.add('expansion');
				walk.expansion(node, depth + 1);
				return text;
			}
			return unquoted(text, first, hazards);
		}
		case 'raw_string':
			return node.text.slice(1, -1);
		case 'string':
			return doubleQuoted(node, hazards, walk, depth);
		case 'concatenation':
		case 'command_name': {
			let value = '';
			let at = node.startIndex;
			for (const child of children(node)) {
				if (child.startIndex !== at) {
					// Text the tree does not cover cannot be trusted to be literal.
					hazards.add('expansion');
				}
				value += wordPart(child, first && at === node.startIndex, hazards, walk, depth + 1);
				at = child.endIndex;
			}
			if (at !== node.endIndex) {
				hazards.add('expansion');
			}
			return value;
		}
		case 'command_substitution':
			hazards.add('substitution');
			walk.substitution(node, depth + 1);
			return node.text.startsWith('`') ? '`…`' : '$(…)';
		case 'process_substitution':
			hazards.add('substitution');
			walk.substitution(node, depth + 1);
			return `${node.text.slice(0, 1)}(…)`;
		default:
			if (!node.isNamed && node.text !== '$') {
				// A token the grammar left unnamed (`\$` after a quote) is literal text to bash.
				return unquoted(node.text, first, hazards);
			}
			// $X, ${X}, $((…)), $'…' (decodes escapes: $'\x72m' is rm), $"…" (translates), {a..b} and anything
			// unforeseen: the text is not what it says. Substitutions inside are still checked.
			hazards.add('expansion');
			walk.expansion(node, depth + 1);
			return node.text;
	}
}

/** An unquoted word as bash reads it: a backslash quotes the next character, a backslash-newline vanishes. */
export function unquoted(text: string, first: boolean, hazards: Set<WordHazard>): string {
	let value = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '\\' && i + 1 < text.length) {
			i++;
			if (text[i] !== '\n') {
				value += text[i];
			}
			continue;
		}
		if (c === '*' || c === '?' || c === '[') {
			hazards.add('glob');
		} else if (c === '~' && i === 0 && first) {
			hazards.add('tilde');
		} else if (c === '{' || c === '}') {
			hazards.add('brace');
		} else if (c === '!') {
			hazards.add('history');
		} else if ((c === '$' && i + 1 < text.length) || c === '`' || c === '\\') {
			// The grammar made no expansion of it, but bash might: not provably literal.
			hazards.add('expansion');
		}
		value += c;
	}
	return value;
}

/** A double-quoted string: backslash quotes only $ ` " \ and newline; expansions and substitutions stay live. */
function doubleQuoted(node: BashSyntaxNode, hazards: Set<WordHazard>, walk: WordWalk, depth: number): string {
	const text = node.text;
	const parts = children(node);
	let value = '';
	let at = node.startIndex + 1;
	const literal = (from: number, to: number) => {
		const slice = text.slice(from - node.startIndex, to - node.startIndex);
		// Bash drops a line continuation inside double quotes before it looks for `$`: `"$\<newline>(cmd)"` runs cmd,
		// though the grammar reads the text as plain string content.
		if (/(^|[^\\])(\\\\)*[$`](\\\n)+./.test(slice) || /(^|[^\\])(\\\\)*`/.test(slice.replace(/\\\n/g, ''))) {
			hazards.add('expansion');
		}
		for (let i = 0; i < slice.length; i++) {
			const c = slice[i];
			const next = slice[i + 1];
			if (c === '\\' && next !== undefined && '$`"\\\n'.includes(next)) {
				i++;
				if (next !== '\n') {
					value += next;
				}
				continue;
			}
			if (c === '!') {
				// Interactive bash (the visible terminal) expands history even inside double quotes.
				hazards.add('history');
			}
			value += c;
		}
	};
	for (const part of parts) {
		if (part.type === '"' || part.type === 'string_content' || part.type === '$') {
			continue;
		}
		literal(at, part.startIndex);
		value += wordPart(part, false, hazards, walk, depth + 1);
		at = part.endIndex;
	}
	literal(at, node.endIndex - 1);
	return value;
}
