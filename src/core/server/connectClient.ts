// What "Connect a Client…" writes into each client's own configuration file: an entry that starts the stdio
// launcher, so the client holds neither a port nor a secret. Pure text in, text out: the command reads the file,
// shows the change, backs the old file up and writes; tests check every format here.
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import { parse as parseToml, TomlError } from 'smol-toml';

export type ConnectKind = 'claude-code' | 'claude-desktop' | 'cursor' | 'codex' | 'copilot-cli' | 'vscode';
export type ConnectScope = 'user' | 'project';

export interface ConnectTarget {
	readonly kind: ConnectKind;
	readonly label: string;
	/** The scopes the client documents, the first being the one offered first. */
	readonly scopes: readonly ConnectScope[];
	/** Whether the client's project file may say `${workspaceFolder}` (so it needs no absolute folder). */
	readonly workspaceVariable: boolean;
}

export const CONNECT_TARGETS: readonly ConnectTarget[] = [
	{ kind: 'claude-code', label: 'Claude Code', scopes: ['user', 'project'], workspaceVariable: false },
	{ kind: 'claude-desktop', label: 'Claude Desktop', scopes: ['user'], workspaceVariable: false },
	{ kind: 'cursor', label: 'Cursor', scopes: ['user', 'project'], workspaceVariable: true },
	{ kind: 'codex', label: 'Codex', scopes: ['user', 'project'], workspaceVariable: false },
	{ kind: 'copilot-cli', label: 'Copilot CLI', scopes: ['user'], workspaceVariable: false },
	{ kind: 'vscode', label: 'VS Code (another window or profile)', scopes: ['user', 'project'], workspaceVariable: true },
];

export interface ConfigLocationInput {
	readonly home: string;
	readonly platform: string;
	/** %APPDATA% on Windows (Claude Desktop's folder). */
	readonly appData?: string;
	/** $CODEX_HOME when set (Codex's folder, default ~/.codex). */
	readonly codexHome?: string;
	/** This VS Code profile's user folder (where its mcp.json lives). */
	readonly vscodeUserDir?: string;
	/** The workspace folder a project-scope file goes into. */
	readonly workspaceFolder: string;
}

/** The file each client reads at each scope, as it documents it. */
export function configPath(kind: ConnectKind, scope: ConnectScope, at: ConfigLocationInput): string {
	const sep = at.platform === 'win32' ? '\\' : '/';
	const join = (...parts: string[]) => parts.join(sep);
	if (scope === 'project') {
		switch (kind) {
			case 'claude-code':
				return join(at.workspaceFolder, '.mcp.json');
			case 'cursor':
				return join(at.workspaceFolder, '.cursor', 'mcp.json');
			case 'codex':
				return join(at.workspaceFolder, '.codex', 'config.toml');
			case 'vscode':
				return join(at.workspaceFolder, '.vscode', 'mcp.json');
			default:
				throw new Error(`${kind} has no project-scope configuration file`);
		}
	}
	switch (kind) {
		case 'claude-code':
			return join(at.home, '.claude.json');
		case 'claude-desktop':
			if (at.platform === 'darwin') return join(at.home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
			if (at.platform === 'win32') return join(at.appData ?? join(at.home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json');
			return join(at.home, '.config', 'Claude', 'claude_desktop_config.json');
		case 'cursor':
			return join(at.home, '.cursor', 'mcp.json');
		case 'codex':
			return join(at.codexHome ?? join(at.home, '.codex'), 'config.toml');
		case 'copilot-cli':
			return join(at.home, '.copilot', 'mcp-config.json');
		case 'vscode':
			if (!at.vscodeUserDir) throw new Error('the VS Code profile folder is unknown');
			return join(at.vscodeUserDir, 'mcp.json');
	}
}

export interface LauncherCommand {
	/** The launcher's shim at its stable path (~/.mcp-workbench/bin/mcp-workbench-stdio). */
	readonly command: string;
	readonly clientId: string;
	/** The workspace folder the launcher serves. */
	readonly workspaceFolder: string;
}

/** The launcher's arguments: the client's credential, and the folder unless the client starts it there. */
export function launcherArgs(target: ConnectTarget, scope: ConnectScope, launcher: LauncherCommand): string[] {
	const args = ['--client', launcher.clientId];
	// User scope: the client may start anywhere (Claude Desktop has no folder at all). Project scope: Claude Code and
	// Codex start servers in the project; Cursor and VS Code say where with ${workspaceFolder}.
	if (scope === 'user') args.push('--workspace', launcher.workspaceFolder);
	else if (target.workspaceVariable) args.push('--workspace', '${workspaceFolder}');
	return args;
}

/** The server entry as each client's format spells a stdio server. */
export function serverEntry(kind: ConnectKind, command: string, args: readonly string[]): Record<string, unknown> {
	switch (kind) {
		case 'claude-code':
			return { type: 'stdio', command, args: [...args], env: {} };
		case 'copilot-cli':
			return { type: 'local', command, args: [...args], env: {}, tools: ['*'] };
		case 'vscode':
			return { type: 'stdio', command, args: [...args] };
		default:
			return { command, args: [...args] };
	}
}

/** The entry's name: one per workspace at user scope, so connecting a second workspace adds rather than replaces. */
export function serverName(scope: ConnectScope, workspaceName: string): string {
	if (scope === 'project') return 'mcp-workbench';
	const slug = workspaceName.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
	return slug ? `mcp-workbench-${slug}` : 'mcp-workbench';
}

/** The key holding the servers in each JSON format (VS Code's mcp.json says `servers`, the others `mcpServers`). */
function serversKey(kind: ConnectKind): string {
	return kind === 'vscode' ? 'servers' : 'mcpServers';
}

/**
 * The file's new text with our entry set (added or replaced), everything else kept as it was: JSON(C) edits keep
 * comments and formatting; TOML keeps every other table byte for byte. `existing` undefined: the file does not exist.
 * Throws, and nothing is to be written, when the file does not parse as it stands or the change would touch anything
 * but our entry (read back as the client reads the whole file).
 */
export function updatedConfig(kind: ConnectKind, existing: string | undefined, name: string, entry: Record<string, unknown>): string {
	let text: string;
	if (kind === 'codex') {
		const before = readToml(existing ?? '');
		if (typeof before === 'string') throw new Error(`the file is not valid TOML as it stands (${before}): fix it (or move it away) first, nothing was changed`);
		text = setTomlTable(existing ?? '', `mcp_servers.${name}`, entry);
	} else {
		const before = existing !== undefined && existing.trim() !== '' ? existing : '{}\n';
		const errors: ParseError[] = [];
		const root: unknown = parse(before, errors, { allowTrailingComma: true });
		if (errors.length > 0 || typeof root !== 'object' || root === null || Array.isArray(root)) {
			throw new Error('the file is not a JSON object as it stands: fix it (or move it away) first, nothing was changed');
		}
		const edits = modify(before, [serversKey(kind), name], entry, { formattingOptions: { insertSpaces: !before.includes('\n\t'), tabSize: 2, eol: '\n' } });
		text = applyEdits(before, edits);
	}
	const problem = checkConfig(kind, text, name, entry, existing);
	if (problem) throw new Error(`adding the entry "${name}" would leave a file its client cannot use (${problem}): nothing was changed`);
	return text;
}

/**
 * Reads the whole file as the client would: undefined when it parses, holds exactly `entry` under `name`, and, when
 * `previous` (the file before the change) is given, everything else in it is as it was.
 */
export function checkConfig(kind: ConnectKind, text: string, name: string, entry: Record<string, unknown>, previous?: string): string | undefined {
	const read = kind === 'codex' ? readToml : readJson;
	const after = read(text);
	if (typeof after === 'string') return `the file no longer parses: ${after}`;
	const group = kind === 'codex' ? 'mcp_servers' : serversKey(kind);
	const found = asRecord(after[group])?.[name];
	if (canonical(found) !== canonical(entry)) return `the entry "${name}" reads back as ${JSON.stringify(found)}`;
	if (previous === undefined || previous.trim() === '') return undefined;
	const before = read(previous);
	if (typeof before === 'string') return undefined;
	const changed = firstDifference(withoutEntry(before, group, name), withoutEntry(after, group, name));
	return changed === undefined ? undefined : `it would also change ${changed}`;
}

type Parsed = Record<string, unknown>;

function readJson(text: string): Parsed | string {
	const errors: ParseError[] = [];
	const root: unknown = parse(text, errors, { allowTrailingComma: true });
	if (errors.length > 0) return `JSON error ${errors[0].error} at offset ${errors[0].offset}`;
	return asRecord(root) ?? 'not a JSON object';
}

/** The whole file through a TOML 1.0 parser, as Codex (Rust's toml crate) reads it. */
function readToml(text: string): Parsed | string {
	try {
		return parseToml(text) as Parsed;
	} catch (error) {
		if (error instanceof TomlError) return `TOML error at line ${error.line}, column ${error.column}: ${error.message.split('\n')[0]}`;
		throw error;
	}
}

function asRecord(value: unknown): Parsed | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Parsed) : undefined;
}

function withoutEntry(root: Parsed, group: string, name: string): Parsed {
	const servers = asRecord(root[group]);
	if (!servers) return root;
	const rest = Object.fromEntries(Object.entries(servers).filter(([key]) => key !== name));
	const { [group]: _servers, ...others } = root;
	// A group that held only our entry, and a group that did not exist, are the same "nothing else".
	return Object.keys(rest).length === 0 ? others : { ...others, [group]: rest };
}

/** Key order does not matter to a client: compared with keys sorted. Dates compare by their text (toJSON). */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, inner: unknown) => {
		const record = asRecord(inner);
		if (!record || inner instanceof Date) return inner;
		return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]]));
	}) ?? 'undefined';
}

/** The dotted path of the first value that differs, or undefined when none does. */
function firstDifference(before: unknown, after: unknown, path = ''): string | undefined {
	const a = asRecord(before);
	const b = asRecord(after);
	if (a && b && !(before instanceof Date) && !(after instanceof Date)) {
		for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
			const found = firstDifference(a[key], b[key], path ? `${path}.${key}` : key);
			if (found !== undefined) return found;
		}
		return undefined;
	}
	return canonical(before) === canonical(after) ? undefined : (path || 'the whole file');
}

// TOML: only what an entry of ours needs (strings, arrays of strings, inline tables of strings). The table and its
// sub-tables are replaced as a block; the rest of the file is not touched.

function tomlValue(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value);
	if (Array.isArray(value)) return `[${value.map(tomlValue).join(', ')}]`;
	if (typeof value === 'object' && value !== null) return `{ ${Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`).join(', ')} }`;
	throw new Error(`cannot write ${typeof value} to TOML`);
}

function tomlKey(key: string): string {
	return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/** Header line → the dotted name it opens, unquoted (`[a."b c"]` → `a.b c`). */
function tableName(line: string): string | undefined {
	const match = /^\s*\[\s*([^[\]]+?)\s*\]\s*(#.*)?$/.exec(line);
	if (!match) return undefined;
	return match[1].split('.').map((part) => part.trim().replace(/^"(.*)"$/, '$1')).join('.');
}

function tableBounds(lines: readonly string[], name: string): { start: number; end: number } | undefined {
	const start = lines.findIndex((line) => tableName(line) === name);
	if (start === -1) return undefined;
	let end = start + 1;
	while (end < lines.length) {
		const header = /^\s*\[/.test(lines[end]) ? (tableName(lines[end]) ?? lines[end].trim().replace(/^\[+|\]+$/g, '')) : undefined;
		if (header !== undefined && header !== name && !header.startsWith(`${name}.`)) break;
		end++;
	}
	// Blank lines before the next table stay with it.
	while (end > start + 1 && lines[end - 1].trim() === '') end--;
	return { start, end };
}

function setTomlTable(text: string, name: string, entry: Record<string, unknown>): string {
	const block = [`[${name.split('.').map(tomlKey).join('.')}]`, ...Object.entries(entry).map(([key, value]) => `${tomlKey(key)} = ${tomlValue(value)}`)];
	const lines = text.split('\n');
	const bounds = tableBounds(lines, name);
	if (bounds) return [...lines.slice(0, bounds.start), ...block, ...lines.slice(bounds.end)].join('\n');
	const body = text.replace(/\n*$/, '');
	return `${body}${body ? '\n\n' : ''}${block.join('\n')}\n`;
}
