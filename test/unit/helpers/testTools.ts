// Tools the server tests call instead of real ones: each stands for a kind of timing (progress, a call that runs
// until cancelled, one that runs until the test lets it go), so a test decides when a call ends instead of sleeping.
// The ones with state are made by a function, each test file getting its own counters.
import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../../src/core/tools/toolSpec';

/** `slow_echo`: reports `steps` progress notifications, a turn of the event loop apart, then echoes `text`. */
export const slowEchoTool = defineTool({
	name: 'slow_echo',
	title: 'Slow echo',
	description: 'Reports progress, then echoes.',
	family: 'workspace',
	risk: 'read',
	input: z.object({ text: z.string(), steps: z.number().int().min(0).max(5) }),
	annotations: { readOnlyHint: true },
	async handler({ text, steps }, ctx) {
		for (let i = 1; i <= steps; i++) {
			ctx.progress(i, steps, `step ${i}`);
			await new Promise((resolve) => setImmediate(resolve));
		}
		return { text };
	},
});

export interface AbortWaiter {
	readonly tool: AnyToolSpec;
	/** Calls whose handler has begun. */
	readonly started: number;
	/** Calls that saw their signal abort (and answered 'aborted'). */
	readonly aborted: number;
	/** Calls still waiting for their abort. */
	readonly running: number;
}

/** `wait_for_abort`: a call that runs until it is cancelled, for cancellation and session-end checks. */
export function waitForAbortTool(): AbortWaiter {
	let started = 0;
	let aborted = 0;
	const tool = defineTool({
		name: 'wait_for_abort',
		title: 'Wait for abort',
		description: 'Runs until cancelled.',
		family: 'workspace',
		risk: 'read',
		input: z.object({}),
		annotations: { readOnlyHint: true },
		async handler(_input, ctx) {
			started++;
			await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
			aborted++;
			return { text: 'aborted' };
		},
	});
	return {
		tool,
		get started() {
			return started;
		},
		get aborted() {
			return aborted;
		},
		get running() {
			return started - aborted;
		},
	};
}

export interface HeldCalls {
	readonly tool: AnyToolSpec;
	/** Calls whose handler has begun. */
	readonly started: number;
	/** Lets the longest-waiting call answer. */
	releaseNext(): void;
	releaseAll(): void;
}

/**
 * A tool whose calls wait until the test releases them (or the call is aborted, so none outlives its session): a build
 * or a test run, as far as the gate can tell. `name` and `answer` are what the tests look for in lists, records and
 * results.
 */
export function heldTool(name = 'hold', answer = 'released'): HeldCalls {
	const waiting: (() => void)[] = [];
	let started = 0;
	const tool = defineTool({
		name,
		title: `Held: ${name}`,
		description: 'Runs until the test releases it.',
		family: 'workspace',
		risk: 'read',
		input: z.object({}),
		annotations: { readOnlyHint: true },
		async handler(_input, ctx) {
			started++;
			await new Promise<void>((resolve) => {
				waiting.push(resolve);
				ctx.signal.addEventListener('abort', () => resolve(), { once: true });
			});
			return { text: answer };
		},
	});
	return {
		tool,
		get started() {
			return started;
		},
		releaseNext() {
			waiting.shift()?.();
		},
		releaseAll() {
			for (const release of waiting.splice(0)) release();
		},
	};
}
