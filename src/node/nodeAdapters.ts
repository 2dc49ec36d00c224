import type { NodeFilesHostOptions } from './files/nodeFilesHost';
import { NodeFilesHost } from './files/nodeFilesHost';
import { NoTasksHost } from './tasks/noTasksHost';
import { NodeTerminalHost, type NodeTerminalHostOptions } from './terminal/nodeTerminalHost';
import { noSandbox, type Sandbox } from './sandbox/bubblewrap';
import type { WorkbenchAdapters } from './workbench';
import { NodeWorkspaceHost, type NodeWorkspaceOptions } from './workspace/nodeWorkspaceHost';

export interface NodeAdapterOptions extends NodeWorkspaceOptions {
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
	return {
		workspace: new NodeWorkspaceHost(options),
		files: new NodeFilesHost(options.files),
		terminal: new NodeTerminalHost({ ...options.terminal, sandbox }),
		tasks: new NoTasksHost(),
		sandbox,
	};
}
