// A background command's output as a resource: the session's own commands only (the gate hands reads the session's
// terminal, see scopedTerminal), listed while they are kept, and watched while subscribed so a client can follow a
// build or a server's log without calling command_output in a loop.
import { ToolError } from '../../core/base/errors';
import type { CommandHandleInfo } from '../../core/host/terminalHost';
import { defineResource, type AnyResourceSpec } from '../../core/tools/resourceSpec';
import { pollWatch } from '../common/resourceWatch';
import { uriValue } from '../common/uriValues';

const HANDLE = /^cmd-[0-9]+$/;

function outputUri(id: string): string {
	return `command://${id}/output`;
}

function state(handle: CommandHandleInfo): string {
	const ending = handle.result ? (handle.result.timedOut ? 'timed out' : handle.result.cancelled ? 'killed' : handle.result.exitCode !== null ? `exit code ${handle.result.exitCode}` : 'ended') : 'running';
	return `${handle.id} · ${ending} · started ${handle.startedAt} · ${handle.totalChars} characters printed\n$ ${handle.line}\n`;
}

export const commandOutputResource = defineResource<{ readonly id: string }>({
	name: 'command-output',
	title: 'Background command output',
	description: 'What a background command of this session (run_command with background: true) printed: its state, then the output kept (long output keeps its head and tail). Subscribe to follow it while it runs.',
	uriTemplate: 'command://{id}/output',
	family: 'terminal',
	completeWith: { id: 'command' },
	list: (host) => Promise.resolve(host.terminal.available ? host.terminal.list().map((handle) => ({ uri: outputUri(handle.id), name: `${handle.id}: ${handle.line.split('\n')[0].slice(0, 80)}` })) : []),
	listKey: (host) => (host.terminal.available ? host.terminal.list().map((handle) => handle.id).join(',') : ''),
	prepare(variables, uri) {
		const id = uriValue(variables, 'id', uri) ?? '';
		if (!HANDLE.test(id)) throw new ToolError(`"${id.slice(0, 100)}" is not a command handle; handles look like cmd-3 (see list_commands).`, 'invalid-input');
		return Promise.resolve({ subject: { summary: `read output of ${id}` }, plan: { id } });
	},
	read(uri, ctx) {
		if (!ctx.host.terminal.available) throw new ToolError('Running commands is not available in this host.', 'unavailable');
		const slice = ctx.host.terminal.output(ctx.plan.id, 0);
		if (!slice) throw new ToolError(`No command of this session has the handle ${ctx.plan.id}. list_commands shows the handles of this session.`, 'not-found');
		const skipped = slice.skippedChars > 0 ? `[… ${slice.skippedChars} earlier characters not kept …]\n` : '';
		return Promise.resolve([{ uri, mimeType: 'text/plain', text: `${state(slice.handle)}\n${skipped}${slice.output}` }]);
	},
	watch(variables, host, changed) {
		const id = typeof variables.id === 'string' ? variables.id : '';
		const handle = () => (host.terminal.available ? host.terminal.list().find((candidate) => candidate.id === id) : undefined);
		return pollWatch(() => {
			const now = handle();
			return now ? `${now.totalChars}:${now.running}` : undefined;
		}, () => handle()?.running === false, changed);
	},
});

export const terminalResources: readonly AnyResourceSpec[] = [commandOutputResource];
