// Lexical checks on a path an agent sent, before any file-system call: everything here is refused by its shape
// alone, whatever the disk holds. The realpath checks that need the disk live in src/node/pathJail.ts.
import type { PathJail, ResolvedPath } from './pathJail';
import { ToolError } from '../base/errors';

export type PathPlatform = 'posix' | 'win32';

/** A path that passed the lexical checks: absolute, or relative as clean segments (no '.', '..' or empty). */
export type ParsedPath =
	| { readonly kind: 'absolute'; readonly path: string }
	| { readonly kind: 'relative'; readonly segments: readonly string[] };

const FORMS = 'Use a path relative to a workspace folder (e.g. "src/index.ts", or "<folder>/src/index.ts" in a multi-root workspace) or an absolute path inside one.';

function refuse(reason: string): never {
	throw new ToolError(`${reason} ${FORMS}`);
}

// Windows opens these as devices in any folder and with any extension, so "nul.txt" is as bad as "NUL".
const DEVICE_NAME = /^(con|prn|aux|nul|clock\$|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³]) *(\..*)?$/i;

function checkSegment(segment: string): void {
	if (segment === '..') {
		refuse('Paths may not contain ".." segments.');
	}
	if (/^[. ]+$/.test(segment) && segment !== '.') {
		refuse(`The path segment "${segment}" is only dots and spaces, which Windows reads as "..".`);
	}
	if (/[. ]$/.test(segment) && segment !== '.') {
		refuse(`The path segment "${segment}" ends in a dot or space, which Windows strips, so it can name another file.`);
	}
	if (DEVICE_NAME.test(segment.trim())) {
		refuse(`"${segment}" is a reserved Windows device name.`);
	}
	if (segment.includes(':')) {
		refuse(`"${segment}" contains ":" (an alternate data stream on Windows).`);
	}
	if (/~\d/.test(segment)) {
		refuse(`"${segment}" looks like an 8.3 short name (e.g. PROGRA~1); use the long name.`);
	}
	if (/[<>"|?*]/.test(segment)) {
		refuse(`"${segment}" contains a wildcard or a character Windows forbids in names.`);
	}
}

function decodeFileUri(input: string): string {
	let url: URL;
	let decoded: string;
	try {
		url = new URL(input);
		decoded = decodeURIComponent(url.pathname);
	} catch {
		refuse(`"${input}" is not a valid file URI.`);
	}
	// file://server/share names another machine's share (UNC), not a local path.
	if (url.host !== '' && url.host !== 'localhost') {
		refuse(`"${input}" names the host "${url.host}"; only local file URIs (file:///path) are accepted.`);
	}
	// One decoding step is what a URI means; a second '%' escape is an attempt to smuggle one past the checks.
	if (/%[0-9a-f]{2}/i.test(decoded)) {
		refuse('The file URI is encoded more than once.');
	}
	// file:///C:/x has the pathname /C:/x.
	return /^\/[a-z]:\//i.test(decoded) ? decoded.slice(1) : decoded;
}

/**
 * Checks a path's shape and splits it. Refuses (with a ToolError naming the accepted forms) anything that could
 * mean a different file on some platform or after some decoding: '..', '~', NUL and control characters, percent
 * escapes, UNC and device paths, Windows device names, alternate data streams, 8.3 short names, and backslashes
 * where they are not the separator.
 */
export function parsePathInput(input: string, platform: PathPlatform): ParsedPath {
	let text = input.trim() === input ? input : refuse('The path has leading or trailing whitespace.');
	if (text.length > 4096) {
		refuse('The path is too long.');
	}
	if (/[\u0000-\u001f\u007f]/.test(text)) {
		refuse('The path contains a NUL or control character.');
	}
	if (/^file:/i.test(text)) {
		text = decodeFileUri(text);
	} else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(text)) {
		refuse('Only file: URIs are accepted.');
	} else if (/%[0-9a-f]{2}/i.test(text)) {
		refuse('The path contains percent-encoding (like %2e or %2f); send the plain characters instead.');
	}
	if (text.includes('\\')) {
		if (platform !== 'win32') {
			refuse('The path contains a backslash; use "/" as the separator.');
		}
		text = text.replace(/\\/g, '/');
	}
	if (text.startsWith('~')) {
		refuse('"~" (home directory) is not expanded.');
	}
	if (text.startsWith('//')) {
		refuse('UNC and device paths (//server/share, \\\\?\\) are not accepted.');
	}
	let absolutePrefix: string | undefined;
	if (text.startsWith('/')) {
		absolutePrefix = '/';
		text = text.slice(1);
	} else if (/^[a-z]:\//i.test(text)) {
		absolutePrefix = text.slice(0, 3);
		text = text.slice(3);
	} else if (/^[a-z]:/i.test(text)) {
		refuse('Drive-relative paths like "C:file" are not accepted.');
	}
	const segments = text.split('/').filter((segment) => segment !== '' && segment !== '.');
	segments.forEach(checkSegment);
	if (absolutePrefix !== undefined) {
		return { kind: 'absolute', path: absolutePrefix + segments.join('/') };
	}
	return { kind: 'relative', segments };
}

/** Folds case where the file system ignores it, so comparisons see what the disk sees. */
function fold(path: string, caseInsensitive: boolean): string {
	return caseInsensitive ? path.toLowerCase() : path;
}

/**
 * The part of `target` below `root`, with '/' separators ('' for the root itself), or undefined when `target` is
 * not inside `root`. Separator-aware, so "/ws-evil" and "/ws_backup" are not inside "/ws".
 */
export function relativeInside(root: string, target: string, caseInsensitive: boolean): string | undefined {
	const normalRoot = root.replace(/\\/g, '/').replace(/\/+$/, '');
	const normalTarget = target.replace(/\\/g, '/').replace(/\/+$/, '');
	const foldedRoot = fold(normalRoot, caseInsensitive);
	const foldedTarget = fold(normalTarget, caseInsensitive);
	if (foldedTarget === foldedRoot) {
		return '';
	}
	// A root of "/" (or "C:") ends without a separator after trimming; every absolute path is below it.
	const prefix = `${foldedRoot}/`;
	if (!foldedTarget.startsWith(prefix)) {
		return undefined;
	}
	return normalTarget.slice(prefix.length);
}

/**
 * Resolves a path a tool will write, create, rename or delete. The folder root itself is never such a target, so
 * this refuses it even if a caller forgets the option.
 */
export async function resolveWriteTarget(jail: PathJail, input: string, options: { readonly mustExist?: boolean } = {}): Promise<ResolvedPath> {
	const resolved = await jail.resolve(input, { mustExist: options.mustExist, allowFolderRoot: false });
	if (resolved.relative === '') {
		throw new ToolError(`"${input}" is a workspace folder itself, which cannot be written, renamed or deleted; name a file inside it.`);
	}
	return resolved;
}
