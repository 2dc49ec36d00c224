/**
 * How an approval card shows an edit's diff and a commit's files. Shared by the panel, which folds a long change, and the keyboard
 * commands, which must not approve a change whose card still folds part of it away.
 */

/** Lines of a change a card shows before folding the rest away (behind "Show all" and "Open diff"). */
export const CARD_DIFF_LINES = 60;

/** Files of a commit a card lists before folding the rest away (behind "Show all N files"). */
export const CARD_COMMIT_FILES = 50;

/**
 * The lines of a unified diff a person reads: the `Index:`, `====`, `---` and `+++` header lines say nothing the
 * card's title does not, and the final empty line is the text's end, not a line.
 */
export function diffBodyLines(unified: string): string[] {
	const lines = unified.split('\n');
	let start = 0;
	while (start < lines.length && /^(Index: |={3,}|--- |\+\+\+ )/.test(lines[start])) start++;
	const body = lines.slice(start);
	if (body.length > 0 && body[body.length - 1] === '') body.pop();
	return body;
}
