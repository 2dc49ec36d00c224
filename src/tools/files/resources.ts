// Workspace files as MCP resources, for clients that attach files as context rather than calling read_file.
// Reads go through the same PathJail as the tools, so a crafted URI cannot reach outside the workspace.
import { readFile, stat } from 'node:fs/promises';
import { ResourceTemplate, type McpServer, type RegisteredResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Host } from '../../core/host/host';
import { ToolError } from '../../core/tools/toolSpec';
import { ripgrepFiles } from '../../node/files/ripgrep';
import { formatBytes } from './common';
import { decodeText, looksBinary } from '../../core/host/textEncoding';

const SCHEME = 'workspace-file';
/** Larger files are refused: resources arrive whole, with no line ranges to page through. */
const MAX_RESOURCE_BYTES = 5 * 1024 * 1024;

function fileUri(folder: string, relative: string): string {
	return `${SCHEME}://${encodeURIComponent(folder)}/${relative.split('/').map(encodeURIComponent).join('/')}`;
}

function single(value: string | string[] | undefined): string {
	return Array.isArray(value) ? value.join('/') : value ?? '';
}

/**
 * Registers `workspace-file://{folder}/{+path}`: listing returns up to `listLimit` files (ignores respected),
 * reading returns text, or a base64 blob for binary files.
 */
export interface FileResourceOptions {
	readonly listLimit?: number;
	/**
	 * The gate's verdict for reading this path. Resources have no approval flow, so anything the policy would not
	 * simply allow (sensitive paths, a deny rule) is refused here and the agent is sent to read_file, which asks.
	 */
	readonly authorize?: (absolutePath: string) => void;
}

export function registerFileResources(server: McpServer, host: Host, options: FileResourceOptions = {}): RegisteredResourceTemplate {
	const listLimit = options.listLimit ?? 1000;
	const template = new ResourceTemplate(`${SCHEME}://{folder}/{+path}`, {
		list: async (extra) => {
			const resources: { uri: string; name: string; mimeType?: string }[] = [];
			for (const folder of host.workspace.folders()) {
				const excludes = host.files.excludes(folder);
				const found = await ripgrepFiles({ rgPath: host.files.ripgrepPath(), cwd: folder.path, exclude: [...excludes.files, ...excludes.search], signal: extra.signal }, listLimit - resources.length);
				resources.push(...found.files.sort().map((relative) => ({ uri: fileUri(folder.name, relative), name: `${folder.name}/${relative}` })));
				if (resources.length >= listLimit) {
					break;
				}
			}
			return { resources };
		},
		complete: {
			folder: (value) => host.workspace.folders().map((f) => f.name).filter((name) => name.startsWith(value)),
		},
	});
	return server.registerResource('workspace-file', template, {
		title: 'Workspace file',
		description: 'A file in an open workspace folder.',
	}, async (uri, variables) => {
		const folderName = decodeURIComponent(single(variables.folder));
		const folder = host.workspace.folders().find((f) => f.name === folderName);
		if (!folder) {
			throw new ToolError(`No workspace folder is named "${folderName}". Folders: ${host.workspace.folders().map((f) => f.name).join(', ')}.`);
		}
		// Decoded here, once, into an absolute path; the jail then refuses whatever the decoding produced ('..', NUL).
		const segments = single(variables.path).split('/').map((segment) => decodeURIComponent(segment));
		const resolved = await host.jail.resolve(`${folder.path}/${segments.join('/')}`, { mustExist: true });
		options.authorize?.(resolved.absolute);
		const info = await stat(resolved.absolute);
		if (!info.isFile()) {
			throw new ToolError(`${uri.href} is not a file.`);
		}
		if (info.size > MAX_RESOURCE_BYTES) {
			throw new ToolError(`${uri.href} is too large to attach (${formatBytes(info.size)}); use the read_file tool with line ranges.`);
		}
		const dirty = host.files.dirtyText(resolved.absolute);
		if (dirty !== undefined) {
			return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: dirty }] };
		}
		const bytes = await readFile(resolved.absolute);
		if (looksBinary(bytes)) {
			return { contents: [{ uri: uri.href, mimeType: 'application/octet-stream', blob: bytes.toString('base64') }] };
		}
		return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: decodeText(bytes, 'auto').text }] };
	});
}
