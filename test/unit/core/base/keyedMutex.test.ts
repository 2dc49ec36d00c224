import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyedMutex } from '../../../../src/core/base/keyedMutex';

/** A promise and the functions that settle it, so a test decides when work ends. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

test('work under one key runs one at a time, in the order it was queued', async () => {
	const mutex = new KeyedMutex();
	let running = 0;
	let most = 0;
	const order: number[] = [];
	const all = Array.from({ length: 20 }, (_, i) => mutex.run('file', async () => {
		running++;
		most = Math.max(most, running);
		// Yield a few turns so overlapping work, if the mutex let it start, would be seen running.
		for (let turn = 0; turn < 3; turn++) await Promise.resolve();
		order.push(i);
		running--;
		return i;
	}));
	assert.deepEqual(await Promise.all(all), Array.from({ length: 20 }, (_, i) => i));
	assert.equal(most, 1);
	assert.deepEqual(order, Array.from({ length: 20 }, (_, i) => i));
	assert.equal(mutex.size, 0, 'no key is left behind');
});

test('a read-modify-write under the key loses nothing, where the same code without it does', async () => {
	let unguarded = 0;
	await Promise.all(Array.from({ length: 10 }, async () => {
		const read = unguarded;
		await Promise.resolve();
		unguarded = read + 1;
	}));
	assert.equal(unguarded, 1, 'without the mutex every increment read the same base');

	const mutex = new KeyedMutex();
	let guarded = 0;
	await Promise.all(Array.from({ length: 10 }, () => mutex.run('counter', async () => {
		const read = guarded;
		await Promise.resolve();
		guarded = read + 1;
	})));
	assert.equal(guarded, 10);
});

test('different keys do not wait for each other', async () => {
	const mutex = new KeyedMutex();
	const holdA = deferred();
	const a = mutex.run('a', () => holdA.promise);
	const b = await mutex.run('b', async () => 'b ran');
	assert.equal(b, 'b ran', 'b finished while a was still held');
	holdA.resolve();
	await a;
	assert.equal(mutex.size, 0);
});

test('a failing work passes its error to its caller and the next in line still runs', async () => {
	const mutex = new KeyedMutex();
	const first = mutex.run('k', async () => {
		throw new Error('disk full');
	});
	const second = mutex.run('k', async () => 'second');
	await assert.rejects(first, /disk full/);
	assert.equal(await second, 'second');
	assert.equal(mutex.size, 0);
});

test('runAll holds every key, and crossing key lists do not deadlock', async () => {
	const mutex = new KeyedMutex();
	const hold = deferred();
	const single = mutex.run('b', () => hold.promise);
	let pairRan = false;
	const pair = mutex.runAll(['b', 'a'], async () => {
		pairRan = true;
	});
	const crossed = mutex.runAll(['a', 'b', 'a'], async () => 'crossed');
	await Promise.resolve();
	assert.equal(pairRan, false, 'waits for b');
	hold.resolve();
	await single;
	await pair;
	assert.equal(await crossed, 'crossed');
	assert.equal(pairRan, true);
	assert.equal(mutex.size, 0);
});
