// What an approval card shows of an edit and of a commit, built from the call's subject. Pure, so tests need no editor.
import { diffBodyLines } from '../../core/gate/cardDiff';
import type { CommitPreview } from '../../core/tools/toolSpec';
import type { CommitFileView, CommitView, PendingApprovalView } from '../../webview/protocol';

/** An edit's card view: the diff as the audit redacts it (the text itself beside it for Reveal) and its diffstat. */
export function diffView(path: string, unified: string, redacted: string | undefined): NonNullable<PendingApprovalView['diff']> {
	let added = 0;
	let removed = 0;
	// Counted below the header only: an added line reading `++ x` is `+++ x` in the diff, and still a line.
	for (const line of diffBodyLines(unified)) {
		if (line.startsWith('+')) added++;
		else if (line.startsWith('-')) removed++;
	}
	return { path, unified: redacted ?? unified, ...(redacted !== undefined ? { unredacted: unified } : {}), added, removed };
}

/** The card's view of a commit: no object ids or absolute root (the host reads those for the diff editor). */
export function commitView(commit: CommitPreview): CommitView {
	let added = 0;
	let removed = 0;
	const files = commit.files.map((file): CommitFileView => {
		added += file.added ?? 0;
		removed += file.removed ?? 0;
		const { oldObject: _old, newObject: _new, ...shown } = file;
		return shown;
	});
	return {
		repository: commit.repository,
		...(commit.branch !== undefined ? { branch: commit.branch } : {}),
		...(commit.head !== undefined ? { head: commit.head.slice(0, 7) } : {}),
		amend: commit.amend,
		...(commit.amends !== undefined ? { amends: commit.amends } : {}),
		...(commit.operation !== undefined ? { operation: commit.operation } : {}),
		message: commit.message,
		files,
		added,
		removed,
	};
}
