// Builds the extension (one CommonJS bundle for VS Code's Node extension host, `vscode` external) and the sidebar
// panel (one browser IIFE). `--production` minifies; `--watch` rebuilds on change.
import { context } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = { bundle: true, minify: production, sourcemap: true, sourcesContent: false, logLevel: 'warning' };

const extension = await context({
	...common,
	entryPoints: ['src/extension.ts'],
	outfile: 'dist/extension.js',
	platform: 'node',
	target: 'node20',
	format: 'cjs',
	external: ['vscode'],
	// sh-syntax loads its WebAssembly from a file beside the bundle.
	loader: { '.wasm': 'file' },
	mainFields: ['module', 'main'],
});

const webview = await context({
	...common,
	minify: true,
	entryPoints: ['src/webview/main.ts'],
	outfile: 'dist/webview.js',
	platform: 'browser',
	target: 'es2022',
	format: 'iife',
});

async function copyCodicons() {
	await mkdir('dist/codicons', { recursive: true });
	for (const file of ['codicon.css', 'codicon.ttf']) {
		await copyFile(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);
	}
}

if (watch) {
	await copyCodicons();
	await Promise.all([extension.watch(), webview.watch()]);
	console.log('watching for changes…');
} else {
	await Promise.all([extension.rebuild(), webview.rebuild(), copyCodicons()]);
	await Promise.all([extension.dispose(), webview.dispose()]);
}
