import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { argsMatch, strongestRule, type CommandRule } from '../../../../src/core/shell/commandRules';

describe('rule arguments', () => {
	test('without a star, a prefix on word boundaries', () => {
		assert.ok(argsMatch('run lint', ['run', 'lint']));
		assert.ok(argsMatch('run lint', ['run', 'lint', '--fix']));
		assert.ok(!argsMatch('run lint', ['run', 'linter']));
		assert.ok(!argsMatch('run lint', ['run']));
	});

	test('a star is any text, spaces included', () => {
		assert.ok(argsMatch('push*', ['push', '--force']));
		assert.ok(argsMatch('push*', ['pushx']));
		assert.ok(argsMatch('*--force*', ['push', 'origin', '--force', 'main']));
		assert.ok(!argsMatch('*--force', ['push', '--force', 'main']));
		// Pieces may not overlap: "ab*ba" needs at least "abba", not "aba".
		assert.ok(!argsMatch('ab*ba', ['aba']));
		assert.ok(argsMatch('ab*ba', ['abba']));
	});

	test('no pattern, an empty one or a lone star match any arguments', () => {
		for (const pattern of [undefined, '', '*']) {
			assert.ok(argsMatch(pattern, []));
			assert.ok(argsMatch(pattern, ['anything', 'at all']));
		}
	});
});

describe('the strongest rule', () => {
	const rules: CommandRule[] = [
		{ program: 'npm', action: 'allow' },
		{ program: 'npm', args: 'publish*', action: 'deny' },
		{ program: 'npm', args: 'run*', action: 'ask' },
		{ program: '/opt/tool/bin/npm', action: 'deny' },
	];

	test('deny outweighs ask, which outweighs allow', () => {
		assert.equal(strongestRule(rules, 'npm', 'npm', ['publish'])?.action, 'deny');
		assert.equal(strongestRule(rules, 'npm', 'npm', ['run', 'build'])?.action, 'ask');
		assert.equal(strongestRule(rules, 'npm', 'npm', ['ci'])?.action, 'allow');
	});

	test('a rule with a path matches that binary only; a name matches any path of that name', () => {
		assert.equal(strongestRule(rules, '/opt/tool/bin/npm', 'npm', ['ci'])?.action, 'deny');
		assert.equal(strongestRule(rules, '/usr/bin/npm', 'npm', ['ci'])?.action, 'allow');
		assert.equal(strongestRule(rules, 'yarn', 'yarn', []), undefined);
	});
});
