// `npm test`: every check, cheapest first, stopping at the first failure: the machine's prerequisites (Debian
// packages, installed when missing: scripts/prerequisites.mjs), lint, type-check, unit tests (plain Node, real
// processes and HTTP), the examples (installed cold, against a real server), the official MCP conformance suite, then
// the integration suite inside a real VS Code.
import { spawnSync } from 'node:child_process';

const steps = [
	['prerequisites', ['node', 'scripts/prerequisites.mjs', 'test']],
	['lint', ['npx', 'eslint', 'src', 'test']],
	// Three programs: Node code (no DOM), the webview's browser code (no Node), and the tests that drive it in chromium.
	['type-check', ['npm', 'run', '--silent', 'typecheck']],
	['unit tests', ['node', 'scripts/unitTests.mjs']],
	// Every example installs its own locked dependencies (npm ci) and runs its tests: the devops-tools sample extension,
	// and the OpenAI and LangChain bridges against a real server and a scripted model.
	['examples', ['node', 'scripts/exampleTests.mjs']],
	// The official MCP conformance suite against `npm run serve`, both protocol eras (docs/conformance.md).
	['conformance (official MCP suite)', ['node', 'scripts/conformance.mjs']],
	['integration tests (real VS Code)', ['node', 'scripts/integrationTests.mjs']],
];
const root = new URL('..', import.meta.url).pathname;
const started = Date.now();
for (const [name, [command, ...args]] of steps) {
	const begun = Date.now();
	console.log(`\n▶ ${name}`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
	const seconds = ((Date.now() - begun) / 1000).toFixed(1);
	if (result.status !== 0) {
		console.error(`\n✖ ${name} failed after ${seconds} s (${result.signal ?? `exit ${result.status}`})`);
		process.exit(1);
	}
	console.log(`✔ ${name} (${seconds} s)`);
}
console.log(`\nall checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
