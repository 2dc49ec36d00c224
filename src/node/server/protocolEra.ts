import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';

/**
 * Revisions served statelessly: every request carries its version, identity and capabilities in `_meta`; no
 * `initialize`, no sessions (protocol 2026-07-28, SEP-2575).
 */
export const MODERN_VERSIONS: readonly string[] = ['2026-07-28'];
/** Revisions served in sessions opened by `initialize` (2025-11-25 and earlier), as the SDK's protocol layer knows them. */
export const LEGACY_VERSIONS: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
/** Where a modern request names its revision: the "envelope claim" that sets it apart from a legacy one. */
export const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';
/** Where a request of the stateless revision says who sent it (its clientInfo), in `params._meta`. */
export const CLIENT_INFO_META = 'io.modelcontextprotocol/clientInfo';

export type Era = 'modern' | 'legacy';

/**
 * Which era a POST speaks, decided as the 2026-07-28 transport's backward-compatibility rules say: modern when the
 * body claims a revision in `params._meta` (whatever revision: the modern path answers an unknown one with the list
 * it supports) or the MCP-Protocol-Version header names a modern revision (the modern path then finds the claim
 * missing); legacy otherwise, which covers `initialize`, every message in a 2025 session, and batches (a modern POST
 * carries one message). One header lookup and three property reads: it runs on every POST.
 */
export function eraOfPost(versionHeader: string | string[] | undefined, body: unknown): Era {
	if (typeof versionHeader === 'string' && MODERN_VERSIONS.includes(versionHeader)) return 'modern';
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'legacy';
	const params = (body as { params?: unknown }).params;
	if (typeof params !== 'object' || params === null) return 'legacy';
	const meta = (params as { _meta?: unknown })._meta;
	return typeof meta === 'object' && meta !== null && Object.hasOwn(meta, PROTOCOL_VERSION_META) ? 'modern' : 'legacy';
}
