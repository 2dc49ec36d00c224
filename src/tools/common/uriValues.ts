import { ToolError } from '../../core/base/errors';
import type { UriVariables } from '../../core/tools/resourceSpec';

/** A URI variable, percent-decoded once; an escape that is not UTF-8 makes the URI invalid, not an internal error. */
export function uriValue(variables: UriVariables, name: string, uri: string): string | undefined {
	const raw = variables[name];
	if (raw === undefined) return undefined;
	const text = Array.isArray(raw) ? raw.join(',') : (raw as string);
	try {
		return decodeURIComponent(text.replace(/\+/g, '%20'));
	} catch {
		throw new ToolError(`${uri.length > 300 ? `${uri.slice(0, 300)}…` : uri} is not a valid URI: the value of "${name}" does not decode to UTF-8 text.`, 'invalid-input');
	}
}

/** A flag in a query: present without a value, or true/1/yes. */
export function uriFlag(variables: UriVariables, name: string, uri: string): boolean | undefined {
	const value = uriValue(variables, name, uri);
	if (value === undefined) return undefined;
	if (['', 'true', '1', 'yes'].includes(value.toLowerCase())) return true;
	if (['false', '0', 'no'].includes(value.toLowerCase())) return false;
	throw new ToolError(`"${name}" in ${uri} must be true or false.`, 'invalid-input');
}

/** A whole number in a query, within bounds. */
export function uriInteger(variables: UriVariables, name: string, uri: string, min: number, max: number): number | undefined {
	const value = uriValue(variables, name, uri);
	if (value === undefined) return undefined;
	const number = Number(value);
	if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min || number > max) {
		throw new ToolError(`"${name}" in ${uri} must be a whole number from ${min} to ${max}.`, 'invalid-input');
	}
	return number;
}
