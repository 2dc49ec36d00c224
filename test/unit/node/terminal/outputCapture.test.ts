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

describe('work per chunk', () => {
	/** CPU time of `work`, in ms: not wall time, which a busy machine stretches. */
	function cpuMs(work: () => void): number {
		const before = process.cpuUsage();
		work();
		const used = process.cpuUsage(before);
		return (used.user + used.system) / 1000;
	}

	test('many tiny appends cost in proportion to their number (dropping tail pieces was quadratic)', () => {
		const appends = (count: number) => cpuMs(() => {
			const capped = new CappedText(100_000);
			for (let i = 0; i < count; i++) capped.append('x');
		});
		appends(50_000);
		const small = Math.max(appends(100_000), 1);
		const large = appends(400_000);
		// Four times the appends: about four times the time; the old shift() took 58 times as long.
		assert.ok(large < small * 12, `100,000 appends took ${small.toFixed(1)} ms, 400,000 took ${large.toFixed(1)} ms`);
	});

	test('binary and control-character floods are stripped in one pass, as the text the old per-character path gave', () => {
		const chunks = ['\ufffd'.repeat(65_536), '\0'.repeat(65_536), '\r'.repeat(65_536), 'a\x01'.repeat(32_768)];
		for (const chunk of chunks) {
			const stripper = new ControlSequenceStripper();
			const out = stripper.push(chunk) + stripper.end();
			const expected = chunk[0] === '\ufffd' ? chunk : chunk[0] === '\0' ? '' : chunk[0] === '\r' ? '\n'.repeat(65_536) : 'a'.repeat(32_768);
			assert.equal(out, expected);
		}
	});
});
