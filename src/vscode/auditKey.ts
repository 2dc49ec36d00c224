import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

const SECRET_KEY = 'mcpWorkbench.audit.key';

/**
 * The audit chain's HMAC key, from the editor's SecretStorage (the OS keychain), created on first use. It lives
 * outside the audit folder on purpose: whoever can write that folder must not be able to recompute the chain.
 */
export async function auditKey(secrets: vscode.SecretStorage): Promise<string> {
	const existing = await secrets.get(SECRET_KEY);
	if (existing) return existing;
	const created = randomBytes(32).toString('base64url');
	await secrets.store(SECRET_KEY, created);
	return created;
}
