// The server's own records as resources: the audit (the caller's own records: see scopedAudit) and the call metrics.
// Subscriptions notify on each new record; reading one of these resources is a record too, so those reads do not
// notify (a client re-reading on every notice would otherwise never stop).
import { ToolError } from '../../core/base/errors';
import type { AuditRecord } from '../../core/audit/auditRecord';
import type { Host } from '../../core/host/host';
import type { Completer } from '../../core/tools/completion';
import { defineResource, type AnyResourceSpec, type ListedResource } from '../../core/tools/resourceSpec';
import type { ToolContext } from '../../core/tools/toolSpec';
import { throttled } from '../common/resourceWatch';
import { uriInteger, uriValue } from '../common/uriValues';

const DEFAULT_RECORDS = 50;
const MAX_RECORDS = 1000;
/** Room left in the answer for the JSON around the records. */
const ENVELOPE_BYTES = 1024;

/** Whether a record is the read of one of these resources (or of the metrics): those changes notify nobody. */
function readsServerRecords(record: AuditRecord): boolean {
	if (record.tool !== 'resources/read') return false;
	const uri = (record.arguments as { uri?: unknown } | null)?.uri;
	return typeof uri === 'string' && (uri.startsWith('audit://') || uri.startsWith('metrics://'));
}

function audit(host: Host) {
	if (!host.audit) throw new ToolError('The audit is not available in this host.', 'unavailable');
	return host.audit;
}

/** The records as JSON, newest first, as many as fit the answer (JSON cut in the middle would be useless). */
function recordsJson(records: readonly AuditRecord[], ctx: ToolContext<unknown>, scope: string): { text: string; truncated: boolean } {
	const budget = ctx.maxOutputBytes - ENVELOPE_BYTES;
	const kept: AuditRecord[] = [];
	let bytes = 0;
	for (const record of records) {
		const size = Buffer.byteLength(JSON.stringify(record)) + 2;
		if (bytes + size > budget) break;
		kept.push(record);
		bytes += size;
	}
	const truncated = kept.length < records.length;
	return { text: JSON.stringify({ scope, records: kept, ...(truncated ? { omitted: records.length - kept.length, note: 'older records did not fit; ask for fewer with limit, or read one with audit://record/{seq}' } : {}) }, null, 1), truncated };
}

function watchRecords(host: Host, changed: () => void) {
	const notify = throttled(changed);
	const subscription = audit(host).onDidAppend((record) => {
		if (!readsServerRecords(record)) notify.fire();
	});
	return { dispose: () => { subscription.dispose(); notify.dispose(); } };
}

function recentResource(scope: 'session' | 'client') {
	const path = scope === 'session' ? 'session' : 'recent';
	return defineResource<{ readonly limit: number }>({
		name: `audit-${path}`,
		title: scope === 'session' ? 'Audit: this session' : 'Audit: recent records',
		description: scope === 'session'
			? 'The audit records of this session, newest first, as JSON: each call, resource read and prompt, who decided, the outcome. limit: how many (default 50).'
			: 'The newest audit records of this client (every session of the same credential), as JSON. limit: how many (default 50).',
		uriTemplate: `audit://${path}{?limit}`,
		family: 'workspace',
		list: () => Promise.resolve<ListedResource[]>([{ uri: `audit://${path}`, name: scope === 'session' ? 'Audit records of this session' : 'Recent audit records', mimeType: 'application/json' }]),
		prepare(variables, uri) {
			const limit = uriInteger(variables, 'limit', uri, 1, MAX_RECORDS) ?? DEFAULT_RECORDS;
			return Promise.resolve({ subject: { summary: `read ${limit} audit records (${scope})` }, plan: { limit } });
		},
		async read(uri, ctx) {
			const records = await audit(ctx.host).recent(ctx.plan.limit, scope);
			return [{ uri, mimeType: 'application/json', text: recordsJson(records, ctx, scope).text }];
		},
		watch: (_variables, host, changed) => watchRecords(host, changed),
	});
}

export const auditRecordResource = defineResource<{ readonly seq: number }>({
	name: 'audit-record',
	title: 'Audit record',
	description: 'One audit record of this client by its number (seq), as JSON, with its place in the hash chain.',
	uriTemplate: 'audit://record/{seq}',
	family: 'workspace',
	completeWith: { seq: 'auditRecord' },
	prepare(variables, uri) {
		const seq = uriInteger(variables, 'seq', uri, 0, Number.MAX_SAFE_INTEGER);
		if (seq === undefined) throw new ToolError(`${uri} names no record number.`, 'invalid-input');
		return Promise.resolve({ subject: { summary: `read audit record ${seq}` }, plan: { seq } });
	},
	async read(uri, ctx) {
		const record = await audit(ctx.host).record(ctx.plan.seq);
		if (!record) throw new ToolError(`No audit record ${ctx.plan.seq} of this client: the audit shows each client its own records, and the oldest are removed as the audit rotates. audit://recent lists the newest.`, 'not-found');
		return [{ uri, mimeType: 'application/json', text: JSON.stringify(record, null, 1) }];
	},
});

/** Numbers of this session's newest records. */
export const completeAuditRecord: Completer = async ({ value, host }) => {
	if (!host.audit) return [];
	const seqs = (await host.audit.recent(MAX_RECORDS, 'session')).map((record) => String(record.seq));
	return seqs.filter((seq) => seq.startsWith(value));
};

function metrics(host: Host) {
	if (!host.metrics) throw new ToolError('Metrics are not available in this host.', 'unavailable');
	return host.metrics;
}

export const metricsResource = defineResource<{ readonly format: 'json' | 'prometheus' }>({
	name: 'metrics',
	title: 'Server metrics',
	description: 'Calls through the gate per tool (resource reads and prompts included): counts by outcome, errors, denials, p50 and p95 latency. metrics://tools is JSON; metrics://prometheus the text /metrics serves.',
	uriTemplate: 'metrics://{format}',
	family: 'workspace',
	complete: { format: (value) => ['tools', 'prometheus'].filter((format) => format.startsWith(value)) },
	list: () => Promise.resolve<ListedResource[]>([
		{ uri: 'metrics://tools', name: 'Tool call metrics', mimeType: 'application/json' },
		{ uri: 'metrics://prometheus', name: 'Metrics (Prometheus text)', mimeType: 'text/plain' },
	]),
	prepare(variables, uri) {
		const format = uriValue(variables, 'format', uri);
		if (format !== 'tools' && format !== 'prometheus') throw new ToolError(`${uri} is not a metrics resource: read metrics://tools (JSON) or metrics://prometheus (text).`, 'invalid-input');
		return Promise.resolve({ subject: { summary: `read metrics (${format})` }, plan: { format: format === 'tools' ? 'json' : 'prometheus' } });
	},
	read(uri, ctx) {
		const source = metrics(ctx.host);
		return Promise.resolve(ctx.plan.format === 'json'
			? [{ uri, mimeType: 'application/json', text: JSON.stringify({ tools: source.snapshot() }, null, 1) }]
			: [{ uri, mimeType: 'text/plain', text: source.prometheus() }]);
	},
	watch(_variables, host, changed) {
		const notify = throttled(changed);
		const subscription = metrics(host).onDidRecord((record) => {
			if (!readsServerRecords(record)) notify.fire();
		});
		return { dispose: () => { subscription.dispose(); notify.dispose(); } };
	},
});

export const workspaceResources: readonly AnyResourceSpec[] = [recentResource('session'), recentResource('client'), auditRecordResource, metricsResource];
