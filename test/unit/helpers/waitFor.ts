// Tests wait for conditions, never for fixed times: one poller for every unit test that waits on something async.

/**
 * Polls `probe` until it returns a value other than undefined or false, and resolves with it. The bound only matters
 * when the test fails: it then throws, naming what never happened.
 */
export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		// A promise is always "truthy": an async probe would pass at once, a wait that cannot fail.
		if (typeof (value as { then?: unknown } | undefined)?.then === 'function') throw new Error(`waitFor takes a synchronous probe (waiting for ${what})`);
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
