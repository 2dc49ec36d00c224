import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { children, syntaxProblem, type BashSyntaxNode } from '../../../../src/core/shell/bashSyntax';
import { analyzeCommand, type CommandRule } from '../../../../src/core/shell/commandPolicy';
import { analyzeCommandLine, loadBashParser } from '../../../../src/node/terminal/bashParser';

const options = { cwd: '/ws/app', workspaceRoots: ['/ws/app'], sandboxed: true };
const denyRm: CommandRule[] = [{ program: 'rm', action: 'deny' }];

describe('bash parser loading', () => {
	test('loads tree-sitter and the bash grammar once, and parses', async () => {
		const first = await loadBashParser();
		assert.equal(await loadBashParser(), first);
		const tree = first.parse('git status | head');
		assert.ok(tree);
		try {
			assert.equal(tree.rootNode.type, 'program');
			assert.equal(tree.rootNode.child(0)?.type, 'pipeline');
		} finally {
			tree.delete();
		}
	});

	test('analyzeCommandLine is the policy with the loaded parser', async () => {
		assert.equal((await analyzeCommandLine('git status', options)).decision, 'allow');
		const denied = await analyzeCommandLine('ls && sudo rm -rf /', { ...options, rules: denyRm });
		assert.equal(denied.decision, 'deny');
		assert.match(denied.reasons.join('\n'), /rule "rm" says deny/);
	});
});

describe('the line\'s shape (where it can run)', () => {
	const shape = async (line: string) => {
		const { features, unparsable } = analyzeCommand(line, { ...options, parser: await loadBashParser() });
		return { features, ...(unparsable === undefined ? {} : { unparsable }) };
	};

	test('names subshells, substitutions and background jobs in the order they appear', async () => {
		assert.deepEqual(await shape('git status && ls -la'), { features: [] });
		assert.deepEqual(await shape('(ls) & echo $(pwd) `id` <(x)'), { features: ['subshell', 'background job', 'command substitution', 'process substitution'] });
		// `&&`, `&>` and `|&` are not background jobs.
		assert.deepEqual(await shape('ls &>/dev/null && ls |& cat'), { features: [] });
		// The policy meets the redirection before the statement it redirects; the shape keeps the line's order.
		assert.deepEqual(await shape('(ls) > >(cat)'), { features: ['subshell', 'process substitution'] });
	});

	test('counts what the line holds inside its substitutions, backticks and here-documents', async () => {
		assert.deepEqual(await shape('echo $( (ls) & )'), { features: ['command substitution', 'subshell', 'background job'] });
		assert.deepEqual(await shape('echo `(ls) &`'), { features: ['command substitution', 'subshell', 'background job'] });
		assert.deepEqual(await shape('cat <<EOF\n$(ls)\nEOF'), { features: ['command substitution'] });
	});

	test('counts substitutions wherever the grammar hangs them', async () => {
		assert.deepEqual(await shape('ls >&- $(pwd)'), { features: ['command substitution'] });
		assert.deepEqual(await shape('a[$(pwd)]=1'), { features: ['command substitution'] });
		assert.deepEqual(await shape('ls 2#$(pwd)'), { features: ['command substitution'] });
	});

	test('scripts handed to another shell do not count, though the policy still asks for them', async () => {
		const parser = await loadBashParser();
		const handed = analyzeCommand("bash -c 'sleep 1 &'", { ...options, parser });
		assert.deepEqual(handed.features, []);
		assert.equal(handed.unparsable, undefined);
		assert.equal(handed.decision, 'ask');
		assert.ok(handed.reasons.includes('the line starts a background job (&)'), handed.reasons.join(' | '));
		assert.deepEqual(analyzeCommand("eval '(ls) & echo $(pwd)'", { ...options, parser }).features, []);
		assert.deepEqual(analyzeCommand("bash -c 'echo \"x'", { ...options, parser }).unparsable, undefined);
	});

	test('a line the parser cannot read says so', async () => {
		assert.match((await shape('echo "x')).unparsable ?? '', /^the line cannot be parsed as a shell command: syntax error/);
		assert.equal((await shape('ls )')).unparsable, 'the line cannot be parsed as a shell command: syntax error near ")" at character 4');
		const tooDeep = 'the line cannot be parsed as a shell command: it nests too deeply to check';
		assert.deepEqual(await shape(`echo ${'$('.repeat(120)}x${')'.repeat(120)}`), { features: ['command substitution'], unparsable: tooDeep });
		// The policy still checks `ls` in the innermost braces; only its name, read as a word, sits past the limit.
		assert.deepEqual(await shape(`${'{ '.repeat(199)}ls; ${'}; '.repeat(198)}}`), { features: [], unparsable: tooDeep });
		assert.deepEqual(await shape(`${'{ '.repeat(100)}ls; ${'}; '.repeat(99)}}`), { features: [] });
	});
});

describe('properties', () => {
	// Characters bash never expands outside a double-quoted or unquoted context we model, so bash itself can say
	// what the words are: no glob, tilde, brace, history, `$` or backtick.
	const plain = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '0', '-', '_', '.', '/', ',', ':', '=', '+', '%', '@', 'é') });
	const anyText = fc.string({ unit: fc.constantFrom('a', ' ', '\t', '"', "'", '\\', ';', '|', '&', '<', '>', '(', ')', '#', '*', '?', '[', '~', '{', '}', '!', '$', '`', '\n', 'é') });
	const fragment = fc.oneof(
		plain,
		anyText.map((text) => `'${text.replace(/'/g, `'\\''`)}'`),
		anyText.filter((text) => !text.includes('!')).map((text) => `"${text.replace(/[\\"$`]/g, '\\$&')}"`),
		anyText.filter((text) => !text.includes('\n')).map((text) => text.replace(/[\s\S]/g, '\\$&')),
		plain.map((text) => `${text}\\\n`),
	);
	const word = fc.array(fragment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')).filter((text) => text !== '');

	test('words come out as bash reads them, or the line asks', async () => {
		const parser = await loadBashParser();
		fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), (words) => {
			// The `.` first: printf with no argument would still print its format once.
			const line = `printf '%s\\0' . ${words.join(' ')}`;
			const bash = spawnSync('bash', ['--norc', '--noprofile', '-c', line], { encoding: 'utf8' });
			assert.equal(bash.status, 0, bash.stderr);
			const expected = bash.stdout.split('\0').slice(0, -1);
			const analysis = analyzeCommand(line, { ...options, parser });
			// Where the grammar cannot follow bash (a trailing escaped blank is a syntax error to it), the line asks.
			if (analysis.reasons.some((reason) => /cannot be parsed|differently from bash/.test(reason))) {
				assert.equal(analysis.decision, 'ask');
				return;
			}
			assert.deepEqual(analysis.subcommands.map(({ program, args }) => ({ program, args })), [{ program: 'printf', args: ['%s\\0', ...expected] }], line);
		}), { numRuns: 150 });
	});

	test('the shape is what a plain walk of the line\'s tree finds', async () => {
		const parser = await loadBashParser();
		const names: Record<string, string> = { command_substitution: 'command substitution', process_substitution: 'process substitution', subshell: 'subshell', '&': 'background job' };
		const treeShape = (line: string) => {
			const tree = parser.parse(line);
			assert.ok(tree);
			try {
				const features = new Set<string>();
				let tooDeep = false;
				const walk = (node: BashSyntaxNode, depth: number): void => {
					if (Object.hasOwn(names, node.type)) features.add(names[node.type]);
					if (depth > 200) {
						tooDeep = true;
						return;
					}
					children(node).forEach((child) => walk(child, depth + 1));
				};
				walk(tree.rootNode, 0);
				const problem = syntaxProblem(tree.rootNode) ?? (tooDeep ? 'it nests too deeply to check' : undefined);
				return { features: [...features], ...(problem ? { unparsable: `the line cannot be parsed as a shell command: ${problem}` } : {}) };
			} finally {
				tree.delete();
			}
		};
		const token = fc.constantFrom(' ', ';', '|', '&', '&&', '(', ')', '$(', '`', '\\`', '"', "'", '\\', '\n', '#', '<<', '<<<', '>', '>&-', '2>&1', '<(', '>(',
			'ls', 'cat', 'echo', 'if', 'then', 'fi', '{', '}', '=', 'x', 'a[', ']', '2#', '$((', '))', '${', '$x', 'bash -c ', 'eval ', 'sudo ', 'export ', 'EOF');
		fc.assert(fc.property(fc.array(fc.oneof(token, fc.string({ maxLength: 2 })), { maxLength: 24 }).map((parts) => parts.join('')), (line) => {
			const { features, unparsable } = analyzeCommand(line, { ...options, parser });
			assert.deepEqual({ features, ...(unparsable === undefined ? {} : { unparsable }) }, treeShape(line), line);
		}), { numRuns: 1000 });
	});

	test('no text makes the policy throw, and a line that starts with a denied command never allows', async () => {
		const parser = await loadBashParser();
		fc.assert(fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(' ', ';', '|', '&', '(', ')', '$(', '`', '"', "'", '\\', '\n', '#', '<<', '>', 'ls', 'rm', 'if', 'then', 'fi', '{', '}', '=', 'x'), fc.string({ maxLength: 1 })) }), (text) => {
			const free = analyzeCommand(text, { ...options, parser });
			assert.ok(['allow', 'ask', 'deny'].includes(free.decision));
			const prefixed = analyzeCommand(`rm x; ${text}`, { ...options, rules: denyRm, parser });
			assert.notEqual(prefixed.decision, 'allow', text);
			const wrapped = analyzeCommand(`ls $(${text}) x`, { ...options, parser });
			assert.notEqual(wrapped.decision, 'allow', text);
		}), { numRuns: 500 });
	});
});
