// The Host benchmarks run tools on: the Node adapters createWorkbench gets without the editor, and the path jail.
import type { FileListIndex } from '../src/core/host/filesHost';
import type { Host, WorkspaceFolderInfo } from '../src/core/host/host';
import { NodePathJail } from '../src/node/files/pathJail';
import { nodeAdapters } from '../src/node/nodeAdapters';

/** Without `index`, find_files always runs ripgrep (the baseline the index is measured against). */
export function benchHost(folder: WorkspaceFolderInfo, index?: FileListIndex): Host {
	const folders = [folder];
	return { ...nodeAdapters({ folders, files: { index } }), jail: new NodePathJail(() => folders), sensitivePaths: () => [] };
}
