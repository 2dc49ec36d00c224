import { lstat } from 'node:fs/promises';
import { sep } from 'node:path';
import { z } from 'zod';
import { defineTool } from '../../core/tools/toolSpec';
import { ToolError } from '../../core/base/errors';
import { resolveEntry, shownPath } from './common';

const pathField = z.string().min(1);

function failure(error: unknown, what: string): ToolError {
	if (error instanceof ToolError) {
		return error;
	}
	const code = (error as NodeJS.ErrnoException).code;
	const hint = code === 'ENOTEMPTY' || code === 'EEXIST' ? ' The target exists and is not an empty folder.' : code === 'EXDEV' ? ' Source and target are on different drives.' : '';
	return new ToolError(`${what} failed: ${(error as Error).message}.${hint} Nothing was changed.`);
}

export const renameFileTool = defineTool({
	name: 'rename_file',
	title: 'Rename or move file',
	description: 'Rename or move a file or folder.',
	family: 'files',
	risk: 'write',
	input: z.object({
		from: pathField,
		to: pathField,
		overwrite: z.boolean().default(false),
	}),
	annotations: { title: 'Rename or move file', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
	async prepare(input, host) {
		const from = await resolveEntry(host.jail, input.from, { mustExist: true });
		const to = await resolveEntry(host.jail, input.to);
		const shownFrom = shownPath(host, from);
		const shownTo = shownPath(host, to);
		// Refused before anyone is asked: these can never run.
		if (from.absolute === to.absolute) {
			throw new ToolError(`${shownFrom} and ${shownTo} are the same file.`, 'invalid-input');
		}
		if (to.absolute.startsWith(`${from.absolute}${sep}`)) {
			throw new ToolError(`Cannot move ${shownFrom} into itself (${shownTo}).`, 'invalid-input');
		}
		if (to.exists && !input.overwrite) {
			throw new ToolError(`${shownTo} already exists. Choose another name, or set overwrite: true to replace it.`, 'exists');
		}
		return {
			subject: {
				paths: [from.absolute, to.absolute],
				risk: to.exists && input.overwrite ? 'destructive' : undefined,
				summary: `rename ${shownFrom} → ${shownTo}`,
			},
			plan: { from, to, shownFrom, shownTo },
		};
	},
	async handler(input, ctx) {
		const { from, to, shownFrom, shownTo } = ctx.plan;
		try {
			// Held like an edit's lock: an edit of either file in flight finishes first, and does not land after the
			// rename at a name that was moved away.
			await ctx.host.files.exclusive([from.absolute, to.absolute], () => ctx.host.files.rename(from.absolute, to.absolute, { overwrite: input.overwrite }));
		} catch (error) {
			throw failure(error, `Renaming ${shownFrom} to ${shownTo}`);
		}
		return { text: `Renamed ${shownFrom} to ${shownTo}.` };
	},
});

export const deleteFileTool = defineTool({
	name: 'delete_file',
	title: 'Delete file',
	description: 'Delete a file, or a folder with recursive (to the trash if possible).',
	family: 'files',
	risk: 'destructive',
	input: z.object({
		path: pathField,
		recursive: z.boolean().default(false),
	}),
	annotations: { title: 'Delete file', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
	async prepare(input, host) {
		const target = await resolveEntry(host.jail, input.path, { mustExist: true });
		const shown = shownPath(host, target);
		const isDirectory = (await lstat(target.absolute)).isDirectory();
		if (isDirectory && !input.recursive) {
			throw new ToolError(`${shown} is a folder. Set recursive: true to delete it with everything in it.`, 'is-directory');
		}
		// What the entry is belongs on the card: a file approved for deletion that a folder replaced must not be deleted
		// with everything in it, and the re-check sees the change here.
		const kind = isDirectory ? 'folder' : (await lstat(target.absolute)).isSymbolicLink() ? 'link' : 'file';
		return { subject: { paths: [target.absolute], summary: `delete ${kind} ${shown}${isDirectory ? ' and everything in it' : ''}` }, plan: { target, shown, isDirectory } };
	},
	async handler(_input, ctx) {
		const { target, shown, isDirectory } = ctx.plan;
		let trashed: boolean;
		try {
			({ trashed } = await ctx.host.files.exclusive([target.absolute], () => ctx.host.files.delete(target.absolute, { recursive: isDirectory })));
		} catch (error) {
			throw failure(error, `Deleting ${shown}`);
		}
		return { text: `Deleted ${shown}${isDirectory ? ' and everything in it' : ''}${trashed ? ' (moved to the trash; it can be restored from there)' : ' (permanently: no trash is available here)'}.` };
	},
});
