// The Node FolderWatcher: one non-recursive fs.watch per folder (inotify on Linux, FSEvents/ReadDirectoryChangesW
// elsewhere), no polling. Node 20's recursive fs.watch on Linux walks the tree itself and watches every folder,
// ignored ones (node_modules) included; watching folder by folder lets the index skip what it ignores.
// A watch costs an FSWatcher and its handle (about 0.5 KB of heap and 1 KB native on Linux) and nothing more: the
// key and sink ride on the watcher, and the listeners are shared functions that read them from `this`.
import { watch, type FSWatcher } from 'node:fs';
import type { Disposable } from '../../core/base/disposable';
import type { FolderChangeSink, FolderWatcher } from '../../core/host/folderWatcher';

interface KeyedWatcher extends FSWatcher, Disposable {
	key: string;
	sink: FolderChangeSink;
}

function onChange(this: KeyedWatcher, _event: string, name: string | Buffer | null): void {
	this.sink.changed(this.key, name === null ? undefined : String(name));
}

function onError(this: KeyedWatcher, error: Error): void {
	this.sink.failed(this.key, error);
}

function dispose(this: KeyedWatcher): void {
	this.close();
}

export const nodeFolderWatcher: FolderWatcher = {
	watch(absoluteFolder, key, sink): Disposable {
		const watcher = watch(absoluteFolder, { persistent: false }) as KeyedWatcher;
		watcher.key = key;
		watcher.sink = sink;
		watcher.dispose = dispose;
		watcher.on('change', onChange);
		watcher.on('error', onError);
		return watcher;
	},
};
