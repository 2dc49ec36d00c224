// The notification is where a person approves a call without the panel open: what it shows must be what runs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { approvalMessage } from '../../../src/vscode/panel/approvalMessage';

describe('approval notification text', () => {
	test('bidi overrides, zero-width and control characters from the client are shown, not applied', () => {
		const message = approvalMessage({
			client: 'Claude Code\u202E\u2066',
			tool: 'run_command',
			summary: 'run: rm -rf ~/\u202Etxt.exe\u200B\u0007\u009B',
			subject: { command: { line: 'rm -rf ~/\u202Etxt.exe', cwd: '/home/dev/\uFEFFproject' } },
		});
		assert.equal(message, 'MCP Workbench: Claude Code⟨U+202E⟩⟨U+2066⟩ wants to run run_command: run: rm -rf ~/⟨U+202E⟩txt.exe⟨U+200B⟩⟨U+0007⟩⟨U+009B⟩ in /home/dev/⟨U+FEFF⟩project');
	});

	test('the credential\'s name first, what the client says it is beside it', () => {
		const message = approvalMessage({ client: 'alice', clientSays: 'Visual Studio Code', tool: 'write_file', summary: 'write a.ts', subject: {} });
		assert.equal(message, 'MCP Workbench: alice (says it is "Visual Studio Code") wants to run write_file: write a.ts');
	});
});
