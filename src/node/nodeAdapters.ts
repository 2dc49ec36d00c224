import type { NodeFilesHostOptions } from './files/nodeFilesHost';
import { NodeFileIndex } from './files/fileIndex';
import { NodeFilesHost } from './files/nodeFilesHost';
import { nodeFolderWatcher } from './files/nodeFolderWatcher';
import { NoTasksHost } from './tasks/noTasksHost';
import { NodeTerminalHost, type NodeTerminalHostOptions } from './terminal/nodeTerminalHost';
import { noSandbox, type Sandbox } from './sandbox/bubblewrap';
import type { WorkbenchAdapters } from './workbench';
import { NodeWorkspaceHost, type NodeWorkspaceOptions } from './workspace/nodeWorkspaceHost';

export interface NodeAdapterOptions extends NodeWorkspaceOptions {
	/** `index: undefined` for a host whose find_files always runs ripgrep; by default a watched file index. */
	readonly files?: NodeFilesHostOptions;
	readonly terminal?: NodeTerminalHostOptions;
	/** The OS sandbox for commands (Bubblewrap.detect); none: the strict policy of a host without one. */
	readonly sandbox?: Sandbox;
}

/**
 * The editor's side without an editor: given folders, atomic file writes, commands as child processes, no tasks.
 * What tests, benchmarks and scripts hand to createWorkbench.
 */
export function nodeAdapters(options: NodeAdapterOptions): WorkbenchAdapters & { readonly terminal: NodeTerminalHost; readonly sandbox: Sandbox } {
	const sandbox = options.sandbox ?? noSandbox();
	const excludes = options.files?.excludes;
	const index = options.files && 'index' in options.files ? options.files.index : new NodeFileIndex({ watcher: nodeFolderWatcher, excludes: (folder) => excludes?.(folder) ?? { files: [], search: [] } });
	return {
		workspace: new NodeWorkspaceHost(options),
		files: new NodeFilesHost({ ...options.files, ...(index ? { index } : {}) }),
		terminal: new NodeTerminalHost({ ...options.terminal, sandbox }),
		tasks: new NoTasksHost(),
		sandbox,
	};
}
