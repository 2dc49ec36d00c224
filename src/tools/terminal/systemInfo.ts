import { execFile } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import { z } from 'zod';
import type { Host } from '../../core/host/host';
import { defineTool, type AnyToolSpec } from '../../core/tools/toolSpec';

const diskShape = z.object({ folder: z.string(), freeBytes: z.number(), totalBytes: z.number() });

const systemShape = z.object({
	os: z.object({ platform: z.string(), type: z.string(), release: z.string(), arch: z.string() }),
	cpu: z.object({ model: z.string(), cores: z.number(), loadAverage: z.array(z.number()) }),
	memory: z.object({ totalBytes: z.number(), freeBytes: z.number() }),
	disks: z.array(diskShape),
	node: z.string(),
	shell: z.object({ path: z.string(), version: z.string().optional() }),
	editor: z.object({ name: z.string(), version: z.string(), extension: z.string() }),
});

type SystemInfo = z.output<typeof systemShape>;

/** First line of `shell --version`; a shell that hangs or fails just has no version. */
function shellVersion(shell: string, signal: AbortSignal): Promise<string | undefined> {
	if (process.platform === 'win32') {
		return Promise.resolve(undefined);
	}
	return new Promise((resolve) => {
		execFile(shell, ['--version'], { timeout: 2000, signal, windowsHide: true, encoding: 'utf8' }, (error, stdout) => {
			const first = stdout.split('\n')[0]?.trim();
			resolve(error || !first ? undefined : first);
		});
	});
}

async function freeSpace(host: Host): Promise<SystemInfo['disks']> {
	const disks: SystemInfo['disks'] = [];
	for (const folder of host.workspace.folders()) {
		try {
			const info = await statfs(folder.path);
			disks.push({ folder: folder.name, freeBytes: info.bavail * info.bsize, totalBytes: info.blocks * info.bsize });
		} catch {
			// A folder on a file system without statfs (virtual, remote): leave it out.
		}
	}
	return disks;
}

function gib(bytes: number): string {
	return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

const systemInfo = defineTool({
	name: 'system_info',
	title: 'System information',
	description: 'OS, CPU, memory, disk, Node and shell versions.',
	family: 'terminal',
	risk: 'read',
	input: z.object({}),
	output: systemShape,
	annotations: { title: 'System information', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
	async handler(_input, ctx) {
		const { host } = ctx;
		const cpus = os.cpus();
		const shell = host.terminal.available ? host.terminal.shellPath() : (process.env.SHELL ?? '/bin/sh');
		const version = await shellVersion(shell, ctx.signal);
		const info: SystemInfo = {
			os: { platform: process.platform, type: os.type(), release: os.release(), arch: os.arch() },
			cpu: { model: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100) },
			memory: { totalBytes: os.totalmem(), freeBytes: os.freemem() },
			disks: await freeSpace(host),
			node: process.version,
			shell: { path: shell, ...(version ? { version } : {}) },
			editor: { name: host.workspace.versions.appName, version: host.workspace.versions.editor, extension: host.workspace.versions.extension },
		};
		const lines = [
			`OS: ${info.os.type} ${info.os.release} (${info.os.platform}, ${info.os.arch})`,
			`CPU: ${info.cpu.model}, ${info.cpu.cores} cores, load ${info.cpu.loadAverage.join(' ')}`,
			`Memory: ${gib(info.memory.freeBytes)} free of ${gib(info.memory.totalBytes)}`,
			...info.disks.map((disk) => `Disk (${disk.folder}): ${gib(disk.freeBytes)} free of ${gib(disk.totalBytes)}`),
			`Node: ${info.node} (the editor's own runtime; a project's node on PATH may differ: run node --version)`,
			`Shell: ${info.shell.path}${version ? ` — ${version}` : ''}`,
			`Editor: ${info.editor.name} ${info.editor.version}, extension ${info.editor.extension}`,
		];
		return { text: lines.join('\n'), structured: info };
	},
});

export const systemTools: readonly AnyToolSpec[] = [systemInfo];
