// A real Host for file-tool tests: NodePathJail + NodeFilesHost over temp folders; terminal and tasks are off.
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { FolderExcludes } from '../../../src/core/host/filesHost';
import type { Host, WorkspaceFolderInfo } from '../../../src/core/host/host';
import type { ToolContext } from '../../../src/core/tools/toolSpec';
import { NodeFilesHost } from '../../../src/node/files/nodeFilesHost';
import { NodePathJail } from '../../../src/node/files/pathJail';

export interface TestHost {
	readonly host: Host;
	readonly folders: WorkspaceFolderInfo[];
	/** The temp directory holding the folders (and anything "outside" them). */
	readonly base: string;
	dispose(): Promise<void>;
}

/** Creates `names` as workspace folders under a fresh temp directory. */
export async function createTestHost(names: readonly string[] = ['ws'], excludes?: FolderExcludes): Promise<TestHost> {
	const base = await realpath(await mkdtemp(join(tmpdir(), 'mcpwb-files-')));
	const folders: WorkspaceFolderInfo[] = [];
	for (const [index, name] of names.entries()) {
		const path = join(base, name);
		await mkdir(path, { recursive: true });
		folders.push({ name: basename(path), path, uri: `file://${path}`, index });
	}
	const host = {
		workspace: {
			folders: () => folders,
			isTrusted: () => true,
			versions: { editor: 'test', appName: 'test', extension: 'test' },
			enabledFamilies: () => ['files'],
		},
		jail: new NodePathJail(() => folders),
		files: new NodeFilesHost({ excludes: () => excludes ?? { files: [], search: [] } }),
		terminal: { available: false },
		tasks: { available: false },
	} as unknown as Host;
	return { host, folders, base, dispose: () => rm(base, { recursive: true, force: true }) };
}

export function testContext(host: Host, signal: AbortSignal = new AbortController().signal): ToolContext {
	return { host, signal, progress() {}, maxOutputBytes: 256 * 1024 };
}
