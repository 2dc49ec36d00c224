/**
 * Removes secrets from text and JSON-like values before they reach the agent, the audit or a log.
 *
 * All patterns are joined into ONE regular expression so a text is scanned once, however many kinds of secret we
 * know; the replacement callback finds which alternative matched. Replacements keep a hint of what was there
 * (`[REDACTED:github-token]`) so a reader of the audit still understands the call.
 */

interface Rule {
	/** Shown in the marker: `[REDACTED:<hint>]`. */
	readonly hint: string;
	/** Regex source kept verbatim before the marker (`Authorization: `, `https://`). */
	readonly keep?: string;
	/** Regex source of the secret itself. */
	readonly secret: string;
	/** Replaces the default marker, for URLs where a marker would make the text unreadable. */
	readonly replacement?: string;
}

/** Case-insensitive source for a literal word; the combined regex cannot use the `i` flag (token prefixes are case-sensitive). */
function anyCase(word: string): string {
	return [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('');
}

// Names whose value is a secret in `NAME=value`, `name: value`, `"name": "value"`. `PASS` counts only as a whole
// word or the end of a name (`DB_PASS=`), never inside one (`BYPASS=1`, `compass:`). The match starts at the keyword
// (the rest of the name stays in the text anyway), which keeps the scan fast. The keyword must end the name or be
// followed by a separator, so `tokenizer` and `max_tokens` stay readable.
const secretName = `(?:(?:${['password', 'passwd', 'passphrase', 'secret', 'token', 'credentials', 'credential'].map(anyCase).join('|')}|(?:${anyCase('api')}|${anyCase('access')}|${anyCase('private')})[_-]?${anyCase('key')})(?:[_.-][A-Za-z0-9_.-]*)?["']?|(?<![A-Za-z])${anyCase('pass')}["']?(?=\\s*[:=]))`;
// TypeScript declarations (`password: string`) look like YAML assignments; these values are types, not secrets.
// Code reads secrets from somewhere (`secret: process.env.SECRET`); a dotted identifier path is a reference, not a value.
const propertyPath = '[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+';
const typeWords = '(?:string|number|boolean|any|unknown|undefined|null|never|object|bigint|symbol|true|false)';

// Separators inside PEM key material: real line breaks, or the `\n` escapes of a key inside a JSON string.
const pemBreak = String.raw`(?:\r?\n|(?:\\r)?\\n)`;
const pemEnd = '-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----';
const pemHeader = String.raw`(?:Proc-Type|DEK-Info|Comment):[^\r\n\\]*`;
// A line of base64 long enough to be key material; a shorter line (a command word) counts only before an END line.
const pemLine = '[A-Za-z0-9+/]{16,}={0,2}';

// The value after a flag or an option: the quoted text when a quote came before it, else one shell word.
const flagValue = String.raw`(?<=")[^"\r\n]+(?=")|(?<=')[^'\r\n]+(?=')|(?<=[ \t=]|-p)(?![-"'])[^\s"';&|<>()]+`;
// The rest of a command before one of its options: never past the end of the simple command, and at most 256
// characters, so a line with many `curl`s and no option is scanned in linear time, not once per `curl` to its end.
const sameCommand = String.raw`\b[^\r\n;&|]{0,256}?[ \t]`;

/**
 * Every rule matches the secret and no more, so a redacted command line still shows what it does: a private-key
 * marker hides the key material, never the rest of the line, and a password option hides its value, not the words
 * around it. What the approval card and the audit show of a call must be what runs.
 */
const RULES: readonly Rule[] = [
	// The BEGIN line stays; the base64 lines after it go, up to and including the END line. A key cut short (a line
	// range, truncated output) has no END line: its long base64 lines go and the first line that is not one stays.
	{
		hint: 'private-key',
		keep: `-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----${pemBreak}?`,
		secret: `(?:(?:${pemHeader}|[A-Za-z0-9+/=]+)${pemBreak}+)*${pemEnd}|${pemLine}(?:${pemBreak}+(?:${pemHeader}|${pemLine}))*(?=${pemBreak}|$)`,
	},
	{ hint: 'jwt', secret: '\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*' },
	{ hint: 'aws-access-key', secret: '\\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\\b' },
	{ hint: 'aws-secret-key', keep: `\\b${anyCase('aws')}_?${anyCase('secret')}_?(?:${anyCase('access')}_?)?${anyCase('key')}["']?\\s*[:=]\\s*["']?`, secret: '[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])' },
	{ hint: 'github-token', secret: '\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b' },
	{ hint: 'gitlab-token', secret: '\\bglpat-[A-Za-z0-9_-]{20,}' },
	{ hint: 'slack-token', secret: '\\bxox[abprs]-[A-Za-z0-9-]{10,}' },
	{ hint: 'anthropic-key', secret: '\\bsk-ant-[A-Za-z0-9_-]{20,}' },
	{ hint: 'openai-key', secret: '\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}' },
	{ hint: 'stripe-key', secret: '\\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}' },
	{ hint: 'google-api-key', secret: '\\bAIza[0-9A-Za-z_-]{35}' },
	{ hint: 'npm-token', secret: '\\bnpm_[A-Za-z0-9]{36}\\b' },
	{
		hint: 'authorization',
		keep: `\\b(?:${anyCase('proxy-')})?${anyCase('authorization')}["']?\\s*[:=]\\s*["']?`,
		secret: `(?:(?:${['bearer', 'basic', 'token', 'digest', 'negotiate'].map(anyCase).join('|')})\\s+[^\\s"',;]{4,}|[^\\s"',;]{16,})`,
	},
	// Prose says "a Bearer token"; real tokens contain a digit.
	{ hint: 'bearer-token', keep: `\\b${anyCase('bearer')}\\s+`, secret: '(?=[A-Za-z._~+/-]*[0-9])[A-Za-z0-9._~+/-]{8,}=*' },
	// `--password v`, `--token v`, `--api-key v`: the flag ends in the name (so `--token-file path` stays readable).
	{
		hint: 'flag',
		keep: `--(?:[A-Za-z0-9]+-)*(?:${['password', 'passwd', 'passphrase', 'pass', 'token', 'secret', 'api-key', 'apikey', 'access-key', 'private-key'].map(anyCase).join('|')})[ \\t]+["']?`,
		secret: flagValue,
	},
	// Programs whose `-p` takes the password: sshpass and docker login (`-p value`), the MySQL clients (`-pvalue`
	// only: `-p value` prompts, and the word after it is the database).
	{ hint: 'password', keep: `\\b(?:sshpass|docker[ \\t]+login)${sameCommand}-p[ \\t]*["']?`, secret: flagValue },
	{ hint: 'password', keep: `\\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mariadb|mariadb-dump)${sameCommand}-p["']?`, secret: flagValue },
	// `curl -u user:password`, `curl --user user:password`: the user name stays.
	{ hint: 'basic-auth', keep: `\\bcurl${sameCommand}(?:-u[ \\t]*|--user(?:[ \\t]+|=))["']?[^\\s:"']*:`, secret: `[^\\s"';&|]+` },
	// Starts at `://` rather than at the scheme: cheaper to scan for, and the scheme stays anyway.
	{ hint: 'url-credentials', keep: ':(?<=[A-Za-z0-9]:)//', secret: `[^\\s/?#@:'"]+:[^\\s/?#@'"]+(?=@)`, replacement: '***' },
	// Three shapes share one alternative so the name is scanned once: NAME=value (no space before `=`: env files, query
	// strings, --flags), a quoted value after `=`/`:` (the quotes stay), and YAML `password: hunter2` to the end of the line.
	{
		hint: 'assignment',
		keep: `${secretName}(?:=["']?|\\s*[:=]\\s*["'](?=[^\\s"']+["'])|:[ \\t]*(?!(?:${typeWords}|${propertyPath})[ \\t]*(?:\\r?\\n|$)|this\\.))`,
		secret: `(?<=["'])[^"'\\r\\n]+(?=["'](?!\\s*\\|))|(?<==)[^\\s"'&;,]+|(?<=:[ \\t]*)[^\\s"'(){};,]+(?=[ \\t]*(?:\\r?\\n|$))`,
	},
];

/** Object keys whose values are secrets whatever they look like; compared lower-case without `-`/`_`. */
const SECRET_KEY_ENDINGS = ['password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'accesskey', 'privatekey', 'secretkey', 'authorization', 'credential', 'credentials', 'cookie'];

function isSecretKey(key: string): boolean {
	const normalized = key.toLowerCase().replace(/[-_]/g, '');
	return SECRET_KEY_ENDINGS.some((ending) => normalized.endsWith(ending)) || normalized.startsWith('secret');
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

interface CompiledGroup {
	/** Capture group of the whole alternative. */
	readonly secret: number;
	/** Capture group of the text kept before the marker. */
	readonly keep?: number;
	/** Absent for the registered exact secrets. */
	readonly rule?: Rule;
}

/** Levels of a value redaction walks; deeper parts are replaced (see redactValue). */
const MAX_REDACT_DEPTH = 64;

/** Shorter exact secrets would turn up inside ordinary words. */
const MIN_SECRET_LENGTH = 6;

export class Redactor {
	private readonly secrets = new Set<string>();
	private combined = Redactor.compile([]);

	/** Redacts this exact value wherever it appears (e.g. the server's own bearer secret). Returns a remover. */
	addSecret(value: string): () => void {
		if (value.length < MIN_SECRET_LENGTH || this.secrets.has(value)) {
			return () => { /* nothing was added */ };
		}
		this.secrets.add(value);
		this.combined = Redactor.compile([...this.secrets]);
		return () => {
			if (this.secrets.delete(value)) {
				this.combined = Redactor.compile([...this.secrets]);
			}
		};
	}

	redactText(text: string): string {
		const { regex, groups } = this.combined;
		regex.lastIndex = 0;
		return text.replace(regex, (...args: unknown[]) => {
			// Numbered groups, not named: a named-group regex builds a groups object for every match.
			for (const { secret, keep, rule } of groups) {
				if (args[secret] !== undefined) {
					if (rule === undefined) {
						return '[REDACTED:secret]';
					}
					return (keep === undefined ? '' : (args[keep] as string | undefined) ?? '') + (rule.replacement ?? `[REDACTED:${rule.hint}]`);
				}
			}
			return args[0] as string;
		});
	}

	/** Deep copy of a JSON-like value with secrets removed from every string and from values under secret-named keys. */
	redact(value: unknown): unknown {
		return this.redactValue(value, new Set(), 0);
	}

	private redactValue(value: unknown, seen: Set<object>, depth: number): unknown {
		if (typeof value === 'string') {
			return this.redactText(value);
		}
		if (value === null || typeof value !== 'object') {
			return value;
		}
		if (seen.has(value)) {
			return '[Circular]';
		}
		// The gate refuses deeper arguments before they get here; anything else this deep is dropped, not walked,
		// so a value nested thousands of levels cannot overflow the stack and cost a call its audit record.
		if (depth >= MAX_REDACT_DEPTH) {
			return '[nested too deep: not shown]';
		}
		seen.add(value);
		try {
			if (Array.isArray(value)) {
				return value.map((item) => this.redactValue(item, seen, depth + 1));
			}
			if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
				// Dates, Buffers, class instances: not argument data; leave them as they are.
				return value;
			}
			const result: Record<string, unknown> = {};
			for (const [key, item] of Object.entries(value)) {
				const hidden = isSecretKey(key) && item !== null && item !== undefined && item !== '' && typeof item !== 'boolean';
				// Defined, not assigned: a "__proto__" key (JSON.parse makes it an own property) stays a key of the copy
				// instead of becoming its prototype, so the audit shows it and inherits nothing from it.
				Object.defineProperty(result, key, { value: hidden ? '[REDACTED:field]' : this.redactValue(item, seen, depth + 1), enumerable: true, writable: true, configurable: true });
			}
			return result;
		} finally {
			seen.delete(value);
		}
	}

	/** Rule sources contain no capturing groups of their own, so group numbers follow from the order here. */
	private static compile(secrets: readonly string[]): { regex: RegExp; groups: CompiledGroup[] } {
		const parts: string[] = [];
		const groups: CompiledGroup[] = [];
		let next = 1;
		if (secrets.length > 0) {
			// Longest first, so a secret that contains another is removed whole.
			const sorted = [...secrets].sort((a, b) => b.length - a.length);
			parts.push(`(${sorted.map(escapeRegExp).join('|')})`);
			groups.push({ secret: next++ });
		}
		for (const rule of RULES) {
			const secret = next++;
			const keep = rule.keep === undefined ? undefined : next++;
			parts.push(`(${rule.keep === undefined ? '' : `(${rule.keep})`}(?:${rule.secret}))`);
			groups.push({ secret, keep, rule });
		}
		const regex = new RegExp(parts.join('|'), 'g');
		if (new RegExp(`${regex.source}|`).exec('')!.length !== next) {
			throw new Error('A redaction rule has a capturing group of its own; use (?:...).');
		}
		return { regex, groups };
	}
}
