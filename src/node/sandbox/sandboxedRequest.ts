import { ToolError } from '../../core/base/errors';
import type { CommandRequest, CommandResult } from '../../core/host/terminalHost';
import type { Sandbox, SandboxInvocation } from './bubblewrap';

/**
 * The sandbox a command request asks for, or a refusal: a request that must run sandboxed never runs without it
 * (the policy allowed it without asking because the sandbox would bound it).
 */
export async function sandboxInvocation(sandbox: Sandbox | undefined, request: CommandRequest): Promise<SandboxInvocation | undefined> {
	if (!request.sandbox) return undefined;
	let invocation: SandboxInvocation | undefined;
	try {
		invocation = await sandbox?.invocation({ mode: request.sandbox, cwd: request.cwd, ...(request.env ? { env: request.env } : {}) });
	} catch (error) {
		throw new ToolError(`Not run: the sandbox could not be prepared (${error instanceof Error ? error.message : String(error)}). Nothing ran; try again, or ask the user to approve running it.`);
	}
	if (!invocation) throw new ToolError('Not run: this command must run in the OS sandbox, which is not available in this host. Nothing ran.');
	return invocation;
}

/** After a command that could write (approved, unsandboxed or allowed to write the workspace), secrets are looked for again. */
export function afterCommand(sandbox: Sandbox | undefined, request: CommandRequest, done: Promise<CommandResult>): void {
	if (request.sandbox !== 'read-only') void done.finally(() => sandbox?.invalidate());
}
