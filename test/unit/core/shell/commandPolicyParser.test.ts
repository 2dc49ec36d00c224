import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { analyzeCommand, shellLineFeatures, type CommandRule } from '../../../../src/core/shell/commandPolicy';
import { analyzeCommandLine, loadBashParser } from '../../../../src/node/terminal/bashParser';

const options = { cwd: '/ws/app', workspaceRoots: ['/ws/app'] };
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

describe('shell line features (where a line can run)', () => {
	test('names subshells, substitutions and background jobs', async () => {
		const parser = await loadBashParser();
		assert.deepEqual(shellLineFeatures('git status && ls -la', parser), { features: [] });
		assert.deepEqual([...shellLineFeatures('(ls) & echo $(pwd) `id` <(x)', parser).features].sort(),
			['background job', 'command substitution', 'process substitution', 'subshell']);
		// `&&`, `&>` and `|&` are not background jobs.
		assert.deepEqual(shellLineFeatures('ls &>/dev/null && ls |& cat', parser).features, []);
	});

	test('a line the parser cannot read says so', async () => {
		const parser = await loadBashParser();
		assert.match(shellLineFeatures('echo "x', parser).unsupported ?? '', /cannot be parsed/);
		assert.match(shellLineFeatures('ls )', parser).unsupported ?? '', /cannot be parsed/);
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
			assert.deepEqual(analysis.subcommands, [{ program: 'printf', args: ['%s\\0', ...expected] }], line);
		}), { numRuns: 150 });
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
