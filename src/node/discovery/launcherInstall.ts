import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { privateFolder, writePrivateFile } from './privateFiles';

export interface InstalledLauncher {
	/** What a client's configuration runs: the shim, at a path that stays when the extension updates. */
	readonly command: string;
	readonly script: string;
}

/**
 * Copies the launcher bundle shipped in the VSIX to `<root>/bin`, beside a tiny shim that runs it with the `node` on
 * PATH, else with the runtime of the editor that installed it (Electron run as Node). The extension's own folder
 * changes with every update; this path does not, so client configurations written once keep working. Each start
 * refreshes the copy, so it follows the installed version.
 */
export async function installLauncher(root: string, bundle: string, runtime: string, platform = process.platform): Promise<InstalledLauncher> {
	const bin = await privateFolder(join(root, 'bin'));
	const script = join(bin, 'mcp-workbench-stdio.mjs');
	const source = await readFile(bundle, 'utf8');
	if ((await readFile(script, 'utf8').catch(() => undefined)) !== source) await writePrivateFile(script, source);
	const command = join(bin, platform === 'win32' ? 'mcp-workbench-stdio.cmd' : 'mcp-workbench-stdio');
	const shim = platform === 'win32' ? windowsShim(runtime) : posixShim(runtime);
	if ((await readFile(command, 'utf8').catch(() => undefined)) !== shim) {
		await writePrivateFile(command, shim);
		if (platform !== 'win32') await chmod(command, 0o700);
	}
	return { command, script };
}

function posixShim(runtime: string): string {
	return `#!/bin/sh
# MCP Workbench stdio launcher (written by the extension; rewritten at each start).
# Runs with the node on PATH, else with the runtime of the editor that installed it (no other program needed).
script="\${0%/*}/mcp-workbench-stdio.mjs"
if command -v node >/dev/null 2>&1; then exec node "$script" "$@"; fi
ELECTRON_RUN_AS_NODE=1 exec ${shellQuote(runtime)} "$script" "$@"
`;
}

function windowsShim(runtime: string): string {
	return `@echo off\r
rem MCP Workbench stdio launcher (written by the extension; rewritten at each start).\r
where node >nul 2>nul\r
if %ERRORLEVEL% equ 0 (\r
  node "%~dp0mcp-workbench-stdio.mjs" %*\r
  exit /b %ERRORLEVEL%\r
)\r
set ELECTRON_RUN_AS_NODE=1\r
"${runtime}" "%~dp0mcp-workbench-stdio.mjs" %*\r
`;
}

function shellQuote(value: string): string {
	return `'${value.replace(/'/g, `'\\''`)}'`;
}
