import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { children, parseLine, syntaxProblem, type BashParser } from '../../../../src/core/shell/bashSyntax';
import { loadBashParser } from '../../../../src/node/terminal/bashParser';

describe('parsing', () => {
	test('a parser that fails or gives no tree says so instead of throwing', () => {
		const throwing: BashParser = { parse: () => { throw new Error('out of memory'); } };
		assert.equal(parseLine(throwing, 'ls'), 'the parser failed (out of memory)');
		assert.equal(parseLine({ parse: () => null }, 'ls'), 'the parser gave no tree');
	});

	test('the first syntax error is told by place', async () => {
		const problem = async (line: string) => {
			const tree = parseLine(await loadBashParser(), line);
			assert.ok(typeof tree !== 'string');
			try {
				return syntaxProblem(tree.rootNode);
			} finally {
				tree.delete();
			}
		};
		assert.equal(await problem('ls -la | wc'), undefined);
		assert.equal(await problem('ls )'), 'syntax error near ")" at character 4');
		assert.equal(await problem('(ls'), 'syntax error: ) missing at character 4');
	});

	test('children are listed in order', async () => {
		const tree = parseLine(await loadBashParser(), 'ls; pwd');
		assert.ok(typeof tree !== 'string');
		try {
			assert.deepEqual(children(tree.rootNode).map((node) => node.type), ['command', ';', 'command']);
		} finally {
			tree.delete();
		}
	});
});
