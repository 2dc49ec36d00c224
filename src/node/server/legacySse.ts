import type { IncomingHttpHeaders } from 'node:http';

/**
 * Clients of the HTTP+SSE transport (protocol 2024-11-05) open `GET /sse` (or GET the endpoint with no session) and
 * post to `/messages`. They would otherwise hear "Mcp-Session-Id header required" or "Not found", which points
 * nowhere; this says what the server speaks and what to use instead. Answered before authentication: it reveals
 * nothing but the transport, and a 401 would send some of these clients into an OAuth sign-in we do not offer.
 */
export function legacySseAnswer(method: string | undefined, path: string, headers: IncomingHttpHeaders, url: string): { readonly status: number; readonly message: string } | undefined {
	const legacyPath = path === '/sse' || path === '/messages' || path === '/message';
	// A client that names a protocol version speaks Streamable HTTP (2024-11-05 clients send no such header): a GET
	// naming 2026-07-28, say, is answered by that revision's own refusal.
	const legacyGet = method === 'GET' && path === '/mcp' && headers['mcp-session-id'] === undefined && headers['mcp-protocol-version'] === undefined;
	if (!legacyPath && !legacyGet) return undefined;
	return {
		// 405 for the GET on the endpoint, as the Streamable HTTP spec lets a server answer a GET it does not serve;
		// 404 for the old transport's paths, which do not exist here.
		status: legacyGet ? 405 : 404,
		message: `This server speaks MCP Streamable HTTP (protocol 2025-03-26 and later) at ${url}, not the older HTTP+SSE transport (2024-11-05, GET /sse and POST /messages). Use a client that supports Streamable HTTP, or MCP Workbench's stdio launcher (run "MCP Workbench: Connect a Client…" in VS Code).`,
	};
}
