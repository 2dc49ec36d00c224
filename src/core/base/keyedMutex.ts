/**
 * One queue per key: work under a key starts only after every earlier work under that key has ended, in the order it
 * was queued; work under different keys runs side by side. A read-modify-write that runs under its file's key sees
 * the result of the one before it, so no write is computed from a stale base. Pure: the caller chooses the keys.
 */
export class KeyedMutex {
	/** Per key, a promise that settles when the last work queued under it ends; absent when nothing is queued. */
	private readonly tails = new Map<string, Promise<void>>();

	/** How many keys are held or waited for now; 0 when idle (a key is never left behind). */
	get size(): number {
		return this.tails.size;
	}

	/** Runs `work` alone for `key`; its result or error is passed through, and the next in line starts either way. */
	run<T>(key: string, work: () => Promise<T>): Promise<T> {
		const previous = this.tails.get(key);
		let release!: () => void;
		const done = new Promise<void>((resolve) => {
			release = resolve;
		});
		this.tails.set(key, done);
		const result = previous ? previous.then(work) : Promise.resolve().then(work);
		const leave = () => {
			release();
			if (this.tails.get(key) === done) this.tails.delete(key);
		};
		return result.finally(leave);
	}

	/**
	 * Runs `work` holding every key at once (a rename holds its source and its target). Keys are taken in sorted
	 * order, so two calls over the same keys never wait on each other in a cycle.
	 */
	runAll<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
		const sorted = [...new Set(keys)].sort();
		const take = (index: number): Promise<T> => (index === sorted.length ? work() : this.run(sorted[index], () => take(index + 1)));
		return take(0);
	}
}
