import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RateLimiter } from '../../../../src/core/gate/rateLimit';

describe('RateLimiter', () => {
	test('no settings: no limit', () => {
		const limiter = new RateLimiter({});
		for (let i = 0; i < 1_000; i++) {
			assert.deepEqual(limiter.check('read_file', 's', 0), { ok: true });
		}
	});

	test('per tool: a minute of allowance at once, then one token per 60/limit seconds', () => {
		const limiter = new RateLimiter({ perToolPerMinute: { run_command: 6 } });
		for (let i = 0; i < 6; i++) {
			assert.equal(limiter.check('run_command', 's', 1_000).ok, true);
		}
		assert.deepEqual(limiter.check('run_command', 's', 1_000), { ok: false, retryAfterMs: 10_000, scope: 'tool' });
		assert.deepEqual(limiter.check('run_command', 's', 6_000), { ok: false, retryAfterMs: 5_000, scope: 'tool' });
		assert.deepEqual(limiter.check('run_command', 's', 10_999), { ok: false, retryAfterMs: 1, scope: 'tool' });
		assert.equal(limiter.check('run_command', 's', 11_000).ok, true);
		assert.equal(limiter.check('run_command', 's', 11_000).ok, false);
		assert.equal(limiter.check('read_file', 's', 11_000).ok, true, 'other tools are not limited');
	});

	test('the per-tool limit is shared by all sessions; the default applies to unlisted tools; 0 exempts', () => {
		const limiter = new RateLimiter({ defaultPerToolPerMinute: 2, perToolPerMinute: { read_file: 0 } });
		assert.equal(limiter.check('git_log', 'a', 0).ok, true);
		assert.equal(limiter.check('git_log', 'b', 0).ok, true);
		assert.equal(limiter.check('git_log', 'c', 0).ok, false);
		for (let i = 0; i < 10; i++) {
			assert.equal(limiter.check('read_file', 'a', 0).ok, true);
		}
	});

	test('per session: each session has its own bucket across tools', () => {
		const limiter = new RateLimiter({ perSessionPerMinute: 3 });
		assert.equal(limiter.check('a', 's1', 0).ok, true);
		assert.equal(limiter.check('b', 's1', 0).ok, true);
		assert.equal(limiter.check('c', 's1', 0).ok, true);
		assert.deepEqual(limiter.check('d', 's1', 0), { ok: false, retryAfterMs: 20_000, scope: 'session' });
		assert.equal(limiter.check('a', 's2', 0).ok, true);
	});

	test('a refused call takes no token from the other bucket', () => {
		const limiter = new RateLimiter({ perSessionPerMinute: 2, perToolPerMinute: { t: 1 } });
		assert.equal(limiter.check('t', 's', 0).ok, true);
		assert.equal(limiter.check('t', 's', 0).ok, false, 'tool bucket empty');
		assert.equal(limiter.check('u', 's', 0).ok, true, 'the session still has its second token');
		assert.equal(limiter.check('u', 's', 0).ok, false);
	});

	test('retryAfter is the longer wait when both buckets are empty', () => {
		const limiter = new RateLimiter({ perSessionPerMinute: 1, perToolPerMinute: { t: 2 } });
		assert.equal(limiter.check('t', 's', 0).ok, true);
		assert.deepEqual(limiter.check('t', 's', 0), { ok: false, retryAfterMs: 60_000, scope: 'session' });
	});

	test('a clock that goes backwards never adds tokens', () => {
		const limiter = new RateLimiter({ perSessionPerMinute: 1 });
		assert.equal(limiter.check('t', 's', 100_000).ok, true);
		assert.equal(limiter.check('t', 's', 0).ok, false);
		assert.equal(limiter.check('t', 's', 100_000).ok, false);
		assert.equal(limiter.check('t', 's', 160_000).ok, true);
	});

	test('memory stays bounded: idle sessions are forgotten first, then the least recent', () => {
		const limiter = new RateLimiter({ perSessionPerMinute: 1 }, { maxSessions: 10 });
		for (let i = 0; i < 1_000; i++) {
			limiter.check('t', `s${i}`, i);
		}
		assert.ok(limiter.trackedSessions <= 11, `${limiter.trackedSessions} sessions tracked`);
		// A busy session that keeps calling is not the one evicted.
		const busy = new RateLimiter({ perSessionPerMinute: 1 }, { maxSessions: 3 });
		assert.equal(busy.check('t', 'busy', 0).ok, true);
		for (let i = 0; i < 20; i++) {
			busy.check('t', `other${i}`, 1);
			assert.equal(busy.check('t', 'busy', 2).ok, false, 'the busy session is still limited');
		}
	});

	test('configure() applies new limits', () => {
		const limiter = new RateLimiter({ perSessionPerMinute: 1 });
		assert.equal(limiter.check('t', 's', 0).ok, true);
		assert.equal(limiter.check('t', 's', 0).ok, false);
		limiter.configure({});
		assert.equal(limiter.check('t', 's', 0).ok, true);
	});
});
