import type { UriVariables } from './resourceSpec';

/** Longest URI matched; a resource URI is a file's path, and a regular expression over megabytes is not. */
const MAX_URI_LENGTH = 16 * 1024;

/**
 * Matches URIs against an RFC 6570 template of the two forms resource templates use: `{name}` (one segment: no
 * `/` or `,`) and `{+name}` (reserved expansion: the rest, slashes included). Values come back as written, still
 * percent-encoded: the resource decodes them once, where its path jail can see the result.
 */
export class UriTemplate {
	private readonly regex: RegExp;
	private readonly names: readonly string[];

	constructor(readonly template: string) {
		const names: string[] = [];
		let source = '^';
		let at = 0;
		const literal = (text: string) => {
			if (/[{}]/.test(text)) throw new Error(`unsupported URI template ${template}: only {name} and {+name} expressions are`);
			return escapeRegExp(text);
		};
		for (const match of template.matchAll(/\{(\+?)([A-Za-z0-9_]+)\}/g)) {
			source += literal(template.slice(at, match.index)) + (match[1] === '+' ? '(.+)' : '([^/,]+)');
			names.push(match[2]);
			at = match.index + match[0].length;
		}
		this.regex = new RegExp(`${source}${literal(template.slice(at))}$`);
		this.names = names;
	}

	match(uri: string): UriVariables | undefined {
		if (uri.length > MAX_URI_LENGTH) return undefined;
		const match = this.regex.exec(uri);
		if (!match) return undefined;
		return Object.fromEntries(this.names.map((name, index) => [name, match[index + 1]]));
	}
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
