// The shipped launcher bundle as a stdio MCP server for the SDK's own client (StdioClientTransport): it finds the
// server from the discovery files, survives a restart in the middle, answers a request caught by the restart with a
// clear error, and relays a revocation's message.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { filesTools } from '../../../src/tools/files';
import { isAlive, listServers } from '../../../src/node/discovery/discovery';
import { buildLauncher } from '../helpers/launcher';
import { waitFor } from '../helpers/waitFor';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';

describe('stdio launcher', () => {
	let wb: TestWorkbench;
	let root: string;
	let bundle: string;
	const clients: Client[] = [];

	async function launch(clientId: string, options: { cwd?: string; args?: string[]; says?: string } = {}): Promise<Client> {
		const client = new Client({ name: options.says ?? 'stdio-test', version: '1' });
		const transport = new StdioClientTransport({
			command: process.execPath,
			args: [bundle, '--client', clientId, ...(options.args ?? [])],
			cwd: options.cwd ?? wb.folders[0].path,
			env: { ...process.env, MCP_WORKBENCH_HOME: root, MCP_WORKBENCH_WAIT_MS: '20000' } as Record<string, string>,
			stderr: 'pipe',
		});
		clients.push(client);
		await client.connect(transport);
		return client;
	}

	/** The discovery file says the server runs at its current address (the launcher reads nothing else). */
	async function announced(): Promise<void> {
		await wb.workbench.announcer?.sync();
		const servers = await listServers(root);
		assert.deepEqual(servers.map((server) => server.record.url), [wb.server.current?.url]);
	}

	before(async () => {
		root = await mkdtemp(join(tmpdir(), 'mcpwb-home-'));
		[bundle, wb] = await Promise.all([buildLauncher(), startWorkbench({ sandbox: 'none', tools: filesTools, discoveryRoot: root, useSocket: true })]);
	});
	after(async () => {
		await Promise.allSettled(clients.map((client) => client.close()));
		await wb.close();
		await rm(root, { recursive: true, force: true });
	});

	test('serves the SDK client over stdio: initialize, list, call, with the token\'s name in the audit', async () => {
		const connected = await wb.server.tokens.connect('Claude Desktop');
		await announced();
		const client = await launch(connected.id);
		assert.equal(client.getServerVersion()?.name, 'mcp-workbench');
		const { tools } = await client.listTools();
		assert.ok(tools.some((tool) => tool.name === 'read_file'));
		const result = await client.callTool({ name: 'workspace_info', arguments: {} });
		assert.equal(result.isError, undefined);
		assert.deepEqual(wb.records.at(-1)?.client, { name: 'Claude Desktop', version: '1', says: 'stdio-test' });
	});

	test('a server restart in the middle is invisible; a call caught by it gets an error that says so', async () => {
		const connected = await wb.server.tokens.connect('Claude Code');
		await announced();
		const client = await launch(connected.id, { cwd: tmpdir(), args: ['--workspace', wb.folders[0].path] });
		await client.callTool({ name: 'workspace_info', arguments: {} });
		const before = wb.server.current?.url;

		// A write waits for approval; the restart comes while it waits.
		const caught = client.callTool({ name: 'write_file', arguments: { path: 'a.txt', content: 'x' } }).then((result) => JSON.stringify(result), (error: unknown) => String(error));
		await waitFor(() => wb.approvals.pending().length > 0, 'the write\'s card');
		await wb.server.restart();
		// The server answers what it still can (a result saying the server stopped while the call waited); what it cannot,
		// the launcher answers ("restarted").
		assert.match(await caught, /restarted .* while this request was in flight.*send it again|session ended before this request was answered .*server stopped|stopped the MCP Workbench server while it waited/s);
		assert.notEqual(wb.server.current?.url, before, 'the restart moved the server to a new port');
		await announced();

		const after = await client.callTool({ name: 'workspace_info', arguments: {} });
		assert.equal(after.isError, undefined);
		assert.equal(wb.records.at(-1)?.client?.name, 'Claude Code');
		for (const request of wb.approvals.pending()) wb.approvals.decide(request.id, { kind: 'deny' });
	});

	test('a revoked client is stopped with the server\'s message that its token was revoked', async () => {
		const connected = await wb.server.tokens.connect('Cursor');
		await announced();
		const client = await launch(connected.id);
		await client.callTool({ name: 'workspace_info', arguments: {} });
		await wb.server.tokens.revoke(connected.id);
		await assert.rejects(client.callTool({ name: 'workspace_info', arguments: {} }), /token of "Cursor" was revoked in MCP Workbench/);
	});

	test('VS Code starting the entry written for Claude Code (a workspace .mcp.json) hears why it is refused', async () => {
		const connected = await wb.server.tokens.connect('Claude Code', 'claude-code');
		await announced();
		await assert.rejects(launch(connected.id, { says: 'Visual Studio Code' }), /Visual Studio Code started the entry that "Connect a Client…" wrote for Claude Code .*built into VS Code already/);
		const client = await launch(connected.id, { says: 'claude-code' });
		assert.equal((await client.callTool({ name: 'workspace_info', arguments: {} })).isError, undefined);
	});

	// A client that crashes or is killed leaves its launcher with a closed stdin and nothing else: the card it left
	// waiting must close, and the session must end now rather than at the idle timeout (30 minutes).
	test('a client that goes away while its card waits: the launcher ends the session and exits, the card closes, nothing runs', async (t) => {
		const connected = await wb.server.tokens.connect('Vanishing');
		await announced();
		const launcher = spawn(process.execPath, [bundle, '--client', connected.id], { cwd: wb.folders[0].path, env: { ...process.env, MCP_WORKBENCH_HOME: root }, stdio: ['pipe', 'pipe', 'pipe'] });
		let said = '';
		launcher.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
		const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
		// A failed step must not leave the launcher running (the file would wait for it until its timeout).
		t.after(() => {
			if (launcher.exitCode === null && launcher.signalCode === null) launcher.kill('SIGKILL');
		});
		const send = (message: object) => launcher.stdin.write(`${JSON.stringify(message)}\n`);
		let answers = '';
		launcher.stdout.on('data', (chunk: Buffer) => (answers += chunk.toString()));
		send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'vanishing', version: '1' } } });
		await waitFor(() => answers.includes('"id":1'), 'the answer to initialize');
		send({ jsonrpc: '2.0', method: 'notifications/initialized' });
		assert.equal(wb.server.sessionsOf('Vanishing'), 1);
		send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'write_file', arguments: { path: 'gone.txt', content: 'x' } } });
		const card = await waitFor(() => wb.approvals.pending().find((request) => (request.arguments as { path?: string }).path === 'gone.txt'), 'the write\'s card');

		launcher.stdin.end();
		assert.equal(await exited, 0, `the launcher exits cleanly; it said: ${said}`);
		// It waited for the server's answer to its DELETE before exiting.
		assert.equal(wb.server.sessionsOf('Vanishing'), 0, `the session ended before the launcher exited; it said: ${said}`);
		await waitFor(() => wb.approvals.closed().find((closed) => closed.request.id === card.id), 'the card to close');
		assert.match(wb.approvals.closed().find((closed) => closed.request.id === card.id)?.state ?? '', /^(disconnected|session_ended)$/);
		assert.equal(wb.approvals.decide(card.id, { kind: 'approve' }), false, 'a closed card cannot be approved');
		assert.match(said, /the client closed stdin/);
		await assert.rejects(access(join(wb.folders[0].path, 'gone.txt')), 'nothing was written');
	});

	// As a crashed or killed client ends: its ends of the pipes go at once. The launcher used to answer the call caught
	// by its own close, crash on EPIPE writing to the dead pipe, and leave the session open for 30 minutes; a client
	// that piped the launcher's stderr (VS Code, Claude Code) broke the log line it writes on the way out too.
	for (const stderr of ['inherit', 'pipe'] as const) {
		test(`a client killed while its card waits (launcher's stderr ${stderr === 'pipe' ? 'piped to the client' : 'inherited'}): the launcher ends the session and exits`, async (t) => {
			const name = `Killed ${stderr}`;
			const connected = await wb.server.tokens.connect(name, 'claude-code');
			await announced();
			// The SDK's client in a process of its own, starting the launcher as Claude Code would (the real-editor suite's client).
			const path = `killed-${stderr}.txt`;
			const job = { command: process.execPath, args: [bundle, '--client', connected.id], cwd: wb.folders[0].path, tool: 'write_file', arguments: { path, content: 'x' }, stderr };
			const client = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../integration/fixtures/stdioClient.ts'), JSON.stringify(job)], { env: { ...process.env, MCP_WORKBENCH_HOME: root }, stdio: ['ignore', 'pipe', 'pipe'] });
			const launcher: { pid?: number } = {};
			t.after(() => {
				for (const pid of [client.pid, launcher.pid]) if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
			});
			let said = '';
			client.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
			client.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
			const connectedLine = await waitFor(() => said.split('\n').find((line) => line.includes('"connected"')), `the client to connect (it said: ${said})`);
			launcher.pid = (JSON.parse(connectedLine) as { launcher: number }).launcher;
			const card = await waitFor(() => wb.approvals.pending().find((request) => (request.arguments as { path?: string }).path === path), 'the write\'s card');

			client.kill('SIGKILL');
			const pid = launcher.pid;
			await waitFor(() => !isAlive(pid), `the launcher (pid ${pid}) to exit; it said: ${said}`);
			assert.equal(wb.server.sessionsOf(name), 0, `the session ended before the launcher exited; it said: ${said}`);
			if (stderr === 'inherit') {
				assert.match(said, /ending the session/);
				assert.doesNotMatch(said, /EPIPE|Unhandled|Error:/, 'the launcher ended cleanly');
			}
			assert.match(wb.approvals.closed().find((closed) => closed.request.id === card.id)?.state ?? '', /^(disconnected|session_ended)$/);
			assert.equal(wb.approvals.decide(card.id, { kind: 'approve' }), false, 'a closed card cannot be approved');
			await assert.rejects(access(join(wb.folders[0].path, path)), 'nothing was written');
		});
	}

	test('with no server for its folder, the client hears what to do', async () => {
		const connected = await wb.server.tokens.connect('Lost');
		await announced();
		const client = new Client({ name: 'lost', version: '1' });
		const transport = new StdioClientTransport({ command: process.execPath, args: [bundle, '--client', connected.id], cwd: tmpdir(), env: { ...process.env, MCP_WORKBENCH_HOME: root, MCP_WORKBENCH_WAIT_MS: '0' } as Record<string, string>, stderr: 'pipe' });
		await assert.rejects(client.connect(transport), /No MCP Workbench server is running for .*Open that folder in VS Code/);
		await client.close();
	});
});

