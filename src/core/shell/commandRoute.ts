/**
 * Where a command line runs: typed into the user's visible terminal (shell integration reports its output and exit
 * code), or as a hidden child process when the terminal cannot honour the request. Decided from plain facts, so the
 * editor's host only gathers them; the line's shape comes from the command policy's parse, the only one a line gets.
 */

/** A construct after which shell integration may never report the end of the line. */
export type ShellFeature = 'command substitution' | 'process substitution' | 'subshell' | 'background job';

/** What the parse of a command line found that decides where it can run. */
export interface LineShape {
	/**
	 * The features of the line itself, in the order they first appear, including inside its `$(…)`, backticks and
	 * here-documents; not inside scripts it hands to another shell (`bash -c '…'`, `eval`), which run in that shell.
	 */
	readonly features: readonly ShellFeature[];
	/** Why the line cannot be read as a shell command (the parser failed, a syntax error, too deep); absent when it can. */
	readonly unparsable?: string;
}
