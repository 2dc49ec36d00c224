import type { Disposable } from '../base/disposable';

/**
 * Where a FolderWatcher reports: `changed` names the entry of the folder (`key`, as given to `watch`) that was
 * created, changed, deleted or renamed, or undefined when the platform could not say which (then anything in the
 * folder may have changed); `failed` reports a watch that stopped (the folder went away, the OS ran out of watches).
 * One sink serves every folder, so a watch needs no closure of its own: on a tree of 50,000 folders the closures
 * were half of what the watches cost.
 */
export interface FolderChangeSink {
	changed(key: string, name: string | undefined): void;
	failed(key: string, error: Error): void;
}

/** Change notices for one folder (not its sub-folders). */
export interface FolderWatcher {
	watch(absoluteFolder: string, key: string, sink: FolderChangeSink): Disposable;
}
