import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { visibleText } from '../../../../src/core/base/visibleText';

describe('visibleText', () => {
	test('shows every hidden character as its code point', () => {
		const hidden = ['\u0000', '\u0007', '\r', '\u001B', '\u007F', '\u0085', '\u009F', '\u00AD', '\u061C', '\u200B', '\u200F', '\u2028', '\u202A', '\u202E', '\u2060', '\u2066', '\u2069', '\uFEFF', '\u{E0041}'];
		for (const char of hidden) {
			const shown = visibleText(`a${char}b`);
			assert.equal(shown, `a⟨U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩b`);
		}
	});

	test('keeps line feeds, tabs and ordinary text, Arabic and emoji included', () => {
		const text = 'line 1\n\tline 2 — naïve 日本語 مرحبا 🚀';
		assert.equal(visibleText(text), text);
	});
});
