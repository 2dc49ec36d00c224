// Issue 13's "tried as a new user would", end to end in the real editor: an edit, a command and a commit wait at
// once, all approved from the keyboard alone (Ctrl+Alt+R, Enter); a command that failed is found in the audit with
// its exit code through the date filter. The calls come through VS Code's own MCP client, as agent mode sends them
// (no language model here). "Yesterday" cannot be made: the audit's records carry the extension host's clock and an
// HMAC chain keyed from VS Code's SecretStorage, so no record can be backdated from a test; the date filter is
// proven on the failed command's own day, and the day before is shown not to hold it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { denyAllWaiting, ensureServerStarted, harness, hasUi, hidePanel, invokeOurToolText, notificationButtons, showPanel, ui, waitFor, waitForFocus, whileWaiting, workspaceFolder } from './helpers';

function git(...args: string[]): string {
	return execFileSync('git', args, { cwd: workspaceFolder(), encoding: 'utf8' }).trim();
}

function localDate(offsetDays: number): string {
	const day = new Date();
	day.setDate(day.getDate() + offsetDays);
	return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

async function auditLabels(): Promise<string[]> {
	return (await ui<{ texts: string[] }>('texts', { selector: '[data-testid="audit-row"]', scope: 'webviews', attribute: 'aria-label' })).texts;
}

async function setDates(since: string, until: string): Promise<void> {
	await ui('fill', { selector: '[data-testid="since-filter"]', value: since, scope: 'webviews' });
	await ui('fill', { selector: '[data-testid="until-filter"]', value: until, scope: 'webviews' });
}

/** Ctrl+Alt+R opens the oldest waiting card with focus on its Approve; Enter approves it. */
async function approveOldestFromKeyboard(expected: RegExp): Promise<void> {
	await ui('press', { key: 'Control+Alt+r' });
	await waitForFocus((f) => f.testId === 'approve' && expected.test(f.ariaLabel ?? ''), `focus on Approve of the card matching ${expected}`);
	await ui('press', { key: 'Enter' });
}

describe('tried as a new user would', function () {
	this.timeout(300_000);

	before(function () {
		if (!hasUi() || !harness.trusted) this.skip();
	});

	after(async () => {
		if (!hasUi() || !harness.trusted) return;
		await showPanel().catch(() => undefined);
		await setDates('', '').catch(() => undefined);
	});

	// A failed step leaves its calls waiting: deny them, so later suites do not find those cards first.
	afterEach(async function () {
		if (this.currentTest?.state === 'failed') await denyAllWaiting().catch(() => undefined);
	});

	it('approves an edit, a command and a commit from the keyboard alone, then finds the failed command and its exit code by date', async () => {
		await ensureServerStarted();
		await vscode.commands.executeCommand('notifications.clearAll');
		await hidePanel();

		// The agent tries a command that fails. `ls` is read-only: it runs unasked, in the sandbox, and still fails.
		const failed = await invokeOurToolText('run_command', { line: 'ls no-such-dir' });
		assert.match(failed.text, /"exitCode":2\b/, `the agent hears exit code 2: ${failed.text}`);

		// An edit, a command, then the commit once something is staged (with nothing staged,
		// git_commit is refused before anyone is asked: its card would list no files).
		const edit = invokeOurToolText('write_file', { path: 'NOTES.md', content: '# Notes\n\nWritten by the agent, approved from the keyboard.\n' });
		edit.catch(() => undefined);
		await whileWaiting(edit, notificationButtons('NOTES.md'));
		await approveOldestFromKeyboard(/NOTES\.md/);
		const edited = await edit;
		assert.equal(edited.isError, false, edited.text);
		// Approving from the keyboard opened the panel: the next cards are waited for there.
		const command = invokeOurToolText('run_command', { line: 'git add NOTES.md' });
		command.catch(() => undefined);
		await whileWaiting(command, ui('waitForVisible', { selector: '[data-testid="approval-card"]:has-text("git add NOTES.md")', scope: 'webviews' }));
		await approveOldestFromKeyboard(/git add NOTES\.md/);
		const added = await command;
		assert.equal(added.isError, false, added.text);
		const commit = invokeOurToolText('git_commit', { message: 'Add notes (approved from the keyboard)' });
		commit.catch(() => undefined);
		await whileWaiting(commit, ui('waitForVisible', { selector: '[data-testid="approval-card"]:has-text("Add notes")', scope: 'webviews' }));
		await approveOldestFromKeyboard(/Add notes/);
		const committed = await commit;
		assert.equal(committed.isError, false, committed.text);
		assert.equal(git('log', '-1', '--format=%s'), 'Add notes (approved from the keyboard)');
		assert.equal(git('show', 'HEAD:NOTES.md'), readFileSync(join(workspaceFolder(), 'NOTES.md'), 'utf8').trim());
		await ui('screenshot', { name: 'new-user-approved' });

		// "What did the agent run on that day, and did it work?": the date filter on the failed command's day.
		await showPanel();
		const today = localDate(0);
		await setDates(today, today);
		const found = await waitFor(async () => (await auditLabels()).find((label) => label.startsWith('run_command') && label.includes('no-such-dir')), 'the failed command in the audit filtered to its day');
		assert.match(found, /exit 2/, `the row says the exit code: ${found}`);
		await ui('waitForVisible', { selector: '[data-testid="audit-row"] [data-testid="row-exit"]:has-text("exit 2")', scope: 'webviews' });
		await ui('screenshot', { name: 'new-user-audit-by-date' });
		const dayBefore = localDate(-1);
		await setDates(dayBefore, dayBefore);
		await waitFor(async () => /^0 records$/.test((await ui<{ text: string }>('waitForVisible', { selector: '[data-testid="result-count"]', scope: 'webviews' })).text), 'no record on the day before');
	});
});
