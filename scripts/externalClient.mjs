// An MCP client that lives outside VS Code, in the harness process, as Claude Code or Cursor would: the real SDK
// client starting the stdio server that a client's configuration file names. The extension host cannot host it for a
// window reload (the reload ends that process and everything it started), so the integration suite asks the harness
// to start it and to call through it, before and after the reload, over the UI bridge.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

function sha256(file) {
	return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function textOf(result) {
	return (result.content ?? []).filter((part) => part.type === 'text').map((part) => part.text).join('\n');
}

/** UI-bridge actions for one external client at a time; `close()` ends it (harness cleanup). */
export function createExternalClientActions({ env }) {
	let current;
	const close = async () => {
		const closing = current;
		current = undefined;
		await closing?.client.close().catch(() => undefined);
	};
	return {
		close,
		actions: {
			/**
			 * Starts the stdio server entry `server` of a JSON configuration (`mcpServers`, as Claude Code's .mcp.json
			 * spells it) in the file's folder, as Claude Code starts a project's server, and lists the tools. Returns the
			 * file's SHA-256 (to prove later that nothing rewrote it) and the launcher's pid.
			 */
			async startStdioClient({ configFile, server }) {
				await close();
				const entry = JSON.parse(readFileSync(configFile, 'utf8')).mcpServers?.[server];
				if (!entry?.command) throw new Error(`${configFile} has no stdio server "${server}"`);
				const stderr = [];
				const transport = new StdioClientTransport({ command: entry.command, args: entry.args ?? [], cwd: dirname(configFile), env: { ...env, ...entry.env }, stderr: 'pipe' });
				transport.stderr?.on('data', (chunk) => stderr.push(String(chunk)));
				const client = new Client({ name: 'external-claude-code', version: '1' });
				await client.connect(transport);
				current = { client, transport, configFile, stderr };
				const { tools } = await client.listTools();
				return { tools: tools.length, pid: transport.pid, sha256: sha256(configFile) };
			},
			/**
			 * Calls a tool through the running client; a rejected call comes back as `{ error }`, not as a failed action.
			 * With the launcher's diagnostics so far (its stderr: where it connected, and why not).
			 */
			async callStdioClient({ tool, args = {} }) {
				if (!current) throw new Error('no external client: startStdioClient first');
				// Read after the call: the launcher may reconnect while it runs.
				const state = () => ({ pid: current.transport.pid, sha256: sha256(current.configFile), launcherLog: current.stderr.join('').slice(-4000) });
				try {
					const result = await current.client.callTool({ name: tool, arguments: args });
					return { ...state(), isError: result.isError === true, text: textOf(result) };
				} catch (error) {
					return { ...state(), error: String(error?.message ?? error) };
				}
			},
		},
	};
}
