// Two bundles: the extension (vscode is the editor's), and the tools alone for the tests, which run on plain Node.
// sql.js's WebAssembly file is copied beside them: it is loaded from disk, so no native module ties the extension
// to one Node ABI (the editor's Electron, code-server's Node and CI's Node all differ).
import { copyFileSync, mkdirSync } from 'node:fs';
import * as esbuild from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: false, logLevel: 'warning' };
mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm');
await Promise.all([
	esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
	esbuild.build({ ...common, entryPoints: ['src/tools.ts'], outfile: 'dist/tools.js' }),
]);
