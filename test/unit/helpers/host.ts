// A real Host for tool tests: the Node adapters (the ones createWorkbench gets without the editor) and the path jail
// over temp folders.
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { FolderExcludes } from '../../../src/core/host/filesHost';
import type { Host, WorkspaceFolderInfo } from '../../../src/core/host/host';
import type { AnyToolSpec, Prepared, ToolResult } from '../../../src/core/tools/toolSpec';
import { NodePathJail } from '../../../src/node/files/pathJail';
import { nodeAdapters } from '../../../src/node/nodeAdapters';

export interface TestHost {
	readonly host: Host;
	readonly folders: WorkspaceFolderInfo[];
	/** The temp directory holding the folders (and anything "outside" them). */
	readonly base: string;
	dispose(): Promise<void>;
}

/** Creates `names` as workspace folders under a fresh temp directory. */
export async function createTestHost(names: readonly string[] = ['ws'], excludes?: FolderExcludes, sensitivePaths: readonly string[] = []): Promise<TestHost> {
	const base = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-files-')));
	const folders: WorkspaceFolderInfo[] = [];
	for (const [index, name] of names.entries()) {
		const path = join(base, name);
		await mkdir(path, { recursive: true });
		folders.push({ name: basename(path), path, uri: `file://${path}`, index });
	}
	const adapters = nodeAdapters({ folders, files: { excludes: () => excludes ?? { files: [], search: [] } } });
	const host: Host = { ...adapters, jail: new NodePathJail(() => folders), sensitivePaths: () => sensitivePaths };
	return {
		host,
		folders,
		base,
		dispose: async () => {
			await adapters.terminal.dispose();
			adapters.files.index?.dispose();
			await rm(base, { recursive: true, force: true });
		},
	};
}

export interface RunOptions {
	readonly signal?: AbortSignal;
	readonly maxOutputBytes?: number;
	/** As if a person approved the call in a card (how the sandbox applies). */
	readonly approvedByPerson?: boolean;
}

/** A tool's preparation of these arguments: the subject the policy and the approval card see, and the plan. */
export async function prepareTool(spec: AnyToolSpec, args: unknown, host: Host): Promise<Prepared<unknown>> {
	const input = spec.input.parse(args);
	return (await spec.prepare?.(input, host)) ?? { subject: {}, plan: undefined };
}

/**
 * A tool's own two steps, in the gate's order (parse, prepare, run the handler with the plan), without the gate's
 * policy, approval or audit: for tests of what a tool itself does. Calls through the gate use startWorkbench.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the structured result of many shapes
export async function runTool(spec: AnyToolSpec, args: unknown, host: Host, options: RunOptions = {}): Promise<ToolResult<any>> {
	const input = spec.input.parse(args);
	const prepared = (await spec.prepare?.(input, host)) ?? { subject: {}, plan: undefined };
	return spec.handler(input, {
		host,
		signal: options.signal ?? new AbortController().signal,
		progress() {},
		maxOutputBytes: options.maxOutputBytes ?? 256 * 1024,
		plan: prepared.plan,
		subject: prepared.subject,
		approvedByPerson: options.approvedByPerson ?? false,
	});
}
