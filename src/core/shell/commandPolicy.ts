/**
 * Decides whether a command line may run without asking: walks the bash syntax tree of the line (tree-sitter-bash,
 * supplied by the caller as a BashParser) down to the simple commands it runs, and checks each against the user's
 * rules and a built-in list of read-only commands. Pure: no I/O, paths compared as text.
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

export interface SubCommand {
	readonly program: string;
	readonly args: readonly string[];
}

export interface CommandAnalysis {
	readonly decision: CommandAction;
	/** Why the line asks or is denied (empty when allowed by the read-only list). */
	readonly reasons: readonly string[];
	readonly subcommands: readonly SubCommand[];
}

export interface AnalyzeOptions {
	/** Absolute working directory the line runs in. */
	readonly cwd: string;
	/** Absolute real paths of the workspace folders. */
	readonly workspaceRoots: readonly string[];
	readonly rules?: readonly CommandRule[];
	/** The home folder, so `~/x` can be placed; without it `~` paths count as outside the workspace. */
	readonly home?: string;
}

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

type WordHazard = 'expansion' | 'substitution' | 'glob' | 'tilde' | 'brace' | 'history';

interface Word {
	/** The word after quote removal; computed parts (`$X`, `$(…)`) are kept as written. */
	readonly value: string;
	/** Why the value may differ at run time; empty when the word is exactly `value`. */
	readonly hazards: readonly WordHazard[];
}

const severity: Record<CommandAction, number> = { allow: 0, ask: 1, deny: 2 };

/** Where binaries of the system live; a program path elsewhere may be anything that borrowed a harmless name. */
const systemBinDirs = new Set(['/bin', '/usr/bin', '/usr/local/bin', '/sbin', '/usr/sbin']);

/** How deep wrappers and scripts (`sudo bash -c "eval …"`) are followed before the line just asks. */
const maxNesting = 4;
/** How deep the syntax tree is walked; deeper lines ask rather than risk the stack. */
const maxDepth = 200;

/** Statements that decide at run time which of their commands run, or how often. */
const compoundTypes = new Set(['if_statement', 'while_statement', 'for_statement', 'c_style_for_statement', 'case_statement', 'function_definition', 'test_command']);

/** Nodes that only hold other nodes (or text the commands in them read): walked without a reason of their own. */
const containerTypes = new Set([
	'program', 'list', 'pipeline', 'compound_statement', 'subshell', 'negated_command', 'do_group', 'else_clause', 'elif_clause', 'case_item',
	'herestring_redirect', 'heredoc_body', 'heredoc_start', 'heredoc_end', 'heredoc_content', 'ERROR',
	'word', 'number', 'string', 'raw_string', 'string_content', 'concatenation', 'ansi_c_string', 'translated_string', 'array',
	'simple_expansion', 'expansion', 'arithmetic_expansion', 'brace_expression', 'variable_name', 'special_variable_name', 'subscript',
	'binary_expression', 'unary_expression', 'postfix_expression', 'parenthesized_expression', 'ternary_expression', 'test_operator',
	'regex', 'extglob_pattern', 'file_descriptor', 'command_name',
]);

/** `time` and `coproc` are reserved words in front of a command; the grammar reads them as its name. */
const reservedPrefixes = new Set(['time', 'coproc']);

interface Walk {
	raise(action: CommandAction, reason?: string): void;
	readonly subcommands: SubCommand[];
	/** Constructs that matter to a policy: 'command substitution', 'process substitution', 'background job', 'subshell'. */
	readonly features: Set<string>;
	readonly options: AnalyzeOptions;
	readonly parser: BashParser;
}

/**
 * Analyzes a command line for the policy. A line that cannot be parsed, holds command or process substitution,
 * starts background jobs, writes files (anywhere: read-only commands that write are not read-only), reads or
 * writes outside the workspace, or chains any sub-command that is not allowed, asks. A matching deny rule on any
 * sub-command, however deeply nested (`sudo`, `env`, `xargs`, `bash -c`, `find -exec`, `$(…)`), denies.
 */
export function analyzeCommand(line: string, options: AnalyzeOptions & { readonly parser: BashParser }): CommandAnalysis {
	let decision: CommandAction = 'allow';
	const reasons: string[] = [];
	const walk: Walk = {
		raise(action, reason) {
			if (severity[action] > severity[decision]) {
				decision = action;
			}
			if (reason && !reasons.includes(reason)) {
				reasons.push(reason);
			}
		},
		subcommands: [],
		features: new Set(),
		options,
		parser: options.parser,
	};
	if (line.trim() === '') {
		walk.raise('ask', 'the command line is empty');
	}
	checkScript(line, 'the line', walk, 0);
	if (walk.features.has('command substitution') || walk.features.has('process substitution')) {
		walk.raise('ask', 'the line holds command substitution ($(…), backticks or <(…)): part of it is decided at run time');
	}
	if (walk.features.has('background job')) {
		walk.raise('ask', 'the line starts a background job (&)');
	}
	return { decision, reasons, subcommands: walk.subcommands };
}

/** Parses a line or a script found in it (`bash -c '…'`, backticks) and checks every command in it. */
function checkScript(script: string, subject: string, walk: Walk, nesting: number): void {
	const parsed = parseLine(walk.parser, script);
	if (typeof parsed === 'string') {
		walk.raise('ask', `${subject} cannot be parsed as a shell command: ${parsed}`);
		return;
	}
	try {
		const problem = syntaxProblem(parsed.rootNode);
		if (problem) {
			walk.raise('ask', `${subject} cannot be parsed as a shell command: ${problem}`);
		}
		// Even a line with a syntax error is walked: a deny rule still denies the commands the parser recovered.
		visit(parsed.rootNode, walk, nesting, 0);
	} finally {
		parsed.delete();
	}
}

/** The tree, or why there is none. */
function parseLine(parser: BashParser, line: string): BashSyntaxTree | string {
	try {
		return parser.parse(line) ?? 'the parser gave no tree';
	} catch (error) {
		return `the parser failed (${error instanceof Error ? error.message : String(error)})`;
	}
}

/** Where the first syntax error of a tree is, in words; undefined when there is none. */
function syntaxProblem(root: BashSyntaxNode): string | undefined {
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

function children(node: BashSyntaxNode): BashSyntaxNode[] {
	const list: BashSyntaxNode[] = [];
	for (let i = 0; i < node.childCount; i++) {
		const child = node.child(i);
		if (child) {
			list.push(child);
		}
	}
	return list;
}

/** Children with the name of the field each fills (`name`, `argument`, `redirect`, `destination`, …). */
function fields(node: BashSyntaxNode): Array<{ field: string | null; child: BashSyntaxNode }> {
	const list: Array<{ field: string | null; child: BashSyntaxNode }> = [];
	for (let i = 0; i < node.childCount; i++) {
		const child = node.child(i);
		if (child) {
			list.push({ field: node.fieldNameForChild(i), child });
		}
	}
	return list;
}

/** Checks every command under a node; words outside commands are only searched for substitutions. */
function visit(node: BashSyntaxNode, walk: Walk, nesting: number, depth: number): void {
	if (depth > maxDepth) {
		walk.raise('ask', 'the line nests too deeply to check');
		return;
	}
	switch (node.type) {
		case 'command':
			checkCommand(node, [], walk, nesting, depth);
			return;
		case 'redirected_statement':
			checkRedirectedStatement(node, walk, nesting, depth);
			return;
		case 'file_redirect': {
			checkRedirect(node, walk, nesting, depth);
			const { strayWords } = redirectParts(node);
			if (strayWords.length > 0) {
				walk.raise('ask', `words after a redirection the policy cannot place (${strayWords.map((word) => word.text).join(' ')})`);
				strayWords.forEach((word) => wordValue(word, walk, nesting, depth));
			}
			return;
		}
		case 'variable_assignment':
		case 'variable_assignments':
			checkShellVariables(node, walk, nesting, depth);
			return;
		case 'declaration_command':
		case 'unset_command':
			checkDeclaration(node, walk, nesting, depth);
			return;
		case 'command_substitution':
		case 'process_substitution':
			checkSubstitution(node, walk, nesting, depth);
			return;
		case 'comment':
			return;
		case '&':
			walk.features.add('background job');
			return;
		case 'subshell':
			walk.features.add('subshell');
			break;
		case 'heredoc_redirect':
			walk.raise('ask', 'the line holds a here-document (<<): its text is not checked');
			break;
		case 'compound_statement':
			if (node.child(0)?.type === '((') {
				walk.raise('ask', 'compound shell command ((( … ))): only simple commands are checked in full');
			}
			break;
		default:
			if (compoundTypes.has(node.type)) {
				const shown = node.type === 'function_definition' ? 'function definition' : node.child(0)?.text ?? node.type;
				walk.raise('ask', `compound shell command (${shown}): only simple commands are checked in full`);
			} else if (node.isNamed && !containerTypes.has(node.type)) {
				walk.raise('ask', `the policy does not know this shell construct (${node.type})`);
			}
	}
	for (const child of children(node)) {
		visit(child, walk, nesting, depth + 1);
	}
}

/** `cmd … > file`: the grammar hangs words written after a redirection on it; bash gives them to the command. */
function checkRedirectedStatement(node: BashSyntaxNode, walk: Walk, nesting: number, depth: number): void {
	let body: BashSyntaxNode | undefined;
	const strayWords: BashSyntaxNode[] = [];
	for (const { field, child } of fields(node)) {
		if (field === 'body') {
			body = child;
		} else if (child.type === 'file_redirect') {
			strayWords.push(...redirectParts(child).strayWords);
			checkRedirect(child, walk, nesting, depth + 1);
		} else {
			visit(child, walk, nesting, depth + 1);
		}
	}
	if (body?.type === 'command') {
		checkCommand(body, strayWords, walk, nesting, depth + 1);
		return;
	}
	if (strayWords.length > 0) {
		walk.raise('ask', `words after a redirection the policy cannot place (${strayWords.map((word) => word.text).join(' ')})`);
		strayWords.forEach((word) => wordValue(word, walk, nesting, depth));
	}
	if (body) {
		visit(body, walk, nesting, depth + 1);
	}
}

function checkCommand(node: BashSyntaxNode, strayWords: readonly BashSyntaxNode[], walk: Walk, nesting: number, depth: number): void {
	const assignments: string[] = [];
	const words: Word[] = [];
	let previous: { node: BashSyntaxNode; isWord: boolean } | undefined;
	for (const { field, child } of fields(node)) {
		const isWord = field === 'name' || field === 'argument';
		if (previous && (isWord || child.type === 'variable_assignment')) {
			const gap = textBetween(node, previous.node, child);
			// Bash splits words only at unquoted blanks. The grammar also splits at nothing (`$"x"`) and at escaped
			// characters (`"a"\ b`, `r\<newline>m`), and drops escaped blanks that start or end a word (`\ b`): the
			// escaped characters are given back to their words, and words with no blank between them are joined.
			const parts = /^((?:\\[^\n])*)([ \t]*)((?:\\[^\n])*)$/.exec(gap);
			if (isWord && previous.isWord && parts && words.length > 0 && (parts[1] || parts[3] || !parts[2])) {
				const before = words.pop() as Word;
				const after = wordValue(child, walk, nesting, depth);
				const merged = (a: Word, text: string, b: Word) => ({ value: a.value + unquoted(text, false, new Set()) + b.value, hazards: [...new Set([...a.hazards, ...b.hazards])] });
				const empty = { value: '', hazards: [] };
				words.push(...(parts[2]
					? [merged(before, parts[1], empty), merged(empty, parts[3], after)]
					: [merged(before, parts[1] + parts[3], after)]));
				previous = { node: child, isWord };
				continue;
			}
			if (!/^[ \t]+$/.test(gap)) {
				walk.raise('ask', `the shell parser splits ${JSON.stringify(node.text.slice(previous.node.startIndex - node.startIndex, child.endIndex - node.startIndex))} into words differently from bash`);
			}
		}
		if (isWord || child.type === 'variable_assignment' || child.type === 'file_redirect') {
			previous = { node: child, isWord };
		}
		if (child.type === 'variable_assignment') {
			assignments.push(assignmentName(child, walk, nesting, depth));
		} else if (child.type === 'file_redirect') {
			checkRedirect(child, walk, nesting, depth + 1);
			words.push(...redirectParts(child).strayWords.map((word) => wordValue(word, walk, nesting, depth)));
		} else if (isWord) {
			words.push(wordValue(child, walk, nesting, depth));
		} else if (child.type !== 'comment') {
			if (child.isNamed && child.type !== 'herestring_redirect' && child.type !== 'ERROR') {
				walk.raise('ask', `the policy does not know this part of a command (${child.type})`);
			}
			visit(child, walk, nesting, depth + 1);
		}
	}
	words.push(...strayWords.map((word) => wordValue(word, walk, nesting, depth)));
	checkSimpleCommand(assignments, words, walk, nesting);
}

/** The source between two children of a node, without line continuations (bash drops them before it reads words). */
function textBetween(parent: BashSyntaxNode, before: BashSyntaxNode, after: BashSyntaxNode): string {
	return parent.text.slice(before.endIndex - parent.startIndex, after.startIndex - parent.startIndex).replace(/\\\n/g, '');
}

/** `X=1` or `A=1 B=2` on their own: shell variables of the terminal. */
function checkShellVariables(node: BashSyntaxNode, walk: Walk, nesting: number, depth: number): void {
	const assignments = node.type === 'variable_assignment' ? [node] : children(node).filter((child) => child.type === 'variable_assignment');
	const names = assignments.map((assignment) => assignmentName(assignment, walk, nesting, depth)).join(', ');
	walk.raise('ask', `sets shell variables (${names}) that stay in the terminal`);
}

/** The variable an assignment sets; its value is searched for substitutions on the way. */
function assignmentName(node: BashSyntaxNode, walk: Walk, nesting: number, depth: number): string {
	const { name, value } = assignmentParts(node);
	if (value) {
		wordValue(value, walk, nesting, depth);
	}
	return name;
}

function assignmentParts(node: BashSyntaxNode): { name: string; value?: BashSyntaxNode } {
	const name = fields(node).find(({ field }) => field === 'name')?.child.text ?? node.text.split('=')[0];
	const value = fields(node).find(({ field }) => field === 'value')?.child;
	return { name: name.replace(/\+$/, ''), ...(value ? { value } : {}) };
}

/** `export X=1`, `local y`, `unset z`: checked like a command named after the keyword. */
function checkDeclaration(node: BashSyntaxNode, walk: Walk, nesting: number, depth: number): void {
	const [keyword, ...rest] = children(node);
	if (!keyword) {
		return;
	}
	const words: Word[] = [{ value: keyword.text, hazards: [] }];
	for (const child of rest) {
		if (child.type === 'variable_assignment') {
			const { name, value } = assignmentParts(child);
			const word = value ? wordValue(value, walk, nesting, depth) : { value: '', hazards: [] };
			words.push({ value: `${name}=${word.value}`, hazards: word.hazards });
		} else if (child.type === 'file_redirect') {
			checkRedirect(child, walk, nesting, depth + 1);
		} else if (child.type !== 'comment') {
			words.push(wordValue(child, walk, nesting, depth));
		}
	}
	checkSimpleCommand([], words, walk, nesting);
}

/** `$(…)`, backticks, `<(…)`, `>(…)`: their commands run too, so they are checked like the line's own. */
function checkSubstitution(node: BashSyntaxNode, walk: Walk, nesting: number, depth: number): void {
	walk.features.add(node.type === 'process_substitution' ? 'process substitution' : 'command substitution');
	if (!node.text.startsWith('`')) {
		for (const child of children(node)) {
			visit(child, walk, nesting, depth + 1);
		}
		return;
	}
	// Inside backticks a backslash quotes \, ` and $, and bash parses the result again: the tree holds only the
	// first reading, so the text is unquoted and parsed once more (this finds `echo \`rm x\`` nested inside).
	if (nesting >= maxNesting) {
		walk.raise('ask', 'commands nested too deeply to check');
		return;
	}
	const inner = node.text.slice(1, node.text.endsWith('`') && node.text.length > 1 ? -1 : undefined).replace(/\\([\\`$])/g, '$1');
	checkScript(inner, 'the text inside backticks', walk, nesting + 1);
}

/** A word's value after quote removal, and what may make it differ at run time. */
function wordValue(node: BashSyntaxNode, walk: Walk, nesting: number, depth: number): Word {
	const hazards = new Set<WordHazard>();
	const value = wordPart(node, true, hazards, walk, nesting, depth);
	const raw = node.text;
	// A lone `{`, `}` or `!` is a reserved word, not an expansion.
	if (raw === '{' || raw === '}' || raw === '!') {
		hazards.clear();
	}
	return { value, hazards: [...hazards] };
}

function wordPart(node: BashSyntaxNode, first: boolean, hazards: Set<WordHazard>, walk: Walk, nesting: number, depth: number): string {
	switch (node.type) {
		case 'word':
		case 'number':
			return unquoted(node.text, first, hazards);
		case 'raw_string':
			return node.text.slice(1, -1);
		case 'string':
			return doubleQuoted(node, hazards, walk, nesting, depth);
		case 'concatenation':
		case 'command_name': {
			let value = '';
			let at = node.startIndex;
			for (const child of children(node)) {
				if (child.startIndex !== at) {
					// Text the tree does not cover cannot be trusted to be literal.
					hazards.add('expansion');
				}
				value += wordPart(child, first && at === node.startIndex, hazards, walk, nesting, depth + 1);
				at = child.endIndex;
			}
			if (at !== node.endIndex) {
				hazards.add('expansion');
			}
			return value;
		}
		case 'command_substitution':
			hazards.add('substitution');
			checkSubstitution(node, walk, nesting, depth + 1);
			return node.text.startsWith('`') ? '`…`' : '$(…)';
		case 'process_substitution':
			hazards.add('substitution');
			checkSubstitution(node, walk, nesting, depth + 1);
			return `${node.text.slice(0, 1)}(…)`;
		default:
			if (!node.isNamed && node.text !== '$') {
				// A token the grammar left unnamed (`\$` after a quote) is literal text to bash.
				return unquoted(node.text, first, hazards);
			}
			// $X, ${X}, $((…)), $'…' (decodes escapes: $'\x72m' is rm), $"…" (translates), {a..b} and anything
			// unforeseen: the text is not what it says. Substitutions inside are still checked.
			hazards.add('expansion');
			visit(node, walk, nesting, depth + 1);
			return node.text;
	}
}

/** An unquoted word as bash reads it: a backslash quotes the next character, a backslash-newline vanishes. */
function unquoted(text: string, first: boolean, hazards: Set<WordHazard>): string {
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
function doubleQuoted(node: BashSyntaxNode, hazards: Set<WordHazard>, walk: Walk, nesting: number, depth: number): string {
	const text = node.text;
	const parts = children(node);
	let value = '';
	let at = node.startIndex + 1;
	const literal = (from: number, to: number) => {
		const slice = text.slice(from - node.startIndex, to - node.startIndex);
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
		value += wordPart(part, false, hazards, walk, nesting, depth + 1);
		at = part.endIndex;
	}
	literal(at, node.endIndex - 1);
	return value;
}

function checkSimpleCommand(assignments: readonly string[], commandWords: readonly Word[], walk: Walk, nesting: number): void {
	const words = [...commandWords];
	while (words.length > 0 && reservedPrefixes.has(words[0].value) && words[0].hazards.length === 0) {
		const word = words.shift() as Word;
		if (word.value === 'coproc') {
			walk.raise('ask', 'compound shell command (coproc): only simple commands are checked in full');
		}
	}
	if (assignments.length > 0) {
		const names = assignments.join(', ');
		walk.raise('ask', words.length > 0
			? `sets environment variables for the command (${names}): they can change what it runs`
			: `sets shell variables (${names}) that stay in the terminal`);
	}
	if (words.length === 0) {
		return;
	}
	const [programWord, ...argWords] = words;
	const args = argWords.map((word) => word.value);
	walk.subcommands.push({ program: programWord.value, args });
	if (programWord.hazards.length > 0) {
		walk.raise('ask', `the program name ${programWord.value} is computed at run time (${programWord.hazards.join(', ')})`);
		return;
	}
	// A glob can only add file names, which programs without dangerous options cannot mistake for one.
	const globSafe = own(readOnlyPrograms, baseName(programWord.value)) === none;
	const computed = argWords.filter((word) => word.hazards.some((hazard) => hazard !== 'glob' || !globSafe));
	checkProgram(programWord.value, args, computed, walk, nesting);
}

function checkProgram(program: string, args: readonly string[], computed: readonly Word[], walk: Walk, nesting: number): void {
	const name = baseName(program);
	const rule = strongestRule(walk.options.rules ?? [], program, name, args);
	if (rule) {
		const shown = rule.args ? `${rule.program} ${rule.args}` : rule.program;
		walk.raise(rule.action, rule.action === 'allow' ? undefined : `rule "${shown}" says ${rule.action}`);
	} else {
		const refusal = readOnlyRefusal(program, name, args, walk.options);
		if (refusal) {
			walk.raise('ask', refusal);
		}
	}
	if ((!rule || rule.action === 'allow') && computed.length > 0) {
		walk.raise('ask', `arguments of ${name} are computed at run time (${computed.map((word) => word.value).join(' ')})`);
	}
	if (nesting >= maxNesting) {
		walk.raise('ask', 'commands nested too deeply to check');
		return;
	}
	const inner = innerCommands(name, args);
	for (const nested of inner.commands) {
		checkProgram(nested.program, nested.args, [], walk, nesting + 1);
	}
	for (const script of inner.scripts) {
		checkScript(script, `the script given to ${name}`, walk, nesting + 1);
	}
}

/** A redirection's operator, its target word and any words the grammar hung on it after the target. */
function redirectParts(node: BashSyntaxNode): { op: string; target?: BashSyntaxNode; strayWords: BashSyntaxNode[]; misread: boolean } {
	let op = '';
	const destinations: BashSyntaxNode[] = [];
	for (const { field, child } of fields(node)) {
		if (field === 'destination') {
			destinations.push(child);
		} else if (!child.isNamed && op === '') {
			op = child.type;
		}
	}
	const [target, ...strayWords] = destinations;
	return { op, ...(target ? { target } : {}), strayWords, misread: destinations.some((word, i) => i > 0 && !/^[ \t]+$/.test(textBetween(node, destinations[i - 1], word))) };
}

function checkRedirect(node: BashSyntaxNode, walk: Walk, nesting: number, depth: number): void {
	const { op, target, misread } = redirectParts(node);
	if (misread) {
		walk.raise('ask', `the shell parser splits the redirection ${JSON.stringify(node.text)} into words differently from bash`);
	}
	if (op === '>&-' || op === '<&-') {
		return;
	}
	if (!target) {
		walk.raise('ask', `a redirection the policy cannot read (${node.text})`);
		return;
	}
	const word = wordValue(target, walk, nesting, depth);
	const literal = word.hazards.length === 0;
	if ((op === '>&' || op === '<&') && literal && /^([0-9]+-?|-)$/.test(word.value)) {
		return;
	}
	if (!literal) {
		walk.raise('ask', `redirects to a path computed at run time (${word.value})`);
		return;
	}
	if (op === '<') {
		if (!insideWorkspace(word.value, walk.options)) {
			walk.raise('ask', `reads ${word.value}, outside the workspace`);
		}
		return;
	}
	if (word.value === '/dev/null') {
		return;
	}
	walk.raise('ask', insideWorkspace(word.value, walk.options)
		? `writes to the file ${word.value}`
		: `writes to ${word.value}, outside the workspace`);
}

/** Programs that read and print but never write, and the arguments that would make them do more. */
const readOnlyPrograms: Record<string, (args: readonly string[]) => string | undefined> = {
	ls: none, cat: none, head: none, tail: none, wc: none, pwd: none, echo: none, which: none, whoami: none, id: none,
	uname: none, true: none, false: none, basename: none, dirname: none, realpath: none, readlink: none, stat: none,
	du: none, df: none, diff: none, cmp: none, cut: none, nl: none, grep: none, egrep: none, fgrep: none, cd: none,
	rg: (args) => forbidPrefixes(args, ['--pre'], 'rg --pre runs a program on every file'),
	sort: (args) => args.some((arg) => arg.startsWith('--output') || arg.startsWith('--compress-program') || /^-[^-]*o/.test(arg))
		? 'sort -o / --compress-program write files or run programs' : undefined,
	uniq: (args) => args.filter((arg) => !arg.startsWith('-')).length > 1 ? 'uniq with two file names writes the second' : undefined,
	find: (args) => forbidPrefixes(args, ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fls'], 'find -exec/-delete/-fprint run programs or change files'),
	date: (args) => forbidPrefixes(args, ['-s', '--set'], 'date -s sets the clock'),
	tree: (args) => forbidPrefixes(args, ['-o'], 'tree -o writes a file'),
	git: gitVerdict,
};

/** Print their version and exit; any other argument runs code (`node script.js`). */
const versionOnlyPrograms = new Set(['node', 'npm', 'npx', 'pnpm', 'yarn', 'python', 'python3', 'tsc', 'deno', 'bun', 'cargo', 'rustc', 'java', 'go', 'bash', 'sh']);

/** Their output is their arguments, not a file's content: nothing to confine to the workspace. */
const noPathArguments = new Set(['echo', 'pwd', 'which', 'whoami', 'id', 'uname', 'true', 'false', 'basename', 'dirname', 'date']);

const readOnlyGitCommands = new Set(['status', 'log', 'diff', 'show', 'branch', 'tag', 'remote', 'rev-parse', 'ls-files', 'blame', 'describe', 'stash', 'shortlog']);
const gitListFlags = new Set(['-a', '--all', '-r', '--remotes', '-v', '-vv', '--verbose', '--list', '-l', '--show-current', '--merged', '--no-merged', '--contains', '--no-contains', '--points-at', '--no-color', '--color', '--column', '--no-column', '-n', '--sort', '--format', '--ignore-case', '-i']);

function none(): undefined {
	return undefined;
}

function forbidPrefixes(args: readonly string[], prefixes: readonly string[], reason: string): string | undefined {
	return args.some((arg) => prefixes.some((prefix) => arg === prefix || arg.startsWith(`${prefix}=`) || (prefix.startsWith('--') || prefix.length > 2 ? arg.startsWith(prefix) : false)))
		? reason : undefined;
}

function gitVerdict(args: readonly string[]): string | undefined {
	const [sub, ...rest] = args;
	if (sub === undefined || sub.startsWith('-')) {
		return 'git options before the subcommand (-c, -C, --git-dir, --exec-path …) can change what runs';
	}
	if (!readOnlyGitCommands.has(sub)) {
		return `git ${sub} is not a read-only git command`;
	}
	const writing = forbidPrefixes(rest, ['--output', '--ext-diff', '--textconv', '--exec', '--upload-pack', '--receive-pack'], 'these git options write files or run programs');
	if (writing) {
		return writing;
	}
	if (sub === 'branch' || sub === 'tag') {
		const listing = rest.includes('--list') || rest.includes('-l');
		const flagsOk = rest.every((arg) => !arg.startsWith('-') || gitListFlags.has(arg.split('=')[0]));
		const positional = rest.some((arg) => !arg.startsWith('-'));
		if (!flagsOk || (positional && !listing)) {
			return `git ${sub} with these arguments can create, rename or delete`;
		}
	}
	if (sub === 'remote' && !rest.every((arg) => arg === '-v' || arg === '--verbose')) {
		return 'git remote with arguments can change remotes or reach the network';
	}
	if (sub === 'stash' && rest[0] !== 'list' && rest[0] !== 'show') {
		return 'git stash changes the working tree (only stash list/show are read-only)';
	}
	return undefined;
}

function strongestRule(rules: readonly CommandRule[], program: string, name: string, args: readonly string[]): CommandRule | undefined {
	let strongest: CommandRule | undefined;
	for (const rule of rules) {
		const programMatches = rule.program.includes('/') ? rule.program === program : rule.program === name;
		if (programMatches && argsMatch(rule.args, args) && (!strongest || severity[rule.action] > severity[strongest.action])) {
			strongest = rule;
		}
	}
	return strongest;
}

function argsMatch(pattern: string | undefined, args: readonly string[]): boolean {
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

function readOnlyRefusal(program: string, name: string, args: readonly string[], options: AnalyzeOptions): string | undefined {
	if (program.includes('/') && !systemBinDirs.has(program.slice(0, program.lastIndexOf('/')))) {
		return `${program} is not a system binary`;
	}
	if (versionOnlyPrograms.has(name) && (args.length === 1 && (args[0] === '--version' || (args[0] === '-v' && name !== 'python' && name !== 'python3')))) {
		return undefined;
	}
	const check = own(readOnlyPrograms, name);
	if (!check) {
		return `${name} is not in the read-only list`;
	}
	const refusal = check(args);
	if (refusal) {
		return refusal;
	}
	if (!noPathArguments.has(name)) {
		const outside = args.map((arg) => pathCandidate(arg)).find((candidate) => candidate !== undefined && !insideWorkspace(candidate, options));
		if (outside !== undefined) {
			return `${name} reads ${outside}, outside the workspace`;
		}
	}
	return undefined;
}

function pathCandidate(arg: string): string | undefined {
	if (!arg.startsWith('-')) {
		return arg;
	}
	const value = arg.slice(arg.indexOf('=') + 1);
	return arg.includes('=') && (value.startsWith('/') || value.startsWith('.') || value.startsWith('~')) ? value : undefined;
}

function insideWorkspace(path: string, options: AnalyzeOptions): boolean {
	let absolute: string;
	if (path === '~' || path.startsWith('~/')) {
		if (!options.home) {
			return false;
		}
		absolute = joinPosix(options.home, path.slice(1));
	} else if (path.startsWith('~')) {
		return false;
	} else {
		absolute = path.startsWith('/') ? normalizePosix(path) : joinPosix(options.cwd, path);
	}
	return options.workspaceRoots.some((root) => {
		const normalizedRoot = normalizePosix(root);
		return absolute === normalizedRoot || absolute.startsWith(normalizedRoot === '/' ? '/' : `${normalizedRoot}/`);
	});
}

function joinPosix(base: string, path: string): string {
	return normalizePosix(`${base}/${path}`);
}

function normalizePosix(path: string): string {
	const parts: string[] = [];
	for (const part of path.split('/')) {
		if (part === '..') {
			parts.pop();
		} else if (part !== '' && part !== '.') {
			parts.push(part);
		}
	}
	return `/${parts.join('/')}`;
}

function baseName(program: string): string {
	return program.slice(program.lastIndexOf('/') + 1);
}

/** A table entry by program name; `constructor` or `valueOf` must not find Object.prototype's. */
function own<T>(table: Record<string, T>, name: string): T | undefined {
	return Object.hasOwn(table, name) ? table[name] : undefined;
}

function isAssignment(word: string): boolean {
	return /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(word);
}

/** Options of wrapper programs that take a value, so the wrapped program is found after them. */
const wrapperValueOptions: Record<string, ReadonlySet<string>> = {
	sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group', '--chdir']),
	doas: new Set(['-u', '-C']),
	env: new Set(['-u', '--unset', '-C', '--chdir']),
	nice: new Set(['-n', '--adjustment']),
	nohup: new Set(),
	command: new Set(),
	builtin: new Set(),
	exec: new Set(['-a']),
	stdbuf: new Set(['-i', '-o', '-e']),
	ionice: new Set(['-c', '-n', '-p', '-P', '-u']),
	setsid: new Set(),
	time: new Set(['-f', '-o']),
	timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
	xargs: new Set(['-I', '-L', '-n', '-P', '-s', '-d', '-E', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file', '--replace']),
	watch: new Set(['-n', '--interval']),
	chronic: new Set(),
	unbuffer: new Set(),
	strace: new Set(['-o', '-e', '-p', '-s']),
	ltrace: new Set(['-o', '-e', '-p', '-s']),
};
const shells = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'ash', 'busybox']);

/** The programs a wrapper runs (`sudo rm`, `find -exec rm`) and the scripts a shell or eval runs (`bash -c '…'`). */
function innerCommands(name: string, args: readonly string[]): { commands: SubCommand[]; scripts: string[] } {
	const commands: SubCommand[] = [];
	const scripts: string[] = [];
	const valueOptions = own(wrapperValueOptions, name);
	if (valueOptions) {
		let i = 0;
		while (i < args.length && args[i].startsWith('-') && args[i] !== '--') {
			if (name === 'env' && (args[i] === '-S' || args[i] === '--split-string')) {
				scripts.push(args[i + 1] ?? '');
				i += 2;
				continue;
			}
			if (name === 'env' && args[i].startsWith('-S')) {
				scripts.push(args[i].slice(2));
			}
			i += valueOptions.has(args[i]) ? 2 : 1;
		}
		if (args[i] === '--') {
			i++;
		}
		while (i < args.length && isAssignment(args[i])) {
			i++;
		}
		if (name === 'timeout' && i < args.length) {
			i++;
		}
		if (i < args.length) {
			commands.push({ program: args[i], args: args.slice(i + 1) });
		}
	} else if (shells.has(name)) {
		const flag = args.findIndex((arg) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg));
		if (flag >= 0 && flag + 1 < args.length) {
			scripts.push(args[flag + 1]);
		}
		if (name === 'busybox' && args.length > 0) {
			commands.push({ program: args[0], args: args.slice(1) });
		}
	} else if (name === 'eval' || name === 'source' || name === '.') {
		if (name === 'eval') {
			scripts.push(args.join(' '));
		}
	} else if (name === 'find') {
		for (let i = 0; i < args.length; i++) {
			if (['-exec', '-execdir', '-ok', '-okdir'].includes(args[i])) {
				const end = args.findIndex((arg, index) => index > i && (arg === ';' || arg === '+'));
				const body = args.slice(i + 1, end < 0 ? args.length : end);
				if (body.length > 0) {
					commands.push({ program: body[0], args: body.slice(1) });
				}
				i = end < 0 ? args.length : end;
			}
		}
	}
	return { commands, scripts };
}

/** The gate's form of an analysis: the action and, for the audit, what decided it. */
export function commandVerdict(analysis: CommandAnalysis): { action: CommandAction; rule: string } {
	return { action: analysis.decision, rule: analysis.reasons.length > 0 ? `command:${analysis.reasons.join('; ')}` : 'command:read-only' };
}

const featureNames: Record<string, string> = {
	command_substitution: 'command substitution',
	process_substitution: 'process substitution',
	subshell: 'subshell',
	'&': 'background job',
};

/** What a line holds that decides where it can run (subshells, substitutions, background jobs), or why it could not be read. */
export function shellLineFeatures(line: string, parser: BashParser): { readonly features: readonly string[]; readonly unsupported?: string } {
	const parsed = parseLine(parser, line);
	if (typeof parsed === 'string') {
		return { features: [], unsupported: `the line cannot be parsed as a shell command: ${parsed}` };
	}
	try {
		const features = new Set<string>();
		let tooDeep = false;
		const collect = (node: BashSyntaxNode, depth: number): void => {
			const feature = own(featureNames, node.type);
			if (feature) {
				features.add(feature);
			}
			if (depth > maxDepth) {
				tooDeep = true;
				return;
			}
			children(node).forEach((child) => collect(child, depth + 1));
		};
		collect(parsed.rootNode, 0);
		const problem = syntaxProblem(parsed.rootNode) ?? (tooDeep ? 'it nests too deeply to check' : undefined);
		return { features: [...features], ...(problem ? { unsupported: `the line cannot be parsed as a shell command: ${problem}` } : {}) };
	} finally {
		parsed.delete();
	}
}
