import { request } from 'node:http';

export interface RawResponse {
	readonly status: number;
	readonly headers: Record<string, string | string[] | undefined>;
	readonly body: string;
}

/** A plain HTTP request with exactly the headers given (no client library adding or fixing any). */
export function rawRequest(
	target: { url: string } | { socketPath: string },
	options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const base = 'url' in target ? new URL(target.url) : undefined;
		const req = request(
			{
				method: options.method ?? 'POST',
				...(base ? { host: base.hostname, port: base.port } : { socketPath: (target as { socketPath: string }).socketPath }),
				path: options.path ?? base?.pathname ?? '/mcp',
				headers: options.headers ?? {},
				setHost: options.headers?.host === undefined && options.headers?.Host === undefined,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(options.body);
	});
}

export const initializeBody = JSON.stringify({
	jsonrpc: '2.0',
	id: 1,
	method: 'initialize',
	params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
