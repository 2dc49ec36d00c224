// Bundles the integration suite (test/integration) into out/integration/index.js: CommonJS for the extension host,
// `vscode` provided by the host, mocha bundled so the ESM-only package loads in any extension host.
import { build } from 'esbuild';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

await build({
	entryPoints: [join(root, 'test/integration/index.ts')],
	outfile: join(root, 'out/integration/index.js'),
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	external: ['vscode'],
	sourcemap: 'inline',
	logLevel: 'warning',
	// mocha's parallel mode resolves worker files at run time; the suite never runs in parallel.
	logOverride: { 'require-resolve-not-external': 'silent' },
});

// A client process the suite starts and kills (test/integration/approvalUx.test.ts): beside index.js, so the suite
// finds it at `${__dirname}/stdioClient.js`.
await build({
	entryPoints: [join(root, 'test/integration/fixtures/stdioClient.ts')],
	outfile: join(root, 'out/integration/stdioClient.js'),
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	logLevel: 'warning',
});
