// The client named on a card and in the audit used to be whatever the client declared in `initialize`: any program
// holding the secret could call itself "Visual Studio Code". Now the name is the credential's: VS Code's own
// registration has the secret, every other client a token minted for it, and the declared name is shown only as what
// the client says it is.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Disposable } from '../../../src/core/base/disposable';
import type { ApprovalRequest } from '../../../src/core/gate/approvals';
import { terminalTools } from '../../../src/tools/terminal/commands';
import { initializeBody, rawRequest } from '../helpers/rawHttp';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { mcpHeaders } from '../helpers/rawMcp';

describe('security: client identity comes from the credential', () => {
	let wb: TestWorkbench;
	let seen: ApprovalRequest[];
	let denying: Disposable;
	before(async () => {
		wb = await startWorkbench({ tools: terminalTools });
		seen = [];
		denying = wb.approvals.onDidChange(() => {
			for (const request of wb.approvals.pending()) {
				seen.push(request);
				wb.approvals.decide(request.id, { kind: 'deny' });
			}
		});
	});
	after(async () => {
		denying.dispose();
		await wb.close();
	});

	test('a client with a token minted for "alice" that declares itself "Visual Studio Code" is alice on the card and in the audit', async () => {
		const client = await wb.connect('alice', { says: 'Visual Studio Code' });
		const before = wb.records.length;
		await client.callTool({ name: 'run_command', arguments: { line: 'touch made-by-alice' } });
		const card = seen.at(-1);
		assert.equal(card?.client, 'alice');
		assert.equal(card?.clientSays, 'Visual Studio Code');
		const record = wb.records.slice(before).at(-1);
		assert.deepEqual(record?.client, { name: 'alice', version: '1.0.0', says: 'Visual Studio Code' });
	});

	test('VS Code\'s own secret is "VS Code"; a client that declares its own name shows no "says"', async () => {
		const vscode = await wb.connect('VS Code', { token: wb.secret, says: 'Visual Studio Code' });
		await vscode.callTool({ name: 'run_command', arguments: { line: 'touch x' } });
		assert.equal(seen.at(-1)?.client, 'VS Code');
		const bob = await wb.connect('bob');
		await bob.callTool({ name: 'run_command', arguments: { line: 'touch y' } });
		assert.equal(seen.at(-1)?.client, 'bob');
		assert.equal(seen.at(-1)?.clientSays, undefined);
		assert.deepEqual(wb.records.at(-1)?.client, { name: 'bob', version: '1.0.0' });
	});

	test('a minted name is unique: a second "carol" becomes "carol (2)", a token named "VS Code" "VS Code (2)"', () => {
		assert.equal(wb.server.mintToken('carol').name, 'carol');
		assert.equal(wb.server.mintToken('carol').name, 'carol (2)');
		// Nor can a token take the secret's name and with it VS Code's sessions and cards.
		assert.equal(wb.server.mintToken('VS Code').name, 'VS Code (2)');
	});

	test('a token nobody minted is refused; a session opened with one token cannot be used with another', async () => {
		const wrong = await rawRequest({ url: wb.url }, { headers: mcpHeaders('not-a-token'), body: initializeBody });
		assert.equal(wrong.status, 401);
		const dave = wb.server.mintToken('dave').token;
		const eve = wb.server.mintToken('eve').token;
		const init = await rawRequest({ url: wb.url }, { headers: mcpHeaders(dave), body: initializeBody });
		assert.equal(init.status, 200, init.body);
		const session = String(init.headers['mcp-session-id']);
		const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
		for (const other of [eve, wb.secret]) {
			const hijack = await rawRequest({ url: wb.url }, { headers: mcpHeaders(other, { 'mcp-session-id': session }), body: list });
			assert.equal(hijack.status, 404, 'another credential does not reach the session');
		}
		const own = await rawRequest({ url: wb.url }, { headers: mcpHeaders(dave, { 'mcp-session-id': session }), body: list });
		assert.equal(own.status, 200, own.body);
	});

	test('tokens end with the server run that issued them', async () => {
		const frank = wb.server.mintToken('frank').token;
		await wb.server.restart();
		const after = await rawRequest({ url: wb.server.current!.url }, { headers: mcpHeaders(frank), body: initializeBody });
		assert.equal(after.status, 401);
	});
});
