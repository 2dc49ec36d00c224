import type { ContributedTool } from '../../../api/mcp-workbench';
import { dockerLogs, dockerPs, dockerRestart } from './docker';
import { kubectlGetPods, kubectlLogs, kubectlScale } from './kubectl';
import { sqliteQuery } from './sqlite';
import { systemMetrics } from './systemMetrics';

export { ProgramMissing } from './run';

export interface DevopsToolsOptions {
	readonly wasmPath: string;
	/** The programs to run; default `docker` and `kubectl` from PATH. Read on every call (settings may change). */
	readonly docker?: () => string;
	readonly kubectl?: () => string;
	readonly folders: () => readonly string[];
}

/** A tool of any input type: each checks its own input against its schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyContributedTool = ContributedTool<any>;

/** Every tool this extension contributes, in the order the panel lists them. */
export function devopsTools(options: DevopsToolsOptions): AnyContributedTool[] {
	const docker = options.docker ?? (() => 'docker');
	const kubectl = options.kubectl ?? (() => 'kubectl');
	return [
		dockerPs(docker),
		dockerLogs(docker),
		dockerRestart(docker),
		kubectlGetPods(kubectl),
		kubectlLogs(kubectl),
		kubectlScale(kubectl),
		sqliteQuery(options),
		systemMetrics(options.folders),
	];
}
