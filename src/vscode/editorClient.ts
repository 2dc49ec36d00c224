import * as vscode from 'vscode';
import type { Disposable } from '../core/base/disposable';
import type { Event } from '../core/base/event';
import type { Logger } from '../core/base/log';

/**
 * VS Code's id for a server an extension's provider hands over: the extension id in lower case, a slash, the
 * definition's label (extHostMcp.ts builds it with `ExtensionIdentifier.toKey`). `workbench.mcp.startServer` takes it.
 */
export function editorDefinitionId(extensionId: string, label: string): string {
	return `${extensionId.toLowerCase()}/${label}`;
}

export interface EditorClientDeps {
	readonly definitionId: string;
	/** Sessions VS Code's own MCP client has open on our server now. */
	readonly editorSessions: () => number;
	readonly onDidChangeSessions: Event<number>;
	readonly running: () => boolean;
	readonly log: Logger;
	/** `workbench.mcp.startServer`; replaced only by tests. */
	readonly startServer?: (definitionId: string) => PromiseLike<unknown>;
}

/**
 * VS Code starts an MCP server lazily and caches its tools by the definition's version: until its client has listed
 * our tools once, the chat tools picker shows the server unchecked with nothing but "Update Tools". And whenever the
 * definition changes (every start gives a fresh socket and secret), VS Code stops its connection and leaves the
 * server "Stopped" until something starts it again. So after each start of ours, this starts VS Code's client on
 * the new definition and waits until its tools are live.
 *
 * VS Code applies a definition change 500 ms after it arrives (a debounced `updateCollectedServers`), and a start
 * made before that is stopped again; a start made before the definition reached it finds no server at all. Hence
 * the check that VS Code's session stays open, and the retries.
 */
export class EditorClientConnector implements Disposable {
	private attempt = 0;
	private disposed = false;

	constructor(private readonly deps: EditorClientDeps) {}

	/** Connects VS Code's client to the running server; a newer call supersedes an older one. */
	connect(): Promise<boolean> {
		const attempt = ++this.attempt;
		return this.run(attempt);
	}

	private async run(attempt: number): Promise<boolean> {
		const current = () => !this.disposed && attempt === this.attempt && this.deps.running();
		for (let tryNo = 0; tryNo < MAX_TRIES; tryNo++) {
			if (!current()) return false;
			try {
				await (this.deps.startServer ?? startServer)(this.deps.definitionId);
			} catch (error) {
				// A start that needs the person (an untrusted workspace, a policy) stays theirs to make: no prompt from here.
				this.deps.log.info('editor_client.start_refused', { error: error instanceof Error ? error.message : String(error) });
				return false;
			}
			if (!current()) return false;
			if (await this.staysConnected()) {
				this.deps.log.info('editor_client.connected', { tries: tryNo + 1 });
				return true;
			}
			await delay(RETRY_BASE_MS * 2 ** tryNo);
		}
		this.deps.log.warn('editor_client.not_connected', { tries: MAX_TRIES });
		return false;
	}

	/** True once VS Code's session has stayed open past its definition debounce; false if it is gone or never came. */
	private staysConnected(): Promise<boolean> {
		if (this.deps.editorSessions() === 0) return Promise.resolve(false);
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				listener.dispose();
				resolve(this.deps.editorSessions() > 0);
			}, SETTLE_MS);
			const listener = this.deps.onDidChangeSessions(() => {
				if (this.deps.editorSessions() > 0) return;
				clearTimeout(timer);
				listener.dispose();
				resolve(false);
			});
		});
	}

	dispose(): void {
		this.disposed = true;
	}
}

/** Longer than VS Code's 500 ms definition debounce plus the round trip to the extension host. */
const SETTLE_MS = 1_500;
const RETRY_BASE_MS = 500;
const MAX_TRIES = 5;

function startServer(definitionId: string): PromiseLike<unknown> {
	// errorOnUserInteraction: never raise a trust or input prompt at startup; waitForLiveTools: resolve once
	// tools/list has answered, so the picker and vscode.lm.tools have them.
	return vscode.commands.executeCommand('workbench.mcp.startServer', definitionId, { waitForLiveTools: true, errorOnUserInteraction: true });
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
