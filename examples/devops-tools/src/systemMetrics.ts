import { readFile, statfs } from 'node:fs/promises';
import { cpus, freemem, loadavg, networkInterfaces, totalmem, uptime } from 'node:os';
import type { ContributedTool } from '../../../api/mcp-workbench';

/** Long enough for a CPU busy share that means something, short enough for an agent to wait. */
const SAMPLE_MS = 250;

interface NetworkCounters {
	readonly name: string;
	readonly rxBytes: number;
	readonly txBytes: number;
}

export function systemMetrics(folders: () => readonly string[]): ContributedTool<Record<string, never>> {
	return {
		name: 'system_metrics',
		title: 'System metrics',
		description: 'CPU (busy share over a short sample, load average), memory, disk space of the filesystems holding the workspace folders and /, and network interfaces with their byte counters.',
		input: { type: 'object', properties: {}, additionalProperties: false },
		risk: 'read',
		annotations: { idempotentHint: false, openWorldHint: false },
		async handler(_input, { signal }) {
			const before = cpuTimes();
			await new Promise<void>((done) => {
				const timer = setTimeout(done, SAMPLE_MS);
				signal.addEventListener('abort', () => {
					clearTimeout(timer);
					done();
				}, { once: true });
			});
			const after = cpuTimes();
			const busy = after.total === before.total ? 0 : (after.busy - before.busy) / (after.total - before.total);
			const cpu = { cores: cpus().length, busyPercent: round(busy * 100), loadAverage: loadavg().map(round) };
			const memory = { totalBytes: totalmem(), freeBytes: freemem(), usedPercent: round((1 - freemem() / totalmem()) * 100) };
			const disks = await Promise.all([...new Set(['/', ...folders()])].map(async (path) => {
				const fs = await statfs(path);
				const total = fs.blocks * fs.bsize;
				const free = fs.bavail * fs.bsize;
				return { path, totalBytes: total, freeBytes: free, usedPercent: total === 0 ? 0 : round((1 - free / total) * 100) };
			}));
			const counters = await networkCounters();
			const network = Object.entries(networkInterfaces()).map(([name, addresses]) => ({
				name,
				addresses: (addresses ?? []).map((a) => `${a.address}/${a.family === 'IPv6' ? 'v6' : 'v4'}`),
				...(counters.get(name) ? { rxBytes: counters.get(name)?.rxBytes, txBytes: counters.get(name)?.txBytes } : {}),
			}));
			const structured = { cpu, memory, disks, network, uptimeSeconds: Math.round(uptime()) };
			const text = [
				`CPU: ${cpu.cores} cores, ${cpu.busyPercent}% busy, load ${cpu.loadAverage.join(' ')}`,
				`Memory: ${gib(memory.totalBytes - memory.freeBytes)} of ${gib(memory.totalBytes)} used (${memory.usedPercent}%)`,
				...disks.map((d) => `Disk ${d.path}: ${gib(d.totalBytes - d.freeBytes)} of ${gib(d.totalBytes)} used (${d.usedPercent}%)`),
				...network.map((n) => `Network ${n.name}: ${n.addresses.join(', ') || 'no address'}${n.rxBytes !== undefined ? `; received ${gib(n.rxBytes)}, sent ${gib(n.txBytes ?? 0)}` : ''}`),
			].join('\n');
			return { text, structured };
		},
	};
}

function cpuTimes(): { busy: number; total: number } {
	let busy = 0;
	let total = 0;
	for (const cpu of cpus()) {
		const { user, nice, sys, irq, idle } = cpu.times;
		busy += user + nice + sys + irq;
		total += user + nice + sys + irq + idle;
	}
	return { busy, total };
}

/** Byte counters per interface from /proc/net/dev (Linux); elsewhere the interfaces are listed without them. */
async function networkCounters(): Promise<Map<string, NetworkCounters>> {
	const counters = new Map<string, NetworkCounters>();
	const text = await readFile('/proc/net/dev', 'utf8').catch(() => '');
	for (const line of text.split('\n').slice(2)) {
		const match = /^\s*([^:]+):\s*(.*)$/.exec(line);
		if (!match) continue;
		const fields = match[2].trim().split(/\s+/).map(Number);
		counters.set(match[1], { name: match[1], rxBytes: fields[0] ?? 0, txBytes: fields[8] ?? 0 });
	}
	return counters;
}

function round(value: number): number {
	return Math.round(value * 10) / 10;
}

function gib(bytes: number): string {
	return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
