/**
 * Completion order: values that start with what was typed, then values that contain it (case-insensitive), each
 * group shortest first; duplicates once.
 */
export function ranked(values: Iterable<string>, typed: string): string[] {
	const needle = typed.toLowerCase();
	const prefix: string[] = [];
	const inside: string[] = [];
	for (const value of new Set(values)) {
		const lower = value.toLowerCase();
		if (lower.startsWith(needle)) prefix.push(value);
		else if (lower.includes(needle)) inside.push(value);
	}
	const order = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
	return [...prefix.sort(order), ...inside.sort(order)];
}
