/** A file and line an error text names. */
export interface ErrorLocation {
	readonly path: string;
	readonly line: number;
}

/** Files an error names, at most this many: the top of a stack trace is where the cause usually is. */
const MAX_LOCATIONS = 5;

// The forms compilers, test runners and stack traces print:
//   src/a.ts:12:5   src/a.ts(12,5)   at fn (/abs/src/a.ts:12:5)   File "app/x.py", line 12   x.go:12
const PATTERNS: readonly RegExp[] = [
	/File "([^"\n]+)", line (\d+)/g,
	/((?<![\w])(?:[A-Za-z]:)?[\w@./\\-]*\.[A-Za-z0-9]+)\((\d+),\d+\)/g,
	/((?<![\w])(?:[A-Za-z]:)?[\w@./\\-]*\.[A-Za-z0-9]+):(\d+)(?::\d+)?/g,
];

/** URLs (`https://host:443/x.js:1`), blanked before matching: their parts would look like drive letters and paths. */
const URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s)'"]+/gi;

/**
 * The file:line places an error text names, in order of first appearance, each file once (its first line). URLs
 * (`https://host:443`) and `node:internal` frames are not files of the workspace and are left out; whether a path
 * may be read at all is for the gate to decide, not for this parser.
 */
export function errorLocations(text: string): ErrorLocation[] {
	const found: { index: number; location: ErrorLocation }[] = [];
	// file:// URLs name files; every other URL is blanked to spaces, so the indexes still order the matches.
	const plain = text.replace(/\bfile:\/\//gi, (prefix) => ' '.repeat(prefix.length)).replace(URL, (url) => ' '.repeat(url.length));
	for (const pattern of PATTERNS) {
		for (const match of plain.matchAll(pattern)) {
			const path = match[1];
			if (path.startsWith('node:')) continue;
			const line = Number(match[2]);
			if (!Number.isSafeInteger(line) || line < 1) continue;
			found.push({ index: match.index ?? 0, location: { path, line } });
		}
	}
	const seen = new Set<string>();
	const locations: ErrorLocation[] = [];
	for (const { location } of found.sort((a, b) => a.index - b.index)) {
		if (seen.has(location.path)) continue;
		seen.add(location.path);
		locations.push(location);
		if (locations.length >= MAX_LOCATIONS) break;
	}
	return locations;
}
