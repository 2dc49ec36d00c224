import type { AuditRecord } from '../../core/audit/auditRecord';
import type { AuditHost } from '../../core/host/auditHost';
import type { AuditStore } from './auditStore';

/** Records read per page while looking back; the store keeps the newest 10,000 in memory, so pages rarely touch disk. */
const PAGE = 500;

/** The audit store as resources and prompts read it (through the gate, each caller its own records: see scopedAudit). */
export function auditHost(store: AuditStore): AuditHost {
	return {
		async recent(limit, where, scan = Number.POSITIVE_INFINITY) {
			const found: AuditRecord[] = [];
			for (let offset = 0; offset < scan && found.length < limit; offset += PAGE) {
				const page = await store.query({ offset, limit: Math.min(PAGE, scan - offset) });
				for (const record of page.rows) {
					if (where(record)) found.push(record);
					if (found.length >= limit) break;
				}
				if (offset + page.rows.length >= page.total) break;
			}
			return found;
		},
		async record(seq) {
			if (!Number.isSafeInteger(seq) || seq < 0) return undefined;
			const newest = (await store.query({ limit: 1 })).rows[0];
			if (!newest || seq > newest.seq) return undefined;
			// Sequence numbers run one per record, newest first in the store: the offset is a good first guess, and a
			// gap (a record that could not be read) only moves it a little.
			const guess = newest.seq - seq;
			const near = await store.query({ offset: Math.max(0, guess - 8), limit: 17 });
			const hit = near.rows.find((record) => record.seq === seq);
			if (hit) return hit;
			for (let offset = 0; offset < near.total; offset += PAGE) {
				const page = await store.query({ offset, limit: PAGE });
				const found = page.rows.find((record) => record.seq === seq);
				if (found) return found;
				if ((page.rows.at(-1)?.seq ?? 0) < seq) return undefined;
			}
			return undefined;
		},
		onDidAppend: store.onDidAppend,
	};
}
