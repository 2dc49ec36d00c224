// A second client connected to the same server is someone else: it must not list, read or kill the first client's
// background commands, and a session grant the user gave the first client must not let the second one act without
// asking. Before, `list_commands` and `command_output` showed every session's commands, and a kill grant given to one
// client let any other kill its commands unasked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Disposable } from '../../../src/core/base/disposable';
import { terminalTools } from '../../../src/tools/terminal/commands';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';

interface Structured { readonly commands?: { id: string; running: boolean }[]; readonly handle?: { id: string; running: boolean } }

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
	return (result.content as { type: string; text: string }[]).map((item) => item.text).join('\n');
}

describe('security: background commands and grants belong to the session that made them', () => {
	let wb: TestWorkbench;
	let alice: Client;
	let mallory: Client;
	let answering: Disposable;
	const prompts: { client: string; tool: string }[] = [];
	let handle: string;
	let approveMallory = false;
	before(async () => {
		wb = await startWorkbench({ tools: terminalTools });
		alice = await wb.connect('alice');
		mallory = await wb.connect('mallory');
		// The user approves alice's calls and grants her kill_command for the session; mallory's cards are denied.
		answering = wb.approvals.onDidChange(() => {
			for (const request of wb.approvals.pending()) {
				prompts.push({ client: request.client, tool: request.tool });
				if (request.client !== 'alice') wb.approvals.decide(request.id, { kind: approveMallory ? 'approve' : 'deny' });
				else if (request.tool === 'kill_command') wb.approvals.decide(request.id, { kind: 'allowSession', scope: 'tool' });
				else wb.approvals.decide(request.id, { kind: 'approve' });
			}
		});
		const started = await alice.callTool({ name: 'run_command', arguments: { line: 'echo alice-private-output; sleep 60', background: true } });
		assert.notEqual(started.isError, true, textOf(started));
		handle = (started.structuredContent as Structured).handle!.id;
		// A second command of alice's, killed to obtain the grant.
		const other = await alice.callTool({ name: 'run_command', arguments: { line: 'sleep 60', background: true } });
		const otherHandle = (other.structuredContent as Structured).handle!.id;
		const killed = await alice.callTool({ name: 'kill_command', arguments: { handle: otherHandle } });
		assert.notEqual(killed.isError, true, textOf(killed));
		assert.equal(wb.approvals.grants().length, 1);
	});
	after(async () => {
		answering.dispose();
		await wb.close();
	});

	test('list_commands of another session shows none of alice\'s commands', async () => {
		const listed = await mallory.callTool({ name: 'list_commands', arguments: {} });
		assert.deepEqual((listed.structuredContent as Structured).commands, []);
		assert.ok(!textOf(listed).includes('alice-private-output') && !textOf(listed).includes(handle));
		const own = await alice.callTool({ name: 'list_commands', arguments: {} });
		assert.ok((own.structuredContent as Structured).commands?.some((command) => command.id === handle));
	});

	test('command_output of alice\'s handle from another session: unknown handle, no output', async () => {
		const read = await mallory.callTool({ name: 'command_output', arguments: { handle } });
		assert.equal(read.isError, true);
		assert.match(textOf(read), /No command has the handle/);
		assert.ok(!textOf(read).includes('alice-private-output'));
	});

	test('kill_command of alice\'s handle from another session: asked (alice\'s grant does not apply), nothing killed', async () => {
		const before = prompts.length;
		const kill = await mallory.callTool({ name: 'kill_command', arguments: { handle } });
		assert.equal(kill.isError, true);
		assert.deepEqual(prompts.slice(before), [{ client: 'mallory', tool: 'kill_command' }], 'the call was shown to the user, not let through by alice\'s grant');
		const record = wb.records.at(-1);
		assert.equal(record?.decidedBy, 'user');
		assert.equal(record?.decision, 'deny');
		const own = await alice.callTool({ name: 'command_output', arguments: { handle } });
		assert.equal((own.structuredContent as Structured).handle?.running, true, 'alice\'s command still runs');
	});

	test('even approved, a kill from another session finds no such command', async () => {
		// The user approves whatever mallory asks this time.
		approveMallory = true;
		try {
			const kill = await mallory.callTool({ name: 'kill_command', arguments: { handle } });
			assert.equal(kill.isError, true);
			assert.match(textOf(kill), /No command has the handle/);
			const own = await alice.callTool({ name: 'command_output', arguments: { handle } });
			assert.equal((own.structuredContent as Structured).handle?.running, true, 'alice\'s command still runs');
		} finally {
			approveMallory = false;
		}
	});

	test('alice\'s grant still covers alice', async () => {
		const before = prompts.length;
		const kill = await alice.callTool({ name: 'kill_command', arguments: { handle } });
		assert.notEqual(kill.isError, true, textOf(kill));
		assert.equal(prompts.length, before, 'no card: the grant applied');
		assert.equal((kill.structuredContent as Structured).handle?.running, false);
	});
});
