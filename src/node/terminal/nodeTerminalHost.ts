import type { CommandHandleInfo, CommandOutputSlice, CommandRequest, CommandResult, TerminalHost, TerminalLimits } from '../../core/host/terminalHost';
import { BackgroundRegistry, backgroundChild } from './backgroundCommands';
import { ChildCommand, defaultShell, type ProcessRequest } from './childCommand';

export interface NodeTerminalHostOptions {
	readonly killGraceMs?: number;
	readonly shell?: string;
	readonly limits?: TerminalLimits;
}

/** TerminalHost on plain Node: every command is a child process (tests, external hosts). */
export class NodeTerminalHost implements TerminalHost {
	readonly available = true;
	private readonly background = new BackgroundRegistry();

	constructor(private readonly options: NodeTerminalHostOptions = {}) {}

	limits(): TerminalLimits {
		return this.options.limits ?? { defaultTimeoutMs: 60_000, maxTimeoutMs: 600_000 };
	}

	run(request: CommandRequest): Promise<CommandResult> {
		return new ChildCommand(this.processRequest(request)).done;
	}

	async start(request: CommandRequest): Promise<CommandHandleInfo> {
		// The caller's signal belongs to the tool call that started it, which ends now: only timeout or kill stop it.
		const { signal: _signal, ...detached } = request;
		const child = new ChildCommand(this.processRequest(detached));
		return this.background.add(backgroundChild(child, request));
	}

	output(id: string, since: number): CommandOutputSlice | undefined {
		return this.background.output(id, since);
	}

	list(): readonly CommandHandleInfo[] {
		return this.background.list();
	}

	kill(id: string): Promise<CommandHandleInfo | undefined> {
		return this.background.kill(id);
	}

	shellPath(): string {
		return this.options.shell ?? defaultShell();
	}

	dispose(): Promise<void> {
		return this.background.killAll();
	}

	private processRequest(request: CommandRequest): ProcessRequest {
		const { killGraceMs, shell } = this.options;
		return { ...request, ...(killGraceMs === undefined ? {} : { killGraceMs }), ...(shell === undefined ? {} : { shell }) };
	}
}
