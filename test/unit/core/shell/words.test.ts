import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BashSyntaxNode } from '../../../../src/core/shell/bashSyntax';
import { unquoted, wordValue, type Word, type WordHazard } from '../../../../src/core/shell/words';
import { loadBashParser } from '../../../../src/node/terminal/bashParser';

/** The value of the word after `echo `, and the types of the computed parts it handed out. */
async function word(text: string): Promise<Word & { substitutions: string[]; expansions: string[] }> {
	const tree = (await loadBashParser()).parse(`echo ${text}`);
	assert.ok(tree);
	try {
		const command = tree.rootNode.child(0) as BashSyntaxNode;
		const argument = command.child(1) as BashSyntaxNode;
		const substitutions: string[] = [];
		const expansions: string[] = [];
		const value = wordValue(argument, { substitution: (node) => substitutions.push(node.type), expansion: (node) => expansions.push(node.type) }, 0);
		return { ...value, substitutions, expansions };
	} finally {
		tree.delete();
	}
}

describe('word values', () => {
	test('quotes and backslashes are removed as bash removes them', async () => {
		assert.equal((await word(`'a b'"c\\"d"e\\ f`)).value, 'a bc"de f');
		assert.deepEqual((await word(`'a b'"c\\"d"e\\ f`)).hazards, []);
		assert.equal((await word(`"\\$x \\q"`)).value, '$x \\q');
	});

	test('computed parts keep their text, are hazards and are handed to the walk', async () => {
		const substituted = await word('a$(ls)b');
		assert.equal(substituted.value, 'a$(…)b');
		assert.deepEqual(substituted.hazards, ['substitution']);
		assert.deepEqual(substituted.substitutions, ['command_substitution']);
		const expanded = await word('"${HOME}/x"');
		assert.equal(expanded.value, '${HOME}/x');
		assert.deepEqual(expanded.hazards, ['expansion']);
		assert.deepEqual(expanded.expansions, ['expansion']);
	});

	test('a lone brace or bang is a reserved word, not a hazard', async () => {
		assert.deepEqual((await word('{')).hazards, []);
		assert.deepEqual((await word('!')).hazards, []);
	});
});

describe('unquoted text', () => {
	const hazards = (text: string, first = true) => {
		const found = new Set<WordHazard>();
		unquoted(text, first, found);
		return [...found].sort();
	};

	test('names what bash would expand', () => {
		assert.deepEqual(hazards('*.ts'), ['glob']);
		assert.deepEqual(hazards('~/x'), ['tilde']);
		assert.deepEqual(hazards('~/x', false), []);
		assert.deepEqual(hazards('a{b,c}'), ['brace']);
		assert.deepEqual(hazards('hi!'), ['history']);
		assert.deepEqual(hazards('$x'), ['expansion']);
		assert.deepEqual(hazards('cost5$'), []);
		assert.deepEqual(hazards('\\*'), []);
	});

	test('a backslash quotes the next character and a backslash-newline vanishes', () => {
		assert.equal(unquoted('a\\ b\\\nc', true, new Set()), 'a bc');
	});
});
