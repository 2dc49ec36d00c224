// What the agent did in this session, from the audit: the session's own records (read as audit://session through
// the gate, so the arguments in them are redacted like every record).
import type { AuditRecord } from '../../core/audit/auditRecord';
import { definePrompt, type PromptSpec } from '../../core/prompts/promptSpec';
import { userText } from '../common';

const DEFAULT_RECORDS = 200;

/** One record as a line: time, what, who decided and how it ended. */
function recordLine(record: AuditRecord): string {
	const what = record.summary ?? record.tool;
	const decided = record.decision === 'none' ? '' : ` · ${record.decision} by ${record.decidedBy}`;
	const reason = record.outcome !== 'ok' && record.reason ? ` · ${record.reason.split('\n')[0].slice(0, 200)}` : '';
	return `#${record.seq} ${record.time.slice(11, 19)} ${record.tool}: ${what}${decided} · ${record.outcome}${record.truncated ? ' (cut)' : ''}${reason}`;
}

function parseRecords(text: string): { records: AuditRecord[]; omitted?: number } {
	try {
		const parsed = JSON.parse(text) as { records?: unknown; omitted?: number };
		return Array.isArray(parsed.records) ? { records: parsed.records as AuditRecord[], ...(parsed.omitted ? { omitted: parsed.omitted } : {}) } : { records: [] };
	} catch {
		return { records: [] };
	}
}

export const sessionSummary = definePrompt({
	name: 'session_summary',
	title: 'Summarise this session',
	description: 'Summarises what the agent did in this session from the audit: files read and changed, commands and tasks run, what the user approved or denied, and what failed.',
	family: 'workspace',
	arguments: [
		{ name: 'limit', description: `How many of the newest records to summarise (default ${DEFAULT_RECORDS}, at most 1000).`, maxLength: 4 },
	],
	async build(args, { reads }) {
		const limit = args.limit && /^\d+$/.test(args.limit) ? Math.min(1000, Math.max(1, Number(args.limit))) : DEFAULT_RECORDS;
		const read = await reads.resource(`audit://session?limit=${limit}`);
		let body: string;
		if (!read.ok) {
			body = `(the audit is not available: ${read.message})`;
		} else {
			const parsed = parseRecords(read.contents[0] && 'text' in read.contents[0] ? read.contents[0].text : '');
			// Oldest first reads as a story; the prompt's own read is the newest record and says nothing.
			const lines = parsed.records.filter((record) => !(record.tool === 'resources/read' && String((record.arguments as { uri?: unknown }).uri ?? '').startsWith('audit://session'))).reverse().map(recordLine);
			body = lines.length === 0 ? '(no calls yet in this session)' : `${lines.join('\n')}${parsed.omitted ? `\n(${parsed.omitted} older records left out)` : ''}`;
		}
		return {
			description: 'Summary of this session from the audit',
			messages: [
				userText([
					'Summarise what the agent did in this session, from the audit records below (oldest first).',
					'Group it as: what was read or searched; what was changed (files, git); commands and tasks run and their results; what the user approved or denied; what failed and whether it was retried. End with anything left unfinished.',
					'Be factual: only what the records show. Record numbers (#seq) can be read in full as audit://record/{seq}.',
					'',
					'## Audit records of this session',
					body,
				].join('\n')),
			],
		};
	},
});

export const sessionPrompts: readonly PromptSpec[] = [sessionSummary];
