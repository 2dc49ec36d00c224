// Builds the extension (one CommonJS bundle for VS Code's Node extension host, `vscode` external) and the sidebar
// panel (one browser IIFE). `--production` minifies; `--watch` rebuilds on change.
import { context } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

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
	mainFields: ['module', 'main'],
	plugins: [webTreeSitterCommonJs()],
});

// The stdio launcher runs outside VS Code, under whatever `node` a client finds (or VS Code's own runtime): one ES
// module with no dependency, for Node versions older than the extension host's.
const launcher = await context({
	...common,
	entryPoints: ['src/launcher/main.ts'],
	outfile: 'dist/mcp-workbench-stdio.mjs',
	platform: 'node',
	target: 'node18',
	format: 'esm',
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

/**
 * An `import` of web-tree-sitter resolves to its ES module build, which needs `import.meta.url` and top-level
 * `await`: neither exists in a CommonJS bundle. Its CommonJS build (what `require` gets) bundles as is.
 */
function webTreeSitterCommonJs() {
	return {
		name: 'web-tree-sitter-commonjs',
		setup(build) {
			build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
		},
	};
}

/** src/node/bashParser.ts loads tree-sitter's runtime and the bash grammar from beside the bundle. */
async function copyParserWasm() {
	await mkdir('dist', { recursive: true });
	await copyFile(require.resolve('web-tree-sitter/tree-sitter.wasm'), 'dist/tree-sitter.wasm');
	await copyFile(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), 'dist/tree-sitter-bash.wasm');
}

async function copyCodicons() {
	await mkdir('dist/codicons', { recursive: true });
	for (const file of ['codicon.css', 'codicon.ttf']) {
		await copyFile(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);
	}
}

if (watch) {
	await Promise.all([copyCodicons(), copyParserWasm()]);
	await Promise.all([extension.watch(), launcher.watch(), webview.watch()]);
	console.log('watching for changes…');
} else {
	await Promise.all([extension.rebuild(), launcher.rebuild(), webview.rebuild(), copyCodicons(), copyParserWasm()]);
	await Promise.all([extension.dispose(), launcher.dispose(), webview.dispose()]);
}
