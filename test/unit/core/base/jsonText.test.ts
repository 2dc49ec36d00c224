import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { capJsonText, jsonBytes, jsonTail, jsonValueBytes } from '../../../../src/core/base/jsonText';

const wire = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2;

test('jsonBytes is the UTF-8 size of the JSON string, escapes and surrogates included', () => {
	fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => assert.equal(jsonBytes(text), wire(text))), { numRuns: 200 });
	for (const text of ['\0\x01\b\t\n\f\r"\\', '\ufffd', 'é😀', '\ud800x', 'x\udc00']) assert.equal(jsonBytes(text), wire(text), JSON.stringify(text));
});

test('capJsonText keeps what fits and cuts the rest to head and tail within the bytes', () => {
	fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.integer({ min: 80, max: 600 }), (text, max) => {
		const capped = capJsonText(text, max);
		assert.ok(wire(capped.text) <= max, `${wire(capped.text)} > ${max}`);
		if (wire(text) <= max) assert.deepEqual(capped, { text, truncated: false });
		else assert.match(capped.text, /characters omitted: output capped at/);
	}), { numRuns: 500 });
	const flood = '\ufffd'.repeat(100_000);
	const capped = capJsonText(flood, 60_000);
	assert.ok(wire(capped.text) <= 60_000 && wire(capped.text) > 59_000);
});

test('jsonTail keeps the newest text that fits and never splits a surrogate pair', () => {
	assert.equal(jsonTail('abc😀', 4), '😀');
	assert.equal(jsonTail('abc😀', 5), 'c😀');
	assert.equal(jsonTail('abc😀', 3), '');
	assert.equal(jsonTail('ab\ncd', 3), 'cd');
});

test('jsonValueBytes is the UTF-8 size of JSON.stringify(value), without building it', () => {
	const serialized = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '');
	fc.assert(fc.property(fc.jsonValue(), (value) => assert.equal(jsonValueBytes(value), serialized(value))), { numRuns: 300 });
	fc.assert(fc.property(fc.anything({ withNullPrototype: true, withSparseArray: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withBoxedValues: true }), (value) => assert.equal(jsonValueBytes(value), serialized(value))), { numRuns: 300 });
	// What JSON.stringify writes differently from the value: fields without JSON left out, array slots as null,
	// non-finite numbers as null, toJSON's answer, lone surrogates escaped.
	class Listed extends Array {
		toJSON() {
			return 'y'.repeat(1000);
		}
	}
	const fn = Object.assign(() => 1, { toJSON: () => 'from a function' });
	const special: [string, unknown][] = [
		['undefined', undefined],
		['fields without JSON', { a: undefined, b: () => 1, c: Symbol('s'), d: 1 }],
		['array slots without JSON', [undefined, () => 1, Symbol('s')]],
		['holes', [, 1, ,]],
		['numbers', [NaN, -Infinity, -0, 1e21, 5e-7, 5e-324]],
		['Date', new Date(0)],
		['toJSON', { toJSON: () => ({ x: '\ud800' }) }],
		['strings', ['é😀\ud800', { 'ké\n\udc00': ['\u0001'] }]],
		['an array\'s own toJSON', Object.assign([1], { toJSON: () => 'x'.repeat(1000) })],
		['an Array subclass\'s toJSON', Listed.from([1])],
		['toJSON returning undefined, in an array and in an object', [{ toJSON: () => undefined }, { a: { toJSON: () => undefined } }]],
		['toJSON given its key', { longkeyname: { toJSON: (key: string) => key.repeat(100) }, list: [{ toJSON: (key: string) => `#${key}` }] }],
		['a function with toJSON', { fn }],
		['boxed primitives', [new Number(12), new String('ab'), new Boolean(false)]],
		['boxed primitives on another prototype', [Object.setPrototypeOf(new Number(123456), Object.prototype), Reflect.construct(String, ['hello'], Object)]],
		['Map, Set, typed array, null prototype', [new Map([[1, 2]]), new Set([1]), new Uint8Array([1, 2]), Object.assign(Object.create(null), { a: 1 })]],
		['a getter', { get g() { return 'value'; } }],
		['a Proxy', new Proxy({ a: 'é' }, {})],
		['4,000 levels deep', Array.from({ length: 4000 }).reduce((inner: unknown) => [inner], 1)],
	];
	for (const [what, value] of special) assert.equal(jsonValueBytes(value), serialized(value), what);
	assert.throws(() => jsonValueBytes(1n), TypeError);
	const cycle: Record<string, unknown> = { list: [] };
	(cycle.list as unknown[]).push(cycle);
	assert.throws(() => jsonValueBytes(cycle), TypeError, 'a cycle throws as JSON.stringify throws');
});
