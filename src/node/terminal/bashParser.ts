import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { BashParser } from '../../core/shell/bashSyntax';
import { analyzeCommand, type AnalyzeOptions, type CommandAnalysis } from '../../core/shell/commandPolicy';

/**
 * Loads tree-sitter's WebAssembly runtime and the bash grammar once per process, on first use, and hands the
 * command policy a ready parser. Inside the extension both .wasm files sit beside the bundle (dist/, copied by
 * esbuild.mjs); run from source (tests, benchmarks) they are found in their packages.
 */

let loading: Promise<BashParser> | undefined;

export function loadBashParser(): Promise<BashParser> {
	loading ??= load().catch((error: unknown) => {
		// A failed load (a missing file) is not cached: the next command tries again.
		loading = undefined;
		throw error;
	});
	return loading;
}

async function load(): Promise<BashParser> {
	const runtime = wasmPath('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
	await Parser.init({ locateFile: () => runtime });
	const bash = await Language.load(wasmPath('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm'));
	const parser = new Parser();
	parser.setLanguage(bash);
	return parser;
}

function wasmPath(file: string, packagePath: string): string {
	const beside = join(__dirname, file);
	return existsSync(beside) ? beside : require.resolve(packagePath);
}

/**
 * The real path of an absolute path, as the path jail (pathJail.ts) resolves it: links followed, and for a path
 * that does not exist the deepest existing ancestor resolved and the rest appended. Undefined where the jail
 * refuses: a link loop, a dangling link (reading through it reads whatever is created there later), a file used as
 * a folder, or a `..` after a part that does not exist (bash would not fold it as text does).
 */
export function realPathOf(absolute: string): string | undefined {
	const missing: string[] = [];
	let current = absolute;
	for (;;) {
		try {
			const real = realpathSync.native(current);
			return missing.length === 0 ? real : join(real, ...missing.reverse());
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				return undefined;
			}
		}
		try {
			lstatSync(current);
			return undefined;
		} catch {
			// Nothing at all at this path: resolve its parent.
		}
		const parent = dirname(current);
		const name = basename(current);
		if (parent === current || name === '..') {
			return undefined;
		}
		if (name !== '.' && name !== '') {
			missing.push(name);
		}
		current = parent;
	}
}

/**
 * The command policy with its parser: what the gate calls for every command line. A parser that cannot be loaded
 * makes the line ask, never allow. Paths are resolved on disk unless the caller hands in its own resolver.
 */
export async function analyzeCommandLine(line: string, options: AnalyzeOptions): Promise<CommandAnalysis> {
	let parser: BashParser;
	try {
		parser = await loadBashParser();
	} catch (error) {
		const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
		const reason = `the shell parser could not be loaded: ${message}`;
		return { decision: 'ask', reasons: [reason], subcommands: [], features: [], unparsable: reason };
	}
	return analyzeCommand(line, { realpath: realPathOf, ...options, parser });
}
