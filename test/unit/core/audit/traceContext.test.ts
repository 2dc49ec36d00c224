import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceContextOf } from '../../../../src/core/audit/traceContext';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

test('a well-formed traceparent is kept, with a well-formed tracestate', () => {
	assert.deepEqual(traceContextOf({ traceparent: VALID }), { traceparent: VALID });
	assert.deepEqual(traceContextOf({ traceparent: VALID, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' }), { traceparent: VALID, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' });
});

test('malformed or invalid trace context is not recorded as one', () => {
	for (const traceparent of [
		'not-a-trace',
		VALID.toUpperCase(), // the format is lowercase hex
		'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', // version ff is invalid
		'00-00000000000000000000000000000000-00f067aa0ba902b7-01', // all-zero trace id
		'00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', // all-zero parent id
		`${VALID}\nforged: line`,
		42,
	]) {
		assert.equal(traceContextOf({ traceparent }), undefined, String(traceparent));
	}
	assert.equal(traceContextOf(undefined), undefined);
	// A tracestate that is not one is dropped; the traceparent stays.
	assert.deepEqual(traceContextOf({ traceparent: VALID, tracestate: 'no equals sign' }), { traceparent: VALID });
	assert.deepEqual(traceContextOf({ traceparent: VALID, tracestate: `a=${'x'.repeat(600)}` }), { traceparent: VALID });
});
