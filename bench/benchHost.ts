// The Host benchmarks run tools on: the Node adapters createWorkbench gets without the editor, and the path jail.
import type { Host, WorkspaceFolderInfo } from '../src/core/host/host';
import { NodePathJail } from '../src/node/files/pathJail';
import { nodeAdapters } from '../src/node/nodeAdapters';

export function benchHost(folder: WorkspaceFolderInfo): Host {
	const folders = [folder];
	return { ...nodeAdapters({ folders }), jail: new NodePathJail(() => folders), sensitivePaths: () => [] };
}
