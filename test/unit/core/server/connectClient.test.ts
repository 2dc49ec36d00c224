// Each client's configuration format as "Connect a Client…" writes it: the launcher entry added or replaced, the
// rest of the file kept, and the result read back the way the client reads it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse as parseToml } from 'smol-toml';
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

	// A config.toml as people keep it: comments, other servers (stdio and HTTP), inline tables, sub-tables, dates,
	// arrays of tables, a multi-line string, profiles; our table in the middle of it, from an earlier connection.
	const CODEX_CONFIG = [
		'# Codex settings',
		'model = "gpt-5-codex"  # the default',
		'approval_policy = "on-request"',
		'sandbox_workspace_write = { network_access = false, writable_roots = ["/tmp"] }',
		'started = 2026-11-02T09:30:00Z',
		'',
		'[mcp_servers.docs]',
		'command = "npx"',
		'args = ["-y", "@acme/docs-mcp"]',
		'env = { DOCS_TOKEN_FILE = "~/.docs", "quoted key" = "x" }',
		'',
		'[mcp_servers."mcp-workbench-app"]',
		'command = "/old/path/mcp-workbench-stdio"',
		'args = ["--client", "old"]',
		'',
		'[mcp_servers.mcp-workbench-app.env]',
		'STALE = "1"',
		'',
		'[mcp_servers.figma]',
		'url = "http://127.0.0.1:3845/mcp"',
		'bearer_token_env_var = "FIGMA_TOKEN"',
		'http_headers = { "X-Client" = "codex" }',
		'',
		'[profiles.review]',
		'model = "o3"',
		'instructions = """',
		'Review carefully.',
		'  [this line is text, not a table]',
		'"""',
		'',
		'[[notify]]',
		'program = "notify-send"',
		'',
		'[[notify]]',
		'program = "say"',
		'',
	].join('\n');

	test('Codex: in a real config.toml (comments, other servers, inline tables, dates, arrays of tables) only our table changes, read back by a TOML parser', () => {
		const entry = entryFor('codex', 'user');
		const text = updatedConfig('codex', CODEX_CONFIG, 'mcp-workbench-app', entry);
		// Plain objects (the parser's have no prototype); dates as their text.
		const before = JSON.parse(JSON.stringify(parseToml(CODEX_CONFIG))) as Record<string, Record<string, unknown>>;
		const after = JSON.parse(JSON.stringify(parseToml(text))) as Record<string, Record<string, unknown>>;
		assert.deepEqual(after.mcp_servers['mcp-workbench-app'], entry);
		const { 'mcp-workbench-app': _old, ...otherServersBefore } = before.mcp_servers;
		const { 'mcp-workbench-app': _new, ...otherServersAfter } = after.mcp_servers;
		assert.deepEqual(otherServersAfter, otherServersBefore);
		assert.deepEqual({ ...after, mcp_servers: undefined }, { ...before, mcp_servers: undefined });
		// The rest byte for byte: the text before our table and after it is the file's own.
		assert.ok(text.startsWith(CODEX_CONFIG.slice(0, CODEX_CONFIG.indexOf('[mcp_servers."mcp-workbench-app"]'))), text);
		assert.ok(text.endsWith(CODEX_CONFIG.slice(CODEX_CONFIG.indexOf('\n[mcp_servers.figma]'))), text);
		assert.ok(text.includes('# Codex settings') && text.includes('model = "gpt-5-codex"  # the default'));
		assert.equal(checkConfig('codex', text, 'mcp-workbench-app', entry, CODEX_CONFIG), undefined);
	});

	test('Codex: a file that is not valid TOML is refused as it stands, nothing written', () => {
		assert.throws(() => updatedConfig('codex', 'model = "o3"\n[mcp_servers.docs\ncommand = "npx"\n', 'mcp-workbench-app', entryFor('codex', 'user')), /not valid TOML as it stands \(TOML error at line 2.*nothing was changed/);
	});

	test('Codex: where adding our table would break the file, the change is refused instead of written', () => {
		const entry = entryFor('codex', 'user');
		// The servers as one inline table: a [mcp_servers.<name>] header after it redefines that table.
		assert.throws(() => updatedConfig('codex', 'mcp_servers = { docs = { command = "npx" } }\n', 'mcp-workbench-app', entry), /would leave a file its client cannot use \(the file no longer parses: TOML error.*nothing was changed/);
		// Our server already written as an inline table under [mcp_servers]: a second definition.
		assert.throws(() => updatedConfig('codex', '[mcp_servers]\nmcp-workbench-app = { command = "old" }\n', 'mcp-workbench-app', entry), /no longer parses/);
		// A multi-line string in our old table holding a line that looks like a table header: a line-by-line edit
		// cannot tell, the parser can.
		const tricky = '[mcp_servers.mcp-workbench-app]\ncommand = "old"\ndescription = """\n[profiles.x]\n"""\n\n[profiles.fast]\nmodel = "o4-mini"\n';
		assert.ok(typeof parseToml(tricky) === 'object', 'the file itself is valid');
		assert.throws(() => updatedConfig('codex', tricky, 'mcp-workbench-app', entry), /would leave a file its client cannot use/);
	});

	test('the read-back names any change outside our entry, in TOML and JSON alike', () => {
		const entry = entryFor('codex', 'user');
		const written = updatedConfig('codex', CODEX_CONFIG, 'mcp-workbench-app', entry);
		const tampered = written.replace('model = "o3"', 'model = "o4"');
		assert.equal(checkConfig('codex', tampered, 'mcp-workbench-app', entry, CODEX_CONFIG), 'it would also change profiles.review.model');
		const lost = written.replace('[mcp_servers.figma]', '[mcp_servers.figma2]');
		assert.match(checkConfig('codex', lost, 'mcp-workbench-app', entry, CODEX_CONFIG) ?? '', /also change mcp_servers\.figma/);

		const json = JSON.stringify({ mcpServers: { other: { command: 'x' } }, theme: 'dark' });
		const cursor = entryFor('cursor', 'user');
		const jsonWritten = updatedConfig('cursor', json, 'mcp-workbench', cursor);
		assert.equal(checkConfig('cursor', jsonWritten, 'mcp-workbench', cursor, json), undefined);
		assert.equal(checkConfig('cursor', jsonWritten.replace('"dark"', '"light"'), 'mcp-workbench', cursor, json), 'it would also change theme');
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
