/**
 * How deep and how large a JSON-like value is, found without recursion: JSON.parse accepts 200,000 levels of
 * nesting, and any recursive walk (redaction, zod, freezing, canonical JSON) overflows the stack long before that
 * (2,000 levels were enough). The gate measures arguments first and refuses the pathological ones; the audit then
 * records a bounded summary built here, also without recursion.
 */

/** No tool takes arguments nested deeper than a few levels; 32 leaves room for any real schema. */
export const MAX_ARGUMENT_DEPTH = 32;
/** Arrays and objects with more members than this are not arguments a person could review. */
export const MAX_ARGUMENT_NODES = 100_000;

export interface ArgumentShape {
	/** Deepest nesting seen (0 for a scalar); the walk stops at the first level past the limit. */
	readonly depth: number;
	/** Values seen; the walk stops at the first one past the limit. */
	readonly nodes: number;
	/** Why the value is refused, or undefined when it is within the limits. */
	readonly problem?: string;
}

function children(value: unknown): unknown[] | undefined {
	if (value === null || typeof value !== 'object') return undefined;
	if (Array.isArray(value)) return value;
	const proto = Object.getPrototypeOf(value) as unknown;
	if (proto !== Object.prototype && proto !== null) return undefined;
	return Object.values(value);
}

/** Measures a value with an explicit stack, stopping as soon as a limit is passed. */
export function measureArguments(value: unknown, maxDepth = MAX_ARGUMENT_DEPTH, maxNodes = MAX_ARGUMENT_NODES): ArgumentShape {
	const stack: [unknown, number][] = [[value, 0]];
	let depth = 0;
	let nodes = 0;
	while (stack.length > 0) {
		const [item, level] = stack.pop()!;
		nodes++;
		if (level > depth) depth = level;
		if (depth > maxDepth) return { depth, nodes, problem: `the arguments are nested more than ${maxDepth} levels deep` };
		if (nodes > maxNodes) return { depth, nodes, problem: `the arguments hold more than ${maxNodes} values` };
		const inner = children(item);
		if (inner) for (const child of inner) stack.push([child, level + 1]);
	}
	return { depth, nodes };
}

/** Levels and members per container the audit keeps of refused arguments. */
const SUMMARY_DEPTH = 4;
const SUMMARY_MEMBERS = 10;

/**
 * A small copy of a value that a recursive walk can take: the first levels and members, with a marker where more
 * was left out. Built breadth-first from an explicit queue.
 */
export function summarizeArguments(value: unknown): unknown {
	const root: { value?: unknown } = {};
	const queue: { source: unknown; level: number; assign: (copy: unknown) => void }[] = [{ source: value, level: 0, assign: (copy) => (root.value = copy) }];
	for (let next = 0; next < queue.length; next++) {
		const { source, level, assign } = queue[next];
		if (typeof source === 'string') {
			assign(source.length > 200 ? `${source.slice(0, 200)}… [${source.length - 200} characters omitted]` : source);
			continue;
		}
		const inner = children(source);
		if (!inner) {
			assign(typeof source === 'object' && source !== null ? '[object]' : source);
			continue;
		}
		if (level >= SUMMARY_DEPTH) {
			assign(`[${Array.isArray(source) ? 'array' : 'object'} nested deeper: not recorded]`);
			continue;
		}
		if (Array.isArray(source)) {
			const copy: unknown[] = [];
			assign(copy);
			source.slice(0, SUMMARY_MEMBERS).forEach((item, index) => queue.push({ source: item, level: level + 1, assign: (c) => (copy[index] = c) }));
			if (source.length > SUMMARY_MEMBERS) copy[SUMMARY_MEMBERS] = `… ${source.length - SUMMARY_MEMBERS} more items`;
			continue;
		}
		const copy: Record<string, unknown> = {};
		assign(copy);
		const keys = Object.keys(source as object);
		for (const key of keys.slice(0, SUMMARY_MEMBERS)) {
			const shortKey = key.length > 200 ? `${key.slice(0, 200)}…` : key;
			queue.push({ source: (source as Record<string, unknown>)[key], level: level + 1, assign: (c) => Object.defineProperty(copy, shortKey, { value: c, enumerable: true, writable: true, configurable: true }) });
		}
		if (keys.length > SUMMARY_MEMBERS) copy['…'] = `${keys.length - SUMMARY_MEMBERS} more keys`;
	}
	return root.value;
}
