import { build } from 'esbuild';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The launcher as it ships: src/launcher/main.ts bundled with the options esbuild.mjs uses, into a temp folder, so
 * tests and benches spawn the same single file a client runs.
 */
export async function buildLauncher(): Promise<string> {
	const outfile = join(await mkdtemp(join(tmpdir(), 'mcpwb-launcher-')), 'mcp-workbench-stdio.mjs');
	await build({ entryPoints: [join(__dirname, '../../../src/launcher/main.ts')], outfile, bundle: true, platform: 'node', target: 'node18', format: 'esm', logLevel: 'warning' });
	return outfile;
}
