import { ChainVerifier } from './auditChain';
import type { AuditVerifyResult } from './auditStore';

export interface FileVerifyResult extends AuditVerifyResult {
	/** Jumps in seq, accepted for a filtered export (each record still checked against its own MAC). */
	readonly gaps?: number;
}

/**
 * Checks audit records written to a file: the store's JSONL (`audit-<n>.jsonl`, one record a line) or the panel's
 * JSON export (an array, oldest first), against the chain's key. `allowGaps` accepts an export made with a filter;
 * `allowMissingStart` one that begins after seq 0 (older files removed by retention).
 */
export function verifyAuditText(text: string, key: string, options: { readonly allowGaps?: boolean; readonly allowMissingStart?: boolean } = {}): FileVerifyResult {
	const verifier = new ChainVerifier(key, options.allowMissingStart ?? false, options.allowGaps ?? false);
	const counts = () => ({ records: verifier.records, ...(verifier.legacy > 0 ? { legacy: verifier.legacy } : {}), ...(verifier.gaps > 0 ? { gaps: verifier.gaps } : {}) });
	let lines: string[];
	if (text.trimStart().startsWith('[')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			return { ok: false, records: 0, reason: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
		}
		if (!Array.isArray(parsed)) return { ok: false, records: 0, reason: 'not an array of audit records' };
		// The export's elements are the stored lines; canonical JSON of each element is that line again.
		lines = text.trim().slice(1, -1).split(',\n').filter((line) => line.trim() !== '');
		if (lines.length !== parsed.length) return { ok: false, records: 0, reason: 'the export was reformatted: verify the file as exported, one record per line' };
	} else {
		if (text !== '' && !text.endsWith('\n')) return { ok: false, records: 0, reason: 'the last line is incomplete' };
		lines = text.split('\n').filter((line) => line !== '');
	}
	for (const [index, line] of lines.entries()) {
		const broken = verifier.check(line, `record ${index + 1}`);
		if (broken) return { ok: false, ...counts(), firstBadSeq: broken.seq, reason: broken.reason };
	}
	const unproven = verifier.finish();
	if (unproven) return { ok: false, ...counts(), firstBadSeq: unproven.seq, reason: unproven.reason };
	return { ok: true, ...counts() };
}

/** One sentence for a person: what was proven, or where and why it failed. */
export function describeVerification(result: FileVerifyResult): string {
	const legacy = result.legacy ? ` ${result.legacy} of them are legacy records from before the chain was keyed (plain SHA-256), covered by the first keyed record after them.` : '';
	const gaps = result.gaps ? ` The file skips ${result.gaps} stretch${result.gaps === 1 ? '' : 'es'} of records (a filtered export): each record is authentic, but what lies in the gaps is not proven.` : '';
	if (result.ok) return `The audit verifies: ${result.records} record${result.records === 1 ? '' : 's'}, each MAC and every link intact.${legacy}${gaps}`;
	return `The audit does NOT verify at record ${result.firstBadSeq ?? '?'}: ${result.reason ?? 'unknown reason'}. ${result.records} record${result.records === 1 ? '' : 's'} before it verified.${legacy}`;
}
