/**
 * The bash syntax tree as the command policy reads it. The parser (tree-sitter-bash in WebAssembly) is loaded by
 * the caller (src/node/terminal/bashParser.ts), so core only sees these interfaces and does no I/O.
 */

/** The parts of a syntax node the policy reads; web-tree-sitter's `Node` has them all. */
export interface BashSyntaxNode {
	readonly type: string;
	readonly text: string;
	readonly isNamed: boolean;
	readonly isMissing: boolean;
	readonly hasError: boolean;
	/** Offsets in UTF-16 code units, as web-tree-sitter reports them for a JavaScript string. */
	readonly startIndex: number;
	readonly endIndex: number;
	readonly childCount: number;
	child(index: number): BashSyntaxNode | null;
	fieldNameForChild(index: number): string | null;
}

export interface BashSyntaxTree {
	readonly rootNode: BashSyntaxNode;
	/** Frees the tree's WebAssembly memory. */
	delete(): void;
}

/** A tree-sitter parser set to the bash grammar: web-tree-sitter's `Parser` after `setLanguage(bash)`. */
export interface BashParser {
	parse(line: string): BashSyntaxTree | null;
}

/** How deep the syntax tree is walked; deeper lines ask rather than risk the stack. */
export const maxDepth = 200;

/** The tree, or why there is none. */
export function parseLine(parser: BashParser, line: string): BashSyntaxTree | string {
	try {
		return parser.parse(line) ?? 'the parser gave no tree';
	} catch (error) {
		return `the parser failed (${error instanceof Error ? error.message : String(error)})`;
	}
}

/** Where the first syntax error of a tree is, in words; undefined when there is none. */
export function syntaxProblem(root: BashSyntaxNode): string | undefined {
	if (!root.hasError) {
		return undefined;
	}
	const found = findNode(root, (node) => node.type === 'ERROR' || node.isMissing);
	if (!found) {
		return 'syntax error';
	}
	return found.isMissing
		? `syntax error: ${found.type} missing at character ${found.startIndex + 1}`
		: `syntax error near ${JSON.stringify(found.text.slice(0, 40))} at character ${found.startIndex + 1}`;
}

/**
 * Characters bash and the grammar read differently: bash takes CR, VT, FF, NUL and the other control characters, and
 * Unicode spaces, as parts of a word, while the grammar may take them as blanks (`true x\r#; touch f` is a comment
 * to the grammar and two commands to bash). Tab and newline are the only control characters both read alike.
 */
const misreadCharacters = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufff9-\ufffb]/u;

/** The first character of a script that bash and the grammar may read differently, described; undefined if none. */
export function misreadCharacter(script: string): string | undefined {
	const found = misreadCharacters.exec(script);
	if (!found) {
		return undefined;
	}
	return `U+${found[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')} at character ${found.index + 1}`;
}

/**
 * A comment the grammar found where bash reads a word: bash starts a comment only at a `#` that begins a word, that
 * is after an unquoted blank, a newline or an operator character. After an escaped blank (`x\ #`) or a line
 * continuation (`x\<newline>#`) the `#` is part of a word, and what the grammar skips as a comment runs.
 */
export function misreadComment(root: BashSyntaxNode, script: string): BashSyntaxNode | undefined {
	return findNode(root, (node) => {
		if (node.type !== 'comment') {
			return false;
		}
		const at = node.startIndex;
		if (at === 0) {
			return false;
		}
		const before = script[at - 1];
		if (';&|()<>'.includes(before)) {
			return false;
		}
		if (before !== ' ' && before !== '\t' && before !== '\n') {
			return true;
		}
		let backslashes = 0;
		for (let i = at - 2; i >= 0 && script[i] === '\\'; i--) {
			backslashes++;
		}
		return backslashes % 2 === 1;
	});
}

function findNode(node: BashSyntaxNode, predicate: (node: BashSyntaxNode) => boolean, depth = 0): BashSyntaxNode | undefined {
	if (predicate(node)) {
		return node;
	}
	if (depth > maxDepth) {
		return undefined;
	}
	for (const child of children(node)) {
		const found = findNode(child, predicate, depth + 1);
		if (found) {
			return found;
		}
	}
	return undefined;
}

// childCount is read once per node: each read is a call into the parser's WebAssembly.

export function children(node: BashSyntaxNode): BashSyntaxNode[] {
	const list: BashSyntaxNode[] = [];
	for (let i = 0, count = node.childCount; i < count; i++) {
		const child = node.child(i);
		if (child) {
			list.push(child);
		}
	}
	return list;
}

/** Children with the name of the field each fills (`name`, `argument`, `redirect`, `destination`, …). */
export function fields(node: BashSyntaxNode): Array<{ field: string | null; child: BashSyntaxNode }> {
	const list: Array<{ field: string | null; child: BashSyntaxNode }> = [];
	for (let i = 0, count = node.childCount; i < count; i++) {
		const child = node.child(i);
		if (child) {
			list.push({ field: node.fieldNameForChild(i), child });
		}
	}
	return list;
}

/** The source between two children of a node, without line continuations (bash drops them before it reads words). */
export function textBetween(parent: BashSyntaxNode, before: BashSyntaxNode, after: BashSyntaxNode): string {
	return parent.text.slice(before.endIndex - parent.startIndex, after.startIndex - parent.startIndex).replace(/\\\n/g, '');
}
