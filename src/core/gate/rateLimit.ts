/** From settings. A limit that is absent, zero or negative means "no limit". */
export interface RateLimitSettings {
	readonly perToolPerMinute?: Readonly<Record<string, number>>;
	readonly perSessionPerMinute?: number;
	readonly defaultPerToolPerMinute?: number;
}

export type RateLimitVerdict =
	| { readonly ok: true }
	| { readonly ok: false; readonly retryAfterMs: number; readonly scope: 'tool' | 'session' };

// A token is worth one minute of milliseconds, so a bucket refilling `limit` tokens per minute gains exactly
// `limit` units per millisecond: integer arithmetic, no drift from repeated float division.
const UNITS_PER_TOKEN = 60_000;

interface Bucket {
	units: number;
	updatedAt: number;
}

/**
 * Token buckets that refill continuously: a bucket holds up to one minute's allowance (so an idle client may burst
 * that much), and each call takes one token.
 */
class BucketSet {
	private readonly buckets = new Map<string, Bucket>();

	constructor(private readonly maxBuckets: number) { }

	/** Units the bucket holds at `now`, creating a full one for a new key. Refreshes the key's recency. */
	peek(key: string, limit: number, now: number): Bucket {
		const capacity = limit * UNITS_PER_TOKEN;
		let bucket = this.buckets.get(key);
		if (bucket) {
			// Re-inserting keeps Map order = least recently used first, for eviction.
			this.buckets.delete(key);
			const elapsed = Math.max(0, now - bucket.updatedAt);
			bucket.units = Math.min(capacity, bucket.units + elapsed * limit);
			bucket.updatedAt = Math.max(bucket.updatedAt, now);
		} else {
			bucket = { units: capacity, updatedAt: now };
		}
		this.buckets.set(key, bucket);
		return bucket;
	}

	/** Forgets buckets that have refilled completely (forgetting them changes nothing), then the least recent. */
	evict(limitOf: (key: string) => number, now: number): void {
		if (this.buckets.size <= this.maxBuckets) {
			return;
		}
		for (const [key, bucket] of this.buckets) {
			const refilled = bucket.units + Math.max(0, now - bucket.updatedAt) * limitOf(key);
			if (refilled >= limitOf(key) * UNITS_PER_TOKEN) {
				this.buckets.delete(key);
			}
		}
		for (const key of this.buckets.keys()) {
			if (this.buckets.size <= this.maxBuckets) {
				break;
			}
			this.buckets.delete(key);
		}
	}

	get size(): number {
		return this.buckets.size;
	}

	clear(): void {
		this.buckets.clear();
	}
}

function effective(limit: number | undefined): number | undefined {
	return limit !== undefined && Number.isFinite(limit) && limit > 0 ? limit : undefined;
}

function retryAfter(bucket: Bucket, limit: number): number {
	return Math.max(1, Math.ceil((UNITS_PER_TOKEN - bucket.units) / limit));
}

/** Per-tool (across all clients) and per-session call limits. Pure: the caller passes the clock. */
export class RateLimiter {
	private settings: RateLimitSettings;
	private readonly toolBuckets: BucketSet;
	private readonly sessionBuckets: BucketSet;

	constructor(settings: RateLimitSettings, options: { readonly maxSessions?: number; readonly maxTools?: number } = {}) {
		this.settings = settings;
		this.toolBuckets = new BucketSet(options.maxTools ?? 1_000);
		this.sessionBuckets = new BucketSet(options.maxSessions ?? 256);
	}

	/** New settings start every bucket full again. */
	configure(settings: RateLimitSettings): void {
		this.settings = settings;
		this.toolBuckets.clear();
		this.sessionBuckets.clear();
	}

	/** Takes a token from both the tool's and the session's bucket, or from neither when either is empty. */
	check(tool: string, sessionId: string, now: number): RateLimitVerdict {
		const toolLimit = this.toolLimit(tool);
		const sessionLimit = effective(this.settings.perSessionPerMinute);
		// Evict before taking buckets out, so the ones this call charges stay in the maps.
		this.toolBuckets.evict((key) => this.toolLimit(key) ?? 1, now);
		this.sessionBuckets.evict(() => sessionLimit ?? 1, now);
		const toolBucket = toolLimit === undefined ? undefined : this.toolBuckets.peek(tool, toolLimit, now);
		const sessionBucket = sessionLimit === undefined ? undefined : this.sessionBuckets.peek(sessionId, sessionLimit, now);

		const toolWait = toolBucket && toolBucket.units < UNITS_PER_TOKEN ? retryAfter(toolBucket, toolLimit!) : 0;
		const sessionWait = sessionBucket && sessionBucket.units < UNITS_PER_TOKEN ? retryAfter(sessionBucket, sessionLimit!) : 0;
		if (toolWait > 0 || sessionWait > 0) {
			return { ok: false, retryAfterMs: Math.max(toolWait, sessionWait), scope: toolWait >= sessionWait ? 'tool' : 'session' };
		}
		if (toolBucket) {
			toolBucket.units -= UNITS_PER_TOKEN;
		}
		if (sessionBucket) {
			sessionBucket.units -= UNITS_PER_TOKEN;
		}
		return { ok: true };
	}

	/** Buckets held in memory, for tests and diagnostics. */
	get trackedSessions(): number {
		return this.sessionBuckets.size;
	}

	private toolLimit(tool: string): number | undefined {
		const perTool = this.settings.perToolPerMinute;
		// A tool's own entry wins even when it is 0: that is how a user exempts one tool from the default.
		return perTool && Object.hasOwn(perTool, tool) ? effective(perTool[tool]) : effective(this.settings.defaultPerToolPerMinute);
	}
}
