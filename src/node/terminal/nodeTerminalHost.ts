import type { CommandHandleInfo, CommandOutputSlice, CommandRequest, CommandResult, TerminalHost, TerminalLimits } from '../../core/host/terminalHost';
import { BackgroundRegistry, backgroundChild } from './backgroundCommands';
import { ChildCommand, defaultShell, type ProcessRequest } from './childCommand';
import type { Sandbox } from '../sandbox/bubblewrap';
import { afterCommand, sandboxInvocation } from '../sandbox/sandboxedRequest';

export interface NodeTerminalHostOptions {
	readonly killGraceMs?: number;
	readonly shell?: string;
	readonly limits?: TerminalLimits;
	/** Runs the requests that ask for it sandboxed; without one, such requests are refused. */
	readonly sandbox?: Sandbox;
}

/** TerminalHost on plain Node: every command is a child process (tests, external hosts). */
export class NodeTerminalHost implements TerminalHost {
	readonly available = true;
	private readonly background = new BackgroundRegistry();

	constructor(private readonly options: NodeTerminalHostOptions = {}) {}

	limits(): TerminalLimits {
		return this.options.limits ?? { defaultTimeoutMs: 60_000, maxTimeoutMs: 600_000 };
	}

	async run(request: CommandRequest): Promise<CommandResult> {
		return (await this.child(request)).done;
	}

	async start(request: CommandRequest): Promise<CommandHandleInfo> {
		// The caller's signal belongs to the tool call that started it, which ends now: only timeout or kill stop it.
		const { signal: _signal, ...detached } = request;
		const child = await this.child(detached);
		return this.background.add(backgroundChild(child, request), request.owner);
	}

	output(id: string, since: number, owner?: string): CommandOutputSlice | undefined {
		return this.background.output(id, since, owner);
	}

	list(owner?: string): readonly CommandHandleInfo[] {
		return this.background.list(owner);
	}

	kill(id: string, owner?: string): Promise<CommandHandleInfo | undefined> {
		return this.background.kill(id, owner);
	}

	shellPath(): string {
		return this.options.shell ?? defaultShell();
	}

	dispose(): Promise<void> {
		return this.background.killAll();
	}

	private async child(request: CommandRequest): Promise<ChildCommand> {
		const { killGraceMs, shell, sandbox } = this.options;
		const sandboxed = await sandboxInvocation(sandbox, request);
		const processRequest: ProcessRequest = { ...request, ...(killGraceMs === undefined ? {} : { killGraceMs }), ...(shell === undefined ? {} : { shell }), ...(sandboxed ? { sandboxed } : {}) };
		const child = new ChildCommand(processRequest);
		afterCommand(sandbox, request, child.done);
		return child;
	}
}
