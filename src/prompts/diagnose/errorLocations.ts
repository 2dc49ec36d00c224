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
	/((?:[A-Za-z]:)?[\w@./\\-]*[\w-]\.[A-Za-z0-9]+)\((\d+),\d+\)/g,
	/((?:[A-Za-z]:)?[\w@./\\-]*[\w-]\.[A-Za-z0-9]+):(\d+)(?::\d+)?/g,
];

/**
 * The file:line places an error text names, in order of first appearance, each file once (its first line). URLs
 * (`https://host:443`) and `node:internal` frames are not files of the workspace and are left out; whether a path
 * may be read at all is for the gate to decide, not for this parser.
 */
export function errorLocations(text: string): ErrorLocation[] {
	const found: { index: number; location: ErrorLocation }[] = [];
	for (const pattern of PATTERNS) {
		for (const match of text.matchAll(pattern)) {
			const path = match[1].replace(/^file:\/\//, '');
			const before = text.slice(Math.max(0, (match.index ?? 0) - 3), match.index ?? 0);
			if (before.endsWith('://') || path.startsWith('node:') || /^https?:/.test(path)) continue;
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
