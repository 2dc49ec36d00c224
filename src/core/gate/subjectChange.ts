import { canonicalJson } from '../base/canonicalJson';
import type { CallSubject } from '../tools/toolSpec';

/**
 * What differs between the subject a person approved and the one the call would run with now, in words for the
 * agent and the audit; undefined when nothing does.
 */
export function subjectChange(approved: CallSubject, now: CallSubject): string | undefined {
	if (canonicalJson(approved) === canonicalJson(now)) return undefined;
	if (approved.diff?.path !== undefined && canonicalJson(approved.diff) !== canonicalJson(now.diff)) return `${approved.diff.path} changed`;
	if (approved.commit && canonicalJson(approved.commit) !== canonicalJson(now.commit)) {
		return approved.commit.head !== now.commit?.head || approved.commit.branch !== now.commit?.branch ? 'the branch or its last commit changed' : 'the staged changes changed';
	}
	if (canonicalJson(approved.task) !== canonicalJson(now.task)) {
		return now.task?.command === undefined ? 'the task changed' : `the task's command changed (it is now: ${now.task.command})`;
	}
	if (canonicalJson(approved.command) !== canonicalJson(now.command)) return 'the command line or its folder changed';
	if (canonicalJson(approved.paths) !== canonicalJson(now.paths)) return 'the paths the call touches changed';
	if (approved.fingerprint !== now.fingerprint) return 'the file it changes was changed';
	return 'what the call touches changed';
}
