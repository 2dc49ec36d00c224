import * as vscode from 'vscode';
import type { Disposable } from '../core/base/disposable';
import type { Logger } from '../core/base/log';
import type { Workbench } from '../node/workbench';

const ANCHOR_KEY = 'mcpWorkbench.audit.anchor';

/**
 * A hash chain cannot show records cut off its end; the last seq and hash, kept in the workspace's state outside
 * the audit folder, can. Warns once at start when the log ends before the anchor, and moves the anchor on every
 * append.
 */
export function watchAuditTail(workbench: Pick<Workbench, 'audit' | 'auditOpened'>, state: vscode.Memento, log: Logger): Disposable {
	void workbench.auditOpened.then(
		async (report) => {
			log.info('audit.open', { records: report.records, files: report.files, unreadable: report.unreadableLines });
			if (report.torn) log.warn('audit.torn_line', { file: report.torn.file, bytes: report.torn.bytes, movedTo: report.torn.movedTo });
			const anchor = state.get<{ seq: number; hash: string }>(ANCHOR_KEY);
			const newest = (await workbench.audit.query({ limit: 1 })).rows[0];
			if (anchor && (!newest || newest.seq < anchor.seq || (newest.seq === anchor.seq && newest.hash !== anchor.hash))) {
				log.error('audit.tail_missing', { expectedSeq: anchor.seq, foundSeq: newest?.seq ?? 0 });
				void vscode.window.showWarningMessage(`MCP Workbench: the audit log ends at record ${newest?.seq ?? 0}, but record ${anchor.seq} was written before. Records were removed or the log was replaced.`);
			}
		},
		// createWorkbench logs the failure itself.
		() => undefined,
	);
	return workbench.audit.onDidAppend((record) => void state.update(ANCHOR_KEY, { seq: record.seq, hash: record.hash }));
}
