import type { Disposable } from '../../core/base/disposable';

/** Shortest time between two notifications of one subscription: a flood of calls must not become a flood of reads. */
const MIN_NOTIFY_MS = 1000;
/** How often a running command's or task's output is looked at while someone subscribed to it. */
const POLL_MS = 500;

/** `changed` at once, then at most once a second; a change inside the quiet time is sent when it ends, never lost. */
export function throttled(changed: () => void, minMs = MIN_NOTIFY_MS): { fire(): void } & Disposable {
	let last = 0;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let disposed = false;
	const send = () => {
		timer = undefined;
		last = Date.now();
		if (!disposed) changed();
	};
	return {
		fire() {
			if (disposed || timer) return;
			const wait = last + minMs - Date.now();
			if (wait <= 0) send();
			else timer = setTimeout(send, wait);
		},
		dispose() {
			disposed = true;
			if (timer) clearTimeout(timer);
		},
	};
}

/**
 * Watches output that grows without any call (a background command, a task): `state()` is looked at twice a second,
 * and a new value is a change. Once `done()` the last change is sent and looking stops. Only while subscribed.
 */
export function pollWatch(state: () => string | undefined, done: () => boolean, changed: () => void): Disposable {
	const notify = throttled(changed);
	let seen = state();
	const timer = setInterval(() => {
		const now = state();
		if (now !== seen) {
			seen = now;
			notify.fire();
		}
		if (done()) clearInterval(timer);
	}, POLL_MS);
	timer.unref?.();
	return {
		dispose() {
			clearInterval(timer);
			notify.dispose();
		},
	};
}
