import { fitsInBraceGroup, type BashParser } from '../core/commandPolicy';
import { shellQuote } from './processes';

/**
 * The line as typed into the terminal: one `eval '…'` that changes to the working directory, then runs the line with
 * standard input closed, so nothing waits for a keyboard. The directory change comes every time: the terminal's
 * reported directory can lag behind a `cd` the previous line made. `builtin` skips any `cd` function the user's
 * profile defines.
 *
 * When the parser reads the line as one whole statement, it runs as `{ line; } </dev/null` (a subshell `( … )` would
 * lose the exit code in shell integration; a group keeps it). A line with a trailing comment, `&` or `;` would break
 * out of the group, so it runs through an inner `eval`, whose redirection covers all of it.
 *
 * Why `eval` outside: VS Code pairs the execution it hands us with the one the shell reports by comparing command
 * lines. Bash reports the typed line only when history is exact; with HISTCONTROL=ignoreboth (Debian's and Ubuntu's
 * default ~/.bashrc) it reports $BASH_COMMAND, the first simple command with its spacing and redirections rewritten. A
 * single simple command without redirections, single-spaced, reads back identically either way.
 */
export function terminalLine(line: string, cwd: string, parser: BashParser): string {
	const run = fitsInBraceGroup(line, parser) ? `{ ${line}; } </dev/null` : `eval ${shellQuote(line)} </dev/null`;
	return `eval ${shellQuote(`builtin cd -- ${shellQuote(cwd)} && ${run}`)}`;
}
