/**
 * Where a command line runs: typed into the user's visible terminal (shell integration reports its output and exit
 * code), or as a hidden child process when the terminal cannot honour the request. Decided from plain facts the
 * editor's host gathers; the line's shape comes from the command policy's parse, the only parse a line gets.
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

/** The facts a route is decided from, gathered by the editor's host. */
export interface RouteFacts {
	/** The setting that runs commands in the visible terminal. */
	readonly useTerminal: boolean;
	/** The request sets environment variables of its own. */
	readonly extraEnv: boolean;
	/** The machine's platform as Node names it (`linux`, `darwin`, `win32`). */
	readonly platform: string;
	/** The shell the terminal would run lines in (`/bin/bash`). */
	readonly shell: string;
	/** The line as the approval card showed it. */
	readonly line: string;
	/** What the gate's parse found in the line; absent when the line was not analysed. */
	readonly shape?: LineShape;
	/** Shell integration failed to start in a terminal within the last few minutes. */
	readonly integrationFailedRecently: boolean;
}

export type CommandRoute = { readonly runIn: 'terminal' } | { readonly runIn: 'process'; readonly reason: string };

/** Where a command runs: the visible terminal when nothing stands against it, else a child process and why. */
export function commandRoute(facts: RouteFacts): CommandRoute {
	if (!facts.useTerminal) {
		return childProcess('the visible terminal is turned off in settings');
	}
	if (facts.extraEnv) {
		return childProcess('extra environment variables are applied on the child-process path, so their values never show in the terminal');
	}
	if (facts.platform === 'win32' || !facts.shell.endsWith('bash')) {
		return childProcess('the visible terminal runs lines in bash, which this machine does not have');
	}
	if (facts.line.includes('\n')) {
		return childProcess('multi-line commands run as a child process: shell integration may not report their end');
	}
	// Typed into a terminal, a control character is a key press for the line editor: ^P^O re-runs the previous
	// history line, a tab completes, ESC starts editing. What ran would not be what the policy read.
	if (/[\x00-\x1f\x7f]/.test(facts.line)) {
		return childProcess('the line holds control characters (tabs included), which a terminal would take as key presses');
	}
	if (!facts.shape) {
		return childProcess('the line was not analysed by the command policy, so whether shell integration would report its end is unknown');
	}
	const { features, unparsable } = facts.shape;
	if (unparsable || features.length > 0) {
		return childProcess(`${unparsable ?? features.join(', ')}: such lines run as a child process, since shell integration may never report their end`);
	}
	if (facts.integrationFailedRecently) {
		return childProcess('shell integration did not start in the terminal recently');
	}
	return { runIn: 'terminal' };
}

function childProcess(reason: string): CommandRoute {
	return { runIn: 'process', reason };
}
