import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CappedText, ControlSequenceStripper } from '../../../../src/node/terminal/outputCapture';

describe('control sequence stripper', () => {
	test('handles sequences split across chunks', () => {
		const stripper = new ControlSequenceStripper();
		const text = ['\x1b[3', '1mred\x1b]0;ti', 'tle\x07ok\x1b', '[0m\r', '\nend\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\'].map((chunk) => stripper.push(chunk)).join('') + stripper.end();
		assert.equal(text, 'redok\nendlink');
	});

	test('any split of a stream strips to the same text as the whole stream', () => {
		const fragment = fc.constantFrom('plain ', 'x', '\x1b[31m', '\x1b[0m', '\x1b[1;32;40m', '\x1b]0;title\x07', '\x1b]8;;http://a\x1b\\', '\x1b]633;C\x07', '\r\n', '\r', '\n', '\t', '\x1b(B', '\x1b=', 'é');
		fc.assert(fc.property(fc.array(fragment, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), (fragments, cuts) => {
			const whole = fragments.join('');
			const once = new ControlSequenceStripper();
			const expected = once.push(whole) + once.end();
			const points = [...new Set(cuts.map((cut) => cut % (whole.length + 1)))].sort((a, b) => a - b);
			const split = new ControlSequenceStripper();
			let previous = 0;
			let actual = '';
			for (const point of [...points, whole.length]) {
				actual += split.push(whole.slice(previous, point));
				previous = point;
			}
			actual += split.end();
			assert.equal(actual, expected);
			assert.doesNotMatch(expected, /[\x1b\r\x07]/);
		}), { numRuns: 300 });
	});

	test('drops stray control characters and counts them as binary signs', () => {
		const stripper = new ControlSequenceStripper();
		assert.equal(stripper.push('a\x00b\x08c\td'), 'abc\td');
		assert.equal(stripper.suspicious, 2);
	});
});

describe('capped text', () => {
	test('keeps head and tail and reads from an offset', () => {
		const capped = new CappedText(4);
		for (const chunk of ['abc', 'def', 'ghij']) {
			capped.append(chunk);
		}
		assert.equal(capped.totalChars, 10);
		assert.equal(capped.truncated, true);
		assert.match(capped.text(), /^ab\n\n\[… 6 characters omitted …\]\n\nij$/);
		assert.deepEqual(capped.read(9), { text: 'j', from: 9, skipped: 0 });
		assert.deepEqual(capped.read(5), { text: 'ij', from: 8, skipped: 3 });
		assert.deepEqual(capped.read(10), { text: '', from: 10, skipped: 0 });
		assert.equal(capped.read(1).text.startsWith('b'), true);
	});

	test('does not truncate what fits', () => {
		const capped = new CappedText(100);
		capped.append('hello');
		capped.append(' world');
		assert.equal(capped.text(), 'hello world');
		assert.equal(capped.truncated, false);
	});
});
