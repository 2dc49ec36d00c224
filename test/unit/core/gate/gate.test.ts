import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import type { GateResult } from '../../../../src/core/gate/gate';
import { defineTool } from '../../../../src/core/tools/toolSpec';
import { filesTools } from '../../../../src/tools/files';
import { terminalTools } from '../../../../src/tools/terminal/commands';
import type { CommandRequest } from '../../../../src/core/host/terminalHost';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';
import { waitFor } from '../../helpers/waitFor';

/** Records every run, so a test can prove what ran and with which arguments. */
function mutatingTool(runs: string[], folder: () => string) {
	return defineTool({
		name: 'mutate',
		title: 'Mutate',
		description: 'Writes a value (a stand-in for any mutating tool).',
		family: 'files',
		risk: 'write',
		input: z.object({ value: z.string(), file: z.string().default('out.txt') }),
		annotations: { destructiveHint: false },
		prepare: (input) => ({ subject: { paths: [join(folder(), input.file)], summary: `write ${input.value}` }, plan: undefined }),
		async handler({ value }) {
			runs.push(value);
			return { text: `wrote ${value}` };
		},
	});
}

const sleeper = defineTool({
	name: 'sleeper',
	title: 'Sleeper',
	description: 'Waits until aborted or the given time passes.',
	family: 'workspace',
	risk: 'read',
	timeoutMs: 200,
	input: z.object({ ms: z.number() }),
	annotations: { readOnlyHint: true },
	async handler({ ms }, { signal }) {
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(resolve, ms);
			signal.addEventListener('abort', () => {
				clearTimeout(timer);
				reject(signal.reason);
			});
		});
		return { text: 'slept' };
	},
});

const noisy = defineTool({
	name: 'noisy',
	title: 'Noisy',
	description: 'Returns a lot of text with a token in it.',
	family: 'workspace',
	risk: 'read',
	input: z.object({ size: z.number() }),
	annotations: { readOnlyHint: true },
	async handler({ size }) {
		return { text: `start ${'x'.repeat(size)} end` };
	},
});

function call(wb: TestWorkbench, tool: string, args: unknown, signal = new AbortController().signal, sessionId = 's1'): Promise<GateResult> {
	return wb.gate.call({ tool, arguments: args, sessionId, client: { name: 'test', version: '1' }, signal });
}

describe('gate: approvals', () => {
	const runs: string[] = [];
	let wb: TestWorkbench;
	before(async () => {
		wb = await startWorkbench({ tools: [mutatingTool(runs, () => wb.folders[0].path), sleeper, noisy], settings: { maxOutputBytes: 1000, approvalTimeoutMs: 300 } });
	});
	after(() => wb.close());

	test('a mutating call waits, and runs only after Approve', async () => {
		runs.length = 0;
		const pending = call(wb, 'mutate', { value: 'A' });
		await waitFor(() => wb.approvals.pending().length === 1, 'the approval request');
		assert.deepEqual(runs, []);
		const request = wb.approvals.pending()[0];
		assert.equal(request.tool, 'mutate');
		assert.equal(request.summary, 'write A');
		assert.deepEqual(request.arguments, { value: 'A', file: 'out.txt' });
		wb.approvals.decide(request.id, { kind: 'approve' });
		const result = await pending;
		assert.equal(result.isError, false);
		assert.deepEqual(runs, ['A']);
		const record = wb.records.at(-1);
		assert.equal(record?.decision, 'approve');
		assert.equal(record?.decidedBy, 'user');
		assert.equal(record?.outcome, 'ok');
	});

	test('an approval for arguments A never runs arguments B', async () => {
		runs.length = 0;
		const a = call(wb, 'mutate', { value: 'A' });
		const b = call(wb, 'mutate', { value: 'B' });
		await waitFor(() => wb.approvals.pending().length === 2, 'two requests');
		const requestA = wb.approvals.pending().find((p) => (p.arguments as { value: string }).value === 'A');
		assert.ok(requestA);
		wb.approvals.decide(requestA.id, { kind: 'approve' });
		await a;
		assert.deepEqual(runs, ['A']);
		assert.equal(wb.approvals.pending().length, 1, 'B still waits');
		assert.equal(wb.approvals.decide(requestA.id, { kind: 'approve' }), false, 'a decision cannot be replayed');
		wb.approvals.decide(wb.approvals.pending()[0].id, { kind: 'deny' });
		assert.equal((await b).isError, true);
		assert.deepEqual(runs, ['A']);
	});

	test('the deny reason goes back to the agent and into the audit', async () => {
		runs.length = 0;
		const pending = call(wb, 'mutate', { value: 'C' });
		await waitFor(() => wb.approvals.pending().length === 1, 'the request');
		wb.approvals.decide(wb.approvals.pending()[0].id, { kind: 'deny', reason: 'use the staging folder' });
		const result = await pending;
		assert.equal(result.isError, true);
		assert.match(result.text, /use the staging folder/);
		assert.deepEqual(runs, []);
		const record = wb.records.at(-1);
		assert.equal(record?.decision, 'deny');
		assert.equal(record?.outcome, 'denied');
		assert.equal(record?.reason, 'use the staging folder');
	});

	test('a pending approval times out: nothing runs, and the record says timeout (not a denial)', async () => {
		runs.length = 0;
		const result = await call(wb, 'mutate', { value: 'late' });
		assert.equal(result.isError, true);
		assert.match(result.text, /nobody approved it in time/);
		assert.deepEqual(runs, []);
		assert.equal(wb.records.at(-1)?.decidedBy, 'timeout');
		assert.equal(wb.records.at(-1)?.outcome, 'timeout');
		assert.equal(wb.approvals.pending().length, 0);
		assert.equal(wb.approvals.closed()[0]?.state, 'timeout');
	});

	test('the client cancelling a waiting call withdraws the request', async () => {
		runs.length = 0;
		const controller = new AbortController();
		const pending = call(wb, 'mutate', { value: 'gone' }, controller.signal);
		await waitFor(() => wb.approvals.pending().length === 1, 'the request');
		controller.abort();
		const result = await pending;
		assert.equal(result.isError, true);
		assert.equal(wb.approvals.pending().length, 0);
		assert.equal(wb.records.at(-1)?.outcome, 'cancelled');
		assert.deepEqual(runs, []);
	});

	test('always allow for a pattern covers that folder only, and revoke ends it', async () => {
		runs.length = 0;
		const first = call(wb, 'mutate', { value: '1', file: 'src/a.txt' });
		await waitFor(() => wb.approvals.pending().length === 1, 'the request');
		const request = wb.approvals.pending()[0];
		assert.equal(request.patternLabel, 'mutate on src/**');
		wb.approvals.decide(request.id, { kind: 'allowSession', scope: 'pattern' });
		await first;
		assert.equal((await call(wb, 'mutate', { value: '2', file: 'src/deep/b.txt' })).isError, false, 'covered by the grant');
		assert.equal(wb.records.at(-1)?.decidedBy.startsWith('grant:'), true);
		const outside = call(wb, 'mutate', { value: '3', file: 'docs/c.txt' });
		await waitFor(() => wb.approvals.pending().length === 1, 'a request outside the pattern');
		wb.approvals.decide(wb.approvals.pending()[0].id, { kind: 'deny' });
		await outside;
		const sensitive = call(wb, 'mutate', { value: '4', file: 'src/.env' });
		await waitFor(() => wb.approvals.pending().length === 1, 'a sensitive path asks despite the grant');
		assert.equal(wb.approvals.pending()[0].grantable, false);
		wb.approvals.decide(wb.approvals.pending()[0].id, { kind: 'deny' });
		await sensitive;
		for (const grant of wb.approvals.grants()) wb.approvals.revoke(grant.id);
		const again = call(wb, 'mutate', { value: '5', file: 'src/a.txt' });
		await waitFor(() => wb.approvals.pending().length === 1, 'asking again after revoke');
		wb.approvals.decide(wb.approvals.pending()[0].id, { kind: 'deny' });
		await again;
		assert.deepEqual(runs, ['1', '2']);
	});

	test('a tool that overruns its timeout is stopped and reported', async () => {
		const result = await call(wb, 'sleeper', { ms: 10_000 });
		assert.equal(result.isError, true);
		assert.match(result.text, /timed out after 200 ms/);
		assert.equal(wb.records.at(-1)?.outcome, 'timeout');
	});

	test('client cancellation aborts a running tool', async () => {
		const controller = new AbortController();
		const pending = call(wb, 'sleeper', { ms: 150 }, controller.signal);
		controller.abort();
		const result = await pending;
		assert.equal(result.isError, true);
		assert.equal(wb.records.at(-1)?.outcome, 'cancelled');
	});

	test('output is capped with its head and tail kept', async () => {
		const result = await call(wb, 'noisy', { size: 50_000 });
		assert.equal(result.isError, false);
		assert.ok(Buffer.byteLength(result.text) < 1200);
		assert.match(result.text, /^start /);
		assert.match(result.text, / end$/);
		assert.match(result.text, /output capped at 1000 bytes/);
		assert.equal(wb.records.at(-1)?.truncated, true);
	});

	test('invalid arguments are refused before policy and recorded', async () => {
		const result = await call(wb, 'mutate', { value: 42 });
		assert.equal(result.isError, true);
		assert.match(result.text, /Invalid arguments for mutate/);
		assert.equal(wb.approvals.pending().length, 0, 'no approval asked for a call that cannot run');
		assert.equal(wb.records.at(-1)?.outcome, 'invalid');
	});

	test('the agent cannot smuggle extra fields into what runs', async () => {
		runs.length = 0;
		const pending = call(wb, 'mutate', { value: 'D', approved: true, policy: 'allow' });
		await waitFor(() => wb.approvals.pending().length === 1, 'extra fields do not skip approval');
		assert.deepEqual(wb.approvals.pending()[0].arguments, { value: 'D', file: 'out.txt' });
		wb.approvals.decide(wb.approvals.pending()[0].id, { kind: 'deny' });
		await pending;
		assert.deepEqual(runs, []);
	});
});

describe('gate: what runs is what the person approved', () => {
	let wb: TestWorkbench;
	let file: string;
	before(async () => {
		wb = await startWorkbench({ tools: filesTools });
		file = join(wb.folders[0].path, 'notes.txt');
	});
	after(() => wb.close());

	async function approveNext(): Promise<void> {
		await waitFor(() => wb.approvals.pending().length === 1, 'the approval request');
		wb.approvals.decide(wb.approvals.pending()[0].id, { kind: 'approve' });
	}

	test('an edit approved after the file changed is refused, and the other writer keeps its text', async () => {
		await writeFile(file, 'one\ntwo\n');
		const pending = call(wb, 'edit_file', { path: 'notes.txt', edits: [{ oldText: 'two', newText: 'TWO' }] });
		await waitFor(() => wb.approvals.pending().length === 1, 'the approval request');
		assert.match(wb.approvals.pending()[0].subject.diff?.unified ?? '', /^\+TWO$/m, 'the card shows the edit');
		// Someone else changes the file while the card is open.
		await writeFile(file, 'one\ntwo\nthree, written by the user\n');
		wb.approvals.decide(wb.approvals.pending()[0].id, { kind: 'approve' });
		const result = await pending;
		assert.equal(result.isError, true);
		assert.match(result.text, /notes\.txt changed after the user approved it.*Nothing was changed/);
		assert.equal(await readFile(file, 'utf8'), 'one\ntwo\nthree, written by the user\n', 'the approved edit did not land on the new text');
		const record = wb.records.at(-1);
		assert.equal(record?.decision, 'deny');
		assert.equal(record?.decidedBy, 'binding');
		assert.equal(record?.outcome, 'denied');
	});

	test('an approved edit whose file did not change writes exactly the diff the card showed', async () => {
		await writeFile(file, 'alpha\nbeta\n');
		const pending = call(wb, 'edit_file', { path: 'notes.txt', edits: [{ oldText: 'beta', newText: 'gamma' }] });
		await approveNext();
		const result = await pending;
		assert.equal(result.isError, false, result.text);
		assert.equal(await readFile(file, 'utf8'), 'alpha\ngamma\n');
		assert.equal(wb.records.at(-1)?.decision, 'approve');
	});

	test('a create approved while another process created the same file is refused, and that file stays', async () => {
		const target = join(wb.folders[0].path, 'fresh.txt');
		const pending = call(wb, 'create_file', { path: 'fresh.txt', content: 'from the agent\n' });
		await waitFor(() => wb.approvals.pending().length === 1, 'the approval request');
		await writeFile(target, 'made by the user meanwhile\n');
		wb.approvals.decide(wb.approvals.pending()[0].id, { kind: 'approve' });
		const result = await pending;
		assert.equal(result.isError, true);
		assert.match(result.text, /no longer applies \(fresh\.txt already exists/);
		assert.equal(await readFile(target, 'utf8'), 'made by the user meanwhile\n');
		assert.equal(wb.records.at(-1)?.decidedBy, 'binding');
	});
});

describe('gate: one parse of a command line', () => {
	test('the policy\'s parse reaches the terminal host, which decides from it where the line runs', async () => {
		const wb = await startWorkbench({ tools: terminalTools });
		try {
			const seen: CommandRequest[] = [];
			const terminal = wb.host.terminal;
			const run = terminal.run.bind(terminal);
			terminal.run = (request) => {
				seen.push(request);
				return run(request);
			};
			assert.equal((await call(wb, 'run_command', { line: '(ls)' })).isError, false);
			assert.equal((await call(wb, 'run_command', { line: 'ls | wc -l' })).isError, false);
			assert.deepEqual(seen.map((request) => request.shape), [{ features: ['subshell'] }, { features: [] }]);
			assert.deepEqual(wb.records.slice(-2).map((record) => record.decidedBy), ['command:read-only', 'command:read-only']);
		} finally {
			await wb.close();
		}
	});
});

describe('gate: what the card and the audit say about a command', () => {
	test('a command card carries the rule, its sentence and each sub-command with its reasons; the record keeps how, cwd and exit code', async () => {
		const wb = await startWorkbench({ tools: terminalTools });
		try {
			const pending = call(wb, 'run_command', { line: 'ls && ls no-such-dir-x || true\nnpm test' });
			await waitFor(() => wb.approvals.pending().length === 1, 'the approval request');
			const request = wb.approvals.pending()[0];
			assert.match(request.rule ?? '', /^command:/);
			assert.match(request.why ?? '', /The command policy asks: .*npm/);
			assert.deepEqual(request.commandParts?.map((part) => [part.text, part.reasons.length > 0]), [
				['ls', false], ['ls no-such-dir-x', false], ['true', false], ['npm test', true],
			]);
			// The summary is the whole line: nothing an approval covers is cut where it is shown.
			assert.equal(request.summary, 'run: ls && ls no-such-dir-x || true\nnpm test');
			wb.approvals.decide(request.id, { kind: 'approve' });
			await pending;
			const record = wb.records.at(-1);
			assert.equal(record?.cwd, wb.folders[0].path);
			assert.match(record?.decidedHow ?? '', /^Decided by you\. Asked because: The command policy asks/);
			assert.equal(typeof record?.exitCode, 'number');

			const failing = await call(wb, 'run_command', { line: 'ls no-such-dir-x' });
			assert.equal(failing.isError, false, 'a non-zero exit is an answer, not a gate error');
			const failed = wb.records.at(-1);
			assert.equal(failed?.exitCode, 2);
			assert.equal(failed?.decidedHow, 'Read-only command (runs in the read-only sandbox)');
		} finally {
			await wb.close();
		}
	});

	test('run_command cannot be allowed tool-wide: "always allow" grants the exact line only', async () => {
		const wb = await startWorkbench({ tools: terminalTools });
		try {
			const first = call(wb, 'run_command', { line: 'touch a.txt' });
			await waitFor(() => wb.approvals.pending().length === 1, 'the request');
			const request = wb.approvals.pending()[0];
			assert.equal(request.patternLabel, 'run_command exactly `touch a.txt`');
			wb.approvals.decide(request.id, { kind: 'allowSession', scope: 'tool' });
			await first;
			assert.deepEqual(wb.approvals.grants(), [], 'a tool-wide grant for an Execute tool is not made; the call ran once');
			const second = call(wb, 'run_command', { line: 'touch a.txt' });
			await waitFor(() => wb.approvals.pending().length === 1, 'asked again');
			wb.approvals.decide(wb.approvals.pending()[0].id, { kind: 'allowSession', scope: 'pattern' });
			await second;
			assert.equal((await call(wb, 'run_command', { line: 'touch a.txt' })).isError, false);
			assert.match(wb.records.at(-1)?.decidedHow ?? '', /^Your grant for this session: run_command exactly `touch a.txt`$/);
			const other = call(wb, 'run_command', { line: 'touch a.txt && rm -rf build' });
			await waitFor(() => wb.approvals.pending().length === 1, 'another line asks');
			wb.approvals.decide(wb.approvals.pending()[0].id, { kind: 'deny' });
			await other;
			assert.equal(wb.approvals.clearGrants(), 1);
		} finally {
			await wb.close();
		}
	});

	test('an edit of a sensitive file is previewed redacted, with the rule that made it ask', async () => {
		const wb = await startWorkbench({ tools: filesTools });
		try {
			const pending = call(wb, 'create_file', { path: '.env', content: 'API_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n' });
			await waitFor(() => wb.approvals.pending().length === 1, 'the request');
			const request = wb.approvals.pending()[0];
			assert.match(request.rule ?? '', /^sensitive:/);
			assert.match(request.why ?? '', /^Sensitive path/);
			assert.ok(request.redactedDiff, 'the preview has a redacted form');
			assert.doesNotMatch(request.redactedDiff ?? '', /ghp_0123456789/);
			wb.approvals.decide(request.id, { kind: 'deny' });
			await pending;
		} finally {
			await wb.close();
		}
	});
});

describe('gate: untrusted workspace and policy', () => {
	test('a restricted workspace refuses non-read tools and does not list them', async () => {
		const runs: string[] = [];
		const wb = await startWorkbench({ trusted: false, tools: [mutatingTool(runs, () => wb.folders[0].path)] });
		try {
			const client = await wb.connect();
			const names = (await client.listTools()).tools.map((t) => t.name);
			assert.ok(names.includes('workspace_info'));
			assert.ok(!names.includes('mutate'));
			const result = await call(wb, 'mutate', { value: 'x' });
			assert.equal(result.isError, true);
			assert.match(result.text, /not trusted/);
			assert.equal(wb.records.at(-1)?.decidedBy, 'trust');
			assert.deepEqual(runs, []);
		} finally {
			await wb.close();
		}
	});

	test('a deny setting refuses without asking', async () => {
		const runs: string[] = [];
		const wb = await startWorkbench({ tools: [mutatingTool(runs, () => wb.folders[0].path)], policy: { tools: { mutate: 'deny' } } });
		try {
			const result = await call(wb, 'mutate', { value: 'x' });
			assert.equal(result.isError, true);
			assert.match(result.text, /Denied by policy \(setting:tools.mutate\)/);
			assert.equal(wb.approvals.pending().length, 0);
			assert.deepEqual(runs, []);
		} finally {
			await wb.close();
		}
	});

	test('a rate limit answers with when to retry', async () => {
		const wb = await startWorkbench({ settings: { rateLimits: { perToolPerMinute: { workspace_info: 2 } } } });
		try {
			assert.equal((await call(wb, 'workspace_info', {})).isError, false);
			assert.equal((await call(wb, 'workspace_info', {})).isError, false);
			const limited = await call(wb, 'workspace_info', {});
			assert.equal(limited.isError, true);
			assert.match(limited.text, /Rate limit reached for workspace_info; nobody was asked\. Retry after (29|30) s/);
			assert.equal(wb.records.at(-1)?.outcome, 'rate_limited');
		} finally {
			await wb.close();
		}
	});

	test('asking calls over the rate limit are refused before a card is shown: 20 calls, a limit of 5, 5 prompts', async () => {
		const runs: string[] = [];
		const wb = await startWorkbench({ tools: [mutatingTool(runs, () => wb.folders[0].path)], settings: { rateLimits: { perToolPerMinute: { mutate: 5 } } } });
		const prompted = new Set<string>();
		const denying = wb.approvals.onDidChange(() => {
			for (const request of wb.approvals.pending()) {
				prompted.add(request.id);
				wb.approvals.decide(request.id, { kind: 'deny' });
			}
		});
		try {
			const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(wb, 'mutate', { value: `v${i}` })));
			assert.equal(prompted.size, 5, 'only the calls within the limit reached the user');
			const limited = results.filter((result) => /Rate limit reached for mutate; nobody was asked\. Retry after \d+ s/.test(result.text));
			assert.equal(limited.length, 15);
			assert.deepEqual(runs, []);
			assert.equal(wb.records.filter((record) => record.outcome === 'rate_limited' && record.decision === 'none').length, 15);
		} finally {
			denying.dispose();
			await wb.close();
		}
	});
});

describe('gate: property', () => {
	test('under ask, no mutating call ever runs without an approval for its exact arguments', async () => {
		const runs: string[] = [];
		const wb = await startWorkbench({ tools: [mutatingTool(runs, () => wb.folders[0].path)] });
		type Op = { kind: 'call'; value: string } | { kind: 'approve' | 'deny' | 'cancel'; index: number };
		const op: fc.Arbitrary<Op> = fc.oneof(
			fc.record({ kind: fc.constant('call' as const), value: fc.constantFrom('a', 'b', 'c', 'a ') }),
			fc.record({ kind: fc.constantFrom('approve' as const, 'deny' as const, 'cancel' as const), index: fc.nat(5) }),
		);
		try {
			await fc.assert(
				fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
					runs.length = 0;
					const approved: string[] = [];
					const inFlight: { promise: Promise<GateResult>; controller: AbortController }[] = [];
					let settled = 0;
					for (const step of ops) {
						if (step.kind === 'call') {
							const controller = new AbortController();
							const promise = call(wb, 'mutate', { value: step.value }, controller.signal);
							void promise.then(() => settled++);
							inFlight.push({ promise, controller });
							// Every call so far is either waiting for a decision or over: none is still on its way to ask.
							await waitFor(() => wb.approvals.pending().length + settled === inFlight.length, 'request');
							continue;
						}
						const pending = wb.approvals.pending();
						if (pending.length === 0) continue;
						const request = pending[step.index % pending.length];
						if (step.kind === 'approve') {
							approved.push((request.arguments as { value: string }).value);
							wb.approvals.decide(request.id, { kind: 'approve' });
						} else if (step.kind === 'deny') {
							wb.approvals.decide(request.id, { kind: 'deny' });
						} else {
							inFlight.forEach((f) => f.controller.abort());
						}
						await new Promise((resolve) => setImmediate(resolve));
					}
					wb.approvals.denyAll('end of sequence');
					await Promise.all(inFlight.map((f) => f.promise));
					assert.deepEqual([...runs].sort(), [...approved].sort());
				}),
				{ numRuns: 60 },
			);
		} finally {
			await wb.close();
		}
	});
});
