// Workspace files as MCP resources, for clients that attach files as context rather than calling read_file. A read
// is a call like any other: it passes the gate (policy, rate limit, redaction, audit, metrics) and the same path
// jail as the tools, so a crafted URI cannot reach outside the workspace and a sensitive file is refused.
import { ToolError } from '../../core/base/errors';
import { mimeTypeFor } from '../../core/paths/mimeType';
import { defineResource, type AnyResourceSpec, type UriVariables } from '../../core/tools/resourceSpec';
import { decodeText, looksBinary } from '../../core/host/textEncoding';
import { ripgrepFiles } from '../../node/files/ripgrep';
import { readUpTo } from '../../node/files/fileBytes';
import { formatBytes, hasOtherNames, openResolvedForReading, shownPath } from './common';

const SCHEME = 'workspace-file';
/** Larger files are refused: resources arrive whole, with no line ranges to page through. */
const MAX_RESOURCE_BYTES = 5 * 1024 * 1024;

function fileUri(folder: string, relative: string): string {
	return `${SCHEME}://${encodeURIComponent(folder)}/${relative.split('/').map(encodeURIComponent).join('/')}`;
}

function single(value: UriVariables[string] | undefined): string {
	return Array.isArray(value) ? value.join('/') : (value as string | undefined) ?? '';
}

/** One percent-decoding step; an escape that is not UTF-8 (overlong, truncated) makes the URI invalid, not an internal error. */
function decoded(text: string, uri: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		throw new ToolError(`${uri.length > 300 ? `${uri.slice(0, 300)}…` : uri} is not a valid URI: a percent escape does not decode to UTF-8 text.`, 'invalid-input');
	}
}

/** A text file's type: what its name says, when that is a text type; text/plain otherwise (a .png that is text). */
function textType(path: string): string {
	const named = mimeTypeFor(path);
	return named && (named.startsWith('text/') || /^application\/(json|jsonl|xml|yaml|toml|sql|graphql)$/.test(named) || named === 'image/svg+xml') ? named : 'text/plain';
}

/**
 * `workspace-file://{folder}/{+path}`: listing returns up to `limit` files (ignores respected); a read returns the
 * text (the unsaved editor text when there is one), or a base64 blob for binary files.
 */
export const workspaceFileResource = defineResource({
	name: 'workspace-file',
	title: 'Workspace file',
	description: 'A file in an open workspace folder.',
	uriTemplate: `${SCHEME}://{folder}/{+path}`,
	family: 'files',
	async list(host, limit, signal) {
		const resources: { uri: string; name: string; title: string; mimeType?: string }[] = [];
		for (const folder of host.workspace.folders()) {
			const excludes = host.files.excludes(folder);
			const found = await ripgrepFiles({ rgPath: host.files.ripgrepPath(), cwd: folder.path, exclude: [...excludes.files, ...excludes.search], signal }, limit - resources.length);
			// Each file titled by its own path, typed by its name: "Workspace file" for all of them told a client nothing.
			resources.push(...found.files.sort().map((relative) => {
				const mimeType = mimeTypeFor(relative);
				return { uri: fileUri(folder.name, relative), name: `${folder.name}/${relative}`, title: relative, ...(mimeType ? { mimeType } : {}) };
			}));
			if (resources.length >= limit) {
				break;
			}
		}
		return resources;
	},
	complete: {
		folder: (value, host) => host.workspace.folders().map((f) => f.name).filter((name) => name.startsWith(value)),
	},
	async prepare(variables, uri, host) {
		const folderName = decoded(single(variables.folder), uri);
		const folder = host.workspace.folders().find((f) => f.name === folderName);
		if (!folder) {
			throw new ToolError(`No workspace folder is named "${folderName}". Folders: ${host.workspace.folders().map((f) => f.name).join(', ')}.`, 'not-found');
		}
		// Decoded here, once, into an absolute path; the jail then refuses whatever the decoding produced ('..', NUL).
		const segments = single(variables.path).split('/').map((segment) => decoded(segment, uri));
		const resolved = await host.jail.resolve(`${folder.path}/${segments.join('/')}`, { mustExist: true });
		const shown = shownPath(host, resolved);
		// Nobody can be asked about a resource read: a file with other names (hard links) is refused by the policy.
		const hardLinked = await hasOtherNames(resolved.absolute) ? [resolved.absolute] : undefined;
		return { subject: { paths: [resolved.absolute], ...(hardLinked && { hardLinked }), summary: `read resource ${shown}` }, plan: { resolved, uri } };
	},
	async read(uri, ctx) {
		const { resolved } = ctx.plan;
		// One open file for the checks and the read, proven to be the file the policy allowed (see openResolvedForReading).
		const handle = await openResolvedForReading(resolved.absolute, uri);
		try {
			const info = await handle.stat();
			if (!info.isFile()) {
				throw new ToolError(`${uri} is not a file.`, 'not-a-file');
			}
			if (info.size > MAX_RESOURCE_BYTES) {
				throw new ToolError(`${uri} is too large to attach (${formatBytes(info.size)}); use the read_file tool with line ranges.`, 'too-large');
			}
			const dirty = ctx.host.files.dirtyText(resolved.absolute);
			if (dirty !== undefined) {
				return [{ uri, mimeType: textType(resolved.absolute), text: dirty }];
			}
			const bytes = await readUpTo(handle, info.size);
			if (looksBinary(bytes)) {
				return [{ uri, mimeType: mimeTypeFor(resolved.absolute) ?? 'application/octet-stream', blob: bytes.toString('base64') }];
			}
			return [{ uri, mimeType: textType(resolved.absolute), text: decodeText(bytes, 'auto').text }];
		} finally {
			await handle.close();
		}
	},
});

export const filesResources: readonly AnyResourceSpec[] = [workspaceFileResource];
