import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { capJsonText, jsonBytes, jsonTail } from '../../../../src/core/base/jsonText';

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
