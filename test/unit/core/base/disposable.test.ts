import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DisposableStore, toDisposable } from '../../../../src/core/base/disposable';

test('a store disposes newest first, once, and disposes what is added after it was disposed', () => {
	const order: string[] = [];
	const store = new DisposableStore();
	store.add(toDisposable(() => order.push('first')));
	store.add(toDisposable(() => order.push('second')));
	store.dispose();
	store.dispose();
	assert.deepEqual(order, ['second', 'first']);
	store.add(toDisposable(() => order.push('late')));
	assert.deepEqual(order, ['second', 'first', 'late'], 'a late registration never leaks');
	assert.equal(store.isDisposed, true);
});

test('one failing dispose does not stop the others; the first error surfaces after', () => {
	const order: string[] = [];
	const store = new DisposableStore();
	store.add(toDisposable(() => order.push('a')));
	store.add(toDisposable(() => {
		throw new Error('boom');
	}));
	store.add(toDisposable(() => order.push('c')));
	assert.throws(() => store.dispose(), /boom/);
	assert.deepEqual(order, ['c', 'a']);
});

test('delete disposes one item at once and forgets it', () => {
	let count = 0;
	const store = new DisposableStore();
	const item = store.add(toDisposable(() => count++));
	store.delete(item);
	store.dispose();
	assert.equal(count, 1);
});
