// A command that floods binary output must not stall the server (issue 12): its output is stripped in one linear
// pass per chunk, so the event loop keeps turning and other calls are answered while the flood runs.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Disposable } from '../../../../src/core/base/disposable';
import { terminalTools } from '../../../../src/tools/terminal/commands';
import { startWorkbench, type TestWorkbench } from '../../helpers/workbench';

/** Bytes each flood prints: 480 chunks of 64 KB through the pipe. */
const FLOOD_BYTES = 30 * 1024 * 1024;

/**
 * The longest the event loop may stall during a flood: generous, because on a machine shared with other work the
 * process is descheduled for 100 ms and more whatever it does. Measured on such a machine (2 cores, load 12): before
 * the fix, 0xff floods stalled the loop 0.3 to 0.7 s and took 17 to 24 s to strip; after it, 0.1 to 0.3 s and 2 to
 * 3 s. What this asserts is that the server keeps answering: a stall of seconds, as with a quadratic path, fails.
 */
const MAX_STALL_MS = 1000;

describe('binary floods in command output', () => {
	let wb: TestWorkbench;
	let client: Client;
	let approveAll: Disposable;

	before(async () => {
		wb = await startWorkbench({ tools: terminalTools });
		// The person approves every command this suite runs.
		approveAll = wb.approvals.onDidChange(() => {
			for (const request of wb.approvals.pending()) wb.approvals.decide(request.id, { kind: 'approve' });
		});
		client = await wb.connect();
	});
	after(async () => {
		approveAll.dispose();
		await wb.close();
	});

	for (const [name, line] of [
		['0xff bytes (invalid UTF-8)', `head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' '\\377'`],
		['NUL bytes', `head -c ${FLOOD_BYTES} /dev/zero`],
		['carriage returns', `head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' '\\r'`],
	] as const) {
		test(`a flood of ${name}: the loop never stalls long, and a call made meanwhile is answered before the flood ends`, async () => {
			const delay = monitorEventLoopDelay({ resolution: 10 });
			delay.enable();
			let floodDone = false;
			const flood = client.callTool({ name: 'run_command', arguments: { line, timeoutMs: 120_000 } }).finally(() => {
				floodDone = true;
			});
			// Calls made while the flood runs, one after the other; each must be answered while output still flows.
			const answeredDuring: number[] = [];
			while (!floodDone) {
				const started = performance.now();
				const info = await client.callTool({ name: 'workspace_info', arguments: {} });
				assert.equal(info.isError, undefined);
				if (!floodDone) answeredDuring.push(performance.now() - started);
			}
			const result = await flood;
			delay.disable();
			const stallMs = delay.max / 1e6;
			const structured = result.structuredContent as { totalChars: number; binary: boolean; exitCode: number };
			assert.equal(structured.exitCode, 0);
			assert.ok(structured.totalChars > 0 || name === 'NUL bytes', `${name}: output was captured`);
			assert.ok(answeredDuring.length > 0, 'a call was answered while the flood ran');
			assert.ok(stallMs < MAX_STALL_MS, `${name}: the event loop stalled ${stallMs.toFixed(0)} ms (calls during the flood took up to ${Math.max(...answeredDuring).toFixed(0)} ms)`);
			console.log(`${name}: longest stall ${stallMs.toFixed(0)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms, ${answeredDuring.length} calls answered during the flood, slowest ${Math.max(...answeredDuring).toFixed(0)} ms`);
		});
	}
});
