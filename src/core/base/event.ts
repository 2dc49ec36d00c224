import type { Disposable } from './disposable';

export type Event<T> = (listener: (value: T) => void) => Disposable;

/** What happens to an exception thrown by a listener; the default writes it to the console. */
export type ListenerErrorHandler = (error: unknown) => void;

const reportToConsole: ListenerErrorHandler = (error) => console.error('listener failed:', error);

/**
 * Private emitter, public event: owners fire, everyone else only listens. A listener that throws is reported and
 * the others still run (vscode's `Emitter` does the same): one broken subscriber must not silence the rest, nor
 * turn the owner's `fire` into a failure of the owner.
 */
export class Emitter<T> {
	private readonly listeners = new Set<(value: T) => void>();

	constructor(private readonly onListenerError: ListenerErrorHandler = reportToConsole) {}

	readonly event: Event<T> = (listener) => {
		// A wrapper per subscription, so the same function subscribed twice is two subscriptions.
		const entry = (value: T) => listener(value);
		this.listeners.add(entry);
		return { dispose: () => this.listeners.delete(entry) };
	};

	fire(value: T): void {
		for (const listener of [...this.listeners]) {
			try {
				listener(value);
			} catch (error) {
				this.onListenerError(error);
			}
		}
	}

	get hasListeners(): boolean {
		return this.listeners.size > 0;
	}

	dispose(): void {
		this.listeners.clear();
	}
}
