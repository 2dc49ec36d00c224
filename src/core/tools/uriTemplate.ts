import type { UriVariables } from './resourceSpec';

/** Longest URI matched; a resource URI is a file's path, and a regular expression over megabytes is not. */
const MAX_URI_LENGTH = 16 * 1024;

/**
 * Matches URIs against an RFC 6570 template of the three forms resource templates use: `{name}` (one segment: no
 * `/` or `,`), `{+name}` (reserved expansion: the rest, slashes included) and, last, `{?a,b}` (form-style query:
 * each parameter optional, in any order, no other parameter). Values come back as written, still percent-encoded:
 * the resource decodes them once, where its path jail can see the result.
 */
export class UriTemplate {
	private readonly regex: RegExp;
	private readonly names: readonly string[];
	/** The `{?…}` parameters; undefined when the template takes no query, so a URI with one does not match. */
	private readonly query: readonly string[] | undefined;

	constructor(readonly template: string) {
		const queryMatch = /\{\?([A-Za-z0-9_]+(?:,[A-Za-z0-9_]+)*)\}$/.exec(template);
		const path = queryMatch ? template.slice(0, queryMatch.index) : template;
		this.query = queryMatch ? queryMatch[1].split(',') : undefined;
		const names: string[] = [];
		let source = '^';
		let at = 0;
		const literal = (text: string) => {
			if (/[{}]/.test(text)) throw new Error(`unsupported URI template ${template}: only {name}, {+name} and a final {?a,b} expression are`);
			return escapeRegExp(text);
		};
		for (const match of path.matchAll(/\{(\+?)([A-Za-z0-9_]+)\}/g)) {
			source += literal(path.slice(at, match.index)) + (match[1] === '+' ? '(.+)' : '([^/,?]+)');
			names.push(match[2]);
			at = match.index + match[0].length;
		}
		this.regex = new RegExp(`${source}${literal(path.slice(at))}$`);
		this.names = names;
	}

	/** The template's variables: path ones first, then the query's. */
	get variables(): readonly string[] {
		return [...this.names, ...(this.query ?? [])];
	}

	match(uri: string): UriVariables | undefined {
		if (uri.length > MAX_URI_LENGTH) return undefined;
		const question = this.query ? uri.indexOf('?') : -1;
		const path = question >= 0 ? uri.slice(0, question) : uri;
		const match = this.regex.exec(path);
		if (!match) return undefined;
		const variables: Record<string, string> = Object.fromEntries(this.names.map((name, index) => [name, match[index + 1]]));
		if (question < 0) return variables;
		for (const pair of uri.slice(question + 1).split('&')) {
			if (pair === '') continue;
			const equals = pair.indexOf('=');
			const name = equals < 0 ? pair : pair.slice(0, equals);
			// An unknown or repeated parameter is a mistake the caller should hear about, not a value silently ignored.
			if (!this.query?.includes(name) || Object.hasOwn(variables, name)) return undefined;
			variables[name] = equals < 0 ? '' : pair.slice(equals + 1);
		}
		return variables;
	}
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
