// The Node FolderWatcher: one non-recursive fs.watch per folder (inotify on Linux, FSEvents/ReadDirectoryChangesW
// elsewhere), no polling. Node 20's recursive fs.watch on Linux walks the tree itself and watches every folder,
// ignored ones (node_modules) included; watching folder by folder lets the index skip what it ignores.
import { watch } from 'node:fs';
import type { Disposable } from '../../core/base/disposable';
import type { FolderWatcher } from '../../core/host/folderWatcher';

export const nodeFolderWatcher: FolderWatcher = {
	watch(absoluteFolder, onChange, onError): Disposable {
		const watcher = watch(absoluteFolder, { persistent: false }, (_event, name) => onChange(name ?? undefined));
		watcher.on('error', (error) => onError(error));
		return { dispose: () => watcher.close() };
	},
};
