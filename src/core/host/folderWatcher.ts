import type { Disposable } from '../base/disposable';

/**
 * Change notices for one folder (not its sub-folders): the name of an entry that was created, changed, deleted or
 * renamed, or undefined when the platform could not say which (then anything in the folder may have changed).
 * `onError` reports a watch that stopped (the folder went away, or the OS ran out of watches).
 */
export interface FolderWatcher {
	watch(absoluteFolder: string, onChange: (name: string | undefined) => void, onError: (error: Error) => void): Disposable;
}
