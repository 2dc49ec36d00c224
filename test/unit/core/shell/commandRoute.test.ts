import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { commandRoute, type RouteFacts } from '../../../../src/core/shell/commandRoute';

/** A request nothing stands against: it runs in the visible terminal. */
const clear: RouteFacts = {
	useTerminal: true,
	extraEnv: false,
	platform: 'linux',
	shell: '/bin/bash',
	line: 'git status && ls -la',
	shape: { features: [] },
	integrationFailedRecently: false,
};

const reasonOf = (facts: Partial<RouteFacts>) => {
	const route = commandRoute({ ...clear, ...facts });
	return route.runIn === 'process' ? route.reason : undefined;
};

const blocked = {
	setting: { useTerminal: false },
	env: { extraEnv: true },
	windows: { platform: 'win32', shell: 'C:\\Windows\\System32\\cmd.exe' },
	newline: { line: 'ls\npwd' },
	control: { line: 'ls\tx' },
	shape: { shape: { features: ['background job'] as const } },
	integration: { integrationFailedRecently: true },
};

describe('where a command runs', () => {
	test('in the terminal when nothing stands against it', () => {
		assert.deepEqual(commandRoute(clear), { runIn: 'terminal' });
		assert.deepEqual(commandRoute({ ...clear, platform: 'darwin', shell: '/usr/local/bin/bash', line: '' }), { runIn: 'terminal' });
	});

	test('the setting can turn the terminal off', () => {
		assert.equal(reasonOf(blocked.setting), 'the visible terminal is turned off in settings');
	});

	test('extra environment variables keep the line off the terminal, where their values would show', () => {
		assert.equal(reasonOf(blocked.env), 'extra environment variables are applied on the child-process path, so their values never show in the terminal');
	});

	test('the terminal needs bash, and not Windows', () => {
		const reason = 'the visible terminal runs lines in bash, which this machine does not have';
		assert.equal(reasonOf(blocked.windows), reason);
		assert.equal(reasonOf({ platform: 'win32', shell: 'C:\\Program Files\\Git\\bin\\bash' }), reason);
		assert.equal(reasonOf({ shell: '/bin/sh' }), reason);
		assert.equal(reasonOf({ shell: '/bin/zsh' }), reason);
	});

	test('multi-line lines and control characters run as a child process', () => {
		assert.equal(reasonOf(blocked.newline), 'multi-line commands run as a child process: shell integration may not report their end');
		const control = 'the line holds control characters (tabs included), which a terminal would take as key presses';
		for (const line of ['ls\tx', 'ls\x1b[A', 'ls \x10\x0f', 'ls\r', 'ls\x7f', 'ls\x00']) {
			assert.equal(reasonOf({ line }), control, JSON.stringify(line));
		}
		assert.equal(reasonOf({ line: "cat 'é 😀.txt'" }), undefined);
	});

	test('a line the policy did not analyse runs as a child process', () => {
		const reason = 'the line was not analysed by the command policy, so whether shell integration would report its end is unknown';
		assert.equal(reasonOf({ shape: undefined }), reason);
		// In the place of the shape's own reasons: after what the line's text shows, before the terminal's state.
		assert.equal(reasonOf({ shape: undefined, integrationFailedRecently: true }), reason);
		assert.equal(reasonOf({ shape: undefined, line: 'ls\tx' }), reasonOf(blocked.control));
	});

	test('subshells, substitutions and background jobs run as a child process, and say which', () => {
		const tail = ': such lines run as a child process, since shell integration may never report their end';
		assert.equal(reasonOf(blocked.shape), `background job${tail}`);
		assert.equal(reasonOf({ shape: { features: ['subshell', 'command substitution'] } }), `subshell, command substitution${tail}`);
	});

	test('so does a line that cannot be parsed, whatever features were found', () => {
		const unparsable = 'the line cannot be parsed as a shell command: syntax error near ")" at character 4';
		assert.equal(reasonOf({ shape: { features: [], unparsable } }), `${unparsable}: such lines run as a child process, since shell integration may never report their end`);
		assert.equal(reasonOf({ shape: { features: ['subshell'], unparsable } }), `${unparsable}: such lines run as a child process, since shell integration may never report their end`);
	});

	test('after shell integration failed to start, the terminal is skipped for a while', () => {
		assert.equal(reasonOf(blocked.integration), 'shell integration did not start in the terminal recently');
	});

	test('the first reason in order is the one given', () => {
		const order = Object.values(blocked);
		for (let first = 0; first < order.length; first++) {
			// Everything from `first` on stands against the terminal; the reason is that of `first` alone.
			const facts = Object.assign({}, ...order.slice(first).reverse()) as Partial<RouteFacts>;
			assert.equal(reasonOf(facts), reasonOf(order[first]), Object.keys(blocked)[first]);
		}
	});
});
