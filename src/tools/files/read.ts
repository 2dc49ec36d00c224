import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Host } from '../../core/host/host';
import { defineTool, type CallSubject } from '../../core/tools/toolSpec';
import { ToolError } from '../../core/base/errors';
import type { ResolvedPath } from '../../core/paths/pathJail';
import { formatBytes, hasOtherNames, readCurrentText, shownPath, throwIfAborted } from './common';

const pathField = z.string().min(1);

export const readFileTool = defineTool({
	name: 'read_file',
	title: 'Read file',
	description: 'Read a text file (unsaved editor text if any), or lines from offset. Returns the hash edit_file/write_file take as expectedHash.',
	family: 'files',
	risk: 'read',
	input: z.object({
		path: pathField,
		offset: z.number().int().min(1).optional().describe('First line, 1-based.'),
		limit: z.number().int().min(1).max(100_000).optional(),
		encoding: z.enum(['auto', 'utf8', 'utf16le', 'utf16be', 'latin1']).optional(),
	}),
	// VS Code hands the model structuredContent instead of the text when a tool declares an output schema, so the
	// lines themselves must be part of it.
	output: z.object({
		path: z.string(),
		content: z.string(),
		notes: z.string(),
		startLine: z.number(),
		endLine: z.number(),
		totalLines: z.number(),
		truncated: z.boolean(),
		nextOffset: z.number().optional(),
		encoding: z.string(),
		bom: z.boolean(),
		source: z.enum(['disk', 'editor']),
		size: z.number(),
		mtimeMs: z.number(),
		hash: z.string(),
	}),
	annotations: { title: 'Read file', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	async prepare(input, host) {
		const resolved = await host.jail.resolve(input.path, { mustExist: true });
		const shown = shownPath(host, resolved);
		const hardLinked = await hasOtherNames(resolved.absolute) ? [resolved.absolute] : undefined;
		return { subject: { paths: [resolved.absolute], ...(hardLinked && { hardLinked }), summary: `read ${shown}` }, plan: { resolved, shown } };
	},
	async handler(input, ctx) {
		const { resolved, shown } = ctx.plan;
		// Content with other names (hard links) is read only when a person approved this very call (the policy asks).
		const current = await readCurrentText(ctx.host, resolved, shown, input.encoding ?? 'auto', ctx.approvedByPerson ? 'allow' : 'refuse');
		const lines = current.text.split(/(?<=\n)/);
		const totalLines = current.text === '' ? 0 : lines.length;
		const startLine = input.offset ?? 1;
		if (startLine > Math.max(totalLines, 1)) {
			throw new ToolError(`${shown} has ${totalLines} lines; offset ${startLine} is past the end. Ask for offset 1 to ${Math.max(totalLines, 1)}.`);
		}
		// Leave room for the footer so the gate's own cut never lands inside the text we chose to return.
		const budget = Math.max(1024, ctx.maxOutputBytes - 1024);
		const wanted = Math.min(totalLines, startLine - 1 + (input.limit ?? totalLines));
		let bytes = 0;
		let endLine = startLine - 1;
		const chosen: string[] = [];
		while (endLine < wanted) {
			const line = lines[endLine];
			const size = Buffer.byteLength(line);
			if (bytes + size > budget) {
				if (chosen.length === 0) {
					// One line longer than the whole budget (minified code): return its start rather than nothing.
					chosen.push(Buffer.from(line).subarray(0, budget).toString('utf8'));
					endLine++;
				}
				break;
			}
			chosen.push(line);
			bytes += size;
			endLine++;
		}
		const cutBySize = endLine < wanted;
		const more = endLine < totalLines;
		const nextOffset = more ? endLine + 1 : undefined;
		const notes: string[] = [];
		if (current.source === 'editor') {
			notes.push('This is the unsaved text of an open editor; it differs from the file on disk.');
		}
		if (cutBySize) {
			notes.push(`Truncated at the size cap: showing lines ${startLine}-${endLine} of ${totalLines}. Call read_file with offset ${nextOffset} to continue.`);
		} else if (more || startLine > 1) {
			notes.push(`Showing lines ${startLine}-${endLine} of ${totalLines}.${more ? ` Next: offset ${nextOffset}.` : ''}`);
		}
		notes.push(`${formatBytes(current.size)}, ${current.encoding}${current.bom ? ' with BOM' : ''}, hash ${current.hash} (pass as expectedHash to edit_file).`);
		const body = chosen.join('');
		const text = `${body}${body.endsWith('\n') || body === '' ? '' : '\n'}\n[read_file ${shown}: ${notes.join(' ')}]`;
		return {
			text,
			truncated: cutBySize,
			structured: {
				path: shown,
				content: body,
				notes: notes.join(' '),
				startLine,
				endLine,
				totalLines,
				truncated: cutBySize,
				nextOffset,
				encoding: current.encoding,
				bom: current.bom,
				source: current.source,
				size: current.size,
				mtimeMs: current.mtimeMs,
				hash: current.hash,
			},
		};
	},
});

/** The workspace folders themselves (an empty path in a multi-root workspace), or one resolved directory. */
type ListPlan = { readonly roots: true } | { readonly resolved: ResolvedPath; readonly shown: string };

type EntryType = 'file' | 'directory' | 'symlink' | 'other';

interface ListedEntry {
	path: string;
	type: EntryType;
	size?: number;
}

async function listRoot(host: Host): Promise<ListedEntry[]> {
	return host.workspace.folders().map((folder) => ({ path: folder.name, type: 'directory' as const }));
}

export const listDirectoryTool = defineTool({
	name: 'list_directory',
	title: 'List directory',
	description: 'Entries with type and size; empty path: the folder root.',
	family: 'files',
	risk: 'read',
	input: z.object({
		path: z.string().default(''),
		depth: z.number().int().min(1).max(10).default(1),
		limit: z.number().int().min(1).max(10_000).default(500),
	}),
	output: z.object({
		path: z.string(),
		entries: z.array(z.object({ path: z.string(), type: z.enum(['file', 'directory', 'symlink', 'other']), size: z.number().optional() })),
		truncated: z.boolean(),
	}),
	annotations: { title: 'List directory', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	async prepare(input, host): Promise<{ subject: CallSubject; plan: ListPlan }> {
		if (input.path === '' && host.workspace.folders().length > 1) {
			return { subject: { paths: host.workspace.folders().map((f) => f.path), summary: 'list workspace folders' }, plan: { roots: true } };
		}
		const resolved = await host.jail.resolve(input.path, { mustExist: true, allowFolderRoot: true });
		const shown = shownPath(host, resolved);
		return { subject: { paths: [resolved.absolute], summary: `list ${shown}` }, plan: { resolved, shown } };
	},
	async handler(input, ctx) {
		if ('roots' in ctx.plan) {
			const entries = await listRoot(ctx.host);
			return { text: entries.map((e) => `${e.path}/`).join('\n'), structured: { path: '', entries, truncated: false } };
		}
		const { resolved, shown } = ctx.plan;
		const rootInfo = await lstat(resolved.absolute);
		if (!rootInfo.isDirectory()) {
			throw new ToolError(`${shown} is a file, not a directory. Use read_file to read it.`);
		}
		const entries: ListedEntry[] = [];
		let truncated = false;
		// Breadth-first so a limit keeps the shallow, most useful entries.
		let level: { absolute: string; relative: string }[] = [{ absolute: resolved.absolute, relative: '' }];
		for (let depth = 1; depth <= input.depth && level.length > 0 && !truncated; depth++) {
			const next: typeof level = [];
			for (const dir of level) {
				throwIfAborted(ctx.signal);
				const dirents = await readdir(dir.absolute, { withFileTypes: true }).catch(() => []);
				dirents.sort((a, b) => a.name.localeCompare(b.name));
				const kept = dirents.slice(0, input.limit - entries.length);
				truncated = kept.length < dirents.length;
				// The sizes of one folder's files at once: one thread-pool round trip of latency instead of one per file.
				const sizes = await Promise.all(kept.map((dirent) => (dirent.isFile() && !dirent.isSymbolicLink() ? lstat(join(dir.absolute, dirent.name)).then((info) => info.size, () => undefined) : undefined)));
				for (const [index, dirent] of kept.entries()) {
					const relative = dir.relative === '' ? dirent.name : `${dir.relative}/${dirent.name}`;
					const type: EntryType = dirent.isSymbolicLink() ? 'symlink' : dirent.isDirectory() ? 'directory' : dirent.isFile() ? 'file' : 'other';
					const entry: ListedEntry = { path: relative, type };
					if (type === 'file') {
						entry.size = sizes[index];
					}
					entries.push(entry);
					// .git holds thousands of objects that are never what the agent wants to see.
					if (type === 'directory' && dirent.name !== '.git') {
						next.push({ absolute: join(dir.absolute, dirent.name), relative });
					}
				}
				if (truncated) {
					break;
				}
			}
			level = next;
		}
		const lines = entries.map((e) => e.type === 'directory' ? `${e.path}/` : e.type === 'symlink' ? `${e.path} -> (symlink)` : e.size !== undefined ? `${e.path}  (${formatBytes(e.size)})` : e.path);
		if (entries.length === 0) {
			lines.push('(empty directory)');
		}
		if (truncated) {
			lines.push(`[truncated at ${input.limit} entries; list a sub-directory, lower depth, or raise limit]`);
		}
		return { text: `${shown}/\n${lines.join('\n')}`, truncated, structured: { path: shown, entries, truncated } };
	},
});

