import type * as vscode from 'vscode';
import type { TokenVault, VaultContents } from '../node/server/clientTokens';

const KEY = 'mcpWorkbench.connectedClients';

/**
 * Connected clients' tokens in VS Code's SecretStorage (the OS keychain): shared by every window of this profile, so
 * a client connected in one window is known to all, and a revocation reaches all (`onDidChange`).
 */
export function secretVault(secrets: vscode.SecretStorage): TokenVault & { readonly key: string } {
	return {
		key: KEY,
		async load(): Promise<VaultContents> {
			const text = await secrets.get(KEY);
			if (!text) return { clients: [], revoked: [] };
			try {
				const parsed = JSON.parse(text) as Partial<VaultContents>;
				return { clients: Array.isArray(parsed.clients) ? parsed.clients : [], revoked: Array.isArray(parsed.revoked) ? parsed.revoked : [] };
			} catch {
				return { clients: [], revoked: [] };
			}
		},
		async save(contents: VaultContents): Promise<void> {
			await secrets.store(KEY, JSON.stringify(contents));
		},
	};
}
