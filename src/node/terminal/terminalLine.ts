import { shellQuote } from '../../core/shell/quote';
import { CALL_TOKEN_VARIABLE } from './callToken';

/**
 * The line as typed into the terminal: one `eval '…'` that changes to the working directory and runs the line in a
 * fresh, non-interactive bash with standard input closed:
 *
 *     eval 'builtin cd -- /the/cwd && /bin/bash -c '\''<line>'\'' </dev/null'
 *
 * A fresh bash per line, because the terminal's shell lives on between lines: in it, an approved
 * `alias ls='rm -rf ~'`, a function or an exported PATH would change what a later line that the policy allows
 * actually runs. In a child shell nothing a line does to the shell outlasts it (`cd`, aliases, functions, variables,
 * `exit`), no alias of the user's rewrites it (a `-c` shell reads no profile or rc), and the line runs exactly as the
 * policy read it, as on the child-process path. The directory change comes every time, with `builtin` past any `cd`
 * function of the user's.
 *
 * Why `eval` outside: VS Code pairs the execution it hands us with the one the shell reports by comparing command
 * lines. Bash reports the typed line only when history is exact; with HISTCONTROL=ignoreboth (Debian's and Ubuntu's
 * default ~/.bashrc) it reports $BASH_COMMAND, the first simple command with its spacing and redirections rewritten. A
 * single simple command without redirections, single-spaced, reads back identically either way.
 */
export function terminalLine(line: string, cwd: string, bash: string, sandbox?: TypedSandbox, callToken?: string): string {
	if (sandbox) {
		// The sandbox's options come from a file on descriptor 3 (`bwrap --args 3`): the typed line stays as readable
		// as without it, and shows what runs and that it runs sandboxed.
		// `env -i`: bwrap's own first process (PID 1 inside) keeps the environment it starts with, readable as
		// /proc/1/environ; the terminal's holds the user's tokens. The command's environment comes from the options.
		const run = `/usr/bin/env -i ${shellWord(sandbox.program)} --args 3 -- ${shellWord(bash)} -c ${shellQuote(line)} </dev/null 3<${shellWord(sandbox.optionsFile)}`;
		return `eval ${shellQuote(`builtin cd -- ${shellWord(cwd)} && ${run}`)}`;
	}
	// Unsandboxed, every process of the line inherits the call's token, so none escapes the kill (see callToken).
	const token = callToken ? `${CALL_TOKEN_VARIABLE}=${shellWord(callToken)} ` : '';
	return `eval ${shellQuote(`builtin cd -- ${shellWord(cwd)} && ${token}${shellWord(bash)} -c ${shellQuote(line)} </dev/null`)}`;
}

/** bwrap, and the file of the options it reads: typed into the terminal for a sandboxed line. */
export interface TypedSandbox {
	readonly program: string;
	readonly optionsFile: string;
}

/** Bare when nothing in it means anything to the shell (most paths), so the typed line stays readable; else quoted. */
function shellWord(text: string): string {
	return /^[\w./:@%+,-]+$/.test(text) && !text.startsWith('-') ? text : shellQuote(text);
}
