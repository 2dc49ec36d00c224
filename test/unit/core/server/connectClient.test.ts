// Each client's configuration format as "Connect a Client…" writes it: the launcher entry added or replaced, the
// rest of the file kept, and the result read back the way the client reads it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkConfig, configPath, CONNECT_TARGETS, launcherArgs, serverEntry, serverName, updatedConfig, type ConnectKind, type ConnectScope } from '../../../../src/core/server/connectClient';

const LAUNCHER = { command: '/home/ada/.mcp-workbench/bin/mcp-workbench-stdio', clientId: '6f1c2d3e-0000-4000-8000-000000000001', workspaceFolder: '/home/ada/src/app' };

function entryFor(kind: ConnectKind, scope: ConnectScope) {
	const target = CONNECT_TARGETS.find((t) => t.kind === kind);
	assert.ok(target);
	return serverEntry(kind, LAUNCHER.command, launcherArgs(target, scope, LAUNCHER));
}

describe('Connect a Client: configuration writers', () => {
	test('Claude Desktop: a new claude_desktop_config.json holds the launcher under mcpServers, and parses', () => {
		const entry = entryFor('claude-desktop', 'user');
		const text = updatedConfig('claude-desktop', undefined, 'mcp-workbench-app', entry);
		assert.deepEqual(JSON.parse(text), {
			mcpServers: { 'mcp-workbench-app': { command: LAUNCHER.command, args: ['--client', LAUNCHER.clientId, '--workspace', LAUNCHER.workspaceFolder] } },
		});
		assert.equal(checkConfig('claude-desktop', text, 'mcp-workbench-app', entry), undefined);
		assert.ok(!/token|secret|127\.0\.0\.1|Bearer/i.test(text), 'no port and no secret in the client\'s file');
	});

	test('Claude Desktop: other servers and settings in an existing file are kept', () => {
		const existing = JSON.stringify({ globalShortcut: 'Ctrl+Space', mcpServers: { filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] } } }, null, 2);
		const entry = entryFor('claude-desktop', 'user');
		const config = JSON.parse(updatedConfig('claude-desktop', existing, 'mcp-workbench-app', entry));
		assert.equal(config.globalShortcut, 'Ctrl+Space');
		assert.deepEqual(Object.keys(config.mcpServers), ['filesystem', 'mcp-workbench-app']);
	});

	test('Claude Code: user scope in ~/.claude.json keeps its other keys; project scope is .mcp.json, started in the project', () => {
		const existing = JSON.stringify({ numStartups: 12, projects: { '/home/ada/src/app': { mcpServers: {} } }, mcpServers: { 'mcp-workbench-app': { type: 'stdio', command: 'old', args: [] } } });
		const entry = entryFor('claude-code', 'user');
		const config = JSON.parse(updatedConfig('claude-code', existing, 'mcp-workbench-app', entry));
		assert.equal(config.numStartups, 12);
		assert.deepEqual(config.projects, { '/home/ada/src/app': { mcpServers: {} } });
		assert.deepEqual(config.mcpServers['mcp-workbench-app'], { type: 'stdio', command: LAUNCHER.command, args: ['--client', LAUNCHER.clientId, '--workspace', LAUNCHER.workspaceFolder], env: {} });
		const project = entryFor('claude-code', 'project');
		assert.deepEqual(project.args, ['--client', LAUNCHER.clientId]);
		assert.equal(configPath('claude-code', 'project', { home: '/home/ada', platform: 'linux', workspaceFolder: '/w' }), '/w/.mcp.json');
	});

	test('Cursor and VS Code project files name the folder with ${workspaceFolder}; VS Code keeps comments (JSONC)', () => {
		assert.deepEqual(entryFor('cursor', 'project').args, ['--client', LAUNCHER.clientId, '--workspace', '${workspaceFolder}']);
		const existing = '{\n\t// my servers\n\t"servers": {\n\t\t"other": { "type": "http", "url": "https://example.com/mcp" },\n\t},\n\t"inputs": []\n}\n';
		const entry = entryFor('vscode', 'project');
		const text = updatedConfig('vscode', existing, 'mcp-workbench', entry);
		assert.ok(text.includes('// my servers'), text);
		assert.equal(checkConfig('vscode', text, 'mcp-workbench', entry), undefined);
		assert.deepEqual(entry, { type: 'stdio', command: LAUNCHER.command, args: ['--client', LAUNCHER.clientId, '--workspace', '${workspaceFolder}'] });
	});

	test('Copilot CLI: a local server with every tool, in ~/.copilot/mcp-config.json', () => {
		const entry = entryFor('copilot-cli', 'user');
		const config = JSON.parse(updatedConfig('copilot-cli', '', 'mcp-workbench-app', entry));
		assert.equal(config.mcpServers['mcp-workbench-app'].type, 'local');
		assert.deepEqual(config.mcpServers['mcp-workbench-app'].tools, ['*']);
		assert.equal(configPath('copilot-cli', 'user', { home: '/home/ada', platform: 'linux', workspaceFolder: '/w' }), '/home/ada/.copilot/mcp-config.json');
	});

	test('Codex: the [mcp_servers.<name>] table is appended, or replaced with its sub-tables, the rest kept byte for byte', () => {
		const entry = entryFor('codex', 'user');
		const before = 'model = "o4"\n# keep me\n\n[mcp_servers.docs]\ncommand = "npx"\nargs = ["-y", "docs"]\n';
		const added = updatedConfig('codex', before, 'mcp-workbench-app', entry);
		assert.ok(added.startsWith(before), added);
		assert.ok(added.endsWith(`[mcp_servers.mcp-workbench-app]\ncommand = "${LAUNCHER.command}"\nargs = ["--client", "${LAUNCHER.clientId}", "--workspace", "${LAUNCHER.workspaceFolder}"]\n`), added);
		assert.equal(checkConfig('codex', added, 'mcp-workbench-app', entry), undefined);

		const stale = `${before}\n[mcp_servers.mcp-workbench-app]\ncommand = "old"\n\n[mcp_servers.mcp-workbench-app.env]\nX = "1"\n\n[profiles.fast]\nmodel = "o4-mini"\n`;
		const replaced = updatedConfig('codex', stale, 'mcp-workbench-app', entry);
		assert.ok(!replaced.includes('"old"') && !replaced.includes('.env]'), replaced);
		assert.ok(replaced.includes('[mcp_servers.docs]\ncommand = "npx"') && replaced.endsWith('\n\n[profiles.fast]\nmodel = "o4-mini"\n'), replaced);
		assert.equal(checkConfig('codex', replaced, 'mcp-workbench-app', entry), undefined);
	});

	test('Codex on Windows: backslashes in paths are escaped in TOML strings and read back', () => {
		const entry = serverEntry('codex', 'C:\\Users\\Ada\\.mcp-workbench\\bin\\mcp-workbench-stdio.cmd', ['--client', 'x', '--workspace', 'C:\\src\\app']);
		const text = updatedConfig('codex', undefined, 'mcp-workbench-app', entry);
		assert.ok(text.includes('"C:\\\\Users\\\\Ada'), text);
		assert.equal(checkConfig('codex', text, 'mcp-workbench-app', entry), undefined);
	});

	test('a file that is not a JSON object is refused, not overwritten', () => {
		assert.throws(() => updatedConfig('cursor', '{ "mcpServers": ', 'mcp-workbench', entryFor('cursor', 'user')), /not a JSON object .*nothing was changed/);
		assert.throws(() => updatedConfig('cursor', '[]', 'mcp-workbench', entryFor('cursor', 'user')), /not a JSON object/);
	});

	test('each client\'s documented file, per platform', () => {
		const at = { home: '/Users/ada', platform: 'darwin', workspaceFolder: '/w', vscodeUserDir: '/Users/ada/Library/Application Support/Code/User' };
		assert.equal(configPath('claude-desktop', 'user', at), '/Users/ada/Library/Application Support/Claude/claude_desktop_config.json');
		assert.equal(configPath('claude-desktop', 'user', { home: 'C:\\Users\\ada', platform: 'win32', appData: 'C:\\Users\\ada\\AppData\\Roaming', workspaceFolder: 'C:\\w' }), 'C:\\Users\\ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
		assert.equal(configPath('cursor', 'user', at), '/Users/ada/.cursor/mcp.json');
		assert.equal(configPath('codex', 'user', { ...at, codexHome: '/opt/codex' }), '/opt/codex/config.toml');
		assert.equal(configPath('codex', 'project', at), '/w/.codex/config.toml');
		assert.equal(configPath('vscode', 'user', at), '/Users/ada/Library/Application Support/Code/User/mcp.json');
		assert.equal(serverName('user', 'My App!'), 'mcp-workbench-my-app');
		assert.equal(serverName('project', 'x'), 'mcp-workbench');
	});
});
