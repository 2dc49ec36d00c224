// `npm run serve -- <folder>…`: MCP Workbench's server without the editor, composed exactly as the extension composes
// it (createWorkbench), with the Node adapters: the folders as the workspace, commands as child processes, no tasks.
// For outside checkers, load tests and scripts. Prints one JSON line ({"url","secret","auditFolder"}) on stdout once
// it listens, then serves until SIGINT/SIGTERM. Nobody is there to approve: calls that ask are denied when the
// approval times out (`approvalTimeoutMs`), exactly as an unanswered card is in the editor.
//
// Options: --settings <file.json>   settings over the defaults (the shape of WorkbenchSettings; policy merges)
//          --audit <folder>         where the audit goes (default: a new temp folder, kept)
//          --untrusted              serve the folders as a restricted workspace (read-only tools)
// The audit chain's key comes from MCP_WORKBENCH_AUDIT_KEY; without it a new one is generated and printed with the
// URL ("auditKey"), so `npm run verify-audit` can check the records afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SENSITIVE_PATHS } from '../src/core/paths/sensitivePaths';
import { nodeAdapters } from '../src/node/nodeAdapters';
import { Bubblewrap } from '../src/node/sandbox/bubblewrap';
import { createWorkbench, defaultSettings } from '../src/node/workbench';

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: { settings: { type: 'string' }, audit: { type: 'string' }, untrusted: { type: 'boolean', default: false } },
});
if (positionals.length === 0) {
	console.error('usage: npm run serve -- [--settings file.json] [--audit folder] [--untrusted] <folder>…');
	process.exit(2);
}
const folders = positionals.map((folder, index) => {
	const path = realpathSync(resolve(folder));
	return { name: basename(path), path, uri: `file://${path}`, index };
});
const trusted = !values.untrusted;
const overrides = values.settings ? JSON.parse(readFileSync(values.settings, 'utf8')) : {};
const settings = defaultSettings({ ...overrides, trusted });
const auditFolder = values.audit ? resolve(values.audit) : join(mkdtempSync(join(tmpdir(), 'mcp-workbench-audit-')), 'audit');
const auditKey = process.env.MCP_WORKBENCH_AUDIT_KEY || randomBytes(32).toString('base64url');

async function main(): Promise<void> {
	// As the extension does: bubblewrap where it works; else the strict policy of a host without a sandbox.
	const sandbox = await Bubblewrap.detect({
		home: homedir(),
		folders: () => folders.map((folder) => folder.path),
		sensitiveGlobs: () => [...SENSITIVE_PATHS, ...settings.policy.sensitivePaths],
		rgPath: () => 'rg',
		approvedCommands: () => 'off',
	});
	const adapters = nodeAdapters({ folders, trusted, sandbox });
	// The printed secret is the one credential of this server: its calls are recorded as "npm run serve".
	const workbench = createWorkbench({ version: 'serve', adapters, settings: () => settings, auditFolder, auditKey, secretName: 'npm run serve' });
	await workbench.server.start();
	const connection = workbench.server.current;
	if (!connection) throw new Error('the server did not start');
	process.stdout.write(`${JSON.stringify({ url: connection.url, secret: connection.secret, auditFolder, auditKey })}\n`);
	const stop = async () => {
		await workbench.dispose();
		await adapters.terminal.dispose();
		process.exit(0);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
	console.error(`serve failed: ${error instanceof Error ? error.stack : String(error)}`);
	process.exit(1);
});
