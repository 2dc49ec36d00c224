/**
 * Characters that change how text reads without showing themselves: C0 and C1 controls (a bell, a carriage return
 * that rewinds a line, an escape sequence), zero-width characters, and the bidirectional overrides and isolates that
 * reorder what follows (`rm -rf \u202Etxt.exe` reads as `rm -rf exe.txt`). Line feed and tab are layout and stay.
 */
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/gu;

/**
 * Text as a person deciding should see it: every hidden character shown as `⟨U+202E⟩`, so a card, a notification or
 * the audit list shows what the text holds rather than what it pretends to be.
 */
export function visibleText(text: string): string {
	return text.replace(HIDDEN, (char) => `⟨U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
