// Run by files.bench.ts in a process of its own, so nothing the bench holds is counted: builds the watched file index
// of one folder and prints, as JSON, what the index added once built and collected: heap, external (+ array
// buffers) and resident memory, the last covering what no heap shows (inotify handles, libuv's watch lists).
// `--watch none` gives the index a watcher that watches nothing: the cost of the list and its folders alone, as with
// a watcher living in another process (VS Code's); `--watch node` is the Node composition's per-folder fs.watch.
// Usage: node --expose-gc --import tsx bench/fileIndexMemory.ts <folder> --watch node|none
import { basename } from 'node:path';
import type { FolderWatcher } from '../src/core/host/folderWatcher';
import { NodeFileIndex } from '../src/node/files/fileIndex';
import { nodeFolderWatcher } from '../src/node/files/nodeFolderWatcher';

const NOTHING = { dispose() {} };
const NO_WATCH: FolderWatcher = { watch: () => NOTHING };

function usage(): { heap: number; external: number; rss: number } {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with --expose-gc');
	gc();
	gc();
	const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
	return { heap: heapUsed, external: external + arrayBuffers, rss };
}

async function main(): Promise<void> {
	const dir = process.argv[2];
	const mode = process.argv[process.argv.indexOf('--watch') + 1];
	const folder = { name: basename(dir), path: dir, uri: `file://${dir}`, index: 0 };
	const index = new NodeFileIndex({ watcher: mode === 'node' ? nodeFolderWatcher : NO_WATCH, excludes: () => ({ files: [], search: [] }), maxFolders: Number.POSITIVE_INFINITY });
	const before = usage();
	const started = performance.now();
	await index.find(folder, '', () => true, 1);
	if (!(await index.ready(folder))) throw new Error('the index did not build');
	const buildMs = performance.now() - started;
	const after = usage();
	const stats = index.stats(folder);
	console.log(JSON.stringify({ ...stats, buildMs, heap: after.heap - before.heap, external: after.external - before.external, rss: after.rss - before.rss }));
	index.dispose();
}

void main();
