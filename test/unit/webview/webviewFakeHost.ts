// Browser side of the webview harness: stands in for VS Code's `acquireVsCodeApi()` and for the extension host.
// It answers `queryAudit` from N generated records (made on demand from their index, so 100,000 cost nothing up
// front) and records every message the panel posts. Page options come from the query string:
// `records` (count), `scenario` ('demo' | 'empty'), `delay` (ms before each answer).
import type { AuditRecord } from '../../../src/core/audit/auditRecord';
import type { AuditFilterView, HostToPanelMessage, PanelSnapshot, PanelToHostMessage } from '../../../src/webview/protocol';

interface HarnessWindow {
	__posted: PanelToHostMessage[];
	__cspViolations: string[];
	__state: unknown;
	__host: {
		send(message: HostToPanelMessage): void;
		snapshot: PanelSnapshot;
		setRecordCount(count: number): void;
	};
	acquireVsCodeApi(): unknown;
}

const params = new URLSearchParams(location.search);
let recordCount = Number(params.get('records') ?? '1000');
const scenario = params.get('scenario') ?? 'demo';
const delay = Number(params.get('delay') ?? '0');
const savedState = params.get('state');
/** Client text with bidi overrides, zero-width and control characters in it, as a hostile client sends it. */
const controls = params.get('controls') === '1';
/** `extra=1`: a sensitive `.env` card with a redacted preview and a 300-line file card, after the two usual ones. */
const extra = params.get('extra') === '1';
/** `commitFiles=N`: a commit card listing N files (past the card's fold at 50). */
const commitFiles = Number(params.get('commitFiles') ?? '0');
const HOSTILE = 'rm -rf ~/\u202Etxt.exe\u200B\u0007';

const TOOLS = ['read_file', 'write_file', 'edit_file', 'list_dir', 'search_text', 'git_status', 'git_diff', 'git_commit', 'run_command', 'run_task'];
const OUTCOMES = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'error', 'denied', 'timeout'] as const;
const BASE_TIME = Date.now();

/** Record at `index` of the newest-first list; deterministic, and only built when asked for. */
function recordAt(index: number): AuditRecord {
	const seq = recordCount - index;
	const tool = TOOLS[seq % TOOLS.length];
	const outcome = OUTCOMES[(seq * 7) % OUTCOMES.length];
	const path = `src/module${seq % 500}/file${seq % 37}.ts`;
	return {
		seq,
		time: new Date(BASE_TIME - index * 1500).toISOString(),
		client: { name: controls ? 'Claude\u202E' : 'Visual Studio Code', version: '1.101.0' },
		sessionId: `session-${seq % 3}`,
		tool,
		family: tool.startsWith('git') ? 'git' : tool === 'run_command' ? 'terminal' : tool === 'run_task' ? 'tasks' : 'files',
		arguments: { path, line: seq % 200 },
		summary: controls ? HOSTILE : `${tool.replace(/_.*/, '')} ${path}`,
		decision: outcome === 'denied' ? 'deny' : tool === 'write_file' ? 'approve' : 'allow',
		decidedBy: outcome === 'denied' ? 'user' : 'default:read',
		reason: outcome === 'error' ? 'ENOENT: no such file' : undefined,
		durationMs: (seq * 13) % 900,
		outcome,
		resultBytes: (seq * 97) % 20000,
		truncated: seq % 50 === 0,
		prev: seq === 1 ? '' : `hash-${seq - 1}`,
		hash: `hash-${seq}`,
	};
}

const filtered = new Map<string, number[]>();

function matches(record: AuditRecord, filter: AuditFilterView): boolean {
	if (filter.tool && record.tool !== filter.tool) return false;
	if (filter.decision && record.decision !== filter.decision) return false;
	if (filter.outcome && record.outcome !== filter.outcome) return false;
	if (filter.text && !JSON.stringify(record).toLowerCase().includes(filter.text.toLowerCase())) return false;
	return true;
}

function query(offset: number, limit: number, filter: AuditFilterView): { rows: AuditRecord[]; total: number } {
	if (!filter.tool && !filter.decision && !filter.outcome && !filter.text) {
		const rows: AuditRecord[] = [];
		for (let i = offset; i < Math.min(recordCount, offset + limit); i++) {
			rows.push(recordAt(i));
		}
		return { rows, total: recordCount };
	}
	const key = JSON.stringify(filter);
	let indexes = filtered.get(key);
	if (!indexes) {
		indexes = [];
		for (let i = 0; i < recordCount; i++) {
			if (matches(recordAt(i), filter)) indexes.push(i);
		}
		filtered.set(key, indexes);
	}
	return { rows: indexes.slice(offset, offset + limit).map(recordAt), total: indexes.length };
}

function extraCards(now: number): PanelSnapshot['pending'] {
	const secret = 'API_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
	const long = Array.from({ length: 300 }, (_, i) => `+line ${i + 1}`);
	return [
		{
			id: 'approval-env', tool: 'create_file', title: 'Create file', family: 'files', risk: 'write', summary: 'create .env',
			argumentsJson: JSON.stringify({ path: '.env', content: '(43 characters: shown in the diff above)' }, null, 2),
			diff: { path: '.env', unified: ['--- /dev/null', '+++ .env', '@@ -0,0 +1 @@', '+API_TOKEN=[REDACTED]'].join('\n'), unredacted: ['--- /dev/null', '+++ .env', '@@ -0,0 +1 @@', `+${secret}`].join('\n'), added: 1, removed: 0 },
			client: 'Claude Code', createdAt: now - 1000, expiresAt: now + 200_000, grantable: false,
			rule: 'sensitive:.env*', why: 'Sensitive path (matches .env*): asked every time, whatever the settings or grants say', sensitive: '.env*',
		},
		{
			id: 'approval-long', tool: 'create_file', title: 'Create file', family: 'files', risk: 'write', summary: 'create src/big.ts',
			argumentsJson: JSON.stringify({ path: 'src/big.ts', content: '(3,000 characters: shown in the diff above)' }, null, 2),
			diff: { path: 'src/big.ts', unified: ['Index: src/big.ts', '===================================================================', '--- /dev/null', '+++ src/big.ts', '@@ -0,0 +1,300 @@', ...long].join('\n'), added: 300, removed: 0 },
			client: 'Claude Code', createdAt: now - 500, expiresAt: now + 200_000, grantable: true, toolWideGrant: true, patternLabel: 'create_file on src/**',
			rule: 'default:write', why: 'Default policy: changes to files ask by default',
		},
	];
}

/** A commit card as the host builds it (see commitView): branch, message, a file of each kind. */
function commitCard(now: number, count: number): PanelSnapshot['pending'][number] {
	const message = 'Read the port from the environment\n\nPORT wins over the default 3000.\n\t- "quoted" \\ and a tab stay as typed\n';
	const files: NonNullable<PanelSnapshot['pending'][number]['commit']>['files'] = count > 0
		? Array.from({ length: count }, (_, i) => ({ path: `generated/file${i + 1}.ts`, status: 'added' as const, added: 1, removed: 0 }))
		: [
			{ path: 'src/app.ts', status: 'modified', added: 3, removed: 1 },
			{ path: 'src/config/port.ts', oldPath: 'src/port.ts', status: 'renamed', added: 1, removed: 0 },
			{ path: 'src/legacy.ts', status: 'deleted', added: 0, removed: 12 },
			{ path: 'assets/logo.png', status: 'modified', binary: true },
			{ path: '.env', status: 'added', added: 2, removed: 0, sensitive: true },
		];
	const added = files.reduce((sum, file) => sum + (file.added ?? 0), 0);
	const removed = files.reduce((sum, file) => sum + (file.removed ?? 0), 0);
	return {
		id: count > 0 ? 'approval-bigcommit' : 'approval-commit', tool: 'git_commit', title: 'Commit', family: 'git', risk: 'write',
		summary: `git commit on main: "Read the port from the environment" (${files.length} files, +${added} −${removed})`,
		argumentsJson: JSON.stringify({ message }, null, 2),
		commit: { repository: '.', branch: 'main', head: '3f2a9c1', amend: false, message, files, added, removed },
		client: 'Claude Code', createdAt: now - 300, expiresAt: now + 200_000, grantable: false,
		rule: 'sensitive:**/.env', why: 'Sensitive path (matches .env): asked every time, whatever the settings or grants say', sensitive: '**/.env',
	};
}

function demoSnapshot(): PanelSnapshot {
	const now = Date.now();
	return {
		server: { state: 'running', url: 'http://127.0.0.1:39217/mcp', sessions: 1 },
		pending: [
			{
				id: 'approval-edit',
				tool: 'edit_file',
				title: 'Edit file',
				family: 'files',
				risk: 'write',
				summary: 'edit src/app.ts',
				argumentsJson: JSON.stringify({ path: 'src/app.ts', edits: [{ oldText: 'const port = 3000;', newText: 'const port = Number(process.env.PORT ?? 3000);' }] }, null, 2),
				diff: {
					path: 'src/app.ts',
					unified: ['--- src/app.ts', '+++ src/app.ts', '@@ -1,4 +1,4 @@', ' import express from \'express\';', '-const port = 3000;', '+const port = Number(process.env.PORT ?? 3000);', ' const app = express();', ' app.listen(port);'].join('\n'),
				},
				client: 'Visual Studio Code',
				createdAt: now,
				expiresAt: now + 120_000,
				patternLabel: 'edit_file on src/**',
				grantable: true,
			},
			{
				id: 'approval-cmd',
				tool: 'run_command',
				title: 'Run command',
				family: 'terminal',
				risk: 'execute',
				summary: controls ? HOSTILE : 'npm test -- --grep "<img src=x onerror=alert(1)>"',
				argumentsJson: JSON.stringify({ command: controls ? HOSTILE : 'npm test -- --grep "<img src=x onerror=alert(1)>"' }, null, 2),
				command: { line: controls ? HOSTILE : 'npm test -- --grep "<img src=x onerror=alert(1)>"', cwd: '/home/dev/project', sandbox: 'sandboxed (bubblewrap 0.8.0): may write inside the workspace folders only' },
				client: controls ? 'Claude Code\u202E\u2066' : 'Claude Code',
				...(controls ? { clientSays: 'Visual Studio\u202E Code' } : {}),
				createdAt: now - 50_000,
				expiresAt: now + 10_000,
				grantable: true,
				toolWideGrant: false,
				rule: 'command:npm is not in the read-only list',
				why: 'The command policy asks: npm is not in the read-only list',
				commandParts: [{ text: controls ? HOSTILE : 'npm test -- --grep <img src=x onerror=alert(1)>', reasons: ['npm is not in the read-only list'] }],
			},
			...(extra ? [...extraCards(now), commitCard(now, 0)] : []),
			...(commitFiles > 0 ? [commitCard(now, commitFiles)] : []),
		],
		grants: [
			{ id: 'grant-1', tool: 'read_file', createdAt: now - 600_000 },
			{ id: 'grant-2', tool: 'write_file', client: controls ? 'alice\u202E' : 'alice', pattern: 'docs/**', createdAt: now - 120_000 },
		],
		metrics: [
			{ tool: 'read_file', calls: 1284, errors: 3, p50Ms: 4, p95Ms: 18 },
			{ tool: 'run_command', calls: 42, errors: 5, p50Ms: 1830, p95Ms: 12400 },
			{ tool: 'git_status', calls: 210, errors: 0, p50Ms: 35, p95Ms: 88 },
		],
		extensions: [
			{ extensionId: 'acme.devops-tools', extensionName: 'DevOps Tools', enabled: true, tools: [{ name: 'kubectl_scale', title: 'Scale a deployment', risk: 'write' }, { name: 'docker_ps', title: 'List containers', risk: 'read' }] },
			// A display name is another extension's text: it must stay text.
			{ extensionId: 'evil.ext', extensionName: 'Evil <img src=x onerror=alert(1)>', enabled: false, tools: [{ name: 'wipe', title: 'Wipe', risk: 'destructive' }] },
		],
	};
}

const harness = window as unknown as HarnessWindow;
harness.__posted = [];
harness.__cspViolations = [];
harness.__state = savedState ? JSON.parse(savedState) : undefined;
document.addEventListener('securitypolicyviolation', (event) => {
	harness.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});

function send(message: HostToPanelMessage): void {
	// VS Code delivers host messages as window message events.
	window.dispatchEvent(new MessageEvent('message', { data: message }));
}

harness.__host = {
	send,
	snapshot: scenario === 'demo' ? demoSnapshot() : { server: { state: 'running', sessions: 0 }, pending: [], grants: [], metrics: [] },
	setRecordCount(count: number) {
		recordCount = count;
		filtered.clear();
	},
};

harness.acquireVsCodeApi = () => ({
	postMessage(message: PanelToHostMessage) {
		harness.__posted.push(message);
		setTimeout(() => {
			if (message.type === 'ready') {
				send({ type: 'snapshot', snapshot: harness.__host.snapshot });
			} else if (message.type === 'queryAudit') {
				const page = query(message.offset, message.limit, message.filter);
				send({ type: 'auditPage', requestId: message.requestId, offset: message.offset, rows: page.rows, total: page.total });
			}
		}, delay);
	},
	getState: () => harness.__state,
	setState: (state: unknown) => {
		harness.__state = state;
	},
});
