import type { AuditRecord } from '../audit/auditRecord';
import type { Event } from '../base/event';
import type { ToolMetrics } from '../gate/metrics';

/** What resources and prompts read of the audit: the newest records, one record, and appends as they happen. */
export interface AuditHost {
	/** Newest first: at most `limit` records for which `where` holds, looking back over at most `scan` records. */
	recent(limit: number, where: (record: AuditRecord) => boolean, scan?: number): Promise<readonly AuditRecord[]>;
	/** The record numbered `seq`, if the audit still holds it. */
	record(seq: number): Promise<AuditRecord | undefined>;
	readonly onDidAppend: Event<AuditRecord>;
}

/** Who is reading: the audit shows a client its own records only (another client's arguments are not its business). */
export interface AuditReader {
	readonly sessionId: string;
	/** The credential's name (see AuditEntry.client): the same client across its sessions. */
	readonly clientName: string;
}

/** The audit as one caller sees it (see scopedAudit). */
export interface ScopedAudit {
	/** `session`: this session's records; `client`: every session of the same credential. */
	recent(limit: number, scope: 'session' | 'client'): Promise<readonly AuditRecord[]>;
	/** The record, when it is the caller's own. */
	record(seq: number): Promise<AuditRecord | undefined>;
	/** Appends of the caller's own records. */
	readonly onDidAppend: Event<AuditRecord>;
}

/** Records a recent-records read looks back over; older ones are what the panel's export is for. */
const MAX_SCAN = 20_000;

export function scopedAudit(audit: AuditHost, reader: AuditReader): ScopedAudit {
	const own = (record: AuditRecord) => record.client.name === reader.clientName;
	return {
		recent: (limit, scope) => audit.recent(limit, scope === 'session' ? (record) => record.sessionId === reader.sessionId : own, MAX_SCAN),
		record: async (seq) => {
			const record = await audit.record(seq);
			return record && own(record) ? record : undefined;
		},
		onDidAppend: (listener) => audit.onDidAppend((record) => {
			if (own(record)) listener(record);
		}),
	};
}

/** The server's call metrics, as the metrics resource shows them. */
export interface MetricsHost {
	snapshot(): readonly ToolMetrics[];
	/** The Prometheus text `/metrics` serves. */
	prometheus(): string;
	/** Every record the gate appends, whoever's: each one is a change of the metrics. */
	readonly onDidRecord: Event<AuditRecord>;
}
