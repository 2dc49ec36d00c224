import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as vscode from 'vscode';
import type { AuditRecord } from '../../../src/core/audit/auditRecord';
import { PANEL_VIEW_ID, PanelConnection, renderPanelHtml, SidebarViewProvider, type PanelBackend } from '../../../src/vscode/panel/sidebarView';
import { MAX_AUDIT_PAGE, parsePanelMessage, type ApprovalDecision, type AuditFilterView, type HostToPanelMessage, type PanelSnapshot } from '../../../src/webview/protocol';
import { waitFor } from '../helpers/waitFor';

describe('parsePanelMessage', () => {
	const valid: unknown[] = [
		{ type: 'ready' },
		{ type: 'decide', approvalId: 'a1', decision: { kind: 'approve' } },
		{ type: 'decide', approvalId: 'a1', decision: { kind: 'deny' } },
		{ type: 'decide', approvalId: 'a1', decision: { kind: 'deny', reason: 'not on main' } },
		{ type: 'decide', approvalId: 'a1', decision: { kind: 'allowSession', scope: 'tool' } },
		{ type: 'decide', approvalId: 'a1', decision: { kind: 'allowSession', scope: 'pattern' } },
		{ type: 'openDiff', approvalId: 'a1' },
		{ type: 'openCommitDiff', approvalId: 'a1', path: 'src/with space.ts' },
		{ type: 'revokeGrant', grantId: 'g1' },
		{ type: 'revokeClient', clientId: 'c1' },
		{ type: 'queryAudit', requestId: 3, offset: 0, limit: 100, filter: {} },
		{ type: 'queryAudit', requestId: 4, offset: 99_900, limit: MAX_AUDIT_PAGE, filter: { tool: 'read_file', decision: 'deny', outcome: 'error', text: 'src/' } },
		{ type: 'exportAudit', format: 'csv', filter: { text: 'x' } },
		{ type: 'exportAudit', format: 'json', filter: {} },
	];
	for (const message of valid) {
		test(`accepts ${JSON.stringify(message)}`, () => {
			assert.deepEqual(parsePanelMessage(message), message);
		});
	}

	const malformed: [string, unknown][] = [
		['undefined', undefined],
		['a string', 'ready'],
		['null', null],
		['an array', [{ type: 'ready' }]],
		['an unknown type', { type: 'runCommand', line: 'rm -rf /' }],
		['an extra key', { type: 'ready', extra: 1 }],
		['a decision of unknown kind', { type: 'decide', approvalId: 'a1', decision: { kind: 'allowForever' } }],
		['allowSession without scope', { type: 'decide', approvalId: 'a1', decision: { kind: 'allowSession' } }],
		['allowSession with an unknown scope', { type: 'decide', approvalId: 'a1', decision: { kind: 'allowSession', scope: 'everything' } }],
		['a reason on approve', { type: 'decide', approvalId: 'a1', decision: { kind: 'approve', reason: 'x' } }],
		['an empty approval id', { type: 'decide', approvalId: '', decision: { kind: 'approve' } }],
		['a numeric approval id', { type: 'openDiff', approvalId: 7 }],
		['a commit diff without a path', { type: 'openCommitDiff', approvalId: 'a1' }],
		['a commit diff with an empty path', { type: 'openCommitDiff', approvalId: 'a1', path: '' }],
		['an overlong deny reason', { type: 'decide', approvalId: 'a1', decision: { kind: 'deny', reason: 'x'.repeat(2001) } }],
		['a negative offset', { type: 'queryAudit', requestId: 1, offset: -1, limit: 10, filter: {} }],
		['a fractional offset', { type: 'queryAudit', requestId: 1, offset: 1.5, limit: 10, filter: {} }],
		['a zero limit', { type: 'queryAudit', requestId: 1, offset: 0, limit: 0, filter: {} }],
		['a limit above the page cap', { type: 'queryAudit', requestId: 1, offset: 0, limit: MAX_AUDIT_PAGE + 1, filter: {} }],
		['a missing filter', { type: 'queryAudit', requestId: 1, offset: 0, limit: 10 }],
		['an unknown filter key', { type: 'queryAudit', requestId: 1, offset: 0, limit: 10, filter: { sql: '1=1' } }],
		['a non-string filter', { type: 'queryAudit', requestId: 1, offset: 0, limit: 10, filter: { tool: ['a'] } }],
		['an unknown export format', { type: 'exportAudit', format: 'xml', filter: {} }],
	];
	for (const [name, message] of malformed) {
		test(`rejects ${name}`, () => {
			assert.equal(parsePanelMessage(message), undefined);
		});
	}
});

describe('renderPanelHtml', () => {
	const html = renderPanelHtml({
		cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
		nonce: 'abc123',
		scriptUri: 'https://x/dist/webview.js',
		styleUri: 'https://x/media/panel.css',
		codiconsUri: 'https://x/dist/codicons/codicon.css',
	});
	const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';

	test('has a strict CSP with the nonce and no inline escape hatches', () => {
		assert.match(csp, /^default-src 'none';/);
		assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
		assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net 'nonce-abc123'/);
		assert.match(csp, /font-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net/);
		assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
	});

	test('loads the script with the nonce and the codicon sheet under the id vscode-elements looks for', () => {
		assert.match(html, /<script nonce="abc123" src="https:\/\/x\/dist\/webview.js"><\/script>/);
		assert.match(html, /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="https:\/\/x\/dist\/codicons\/codicon.css" nonce="abc123">/);
		assert.equal(html.match(/<script/g)?.length, 1);
	});
});

/** A backend that records what it is asked and lets the test fire its events. */
class RecordingBackend implements PanelBackend {
	readonly calls: unknown[][] = [];
	current: PanelSnapshot = { pending: [], grants: [], metrics: [], server: { state: 'running', url: 'http://127.0.0.1:1/mcp', sessions: 1 } };
	changeListeners = new Set<() => void>();
	appendListeners = new Set<() => void>();
	queryResult: Promise<{ rows: AuditRecord[]; total: number }> = Promise.resolve({ rows: [], total: 0 });
	exportResult: Promise<void> = Promise.resolve();

	snapshot(): PanelSnapshot {
		this.calls.push(['snapshot']);
		return this.current;
	}
	onDidChange(listener: () => void) {
		this.changeListeners.add(listener);
		return { dispose: () => this.changeListeners.delete(listener) };
	}
	onDidAppendAudit(listener: () => void) {
		this.appendListeners.add(listener);
		return { dispose: () => this.appendListeners.delete(listener) };
	}
	decide(approvalId: string, decision: ApprovalDecision): void {
		this.calls.push(['decide', approvalId, decision]);
	}
	openDiff(approvalId: string): void {
		this.calls.push(['openDiff', approvalId]);
	}
	openCommitDiff(approvalId: string, path: string): void {
		this.calls.push(['openCommitDiff', approvalId, path]);
	}
	revokeClient(clientId: string): void {
		this.calls.push(['revokeClient', clientId]);
	}

	revokeGrant(grantId: string): void {
		this.calls.push(['revokeGrant', grantId]);
	}
	revokeAllGrants(): void {
		this.calls.push(['revokeAllGrants']);
	}
	openChat(): void {
		this.calls.push(['openChat']);
	}
	queryAudit(query: { offset: number; limit: number; filter: AuditFilterView }) {
		this.calls.push(['queryAudit', query]);
		return this.queryResult;
	}
	exportAudit(format: 'json' | 'csv', filter: AuditFilterView): Promise<void> {
		this.calls.push(['exportAudit', format, filter]);
		return this.exportResult;
	}
}

/** The slice of vscode.Webview the connection uses; `receive` plays the webview posting a message. */
class FakeWebview {
	readonly posted: HostToPanelMessage[] = [];
	private listener: ((message: unknown) => void) | undefined;
	onDidReceiveMessage = (listener: (message: unknown) => void) => {
		this.listener = listener;
		return { dispose: () => { this.listener = undefined; } };
	};
	postMessage = async (message: unknown) => {
		this.posted.push(message as HostToPanelMessage);
		return true;
	};
	receive(message: unknown): void {
		this.listener?.(message);
	}
	get listening(): boolean {
		return this.listener !== undefined;
	}
}

function connect(): { webview: FakeWebview; backend: RecordingBackend; logs: string[]; connection: PanelConnection } {
	const webview = new FakeWebview();
	const backend = new RecordingBackend();
	const logs: string[] = [];
	const connection = new PanelConnection(webview as unknown as vscode.Webview, backend, (line) => logs.push(line));
	return { webview, backend, logs, connection };
}

const record: AuditRecord = {
	time: '2026-01-01T00:00:00.000Z', client: { name: 'c', version: '1' }, sessionId: 's', tool: 'read_file', family: 'files',
	arguments: { path: 'a' }, decision: 'allow', decidedBy: 'default:read', durationMs: 3, outcome: 'ok', resultBytes: 10, truncated: false,
	seq: 1, prev: '', hash: 'h1',
};

describe('PanelConnection', () => {
	test('answers ready with a snapshot', () => {
		const { webview, backend, connection } = connect();
		webview.receive({ type: 'ready' });
		assert.deepEqual(webview.posted, [{ type: 'snapshot', snapshot: backend.current }]);
		connection.dispose();
	});

	test('drops malformed messages without reaching the backend, and logs them', () => {
		const { webview, backend, logs, connection } = connect();
		webview.receive({ type: 'decide', approvalId: 'a1', decision: { kind: 'approve', sneaky: true } });
		webview.receive({ type: 'revokeGrant' });
		assert.deepEqual(backend.calls, []);
		assert.deepEqual(webview.posted, []);
		assert.equal(logs.length, 2);
		assert.match(logs[0], /malformed.*"decide"/);
		connection.dispose();
	});

	test('forwards decisions, diff requests and revocations', () => {
		const { webview, backend, connection } = connect();
		webview.receive({ type: 'decide', approvalId: 'a1', decision: { kind: 'deny', reason: 'no' } });
		webview.receive({ type: 'decide', approvalId: 'a2', decision: { kind: 'allowSession', scope: 'pattern' } });
		webview.receive({ type: 'openDiff', approvalId: 'a1' });
		webview.receive({ type: 'openCommitDiff', approvalId: 'a1', path: 'src/a.ts' });
		webview.receive({ type: 'revokeGrant', grantId: 'g1' });
		webview.receive({ type: 'revokeClient', clientId: 'c1' });
		assert.deepEqual(backend.calls, [
			['decide', 'a1', { kind: 'deny', reason: 'no' }],
			['decide', 'a2', { kind: 'allowSession', scope: 'pattern' }],
			['openDiff', 'a1'],
			['openCommitDiff', 'a1', 'src/a.ts'],
			['revokeGrant', 'g1'],
			['revokeClient', 'c1'],
		]);
		connection.dispose();
	});

	test('answers queryAudit with the page and the request id', async () => {
		const { webview, backend, connection } = connect();
		backend.queryResult = Promise.resolve({ rows: [record], total: 41 });
		webview.receive({ type: 'queryAudit', requestId: 9, offset: 40, limit: 100, filter: { tool: 'read_file' } });
		await waitFor(() => webview.posted.length === 1, 'the page');
		assert.deepEqual(backend.calls, [['queryAudit', { offset: 40, limit: 100, filter: { tool: 'read_file' } }]]);
		assert.deepEqual(webview.posted, [{ type: 'auditPage', requestId: 9, offset: 40, rows: [record], total: 41 }]);
		connection.dispose();
	});

	test('reports a failed query to that request, and a failed export as a notice', async () => {
		const { webview, backend, connection, logs } = connect();
		backend.queryResult = Promise.reject(new Error('audit file unreadable'));
		backend.exportResult = Promise.reject(new Error('disk full'));
		webview.receive({ type: 'queryAudit', requestId: 2, offset: 0, limit: 10, filter: {} });
		webview.receive({ type: 'exportAudit', format: 'csv', filter: {} });
		await waitFor(() => webview.posted.length === 2, 'both failures');
		assert.deepEqual(new Set(webview.posted.map((m) => JSON.stringify(m))), new Set([
			JSON.stringify({ type: 'auditFailed', requestId: 2, message: 'audit file unreadable' }),
			JSON.stringify({ type: 'notice', message: 'disk full' }),
		]));
		assert.equal(logs.length, 2);
		connection.dispose();
	});

	// Fake timers: the delays are the behaviour under test, and waiting for "nothing happened" needs a clock.
	test('coalesces a burst of changes into one snapshot, and pushes none before ready', (t) => {
		t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
		const { webview, backend, connection } = connect();
		const change = (): void => {
			for (const listener of backend.changeListeners) listener();
		};
		change();
		t.mock.timers.tick(1000);
		assert.equal(webview.posted.length, 0, 'nothing before ready');
		webview.receive({ type: 'ready' });
		webview.posted.length = 0;
		for (let i = 0; i < 5; i++) change();
		assert.equal(webview.posted.length, 0, 'not yet: coalescing');
		t.mock.timers.tick(1000);
		assert.deepEqual(webview.posted.map((m) => m.type), ['snapshot']);
		connection.dispose();
	});

	test('throttles audit appends: one refresh at once, one more after a burst', (t) => {
		t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
		const { webview, backend, connection } = connect();
		webview.receive({ type: 'ready' });
		webview.posted.length = 0;
		const append = (): void => {
			for (const listener of backend.appendListeners) listener();
		};
		append();
		t.mock.timers.tick(0);
		assert.equal(webview.posted.length, 1, 'the first append shows at once');
		for (let i = 0; i < 20; i++) append();
		t.mock.timers.tick(100);
		assert.equal(webview.posted.length, 1, 'the burst waits');
		t.mock.timers.tick(1000);
		assert.deepEqual(webview.posted, [{ type: 'auditChanged' }, { type: 'auditChanged' }]);
		connection.dispose();
	});

	test('pause stops pushes until the reloaded webview says ready', (t) => {
		t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
		const { webview, backend, connection } = connect();
		webview.receive({ type: 'ready' });
		connection.pause();
		webview.posted.length = 0;
		for (const listener of backend.changeListeners) listener();
		for (const listener of backend.appendListeners) listener();
		t.mock.timers.tick(5000);
		assert.equal(webview.posted.length, 0);
		webview.receive({ type: 'ready' });
		assert.deepEqual(webview.posted.map((m) => m.type), ['snapshot']);
		connection.dispose();
	});

	test('dispose unsubscribes from the webview and the backend', () => {
		const { webview, backend, connection } = connect();
		connection.dispose();
		assert.equal(webview.listening, false);
		assert.equal(backend.changeListeners.size, 0);
		assert.equal(backend.appendListeners.size, 0);
	});
});

class FakeUri {
	constructor(readonly path: string) {}
	with(change: { path: string }): FakeUri {
		return new FakeUri(change.path);
	}
	toString(): string {
		return `file://${this.path}`;
	}
}

describe('SidebarViewProvider', () => {
	test('resolves the view with scripts, local roots limited to dist and media, and cleans up on dispose', () => {
		const webview = Object.assign(new FakeWebview(), {
			options: {} as vscode.WebviewOptions,
			html: '',
			cspSource: 'vscode-resource:',
			asWebviewUri: (uri: FakeUri) => `webview:${uri.path}`,
		});
		let disposeView: (() => void) | undefined;
		let visibilityListeners = 0;
		const view = {
			webview,
			visible: true,
			onDidDispose: (listener: () => void) => {
				disposeView = listener;
				return { dispose: () => { disposeView = undefined; } };
			},
			onDidChangeVisibility: () => {
				visibilityListeners++;
				return { dispose: () => { visibilityListeners--; } };
			},
		};
		const backend = new RecordingBackend();
		const provider = new SidebarViewProvider(new FakeUri('/ext') as unknown as vscode.Uri, backend);
		provider.resolveWebviewView(view as unknown as vscode.WebviewView);

		assert.equal(PANEL_VIEW_ID, 'mcpWorkbench.panel');
		assert.equal(webview.options.enableScripts, true);
		assert.deepEqual(webview.options.localResourceRoots?.map((uri) => uri.path), ['/ext/dist', '/ext/media']);
		assert.match(webview.html, /src="webview:\/ext\/dist\/webview.js"/);
		assert.match(webview.html, /href="webview:\/ext\/media\/panel.css"/);
		assert.match(webview.html, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'/);
		assert.equal(webview.listening, true);
		// The connection's snapshots, and the activity bar badge's count.
		assert.equal(backend.changeListeners.size, 2);

		disposeView?.();
		assert.equal(webview.listening, false);
		assert.equal(backend.changeListeners.size, 0);
		assert.equal(visibilityListeners, 0);
		provider.dispose();
	});
});
