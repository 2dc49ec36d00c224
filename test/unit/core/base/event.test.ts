import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Emitter } from '../../../../src/core/base/event';
import { isToolError, ToolError } from '../../../../src/core/base/errors';

test('a listener that throws is reported and the others still hear the event', () => {
	const reported: unknown[] = [];
	const emitter = new Emitter<number>((error) => reported.push(error));
	const heard: number[] = [];
	emitter.event(() => {
		throw new Error('broken view');
	});
	emitter.event((value) => heard.push(value));
	emitter.fire(7);
	assert.deepEqual(heard, [7]);
	assert.equal((reported[0] as Error).message, 'broken view');
});

test('disposing a subscription stops it; the same function subscribed twice is two subscriptions', () => {
	const emitter = new Emitter<string>();
	const heard: string[] = [];
	const listener = (value: string) => heard.push(value);
	const first = emitter.event(listener);
	emitter.event(listener);
	emitter.fire('a');
	first.dispose();
	emitter.fire('b');
	assert.deepEqual(heard, ['a', 'a', 'b']);
	emitter.dispose();
	assert.equal(emitter.hasListeners, false);
});

test('errors are told apart by their reason, not their wording', () => {
	const error = new ToolError('src is a directory, not a file.', 'is-directory');
	assert.equal(isToolError(error, 'is-directory'), true);
	assert.equal(isToolError(error, 'not-found'), false);
	assert.equal(isToolError(new Error('is-directory')), false);
	assert.equal(new ToolError('x').reason, 'failed');
});
