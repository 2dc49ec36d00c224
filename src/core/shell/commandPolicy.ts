/**
 * Decides whether a command line may run without asking: walks the bash syntax tree of the line (tree-sitter-bash,
 * supplied by the caller as a BashParser) down to the simple commands it runs, and checks each against the user's
 * rules (commandRules.ts) and the programs the policy knows (programs.ts). Pure: no I/O, paths compared as text.
 */
import { children, fields, maxDepth, misreadCharacter, misreadComment, parseLine, syntaxProblem, textBetween, type BashParser, type BashSyntaxNode } from './bashSyntax';
import type { LineShape, ShellFeature } from './commandRoute';
import { severity, strongestRule, type CommandAction, type CommandRule, type SubCommand } from './commandRules';
import { anyArgumentsReadOnly, asksVersionOnly, innerCommands, noPathArguments, readOnlyCheck, recursiveReads, strictCheck, systemBinDirs } from './programs';
import { wordValue, unquoted, type Word, type WordWalk } from './words';
import { folderAfter, holdsSensitiveFiles, insideWorkspace, pathRefusal, sensitiveRefusal, type WorkspacePlace } from './workspacePaths';

export type { CommandAction, CommandRule, SubCommand } from './commandRules';

/** The policy's verdict on a line, and the line's shape, so where it runs needs no second parse. */
export interface CommandAnalysis extends LineShape {
	readonly decision: CommandAction;
	/** Why the line asks or is denied (empty when allowed by the read-only list). */
	readonly reasons: readonly string[];
	readonly subcommands: readonly SubCommand[];
}

export interface AnalyzeOptions extends WorkspacePlace {
	readonly rules?: readonly CommandRule[];
	/**
	 * Whether the line runs in a sandbox that confines what it writes and runs. Without one (absent or false) the policy
	 * is the only guard: only the short list of programs.ts's `strictPrograms`, with literal words and no redirection
	 * but to /dev/null, runs without asking. With one, the read-only table applies.
	 */
	readonly sandboxed?: boolean;
}

/** Why a line asks when no sandbox is available, after what asks. */
const strictSuffix = 'when no sandbox is available';

/** How deep wrappers and scripts (`sudo bash -c "eval …"`) are followed before the line just asks. */
const maxNesting = 4;

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

/**
 * The walk reads a word a level or two below where the tree holds it, so its depth only approximates the tree's.
 * Up to this depth that cannot hide a tree deeper than maxDepth; a line the walk finds deeper, like a line with a
 * syntax error (whose stray pieces the walk does not all reach), has its shape read again straight from its tree.
 */
const shapeTrustedDepth = maxDepth / 4;

const featureOfNode = new Map<string, ShellFeature>([
	['command_substitution', 'command substitution'],
	['process_substitution', 'process substitution'],
	['subshell', 'subshell'],
	['&', 'background job'],
]);

/** What the analysis gathers from the line and every script in it. */
interface Walk {
	raise(action: CommandAction, reason?: string): void;
	/** The reasons of the simple command being checked, so the card can mark the sub-commands that made a line ask. */
	current?: string[];
	readonly subcommands: SubCommand[];
	/** Constructs found anywhere, scripts given to `bash -c` included: substitutions and background jobs ask. */
	readonly features: Set<ShellFeature>;
	/** What the line itself holds, for where it runs. */
	readonly line: LineRecord;
	readonly options: AnalyzeOptions;
	readonly parser: BashParser;
	/**
	 * Every folder a command of the line may run in: the working directory and each folder a `cd` before it names
	 * (whether that `cd` ran is decided at run time, so paths are placed against all of them).
	 */
	readonly cwds: string[];
}

interface LineRecord {
	/** Each feature of the line's own tree, with the offset it first appears at. */
	readonly features: Map<ShellFeature, number>;
	/** How deep the line's tree has been walked. */
	deepest: number;
}

/** One parsed script being walked: the line itself, or a script found in it (`bash -c '…'`, backticks). */
interface Scope extends WordWalk {
	readonly walk: Walk;
	/** How many wrappers and scripts deep the script sits; 0 is the line itself. */
	readonly nesting: number;
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
			if (reason && walk.current && !walk.current.includes(reason)) {
				walk.current.push(reason);
			}
		},
		subcommands: [],
		features: new Set(),
		line: { features: new Map(), deepest: 0 },
		options,
		parser: options.parser,
		cwds: [options.cwd],
	};
	if (line.trim() === '') {
		walk.raise('ask', 'the command line is empty');
	}
	const problem = checkScript(line, 'the line', walk, 0) ?? (walk.line.deepest > maxDepth ? 'it nests too deeply to check' : undefined);
	if (walk.features.has('command substitution') || walk.features.has('process substitution')) {
		walk.raise('ask', 'the line holds command substitution ($(…), backticks or <(…)): part of it is decided at run time');
	}
	if (walk.features.has('background job')) {
		walk.raise('ask', 'the line starts a background job (&)');
	}
	const features = [...walk.line.features].sort(([, a], [, b]) => a - b).map(([feature]) => feature);
	return { decision, reasons, subcommands: walk.subcommands, features, ...(problem ? { unparsable: `the line cannot be parsed as a shell command: ${problem}` } : {}) };
}

/**
 * Parses a line or a script found in it (`bash -c '…'`, backticks) and checks every command in it. Returns why it
 * cannot be parsed, if it cannot.
 */
function checkScript(script: string, subject: string, walk: Walk, nesting: number): string | undefined {
	const parsed = parseLine(walk.parser, script);
	if (typeof parsed === 'string') {
		walk.raise('ask', `${subject} cannot be parsed as a shell command: ${parsed}`);
		return parsed;
	}
	try {
		const problem = syntaxProblem(parsed.rootNode);
		if (problem) {
			walk.raise('ask', `${subject} cannot be parsed as a shell command: ${problem}`);
		}
		const character = misreadCharacter(script);
		if (character) {
			walk.raise('ask', `${subject} holds a character bash may read differently from the policy (${character})`);
		}
		const comment = misreadComment(parsed.rootNode, script);
		if (comment) {
			walk.raise('ask', `bash reads the # at character ${comment.startIndex + 1} of ${subject} as part of a word, not as a comment`);
		}
		// Even a line with a syntax error is walked: a deny rule still denies the commands the parser recovered.
		const scope: Scope = {
			walk,
			nesting,
			substitution: (node, depth) => checkSubstitution(node, scope, depth),
			expansion: (node, depth) => visit(node, scope, depth),
		};
		visit(parsed.rootNode, scope, 0);
		if (nesting === 0 && (problem || walk.line.deepest >= shapeTrustedDepth)) {
			walk.line.features.clear();
			walk.line.deepest = 0;
			treeShape(parsed.rootNode, 0, walk.line);
		}
		return problem;
	} finally {
		parsed.delete();
	}
}

/** Checks every command under a node; words outside commands are only searched for substitutions. */
function visit(node: BashSyntaxNode, scope: Scope, depth: number): void {
	if (scope.nesting === 0 && depth > scope.walk.line.deepest) {
		scope.walk.line.deepest = depth;
	}
	if (depth > maxDepth) {
		scope.walk.raise('ask', 'the line nests too deeply to check');
		return;
	}
	switch (node.type) {
		case 'command':
			checkCommand(node, [], scope, depth);
			return;
		case 'redirected_statement':
			checkRedirectedStatement(node, scope, depth);
			return;
		case 'file_redirect': {
			checkRedirect(node, scope, depth);
			const { strayWords } = redirectParts(node);
			if (strayWords.length > 0) {
				scope.walk.raise('ask', `words after a redirection the policy cannot place (${strayWords.map((word) => word.text).join(' ')})`);
				strayWords.forEach((word) => wordValue(word, scope, depth));
			}
			return;
		}
		case 'variable_assignment':
		case 'variable_assignments':
			checkShellVariables(node, scope, depth);
			return;
		case 'declaration_command':
		case 'unset_command':
			checkDeclaration(node, scope, depth);
			return;
		case 'command_substitution':
		case 'process_substitution':
			checkSubstitution(node, scope, depth);
			return;
		case 'comment':
			return;
		case '&':
			noteFeature('background job', node, scope);
			return;
		case 'subshell':
			noteFeature('subshell', node, scope);
			break;
		case 'heredoc_redirect':
			scope.walk.raise('ask', 'the line holds a here-document (<<): its text is not checked');
			break;
		case 'herestring_redirect':
			if (!scope.walk.options.sandboxed) {
				scope.walk.raise('ask', `the line feeds a here-string (<<<) to a command ${strictSuffix}`);
			}
			for (const child of children(node)) {
				if (child.isNamed && child.type !== 'file_descriptor' && wordValue(child, scope, depth).hazards.some((hazard) => hazard === 'expansion' || hazard === 'substitution')) {
					scope.walk.raise('ask', `the here-string ${JSON.stringify(child.text.slice(0, 40))} is computed at run time`);
				}
			}
			return;
		case 'simple_expansion':
		case 'expansion':
		case 'arithmetic_expansion':
			// Wherever it stands (a here-string, a subscript, a default value), an expansion can run what it names:
			// `${_@P}`, `$(( _ ))` and `${!_}` evaluate again a `$(…)` the previous command was handed in quotes.
			scope.walk.raise('ask', `the line expands ${node.text.length > 40 ? `${node.text.slice(0, 40)}…` : node.text} at run time`);
			break;
		case 'compound_statement':
			if (node.child(0)?.type === '((') {
				scope.walk.raise('ask', 'compound shell command ((( … ))): only simple commands are checked in full');
			}
			break;
		default:
			if (compoundTypes.has(node.type)) {
				const shown = node.type === 'function_definition' ? 'function definition' : node.child(0)?.text ?? node.type;
				scope.walk.raise('ask', `compound shell command (${shown}): only simple commands are checked in full`);
			} else if (node.isNamed && !containerTypes.has(node.type)) {
				scope.walk.raise('ask', `the policy does not know this shell construct (${node.type})`);
			}
	}
	for (const child of children(node)) {
		visit(child, scope, depth + 1);
	}
}

/** `cmd … > file`: the grammar hangs words written after a redirection on it; bash gives them to the command. */
function checkRedirectedStatement(node: BashSyntaxNode, scope: Scope, depth: number): void {
	let body: BashSyntaxNode | undefined;
	const strayWords: BashSyntaxNode[] = [];
	for (const { field, child } of fields(node)) {
		if (field === 'body') {
			body = child;
		} else if (child.type === 'file_redirect') {
			strayWords.push(...redirectParts(child).strayWords);
			checkRedirect(child, scope, depth + 1);
		} else {
			visit(child, scope, depth + 1);
		}
	}
	if (body?.type === 'command') {
		checkCommand(body, strayWords, scope, depth + 1);
		return;
	}
	if (strayWords.length > 0) {
		scope.walk.raise('ask', `words after a redirection the policy cannot place (${strayWords.map((word) => word.text).join(' ')})`);
		strayWords.forEach((word) => wordValue(word, scope, depth));
	}
	if (body) {
		visit(body, scope, depth + 1);
	}
}

function checkCommand(node: BashSyntaxNode, strayWords: readonly BashSyntaxNode[], scope: Scope, depth: number): void {
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
				const after = wordValue(child, scope, depth);
				const merged = (a: Word, text: string, b: Word) => ({ value: a.value + unquoted(text, false, new Set()) + b.value, hazards: [...new Set([...a.hazards, ...b.hazards])] });
				const empty = { value: '', hazards: [] };
				words.push(...(parts[2]
					? [merged(before, parts[1], empty), merged(empty, parts[3], after)]
					: [merged(before, parts[1] + parts[3], after)]));
				previous = { node: child, isWord };
				continue;
			}
			if (!/^[ \t]+$/.test(gap)) {
				scope.walk.raise('ask', `the shell parser splits ${JSON.stringify(node.text.slice(previous.node.startIndex - node.startIndex, child.endIndex - node.startIndex))} into words differently from bash`);
			}
		}
		if (isWord || child.type === 'variable_assignment' || child.type === 'file_redirect') {
			previous = { node: child, isWord };
		}
		if (child.type === 'variable_assignment') {
			assignments.push(assignmentName(child, scope, depth));
		} else if (child.type === 'file_redirect') {
			checkRedirect(child, scope, depth + 1);
			words.push(...redirectParts(child).strayWords.map((word) => wordValue(word, scope, depth)));
		} else if (isWord) {
			words.push(wordValue(child, scope, depth));
		} else if (child.type !== 'comment') {
			if (child.isNamed && child.type !== 'herestring_redirect' && child.type !== 'ERROR') {
				scope.walk.raise('ask', `the policy does not know this part of a command (${child.type})`);
			}
			visit(child, scope, depth + 1);
		}
	}
	words.push(...strayWords.map((word) => wordValue(word, scope, depth)));
	checkSimpleCommand(assignments, words, scope.walk, scope.nesting);
}

/** `X=1` or `A=1 B=2` on their own: shell variables of the terminal. */
function checkShellVariables(node: BashSyntaxNode, scope: Scope, depth: number): void {
	const assignments = node.type === 'variable_assignment' ? [node] : children(node).filter((child) => child.type === 'variable_assignment');
	const names = assignments.map((assignment) => assignmentName(assignment, scope, depth)).join(', ');
	scope.walk.raise('ask', `sets shell variables (${names}) that stay in the terminal`);
}

/** The variable an assignment sets; its subscript and value are searched for substitutions on the way. */
function assignmentName(node: BashSyntaxNode, scope: Scope, depth: number): string {
	const { name, nameNode, value } = assignmentParts(node);
	if (nameNode && name.includes('[')) {
		// Bash expands a subscript (`a[$(…)]=1`) before it assigns.
		visit(nameNode, scope, depth + 1);
	}
	if (value) {
		wordValue(value, scope, depth);
	}
	return name;
}

function assignmentParts(node: BashSyntaxNode): { name: string; nameNode?: BashSyntaxNode; value?: BashSyntaxNode } {
	const nameNode = fields(node).find(({ field }) => field === 'name')?.child;
	const name = nameNode?.text ?? node.text.split('=')[0];
	const value = fields(node).find(({ field }) => field === 'value')?.child;
	return { name: name.replace(/\+$/, ''), ...(nameNode ? { nameNode } : {}), ...(value ? { value } : {}) };
}

/** `export X=1`, `local y`, `unset z`: checked like a command named after the keyword. */
function checkDeclaration(node: BashSyntaxNode, scope: Scope, depth: number): void {
	const [keyword, ...rest] = children(node);
	if (!keyword) {
		return;
	}
	const words: Word[] = [{ value: keyword.text, hazards: [] }];
	for (const child of rest) {
		if (child.type === 'variable_assignment') {
			const { name, nameNode, value } = assignmentParts(child);
			if (nameNode && name.includes('[')) {
				visit(nameNode, scope, depth + 2);
			}
			const word = value ? wordValue(value, scope, depth) : { value: '', hazards: [] };
			words.push({ value: `${name}=${word.value}`, hazards: word.hazards });
		} else if (child.type === 'file_redirect') {
			checkRedirect(child, scope, depth + 1);
		} else if (child.type !== 'comment') {
			words.push(wordValue(child, scope, depth));
		}
	}
	checkSimpleCommand([], words, scope.walk, scope.nesting);
}

/** `$(…)`, backticks, `<(…)`, `>(…)`: their commands run too, so they are checked like the line's own. */
function checkSubstitution(node: BashSyntaxNode, scope: Scope, depth: number): void {
	noteFeature(node.type === 'process_substitution' ? 'process substitution' : 'command substitution', node, scope);
	if (!node.text.startsWith('`')) {
		for (const child of children(node)) {
			visit(child, scope, depth + 1);
		}
		return;
	}
	// Where the line runs depends on the line as the terminal's shell first reads it: the tree, not the reading below.
	if (scope.nesting === 0) {
		for (const child of children(node)) {
			treeShape(child, depth + 1, scope.walk.line);
		}
	}
	// Inside backticks a backslash quotes \, ` and $, and bash parses the result again: the tree holds only the
	// first reading, so the text is unquoted and parsed once more (this finds `echo \`rm x\`` nested inside).
	if (scope.nesting >= maxNesting) {
		scope.walk.raise('ask', 'commands nested too deeply to check');
		return;
	}
	const inner = node.text.slice(1, node.text.endsWith('`') && node.text.length > 1 ? -1 : undefined).replace(/\\([\\`$])/g, '$1');
	checkScript(inner, 'the text inside backticks', scope.walk, scope.nesting + 1);
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
	const reasons: string[] = [];
	walk.subcommands.push({ program: programWord.value, args, reasons });
	const outer = walk.current;
	walk.current = reasons;
	try {
		checkWords(programWord, argWords, args, words, walk, nesting);
	} finally {
		walk.current = outer;
	}
	// A nested command's reasons (`sudo rm`, `bash -c '…'`) are the outer one's too: it is what runs them.
	if (outer) {
		for (const reason of reasons) if (!outer.includes(reason)) outer.push(reason);
	}
}

function checkWords(programWord: Word, argWords: readonly Word[], args: readonly string[], words: readonly Word[], walk: Walk, nesting: number): void {
	if (programWord.hazards.length > 0) {
		walk.raise('ask', `the program name ${programWord.value} is computed at run time (${programWord.hazards.join(', ')})`);
		return;
	}
	// A glob can only add file names, which programs without dangerous options cannot mistake for one.
	const globSafe = walk.options.sandboxed === true && anyArgumentsReadOnly(baseName(programWord.value));
	const computed = argWords.filter((word) => word.hazards.some((hazard) => hazard !== 'glob' || !globSafe));
	if (!walk.options.sandboxed) {
		// Windows has no sandbox and runs lines in cmd.exe, for which single quotes quote nothing and a backslash
		// escapes nothing: `echo 'a & calc'` is two commands there. Quoted operator characters ask.
		const operator = words.find((word) => /[&|<>^%]/.test(word.value));
		if (operator) {
			walk.raise('ask', `${operator.value} holds a character cmd.exe reads as an operator (& | < > ^ %) ${strictSuffix}`);
		}
	}
	checkProgram(programWord.value, args, computed, walk, nesting);
}

function checkProgram(program: string, args: readonly string[], computed: readonly Word[], walk: Walk, nesting: number): void {
	const name = baseName(program);
	const rule = strongestRule(walk.options.rules ?? [], program, name, args);
	if (rule) {
		const shown = rule.args ? `${rule.program} ${rule.args}` : rule.program;
		walk.raise(rule.action, rule.action === 'allow' ? undefined : `rule "${shown}" says ${rule.action}`);
		// As for read_file, a sensitive file asks whatever the settings allow: a rule allowing `cat` allows no `cat .env`.
		const sensitive = rule.action === 'allow' ? args.flatMap(pathCandidates).map((path) => sensitiveRefusal(path, walk.options, walk.cwds)).find((refusal) => refusal !== undefined) : undefined;
		if (sensitive) {
			walk.raise('ask', `${name} reads ${sensitive}`);
		}
	} else {
		const refusal = readOnlyRefusal(program, name, args, walk);
		if (refusal) {
			walk.raise('ask', refusal);
		}
	}
	if ((!rule || rule.action === 'allow') && computed.length > 0) {
		walk.raise('ask', `arguments of ${name} are computed at run time (${computed.map((word) => word.value).join(' ')})`);
	}
	if (name === 'cd' && program === name) {
		followCd(args, computed.length > 0, walk);
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

/**
 * `cd dir`: later paths of the line are placed against `dir` too. A `cd` to the home folder (`cd`, `cd ~`), to the
 * previous folder (`cd -`) or to a folder computed at run time leaves what the policy can follow, and asks.
 */
function followCd(args: readonly string[], computed: boolean, walk: Walk): void {
	let i = 0;
	while (i < args.length && /^-[LPe@]+$/.test(args[i])) {
		i++;
	}
	if (args[i] === '--') {
		i++;
	}
	const target = args[i];
	if (computed || target === undefined || target === '-' || target.startsWith('~')) {
		walk.raise('ask', `cd ${target ?? ''} leaves the workspace folder the policy places later paths in`.replace('cd  ', 'cd '));
		return;
	}
	for (const cwd of [...walk.cwds]) {
		const folder = folderAfter(target, cwd, walk.options.home);
		if (folder !== undefined && !walk.cwds.includes(folder)) {
			walk.cwds.push(folder);
		}
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
	// `>&-` and `<&-` close a descriptor and take no word: bash gives the words the grammar hangs on them to the command.
	const closes = op === '>&-' || op === '<&-';
	const target = closes ? undefined : destinations[0];
	const strayWords = closes ? destinations : destinations.slice(1);
	return { op, ...(target ? { target } : {}), strayWords, misread: destinations.some((word, i) => i > 0 && !/^[ \t]+$/.test(textBetween(node, destinations[i - 1], word))) };
}

function checkRedirect(node: BashSyntaxNode, scope: Scope, depth: number): void {
	const { op, target, misread } = redirectParts(node);
	if (misread) {
		scope.walk.raise('ask', `the shell parser splits the redirection ${JSON.stringify(node.text)} into words differently from bash`);
	}
	if (op === '>&-' || op === '<&-') {
		return;
	}
	if (!target) {
		scope.walk.raise('ask', `a redirection the policy cannot read (${node.text})`);
		return;
	}
	const word = wordValue(target, scope, depth);
	const literal = word.hazards.length === 0;
	if ((op === '>&' || op === '<&') && literal && /^([0-9]+-?|-)$/.test(word.value)) {
		return;
	}
	if (!literal) {
		scope.walk.raise('ask', `redirects to a path computed at run time (${word.value})`);
		return;
	}
	if (!scope.walk.options.sandboxed && word.value !== '/dev/null') {
		scope.walk.raise('ask', `redirects ${op} ${word.value} ${strictSuffix}`);
		return;
	}
	if (op === '<') {
		const refusal = pathRefusal(word.value, scope.walk.options, scope.walk.cwds);
		if (refusal) {
			scope.walk.raise('ask', `reads ${refusal}`);
		}
		return;
	}
	if (word.value === '/dev/null') {
		return;
	}
	scope.walk.raise('ask', insideWorkspace(word.value, scope.walk.options)
		? `writes to the file ${word.value}`
		: `writes to ${word.value}, outside the workspace`);
}

/** Why a command without a rule is not read-only (programs.ts, then the paths it reads); undefined when it is. */
function readOnlyRefusal(program: string, name: string, args: readonly string[], walk: Walk): string | undefined {
	const options = walk.options;
	if (program.includes('/') && !systemBinDirs.has(program.slice(0, program.lastIndexOf('/')))) {
		return `${program} is not a system binary`;
	}
	const strict = !options.sandboxed;
	if (!strict && asksVersionOnly(name, args)) {
		return undefined;
	}
	const check = strict ? strictCheck(name) : readOnlyCheck(name);
	if (!check) {
		return strict ? `${name} is not among the commands that run without asking ${strictSuffix}` : `${name} is not in the read-only list`;
	}
	const refusal = check(args);
	if (refusal) {
		return refusal;
	}
	if (!noPathArguments.has(name)) {
		for (const candidate of args.flatMap(pathCandidates)) {
			const refusal = pathRefusal(candidate, options, walk.cwds);
			if (refusal) {
				return `${name} reads ${refusal}`;
			}
		}
	}
	const everything = recursiveReads(name, args).find((folder) => holdsSensitiveFiles(folder, options, walk.cwds));
	if (everything !== undefined) {
		return `${name} reads every file under ${everything}, sensitive files included`;
	}
	return undefined;
}

/**
 * What an argument may name on disk: any operand, an option's value (`--file=/etc/x`), and what follows each letter
 * of a short option (`-f/etc/x`, `-rf.env`), since the policy does not know which letters take a value.
 */
function pathCandidates(arg: string): string[] {
	if (!arg.startsWith('-') || arg === '-') {
		return arg === '-' ? [] : operandPaths(arg);
	}
	if (arg.startsWith('--')) {
		return arg.includes('=') ? [arg.slice(arg.indexOf('=') + 1)] : [];
	}
	const glued: string[] = [];
	for (let i = 2; i < arg.length; i++) {
		glued.push(arg.slice(i));
	}
	return glued;
}

/** An operand and, for `rev:path` (`git show HEAD:.env`), the path after each colon. */
function operandPaths(arg: string): string[] {
	const paths = [arg];
	for (let at = arg.indexOf(':'); at >= 0; at = arg.indexOf(':', at + 1)) {
		paths.push(arg.slice(at + 1));
	}
	return paths;
}

function baseName(program: string): string {
	return program.slice(program.lastIndexOf('/') + 1);
}

/** A construct that asks (substitutions, background jobs) and, in the line itself, decides where the line runs. */
function noteFeature(feature: ShellFeature, node: BashSyntaxNode, scope: Scope): void {
	scope.walk.features.add(feature);
	if (scope.nesting === 0) {
		noteLineFeature(scope.walk.line, feature, node.startIndex);
	}
}

function noteLineFeature(line: LineRecord, feature: ShellFeature, at: number): void {
	const seen = line.features.get(feature);
	if (seen === undefined || at < seen) {
		line.features.set(feature, at);
	}
}

/** Notes the features of a subtree of the line straight from the tree, as the terminal's shell would meet them. */
function treeShape(node: BashSyntaxNode, depth: number, line: LineRecord): void {
	const feature = featureOfNode.get(node.type);
	if (feature) {
		noteLineFeature(line, feature, node.startIndex);
	}
	line.deepest = Math.max(line.deepest, depth);
	if (depth > maxDepth) {
		return;
	}
	for (const child of children(node)) {
		treeShape(child, depth + 1, line);
	}
}

/** The gate's form of an analysis: the action and, for the audit, what decided it. */
export function commandVerdict(analysis: CommandAnalysis): { action: CommandAction; rule: string } {
	return { action: analysis.decision, rule: analysis.reasons.length > 0 ? `command:${analysis.reasons.join('; ')}` : 'command:read-only' };
}
