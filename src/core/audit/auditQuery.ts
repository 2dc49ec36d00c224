import type { AuditRecord, Decision, Outcome } from './auditRecord';

/** What the audit panel filters by; every field narrows, absent or empty fields match everything. */
export interface AuditFilter {
	readonly tool?: string | readonly string[];
	/** A Decision; plain strings are accepted because the panel's messages carry them unchecked. */
	readonly decision?: Decision | string | readonly string[];
	readonly outcome?: Outcome | string | readonly string[];
	/** Case-insensitive; matches the tool name, summary, arguments (as JSON) and reason. */
	readonly text?: string;
	/** Inclusive; ISO time or epoch milliseconds. */
	readonly since?: string | number;
	/** Exclusive; ISO time or epoch milliseconds. */
	readonly until?: string | number;
}

/** The fields a store can keep per record without holding the parsed record. */
export interface AuditIndexFields {
	readonly tool: string;
	readonly decision: string;
	readonly outcome: string;
	/** Epoch milliseconds of `time`. */
	readonly timeMs: number;
}

export interface CompiledAuditFilter {
	readonly hasText: boolean;
	/** No condition at all: every record matches (a store can count instead of reading). */
	readonly matchesAll: boolean;
	/** Everything except the free text. */
	matchesFields(fields: AuditIndexFields): boolean;
	/** The free text, against a record's `searchText` (which a store may keep, to skip parsing records). */
	matchesSearchText(text: string): boolean;
	matches(record: AuditRecord): boolean;
}

/** What free text searches: tool, summary, reason and the arguments as JSON, lower-cased. */
export function searchText(record: AuditRecord): string {
	return [record.tool, record.summary ?? '', record.reason ?? '', JSON.stringify(record.arguments) ?? '', record.decidedHow ?? '', record.cwd ?? ''].join('\u0000').toLowerCase();
}

function toSet(value: string | readonly string[] | undefined): ReadonlySet<string> | undefined {
	const values = (typeof value === 'string' ? [value] : value ?? []).filter((item) => item !== '');
	return values.length === 0 ? undefined : new Set(values);
}

function toMs(value: string | number | undefined): number | undefined {
	if (value === undefined || value === '') {
		return undefined;
	}
	const ms = typeof value === 'number' ? value : Date.parse(value);
	return Number.isNaN(ms) ? undefined : ms;
}

export function indexFields(record: AuditRecord): AuditIndexFields {
	return { tool: record.tool, decision: record.decision, outcome: record.outcome, timeMs: Date.parse(record.time) };
}

export function compileFilter(filter: AuditFilter = {}): CompiledAuditFilter {
	const tools = toSet(filter.tool);
	const decisions = toSet(filter.decision);
	const outcomes = toSet(filter.outcome);
	const since = toMs(filter.since);
	const until = toMs(filter.until);
	const needle = filter.text?.trim().toLowerCase() ?? '';
	// `C:\src` should find arguments holding that path, which their JSON spells `C:\\src`.
	const escapedNeedle = JSON.stringify(needle).slice(1, -1);

	const matchesFields = (fields: AuditIndexFields): boolean =>
		(tools === undefined || tools.has(fields.tool))
		&& (decisions === undefined || decisions.has(fields.decision))
		&& (outcomes === undefined || outcomes.has(fields.outcome))
		&& (since === undefined || fields.timeMs >= since)
		&& (until === undefined || fields.timeMs < until);

	const matchesSearchText = (text: string): boolean => needle === '' || text.includes(needle) || text.includes(escapedNeedle);

	return {
		hasText: needle !== '',
		matchesAll: needle === '' && tools === undefined && decisions === undefined && outcomes === undefined && since === undefined && until === undefined,
		matchesFields,
		matchesSearchText,
		matches: (record) => matchesFields(indexFields(record)) && matchesSearchText(searchText(record)),
	};
}

const CSV_COLUMNS = [
	'seq', 'time', 'client', 'clientVersion', 'sessionId', 'tool', 'family', 'decision', 'decidedBy', 'outcome', 'reason',
	'summary', 'durationMs', 'resultBytes', 'truncated', 'arguments', 'prev', 'hash', 'decidedHow', 'cwd', 'exitCode',
] as const;

function csvRow(record: AuditRecord): (string | number | boolean | undefined)[] {
	return [
		record.seq, record.time, record.client.name, record.client.version, record.sessionId, record.tool, record.family,
		record.decision, record.decidedBy, record.outcome, record.reason, record.summary, record.durationMs, record.resultBytes,
		record.truncated, JSON.stringify(record.arguments), record.prev, record.hash, record.decidedHow, record.cwd, record.exitCode,
	];
}

/**
 * One CSV cell (RFC 4180). Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
 * leading `'`: the arguments of a tool call are written by an agent, and an agent can be prompt-injected.
 */
function csvCell(value: string | number | boolean | undefined): string {
	if (value === undefined) {
		return '';
	}
	let text = String(value);
	if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
		text = `'${text}`;
	}
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with a header row and CRLF line ends; `bom` makes Excel read it as UTF-8. */
export function toCsv(records: Iterable<AuditRecord>, options: { readonly bom?: boolean } = {}): string {
	const lines = [CSV_COLUMNS.join(',')];
	for (const record of records) {
		lines.push(csvRow(record).map(csvCell).join(','));
	}
	return (options.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}

/** A JSON array, oldest first: the exported file can be re-verified link by link. */
export function toJson(records: Iterable<AuditRecord>): string {
	return `[${[...records].map((record) => JSON.stringify(record)).join(',\n')}]\n`;
}
