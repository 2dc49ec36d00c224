/** Anything that holds a resource until it is disposed: a listener, a timer, a server. VS Code's own shape. */
export interface Disposable {
	dispose(): void;
}

export function toDisposable(dispose: () => void): Disposable {
	let disposed = false;
	return {
		dispose() {
			if (disposed) return;
			disposed = true;
			dispose();
		},
	};
}

/**
 * Holds disposables and disposes them together, newest first (what was built last depends on what came before).
 * Something added after the store was disposed is disposed at once, so a late registration never leaks (as in
 * vscode's `DisposableStore`). One failing dispose does not stop the others; the first error is rethrown after.
 */
export class DisposableStore implements Disposable {
	private readonly items = new Set<Disposable>();
	private disposed = false;

	get isDisposed(): boolean {
		return this.disposed;
	}

	add<T extends Disposable>(item: T): T {
		if (this.disposed) {
			item.dispose();
		} else {
			this.items.add(item);
		}
		return item;
	}

	/** Disposes one item now and forgets it. */
	delete(item: Disposable): void {
		if (this.items.delete(item)) item.dispose();
	}

	dispose(): void {
		if (this.disposed) return;
		this.disposed = true;
		const items = [...this.items].reverse();
		this.items.clear();
		let first: unknown;
		for (const item of items) {
			try {
				item.dispose();
			} catch (error) {
				first ??= error;
			}
		}
		if (first !== undefined) throw first;
	}
}
