import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Host } from '../../core/host/host';
import { describeSandbox, sandboxModeFor } from '../../core/host/sandbox';
import { commandHandleSchema, commandResultSchema, type CommandHandleInfo, type CommandResult } from '../../core/host/terminalHost';
import { defineTool, type AnyToolSpec, type ToolContext } from '../../core/tools/toolSpec';
import { ToolError } from '../../core/base/errors';
import { capJsonText, jsonTail } from '../../core/base/jsonText';

/**
 * Room kept for everything in the answer but the output: the summary text, the other result fields, the JSON-RPC
 * envelope. The output gets the rest of the client's budget, measured as it goes over the wire (JSON, UTF-8).
 */
const headerRoom = 4096;
/** The gate must not abort before the command's own timeout has killed it and reported. */
const callTimeoutMs = 24 * 60 * 60 * 1000;

const lineSchema = z.string().min(1).max(32_000);
const handleSchema = z.string().regex(/^cmd-[0-9]+$/);

function requireTerminal(host: Host): void {
	if (!host.terminal.available) {
		throw new ToolError('Running commands is not available in this host.');
	}
}

async function resolveCwd(host: Host, cwd: string | undefined): Promise<string> {
	const resolved = await host.jail.resolve(cwd ?? '', { mustExist: true, allowFolderRoot: true });
	if (!(await stat(resolved.absolute)).isDirectory()) {
		throw new ToolError(`${cwd} is a file, not a directory. Pass a workspace folder or a directory inside it as cwd.`);
	}
	return resolved.absolute;
}

/** What the approval card and the policy see: the line, preceded by the names (never the values) of extra variables. */
/** The variables as the process gets them; a name given twice takes its last value, as in a shell. */
function envRecord(env: readonly { readonly name: string; readonly value: string }[] | undefined): Record<string, string> | undefined {
	if (!env) return undefined;
	const record: Record<string, string> = Object.create(null) as Record<string, string>;
	for (const { name, value } of env) record[name] = value;
	return record;
}

function shownLine(line: string, env: Readonly<Record<string, string>> | undefined): string {
	const names = Object.keys(env ?? {});
	return names.length === 0 ? line : `${names.map((name) => `${name}=…`).join(' ')} ${line}`;
}

function firstLine(line: string): string {
	const first = line.split('\n')[0];
	const short = first.length > 80 ? `${first.slice(0, 79)}…` : first;
	return line.includes('\n') ? `${short} …` : short;
}

function describeRun(result: CommandResult): string {
	const ending = result.timedOut ? 'timed out' : result.cancelled ? 'cancelled' : result.exitCode !== null ? `exit code ${result.exitCode}` : result.signal ? `killed by ${result.signal}` : 'exit code unknown';
	const where = result.ranIn === 'terminal' ? 'in the "MCP Workbench" terminal' : `as a child process${result.fallbackReason ? ` (${result.fallbackReason})` : ''}`;
	const lines = [`${ending}, ran ${where}, ${result.durationMs} ms`];
	if (result.sandbox === 'read-only') {
		lines.push('ran in the read-only OS sandbox (it was allowed without asking): it cannot write files (but in /tmp, which is discarded), reach the network, or read the home folder, files outside the workspace or its secret files, which show empty');
	} else if (result.sandbox === 'workspace-write') {
		lines.push('ran in the OS sandbox, as the user\'s settings ask for approved commands: it could write inside the workspace folders only, without network');
	}
	lines.push(...result.notes);
	if (result.binary) {
		lines.push('the output looks binary: shown lossily; redirect it to a file or pipe it through a filter such as `xxd | head`');
	}
	if (result.truncated) {
		lines.push(`output capped: ${result.totalChars} characters printed, the middle omitted`);
	}
	lines.push(outputPointer(result.output.length, 'output'));
	return lines.join('\n');
}

/**
 * Where the output is. It goes over the wire once, in structuredContent: VS Code, Claude Code and the Copilot CLI
 * give their model JSON.stringify(structuredContent) and drop the text content whenever structuredContent is there,
 * so a copy in the text would cost the client's budget twice (three to four times with JSON escapes) for nothing.
 */
function outputPointer(chars: number, what: string): string {
	return chars === 0 ? `(no ${what})` : `${chars} characters of ${what} in structuredContent.output`;
}

function describeHandle(handle: CommandHandleInfo): string {
	const state = handle.running ? 'running' : handle.result ? describeEnd(handle.result) : 'ended';
	return `${handle.id} · ${state} · ${handle.totalChars} chars · started ${handle.startedAt} · ${firstLine(handle.line)}`;
}

function describeEnd(result: CommandResult): string {
	return result.timedOut ? 'timed out' : result.cancelled ? 'killed' : result.exitCode !== null ? `exit ${result.exitCode}` : 'ended';
}

/** The result without its output, which run_command returns beside it and command_output reads by offset. */
const resultShape = commandResultSchema.omit({ output: true });
const handleShape = commandHandleSchema.extend({ result: resultShape.optional() });

function handleOut(handle: CommandHandleInfo): z.output<typeof handleShape> {
	const { result, ...rest } = handle;
	return result ? { ...rest, result: resultOut(result) } : rest;
}

function resultOut(result: CommandResult): z.output<typeof resultShape> {
	const { output: _output, ...rest } = result;
	return { ...rest, notes: [...rest.notes] };
}

/** The output's share of the client's budget, in bytes of its JSON form. */
function budget(ctx: ToolContext): number {
	return Math.max(1024, ctx.maxOutputBytes - headerRoom);
}

const runCommand = defineTool({
	name: 'run_command',
	title: 'Run a command',
	description: 'Run a bash line (no stdin) in the workspace; returns exit code and output. background: true gives a handle for command_output.',
	family: 'terminal',
	risk: 'execute',
	input: z.object({
		line: lineSchema,
		cwd: z.string().optional(),
		// A list, not a map: strict function calling has no shape for an object with free keys.
		env: z.array(z.object({ name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), value: z.string() })).max(200).optional(),
		timeoutMs: z.number().int().positive().optional(),
		background: z.boolean().optional(),
	}),
	output: resultShape.extend({ output: z.string().optional(), handle: handleShape.optional() }),
	annotations: { title: 'Run a command', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
	timeoutMs: callTimeoutMs,
	async prepare(input, host) {
		const cwd = await resolveCwd(host, input.cwd);
		const line = shownLine(input.line, envRecord(input.env));
		// What the card says about how an approved run is bounded; a run nobody approves is always read-only.
		const status = host.sandbox.status();
		const sandbox = describeSandbox(sandboxModeFor(status, true), status);
		return { subject: { command: { line, cwd, sandbox }, summary: `${input.background ? 'start' : 'run'}: ${line}` }, plan: { cwd } };
	},
	async handler(input, ctx) {
		const { host } = ctx;
		requireTerminal(host);
		const { cwd } = ctx.plan;
		const limits = host.terminal.limits();
		const timeoutMs = Math.min(input.timeoutMs ?? limits.defaultTimeoutMs, limits.maxTimeoutMs);
		// Where the line runs follows from the gate's parse of it (ctx.command): the only parse a line gets.
		const shape = ctx.command ? { features: ctx.command.features, ...(ctx.command.unparsable ? { unparsable: ctx.command.unparsable } : {}) } : undefined;
		// Allowed without asking → read-only in the sandbox; approved in a card → as the user's setting says.
		const mode = sandboxModeFor(host.sandbox.status(), ctx.approvedByPerson);
		const request = { line: input.line, cwd, timeoutMs, maxOutputChars: budget(ctx), signal: ctx.signal, ...(input.env ? { env: envRecord(input.env) } : {}), ...(shape ? { shape } : {}), ...(mode === 'off' ? {} : { sandbox: mode }) };
		if (input.background) {
			const handle = await host.terminal.start(request);
			const text = `started ${handle.id} (${handle.ranIn === 'terminal' ? 'in the "MCP Workbench" terminal' : 'as a child process'}); it is killed after ${timeoutMs} ms. `
				+ `Read its output with command_output { handle: "${handle.id}" }, stop it with kill_command.`;
			return {
				text,
				structured: { exitCode: null, signal: null, timedOut: false, cancelled: false, truncated: false, totalChars: 0, binary: false, durationMs: 0, ranIn: handle.ranIn, notes: [], handle: handleOut(handle) },
			};
		}
		const ran = await host.terminal.run(request);
		// The host caps characters; a character can take up to 6 bytes in JSON (U+FFFD from binary output takes 3).
		const output = capJsonText(ran.output, budget(ctx));
		const result = output.truncated ? { ...ran, output: output.text, truncated: true } : ran;
		return { text: describeRun(result), structured: { ...resultOut(result), output: result.output }, truncated: result.truncated };
	},
});

const commandOutput = defineTool({
	name: 'command_output',
	title: 'Read a background command\'s output',
	description: 'Output of a background command from offset since (pass nextOffset) and whether it runs.',
	family: 'terminal',
	risk: 'read',
	input: z.object({
		handle: handleSchema,
		since: z.number().int().min(0).optional(),
	}),
	output: z.object({ handle: handleShape, output: z.string(), fromOffset: z.number(), nextOffset: z.number(), skippedChars: z.number() }),
	annotations: { title: 'Read command output', readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
	async handler(input, ctx) {
		requireTerminal(ctx.host);
		const slice = ctx.host.terminal.output(input.handle, input.since ?? 0);
		if (!slice) {
			throw new ToolError(`No command has the handle ${input.handle}. list_commands shows the handles of this session.`);
		}
		// Read the newest part when the client's budget is smaller than what is new; the offset says where it starts.
		const output = jsonTail(slice.output, budget(ctx));
		const clipped = output.length < slice.output.length;
		const fromOffset = clipped ? slice.nextOffset - output.length : slice.fromOffset;
		const skippedChars = clipped ? fromOffset - (input.since ?? 0) : slice.skippedChars;
		const header = [describeHandle(slice.handle), `output from offset ${fromOffset} to ${slice.nextOffset}${skippedChars > 0 ? ` (${skippedChars} earlier characters not shown)` : ''}`];
		if (slice.handle.result) {
			header.push(...slice.handle.result.notes);
		}
		return {
			text: [...header, output === '' ? '(nothing new)' : outputPointer(output.length, 'output')].join('\n'),
			structured: { handle: handleOut(slice.handle), output, fromOffset, nextOffset: slice.nextOffset, skippedChars },
			truncated: skippedChars > 0,
		};
	},
});

const listCommands = defineTool({
	name: 'list_commands',
	title: 'List background commands',
	description: 'The background commands of this session.',
	family: 'terminal',
	risk: 'read',
	input: z.object({}),
	output: z.object({ commands: z.array(handleShape) }),
	annotations: { title: 'List background commands', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
	async handler(_input, ctx) {
		requireTerminal(ctx.host);
		const handles = ctx.host.terminal.list();
		return {
			text: handles.length === 0 ? 'No background commands in this session.' : handles.map(describeHandle).join('\n'),
			structured: { commands: handles.map(handleOut) },
		};
	},
});

const killCommand = defineTool({
	name: 'kill_command',
	title: 'Kill a background command',
	description: 'Kill a background command and its processes.',
	family: 'terminal',
	risk: 'write',
	input: z.object({ handle: handleSchema }),
	output: z.object({ handle: handleShape }),
	annotations: { title: 'Kill a background command', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
	prepare(input, host) {
		const handle = host.terminal.available ? host.terminal.list().find((candidate) => candidate.id === input.handle) : undefined;
		return { subject: { summary: `kill ${input.handle}${handle ? `: ${firstLine(handle.line)}` : ''}` }, plan: undefined };
	},
	async handler(input, ctx) {
		requireTerminal(ctx.host);
		const handle = await ctx.host.terminal.kill(input.handle);
		if (!handle) {
			throw new ToolError(`No command has the handle ${input.handle}. list_commands shows the handles of this session.`);
		}
		return { text: describeHandle(handle), structured: { handle: handleOut(handle) } };
	},
});

export const terminalTools: readonly AnyToolSpec[] = [runCommand, commandOutput, listCommands, killCommand];
