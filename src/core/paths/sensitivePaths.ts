import picomatch from 'picomatch';

/**
 * Files whose change can take over the agent, the editor or the machine, or whose content is a secret: git internals,
 * hooks and attributes (filters), editor, task and dev-container configuration, environment and package-manager
 * files, agent instructions, hooks and MCP configuration, CI workflows, shell start-up files and keys.
 */
export const SENSITIVE_PATHS: readonly string[] = [
	'**/.git',
	'**/.git/**',
	'**/.gitmodules',
	'**/.gitattributes',
	'**/.gitconfig',
	'**/.vscode/**',
	'**/*.code-workspace',
	'**/.devcontainer/**',
	'**/.devcontainer.json',
	'**/.env',
	'**/.env*',
	'**/.envrc',
	'**/.npmrc',
	'**/.yarnrc*',
	'**/.pypirc',
	'**/.netrc',
	'**/.mcp.json',
	'**/mcp.json',
	'**/.cursor/**',
	'**/.cursorrules',
	'**/.cursorignore',
	'**/.windsurfrules',
	'**/.clinerules*',
	'**/.claude/**',
	'**/CLAUDE.md',
	'**/CLAUDE.local.md',
	'**/AGENTS.md',
	'**/GEMINI.md',
	'**/.gemini/**',
	'**/.codex/**',
	'**/.continue/**',
	'**/.windsurf/**',
	'**/.roo/**',
	'**/.kiro/**',
	'**/.amazonq/**',
	'**/.github/copilot-instructions.md',
	'**/.github/instructions/**',
	'**/.github/prompts/**',
	'**/.github/chatmodes/**',
	'**/.github/agents/**',
	'**/.github/hooks/**',
	'**/.github/workflows/**',
	'**/.github/actions/**',
	'**/.husky/**',
	'**/.githooks/**',
	'**/.pre-commit-config.yaml',
	'**/.bashrc',
	'**/.bash_profile',
	'**/.profile',
	'**/.zshrc',
	'**/.zshenv',
	'**/.ssh/**',
	'**/.aws/**',
	'**/.kube/**',
	'**/.docker/config.json',
	'**/id_rsa*',
	'**/id_dsa*',
	'**/id_ecdsa*',
	'**/id_ed25519*',
	'**/*.pem',
	'**/*.key',
	'**/*.p12',
	'**/*.pfx',
];

export interface SensitiveMatch {
	/** The glob that matched, for the audit's `sensitive:<glob>`. */
	readonly glob: string;
}

/**
 * The folders a glob's matches live in: `**\/.vscode/**` gives `**\/.vscode`, `**\/.github/workflows/**` gives
 * `**\/.github` and `**\/.github/workflows`. Renaming, creating or deleting such a folder changes the sensitive files
 * inside it (`rename staging → .vscode` with a tasks.json in it), though the folder's own name matches no glob.
 */
function folderGlobs(glob: string): string[] {
	const segments = glob.split('/');
	const folders: string[] = [];
	for (let end = 1; end < segments.length; end++) {
		const prefix = segments.slice(0, end);
		if (prefix.every((segment) => segment === '**')) {
			continue;
		}
		if (prefix[prefix.length - 1] === '**') {
			continue;
		}
		folders.push(prefix.join('/'));
	}
	return folders;
}

interface CompiledList {
	readonly files: readonly [string, picomatch.Matcher][];
	readonly folders: readonly [string, picomatch.Matcher][];
}

/**
 * Always case-insensitive, which is stricter than any disk: on a case-insensitive one `.VSCODE/tasks.json` and
 * `Agents.md` are the protected files, and on a case-sensitive one a look-alike asking once costs little.
 */
function compileList(globs: readonly string[]): CompiledList {
	const options = { dot: true, nocase: true };
	return {
		files: globs.map((glob) => [glob, picomatch(glob, options)]),
		folders: globs.flatMap((glob) => folderGlobs(glob).map((folder): [string, picomatch.Matcher] => [glob, picomatch(folder, options)])),
	};
}

const builtIn = compileList(SENSITIVE_PATHS);
const extraLists = new Map<string, CompiledList>();
const MAX_EXTRA_LISTS = 50;

function listFor(extra: readonly string[]): CompiledList[] {
	if (extra.length === 0) {
		return [builtIn];
	}
	const key = JSON.stringify(extra);
	let compiled = extraLists.get(key);
	if (!compiled) {
		// Settings change rarely; the bound only keeps a long session from growing without end.
		if (extraLists.size >= MAX_EXTRA_LISTS) extraLists.clear();
		compiled = compileList(extra);
		extraLists.set(key, compiled);
	}
	return [builtIn, compiled];
}

/**
 * Whether a path (relative to its workspace folder, '/'-separated) is sensitive, and by which glob: the built-in
 * list plus the user's `extra` globs, at any depth, in any letter case. With `asFolder` a folder that holds (or
 * would hold) sensitive files counts too: for calls that create, rename or delete it.
 */
export function sensitiveMatch(relative: string, extra: readonly string[] = [], options: { readonly asFolder?: boolean } = {}): SensitiveMatch | undefined {
	if (relative === '') {
		return undefined;
	}
	for (const list of listFor(extra)) {
		for (const [glob, matches] of list.files) {
			if (matches(relative)) return { glob };
		}
	}
	if (options.asFolder) {
		for (const list of listFor(extra)) {
			for (const [glob, matches] of list.folders) {
				if (matches(relative)) return { glob };
			}
		}
	}
	return undefined;
}
