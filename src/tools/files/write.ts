import { lstat } from 'node:fs/promises';
import { z } from 'zod';
import type { TextEncodingName } from '../../core/host/filesHost';
import type { Host } from '../../core/host/host';
import type { ResolvedPath } from '../../core/paths/pathJail';
import { resolveWriteTarget } from '../../core/paths/pathRules';
import { defineTool, type CallSubject } from '../../core/tools/toolSpec';
import { isToolError, ToolError } from '../../core/base/errors';
import { contentHash, diffPreview, readCurrentText, shownPath, throwIfAborted, type CurrentText } from './common';

const pathField = z.string().min(1);
const expectedHashField = z.string().optional().describe('From read_file; refused if changed since.');

function checkExpected(shown: string, current: CurrentText | undefined, expectedHash: string | undefined, expectedMtimeMs?: number): void {
	if (expectedHash !== undefined && current?.hash !== expectedHash) {
		throw new ToolError(`${shown} changed since you read it (hash ${expectedHash}, now ${current?.hash ?? 'missing'}). Read it again with read_file and redo the change on the current text.`, 'changed');
	}
	if (expectedMtimeMs !== undefined && current?.mtimeMs !== expectedMtimeMs) {
		throw new ToolError(`${shown} was modified since you read it (mtime ${expectedMtimeMs}, now ${current?.mtimeMs ?? 'missing'}). Read it again with read_file and redo the change.`, 'changed');
	}
}

async function existingText(host: Host, resolved: ResolvedPath, shown: string): Promise<CurrentText | undefined> {
	if (!resolved.exists) {
		return undefined;
	}
	if ((await lstat(resolved.absolute)).isDirectory()) {
		throw new ToolError(`${shown} is a directory; name a file.`, 'is-directory');
	}
	return readUnderLock(host, resolved, shown);
}

/**
 * Reads under the file's lock: a write of ours in flight renames a new file into place, and a read that opened the
 * old one would be refused as "changed while it was being read".
 */
async function readUnderLock(host: Host, resolved: ResolvedPath, shown: string): Promise<CurrentText> {
	// Refused before anything is read: an edit's errors and the card's diff would show the content of its other names.
	await refuseHardLinked(resolved, shown);
	return host.files.exclusive([resolved.absolute], () => readCurrentText(host, resolved, shown));
}

/** Same encoding and BOM as before, so a rewrite of a UTF-16 or latin1 file does not silently transcode it. */
function keepEncoding(current: CurrentText | undefined): { encoding: TextEncodingName; bom: boolean } {
	return current ? { encoding: current.encoding, bom: current.bom } : { encoding: 'utf8', bom: false };
}

/**
 * A file with more than one hard link shares its content with paths the jail cannot see (realpath names one of
 * them), possibly outside the workspace: pnpm's store, a planted link to a system file. Writing it would change
 * them all, so it is refused.
 */
async function refuseHardLinked(resolved: ResolvedPath, shown: string): Promise<void> {
	const info = await lstat(resolved.absolute).catch(() => undefined);
	if (info?.isFile() && info.nlink > 1) {
		throw new ToolError(`${shown} is one of ${info.nlink} hard links to the same content, which may lie outside the workspace; writing it would change them all. `
			+ 'Nothing was changed. To change only this path, delete it and create it again with the new content (delete_file, then create_file).');
	}
}

async function write(host: Host, resolved: ResolvedPath, shown: string, text: string, mode: 'create' | 'overwrite', current: CurrentText | undefined): Promise<void> {
	await refuseHardLinked(resolved, shown);
	try {
		await host.files.writeText(resolved.absolute, text, { mode, ...keepEncoding(current) });
	} catch (error) {
		if (error instanceof ToolError) {
			throw error;
		}
		if (error instanceof RangeError) {
			throw new ToolError(`${shown} is ${current?.encoding}, which cannot hold this text (${error.message}). Avoid those characters.`);
		}
		throw new ToolError(`Writing ${shown} failed: ${(error as Error).message}. Nothing was changed.`);
	}
}

/** What a write replaces, resolved once: the target, how it is shown, and the text it holds now (absent for a new file). */
interface WritePlan {
	readonly resolved: ResolvedPath;
	readonly shown: string;
	/** The text the approval's diff was computed from; undefined for a new file or one whose old text is unreadable. */
	readonly current: CurrentText | undefined;
	/** What the file held when this plan was made (see fingerprint); the write happens only onto that. */
	readonly base: string;
}

async function writePlan(resolved: ResolvedPath, shown: string, current: CurrentText | undefined): Promise<WritePlan> {
	return { resolved, shown, current, base: await fingerprint(resolved, current) };
}

/** The subject of a whole-file write: its path, the diff from what the file holds now to `text`, and what it holds. */
function writeSubject(plan: WritePlan, text: string, verb: string): CallSubject {
	return { paths: [plan.resolved.absolute], diff: diffPreview(plan.shown, plan.current?.text ?? '', text), fingerprint: plan.base, summary: `${verb} ${plan.shown}` };
}

/**
 * What the file holds now, read under its lock: its text (undefined when it is absent, binary or too large) and its
 * fingerprint, to compare with the plan's base.
 */
async function holdsNow(host: Host, resolved: ResolvedPath, shown: string): Promise<{ current: CurrentText | undefined; fingerprint: string }> {
	const exists = await lstat(resolved.absolute).then(() => true, () => false);
	const now = { ...resolved, exists };
	const current = exists
		? await readCurrentText(host, now, shown).catch((error: unknown) => {
			if (isToolError(error, 'binary') || isToolError(error, 'too-large')) return undefined;
			throw error;
		})
		: undefined;
	return { current, fingerprint: await fingerprint(now, current) };
}

/** How the refusal names what the file holds now, so the agent knows its read is stale without another call. */
function describeHolding(fingerprint: string, current: CurrentText | undefined): string {
	if (current) return `it now has hash ${current.hash}`;
	return fingerprint === 'absent' ? 'it no longer exists' : 'it now holds different bytes';
}

function changedUnder(shown: string, fingerprint: string, current: CurrentText | undefined): ToolError {
	return new ToolError(`${shown} changed while this call was waiting to write (another write landed first): ${describeHolding(fingerprint, current)}. Nothing was written. Read it again with read_file and redo the change on the current text.`, 'changed');
}

/**
 * Writes `text` under the file's lock, only onto the base the plan was made from: a write that landed meanwhile
 * (another call, another program) refuses this one instead of being overwritten by it.
 */
async function writeOntoBase(ctx: { readonly host: Host; readonly signal: AbortSignal }, plan: WritePlan, text: string, mode: 'create' | 'overwrite', expectedHash?: string): Promise<void> {
	await ctx.host.files.exclusive([plan.resolved.absolute], async () => {
		// A call that timed out or was cancelled while it waited for the lock must not write afterwards.
		throwIfAborted(ctx.signal);
		const now = await holdsNow(ctx.host, plan.resolved, plan.shown);
		checkExpected(plan.shown, now.current, expectedHash);
		if (now.fingerprint !== plan.base) throw changedUnder(plan.shown, now.fingerprint, now.current);
		await write(ctx.host, plan.resolved, plan.shown, text, mode, now.current);
	});
}

/**
 * What the target holds, for the re-check: the text's hash, or (text unreadable: binary, too large) its size and
 * modification time. A diff too large to show would otherwise bind the approval to nothing but the path.
 */
async function fingerprint(resolved: ResolvedPath, current: CurrentText | undefined): Promise<string> {
	if (current) {
		return `text:${current.hash}`;
	}
	const info = resolved.exists ? await lstat(resolved.absolute).catch(() => undefined) : undefined;
	return info ? `stat:${info.size}:${info.mtimeMs}` : 'absent';
}

export const createFileTool = defineTool({
	name: 'create_file',
	title: 'Create file',
	description: 'Create a text file (and folders); refused if it exists unless overwrite.',
	family: 'files',
	risk: 'write',
	input: z.object({
		path: pathField,
		content: z.string(),
		overwrite: z.boolean().default(false),
	}),
	annotations: { title: 'Create file', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
	async prepare(input, host) {
		const resolved = await resolveWriteTarget(host.jail, input.path);
		const shown = shownPath(host, resolved);
		if (resolved.exists && !input.overwrite) {
			throw new ToolError(`${shown} already exists. Use edit_file to change it, or create_file with overwrite: true to replace it.`, 'exists');
		}
		// Replacing a binary or oversized file is allowed with overwrite; only its old text is unknown.
		const current = await existingText(host, resolved, shown).catch((error: unknown) => {
			if (input.overwrite && !isToolError(error, 'is-directory')) {
				return undefined;
			}
			throw error;
		});
		const plan = await writePlan(resolved, shown, current);
		return { subject: writeSubject(plan, input.content, 'create'), plan };
	},
	async handler(input, ctx) {
		const { resolved, shown } = ctx.plan;
		await writeOntoBase(ctx, ctx.plan, input.content, input.overwrite ? 'overwrite' : 'create');
		return { text: `${resolved.exists ? 'Replaced' : 'Created'} ${shown} (${input.content.length} characters, hash ${contentHash(input.content)}).` };
	},
});

export const writeFileTool = defineTool({
	name: 'write_file',
	title: 'Write file',
	description: 'Replace a text file\'s whole content (creates it). For small changes use edit_file.',
	family: 'files',
	risk: 'write',
	input: z.object({
		path: pathField,
		content: z.string(),
		expectedHash: expectedHashField,
	}),
	annotations: { title: 'Write file', readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
	async prepare(input, host) {
		const resolved = await resolveWriteTarget(host.jail, input.path);
		const shown = shownPath(host, resolved);
		const current = await existingText(host, resolved, shown);
		// Refused before anyone is asked: approving a write the agent itself called stale would be wasted attention.
		checkExpected(shown, current, input.expectedHash);
		const plan = await writePlan(resolved, shown, current);
		return { subject: writeSubject(plan, input.content, 'write'), plan };
	},
	async handler(input, ctx) {
		const { shown } = ctx.plan;
		await writeOntoBase(ctx, ctx.plan, input.content, 'overwrite', input.expectedHash);
		return { text: `Wrote ${shown} (${input.content.length} characters, hash ${contentHash(input.content)}).` };
	},
});

interface Edit {
	readonly oldText: string;
	readonly newText: string;
	readonly replaceAll?: boolean;
}

function countOccurrences(text: string, search: string): number {
	let count = 0;
	for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + search.length)) {
		count++;
	}
	return count;
}

/**
 * Applies edits in order, each to the result of the ones before; any failure rejects them all. An edit written
 * with '\n' still matches a CRLF file, and its replacement then uses CRLF too.
 */
export function applyEdits(text: string, edits: readonly Edit[], shown: string): string {
	let result = text;
	edits.forEach((edit, index) => {
		const label = edits.length > 1 ? `Edit ${index + 1} of ${edits.length}` : 'The edit';
		if (edit.oldText === '') {
			throw new ToolError(`${label} has an empty oldText; copy the exact text to replace from read_file.`);
		}
		let oldText = edit.oldText;
		let newText = edit.newText;
		let count = countOccurrences(result, oldText);
		if (count === 0 && result.includes('\r\n') && !oldText.includes('\r\n')) {
			oldText = oldText.replace(/\n/g, '\r\n');
			newText = newText.replace(/\r?\n/g, '\r\n');
			count = countOccurrences(result, oldText);
		}
		if (count === 0) {
			throw new ToolError(`${label}: oldText was not found in ${shown}${index > 0 ? ' (after applying the edits before it)' : ''}. Read the file again and copy the text exactly, including whitespace and indentation. No edit was applied.`);
		}
		if (count > 1 && !edit.replaceAll) {
			throw new ToolError(`${label}: oldText occurs ${count} times in ${shown}. Include more surrounding lines so it is unique, or set replaceAll: true. No edit was applied.`);
		}
		result = edit.replaceAll ? result.split(oldText).join(newText) : result.replace(oldText, () => newText);
	});
	return result;
}

/** An edit, computed once from the text the file holds: the approval's diff is exactly what the handler writes. */
interface EditPlan extends WritePlan {
	readonly current: CurrentText;
	readonly after: string;
	readonly unified: string;
}

export const editFileTool = defineTool({
	name: 'edit_file',
	title: 'Edit file',
	description: 'Replace exact text; each oldText must occur once unless replaceAll. All edits apply or none; dryRun only diffs.',
	family: 'files',
	risk: 'write',
	input: z.object({
		path: pathField,
		edits: z.array(z.object({
			oldText: z.string(),
			newText: z.string(),
			replaceAll: z.boolean().optional(),
		})).min(1),
		dryRun: z.boolean().default(false),
		expectedHash: expectedHashField,
		expectedMtimeMs: z.number().optional(),
	}),
	output: z.object({ path: z.string(), diff: z.string(), applied: z.boolean(), hash: z.string() }),
	annotations: { title: 'Edit file', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
	async prepare(input, host) {
		const resolved = await resolveWriteTarget(host.jail, input.path, { mustExist: true });
		const shown = shownPath(host, resolved);
		const current = await readUnderLock(host, resolved, shown);
		checkExpected(shown, current, input.expectedHash, input.expectedMtimeMs);
		const after = applyEdits(current.text, input.edits, shown);
		const diff = diffPreview(shown, current.text, after);
		const plan: EditPlan = { ...await writePlan(resolved, shown, current), current, after, unified: diff?.unified ?? TOO_LARGE_TO_SHOW };
		return { subject: { paths: [resolved.absolute], diff, fingerprint: plan.base, summary: `${input.dryRun ? 'preview edit of' : 'edit'} ${shown}` }, plan };
	},
	async handler(input, ctx) {
		const { shown } = ctx.plan;
		if (input.dryRun) {
			const { after, unified } = ctx.plan;
			return { text: `Dry run, nothing written. Diff for ${shown}:\n${unified}`, structured: { path: shown, diff: unified, applied: false, hash: contentHash(after) } };
		}
		return ctx.host.files.exclusive([ctx.plan.resolved.absolute], async () => {
			throwIfAborted(ctx.signal);
			const { current, after, unified, onto } = await rebased(ctx.host, ctx.plan, input, ctx.approvedByPerson);
			const hash = contentHash(after);
			if (after === current.text) {
				return { text: `${shown} is unchanged (the edits replace text with the same text).`, structured: { path: shown, diff: '', applied: false, hash } };
			}
			await write(ctx.host, ctx.plan.resolved, shown, after, 'overwrite', current);
			const note = onto === undefined ? '' : `; applied on top of a write that landed first, which left hash ${onto}`;
			return { text: `Edited ${shown} (new hash ${hash}${note}):\n${unified}`, structured: { path: shown, diff: unified, applied: true, hash } };
		});
	},
});

const TOO_LARGE_TO_SHOW = '(diff too large to show)';

/**
 * The edit against what the file holds now, read under its lock. Unchanged since the plan: the plan as approved.
 * Changed by a write that landed first: refused when the agent pinned its base (expectedHash, expectedMtimeMs) or a
 * person approved the diff on the card (the approval covers that diff, not one computed afterwards); otherwise the
 * same exact replacements are applied to the new text, as if the calls had come one after the other, and refused
 * when they no longer apply (the text they replace was changed or repeated).
 */
async function rebased(host: Host, plan: EditPlan, input: { readonly edits: readonly Edit[]; readonly expectedHash?: string; readonly expectedMtimeMs?: number }, approvedByPerson: boolean): Promise<{ current: CurrentText; after: string; unified: string; onto?: string }> {
	const current = await readCurrentText(host, { ...plan.resolved, exists: await lstat(plan.resolved.absolute).then(() => true, () => false) }, plan.shown);
	checkExpected(plan.shown, current, input.expectedHash, input.expectedMtimeMs);
	if (current.hash === plan.current.hash) {
		return { current, after: plan.after, unified: plan.unified };
	}
	if (approvedByPerson) {
		throw new ToolError(`${plan.shown} changed after the user approved this edit (another write landed first; it now has hash ${current.hash}), so the approval no longer applies. Nothing was written. Read it again with read_file and call again to ask about the current text.`, 'changed');
	}
	let after: string;
	try {
		after = applyEdits(current.text, input.edits, plan.shown);
	} catch (error) {
		if (!isToolError(error)) throw error;
		throw new ToolError(`${plan.shown} changed while this call was waiting to write (another write landed first; it now has hash ${current.hash}), and the edit no longer applies: ${error.message}`, 'changed');
	}
	return { current, after, unified: diffPreview(plan.shown, current.text, after)?.unified ?? TOO_LARGE_TO_SHOW, onto: current.hash };
}
