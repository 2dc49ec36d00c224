import { realpathSync } from 'node:fs';
import { fitsInBraceGroup, type BashParser } from '../core/commandPolicy';
import { shellQuote } from './processes';

function samePath(a: string, b: string): boolean {
	try {
		return realpathSync(a) === realpathSync(b);
	} catch {
		return a === b;
	}
}

/**
 * The line as typed into the terminal: `eval '…'` around the line, after a `cd` when the terminal is elsewhere, and
 * as `{ line; } </dev/null` so nothing waits for a keyboard. A subshell `( … )` would lose the exit code in shell
 * integration; a group keeps it. The group is used only when the parser reads both the line and the group as one
 * whole statement: a line with a trailing comment, `&` or `;` would break out of it, so such a line runs as written
 * (standard input is then the terminal, and a prompt waits for the user or the timeout).
 *
 * Why `eval`: VS Code pairs the execution it hands us with the one the shell reports by comparing command lines.
 * Bash reports the typed line only when history is exact; with HISTCONTROL=ignoreboth (Debian's and Ubuntu's default
 * ~/.bashrc) it reports $BASH_COMMAND, the first simple command with its spacing and redirections rewritten. A single
 * simple command without redirections, single-spaced, reads back identically either way.
 */
export function terminalLine(line: string, cwd: string, terminalCwd: string | undefined, parser: BashParser): string {
	const prefix = terminalCwd !== undefined && samePath(terminalCwd, cwd) ? '' : `cd -- ${shellQuote(cwd)} && `;
	return `eval ${shellQuote(prefix + (fitsInBraceGroup(line, parser) ? `{ ${line}; } </dev/null` : line))}`;
}

