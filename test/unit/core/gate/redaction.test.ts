import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Redactor } from '../../../../src/core/gate/redaction';

// Built at run time so this file itself does not look like it leaks credentials to scanners.
const repeat = (text: string, times: number) => text.repeat(times);
const ghp = `ghp_${repeat('A1b2', 9)}`;

const positives: readonly { readonly name: string; readonly input: string; readonly expected: string }[] = [
	{ name: 'bearer token', input: 'curl -H "X: Bearer abc123def456ghi789"', expected: 'curl -H "X: Bearer [REDACTED:bearer-token]"' },
	{ name: 'authorization header', input: 'Authorization: Bearer abc123def456', expected: 'Authorization: [REDACTED:authorization]' },
	{ name: 'basic authorization, quoted', input: `"authorization": "Basic dXNlcjpwYXNz"`, expected: `"authorization": "[REDACTED:authorization]"` },
	{ name: 'proxy authorization', input: 'Proxy-Authorization: Basic dXNlcjpwYXNz', expected: 'Proxy-Authorization: [REDACTED:authorization]' },
	{ name: 'AWS access key', input: 'key AKIAIOSFODNN7EXAMPLE here', expected: 'key [REDACTED:aws-access-key] here' },
	{ name: 'AWS secret key', input: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', expected: 'aws_secret_access_key = [REDACTED:aws-secret-key]' },
	{ name: 'GitHub classic token', input: `token ${ghp} used`, expected: 'token [REDACTED:github-token] used' },
	{ name: 'GitHub OAuth token', input: `gho_${repeat('x', 36)}`, expected: '[REDACTED:github-token]' },
	{ name: 'GitHub app token', input: `ghs_${repeat('Z9', 18)}`, expected: '[REDACTED:github-token]' },
	{ name: 'GitHub fine-grained token', input: `github_pat_11ABCDEFG0_${repeat('q', 40)}`, expected: '[REDACTED:github-token]' },
	{ name: 'GitLab token', input: 'glpat-abcdefghij1234567890', expected: '[REDACTED:gitlab-token]' },
	{ name: 'Slack bot token', input: 'xoxb-1234567890-abcdefghij', expected: '[REDACTED:slack-token]' },
	{ name: 'Slack user token', input: 'xoxp-1234567890-abcdefghij', expected: '[REDACTED:slack-token]' },
	{ name: 'Anthropic key', input: `sk-ant-api03-${repeat('a', 40)}`, expected: '[REDACTED:anthropic-key]' },
	{ name: 'OpenAI project key', input: `sk-proj-${repeat('b', 40)}`, expected: '[REDACTED:openai-key]' },
	{ name: 'OpenAI legacy key', input: `OPENAI=sk-${repeat('c', 48)}`, expected: 'OPENAI=[REDACTED:openai-key]' },
	{ name: 'Stripe live key', input: `sk_live_${repeat('d4', 12)}`, expected: '[REDACTED:stripe-key]' },
	{ name: 'Google API key', input: `AIza${repeat('e', 35)}`, expected: '[REDACTED:google-api-key]' },
	{ name: 'npm token', input: `//registry.npmjs.org/:_authToken=npm_${repeat('f1', 18)}`, expected: '//registry.npmjs.org/:_authToken=[REDACTED:assignment]' },
	{ name: 'npm token alone', input: `npm_${repeat('f1', 18)}`, expected: '[REDACTED:npm-token]' },
	{ name: 'JWT', input: 'jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', expected: 'jwt=[REDACTED:jwt]' },
	{ name: 'private key block', input: 'a\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\nAAAA\n-----END OPENSSH PRIVATE KEY-----\nz', expected: 'a\n-----BEGIN OPENSSH PRIVATE KEY-----\n[REDACTED:private-key]\nz' },
	{ name: 'private key cut short', input: 'lines 1-3:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nxyz', expected: 'lines 1-3:\n-----BEGIN RSA PRIVATE KEY-----\n[REDACTED:private-key]\nxyz' },
	{ name: 'two private keys', input: '-----BEGIN PRIVATE KEY-----\na\n-----END PRIVATE KEY-----\nmid\n-----BEGIN EC PRIVATE KEY-----\nb\n-----END EC PRIVATE KEY-----', expected: '-----BEGIN PRIVATE KEY-----\n[REDACTED:private-key]\nmid\n-----BEGIN EC PRIVATE KEY-----\n[REDACTED:private-key]' },
	{ name: 'env password', input: 'DB_PASSWORD=hunter2 next', expected: 'DB_PASSWORD=[REDACTED:assignment] next' },
	{ name: 'env secret prefix', input: 'SECRET_X=abc', expected: 'SECRET_X=[REDACTED:assignment]' },
	{ name: 'env quoted with spaces', input: 'PASSWORD="my long pass"', expected: 'PASSWORD="[REDACTED:assignment]"' },
	{ name: 'query string token', input: 'GET /cb?token=abc123&state=x', expected: 'GET /cb?token=[REDACTED:assignment]&state=x' },
	{ name: 'cli flag', input: 'mysql --password=hunter2 db', expected: 'mysql --password=[REDACTED:assignment] db' },
	{ name: 'yaml', input: 'db:\n  password: hunter2\n  host: x', expected: 'db:\n  password: [REDACTED:assignment]\n  host: x' },
	{ name: 'yaml token', input: 'token: abcdef', expected: 'token: [REDACTED:assignment]' },
	{ name: 'yaml JWT value', input: 'token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcDEF123', expected: 'token: [REDACTED:jwt]' },
	{ name: 'json key', input: '{"apiKey": "xyz123"}', expected: '{"apiKey": "[REDACTED:assignment]"}' },
	{ name: 'code literal', input: 'const password = "hunter2";', expected: 'const password = "[REDACTED:assignment]";' },
	{ name: 'camelCase name', input: 'accessToken: "abc.def"', expected: 'accessToken: "[REDACTED:assignment]"' },
	{ name: 'URL credentials', input: 'git clone https://user:pa55@example.com/r.git', expected: 'git clone https://***@example.com/r.git' },
	{ name: 'URL credentials, other scheme', input: 'postgres://admin:s3cret@db:5432/app', expected: 'postgres://***@db:5432/app' },
	{ name: 'several in one text', input: `a ${ghp} b AKIAIOSFODNN7EXAMPLE c`, expected: 'a [REDACTED:github-token] b [REDACTED:aws-access-key] c' },
];

// Command lines: only the secret goes, the rest of the line stays readable (what an approval card and the audit show
// of a call must be what runs).
const commandLines: readonly { readonly name: string; readonly input: string; readonly expected: string }[] = [
	{ name: 'a private-key marker alone', input: "echo '-----BEGIN PRIVATE KEY-----' >/dev/null; touch X", expected: "echo '-----BEGIN PRIVATE KEY-----' >/dev/null; touch X" },
	{ name: 'a key in JSON escapes, then more commands', input: String.raw`printf '%s' '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----' > k; touch X`, expected: String.raw`printf '%s' '-----BEGIN PRIVATE KEY-----\n[REDACTED:private-key]' > k; touch X` },
	{ name: 'a key cut short, then a command line', input: '-----BEGIN PRIVATE KEY-----\nMIIEowIBAAKCAQEAaaaa\nMIIEowIBAAKCAQEAaaaa\nrm -rf ~', expected: '-----BEGIN PRIVATE KEY-----\n[REDACTED:private-key]\nrm -rf ~' },
	{ name: '--password value', input: 'mysql --password hunter2 db', expected: 'mysql --password [REDACTED:flag] db' },
	{ name: '--password=value', input: 'tool --password=hunter2 x', expected: 'tool --password=[REDACTED:assignment] x' },
	{ name: '--token value', input: 'gh --token abc123 api /user', expected: 'gh --token [REDACTED:flag] api /user' },
	{ name: '--token quoted', input: "x --token 'a b' y", expected: "x --token '[REDACTED:flag]' y" },
	{ name: 'sshpass -p', input: 'sshpass -p hunter2 ssh host uptime', expected: 'sshpass -p [REDACTED:password] ssh host uptime' },
	{ name: 'sshpass -p quoted', input: 'sshpass -p"hunter 2" ssh host', expected: 'sshpass -p"[REDACTED:password]" ssh host' },
	{ name: 'docker login -p', input: 'docker login -u me -p hunter2 registry.example.com', expected: 'docker login -u me -p [REDACTED:password] registry.example.com' },
	{ name: 'mysql -pvalue', input: 'mysql -u root -phunter2 shop -e "select 1"', expected: 'mysql -u root -p[REDACTED:password] shop -e "select 1"' },
	{ name: 'curl -u user:pass', input: 'curl -u admin:hunter2 https://x/api', expected: 'curl -u admin:[REDACTED:basic-auth] https://x/api' },
	{ name: 'curl --user=user:pass', input: 'curl --user=admin:hunter2 https://x/api', expected: 'curl --user=admin:[REDACTED:basic-auth] https://x/api' },
	{ name: 'DB_PASS=', input: 'DB_PASS=hunter2 ./run.sh', expected: 'DB_PASS=[REDACTED:assignment] ./run.sh' },
	{ name: '*_TOKEN= *_SECRET= *_PASSWORD=', input: 'API_TOKEN=abc123 MY_SECRET=s3 APP_PASSWORD=pw ./x', expected: 'API_TOKEN=[REDACTED:assignment] MY_SECRET=[REDACTED:assignment] APP_PASSWORD=[REDACTED:assignment] ./x' },
	{ name: 'an Authorization header', input: "curl -H 'Authorization: Bearer abc123def456' https://x", expected: "curl -H 'Authorization: [REDACTED:authorization]' https://x" },
	{ name: 'URL credentials', input: 'git clone https://u:p4ss@host/r && make', expected: 'git clone https://***@host/r && make' },
	// Not secrets: the line stays as it is.
	{ name: 'mysql -p then a database', input: 'mysql -u root -p shop', expected: 'mysql -u root -p shop' },
	{ name: 'curl -u without a password', input: 'curl -u admin https://x', expected: 'curl -u admin https://x' },
	{ name: 'docker login --password-stdin', input: 'docker login --password-stdin -u me', expected: 'docker login --password-stdin -u me' },
	{ name: 'a --token-file path', input: 'tool --token-file ./t', expected: 'tool --token-file ./t' },
	{ name: 'PASS inside a name', input: 'BYPASS=1 compass=2', expected: 'BYPASS=1 compass=2' },
];

describe('command lines keep their shape', () => {
	for (const { name, input, expected } of commandLines) {
		test(name, () => {
			assert.equal(new Redactor().redactText(input), expected);
		});
	}

	test('a megabyte line of program names without their options is scanned in linear time', () => {
		// Each `curl`/`sshpass`/`mysql` looks ahead for its option; unbounded, that was once per name to the end of the
		// line (37 s for this text); bounded, about 75 ms.
		const text = 'lorem --flag value sshpass curl -u mysql docker login '.repeat(20_000);
		const started = performance.now();
		assert.equal(new Redactor().redactText(text), text);
		assert.ok(performance.now() - started < 5_000, `${Math.round(performance.now() - started)} ms`);
	});
});

const negatives: readonly { readonly name: string; readonly input: string }[] = [
	{ name: 'git SHA', input: 'commit 3f786850e387550fdab836ed7e6dc881de23001b' },
	{ name: 'sha256', input: 'sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
	{ name: 'UUID', input: 'session 123e4567-e89b-12d3-a456-426614174000' },
	{ name: 'code reading a token', input: 'const token = getToken();' },
	{ name: 'TypeScript field', input: 'interface A {\n  password: string;\n  readonly token?: string;\n  secret: string\n}' },
	{ name: 'type alias union', input: 'type RequestCredentials = "include" | "omit";' },
	{ name: 'token counts', input: 'max_tokens=100 tokens=5 let tokens = 5' },
	{ name: 'tokenizer', input: 'tokenizer=foo' },
	{ name: 'destructuring', input: 'const { token } = options;' },
	{ name: 'property access', input: 'headers.authorization = value;\ntoken: this.token' },
	{ name: 'prose', input: 'Use a Bearer token; the password must be strong.' },
	{ name: 'PWD', input: 'PWD=/home/me' },
	{ name: 'reference to a secret', input: 'const config = {\n  secret: process.env.SECRET\n  token: options.auth.token\n}' },
	{ name: 'GitHub Actions expression', input: 'env:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}' },
	{ name: 'URL without credentials', input: 'https://example.com/a?b=c and git@github.com:o/r.git' },
	{ name: 'empty assignment', input: 'PASSWORD= and password=""' },
	{ name: 'sk in words', input: 'task-runner sk-short ask-me' },
	{ name: 'base64 blob', input: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' },
	{ name: 'aws docs word', input: 'AKIA alone and AWS region us-east-1' },
];

describe('redactText', () => {
	for (const { name, input, expected } of positives) {
		test(`redacts ${name}`, () => {
			assert.equal(new Redactor().redactText(input), expected);
		});
	}
	for (const { name, input } of negatives) {
		test(`leaves ${name} alone`, () => {
			assert.equal(new Redactor().redactText(input), input);
		});
	}

	test('exact secrets registered at run time, and removable', () => {
		const redactor = new Redactor();
		const remove = redactor.addSecret('Zq9-server-secret.value');
		assert.equal(redactor.redactText('sent Zq9-server-secret.value twice: Zq9-server-secret.value'), 'sent [REDACTED:secret] twice: [REDACTED:secret]');
		remove();
		assert.equal(redactor.redactText('Zq9-server-secret.value'), 'Zq9-server-secret.value');
	});

	test('a registered secret that contains another is removed whole', () => {
		const redactor = new Redactor();
		redactor.addSecret('abcdef');
		redactor.addSecret('abcdefghij');
		assert.equal(redactor.redactText('x abcdefghij y'), 'x [REDACTED:secret] y');
	});

	test('secrets too short to be distinctive are not registered', () => {
		const redactor = new Redactor();
		redactor.addSecret('abc');
		assert.equal(redactor.redactText('abc'), 'abc');
	});

	test('the same redactor can be reused (no regex lastIndex carried over)', () => {
		const redactor = new Redactor();
		for (let i = 0; i < 3; i++) {
			assert.equal(redactor.redactText(ghp), '[REDACTED:github-token]');
		}
	});
});

describe('no false positives on identifiers', () => {
	test('hex hashes, UUIDs and ordinary words pass through unchanged', () => {
		const redactor = new Redactor();
		const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 7, maxLength: 64 });
		const words = fc.array(fc.constantFrom('const', 'token', 'count', 'secret', 'let', 'path', 'file', '=', '(', ')', ';', ':', 'string', 'sha', 'commit'), { maxLength: 12 }).map((w) => w.join(' '));
		fc.assert(fc.property(hex, fc.uuid(), words, (h, uuid, text) => {
			const input = `${text} ${h} ${uuid}`;
			assert.equal(redactor.redactText(input), input);
		}), { numRuns: 500 });
	});
});

describe('redact', () => {
	test('walks objects and arrays, redacts strings and secret-named keys, keeps the rest', () => {
		const input = {
			path: 'src/a.ts',
			password: 'x1',
			nested: [{ apiKey: 12345, text: `use ${ghp}`, maxTokens: 5, useToken: true, token: null }],
			headers: { Authorization: 'Bearer abc', 'x-api-key': 'k', 'Content-Type': 'json' },
			client_secret: { a: 1 },
		};
		assert.deepEqual(new Redactor().redact(input), {
			path: 'src/a.ts',
			password: '[REDACTED:field]',
			nested: [{ apiKey: '[REDACTED:field]', text: 'use [REDACTED:github-token]', maxTokens: 5, useToken: true, token: null }],
			headers: { Authorization: '[REDACTED:field]', 'x-api-key': '[REDACTED:field]', 'Content-Type': 'json' },
			client_secret: '[REDACTED:field]',
		});
		assert.equal(input.password, 'x1', 'the input is not modified');
	});

	test('plain values and cycles', () => {
		const redactor = new Redactor();
		assert.equal(redactor.redact(42), 42);
		assert.equal(redactor.redact(undefined), undefined);
		assert.equal(redactor.redact(ghp), '[REDACTED:github-token]');
		const cyclic: Record<string, unknown> = { a: 1 };
		cyclic.self = cyclic;
		assert.deepEqual(redactor.redact(cyclic), { a: 1, self: '[Circular]' });
	});

	test('a repeated (not cyclic) reference is redacted both times', () => {
		const shared = { note: ghp };
		assert.deepEqual(new Redactor().redact([shared, shared]), [{ note: '[REDACTED:github-token]' }, { note: '[REDACTED:github-token]' }]);
	});
});
