import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
 * The command policy with its parser: what the gate calls for every command line. A parser that cannot be loaded
 * makes the line ask, never allow.
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
	return analyzeCommand(line, { ...options, parser });
}
