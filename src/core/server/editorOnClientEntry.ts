// VS Code reads a workspace's `.mcp.json` (Claude Code's project file) and offers to start the servers in it, as it
// may other clients' files. An entry that "Connect a Client…" wrote for another client then gives VS Code a second
// copy of our tools, on that client's credential: each tool listed twice in the picker, and VS Code's calls carded
// and audited as the other client's. VS Code has MCP Workbench built in, so such a session is refused, saying why.
import { CONNECT_TARGETS, type ConnectKind } from './connectClient';

/** What VS Code and its builds call themselves in MCP's initialize (`product.nameLong`). */
const EDITOR_NAMES = /^(?:Visual Studio Code(?: - Insiders| - Exploration)?|Code - OSS(?: Dev)?|code-server|VSCodium(?: - Insiders)?)$/;

export interface CredentialFor {
	/** The credential's name, as cards and the audit show it. */
	readonly name: string;
	/** The client it was connected for; undefined for credentials that do not say (copied snippets, older ones). */
	readonly kind?: ConnectKind;
}

/**
 * Why a session is refused, when VS Code opens it with a credential connected for another client; undefined
 * otherwise. The name a client gives itself is its own claim, so it is only ever used to refuse: a client that
 * calls itself VS Code gains nothing by it.
 */
export function editorOnClientEntry(credential: CredentialFor, clientName: string | undefined): string | undefined {
	if (credential.kind === undefined || credential.kind === 'vscode' || clientName === undefined || !EDITOR_NAMES.test(clientName)) return undefined;
	const label = CONNECT_TARGETS.find((target) => target.kind === credential.kind)?.label ?? credential.kind;
	return `${clientName} started the entry that "Connect a Client…" wrote for ${label} ("${credential.name}"): VS Code also reads a workspace's .mcp.json and other clients' files. MCP Workbench is built into VS Code already (the server "MCP Workbench"), so this second copy is refused: its tools would be listed twice, and its calls recorded as "${credential.name}"'s. Stop or hide this entry in VS Code (MCP: List Servers); ${label} goes on using it.`;
}
