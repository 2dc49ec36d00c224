// Shared by the adversarial tests in this folder: marker files whose content must never come back, and the checks
// every attack ends with. The raw MCP session (exactly the bytes an attacker sends) is helpers/rawMcp.ts.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AuditRecord } from '../../../src/core/audit/auditRecord';
import type { Disposable } from '../../../src/core/base/disposable';
import type { TestWorkbench } from '../helpers/workbench';
import { waitFor } from '../helpers/waitFor';

/**
 * Content that must never leave the server. Plain words, not secrets the redactor knows, so a leak shows as itself
 * instead of hiding behind a redaction marker.
 */
export const MARKERS = {
	env: 'MARKER-ENV-a1f3',
	envLocal: 'MARKER-ENVLOCAL-77c1',
	gitConfig: 'MARKER-GITCONFIG-5e20',
	vscode: 'MARKER-VSCODE-0b9d',
	idRsa: 'MARKER-IDRSA-c4e8',
	agents: 'MARKER-AGENTS-91aa',
	mcp: 'MARKER-MCPJSON-3d3d',
	outside: 'MARKER-OUTSIDE-6f01',
} as const;

export const ALL_MARKERS: readonly string[] = Object.values(MARKERS);

/** Plants the sensitive files in `folder` (and one secret outside every folder). */
export async function plantSecrets(folder: string, outside: string): Promise<void> {
	const files: Record<string, string> = {
		'.env': `API=${MARKERS.env}\n`,
		'.env.local': `X=${MARKERS.envLocal}\n`,
		'.git/config': `[core]\n\tnote = ${MARKERS.gitConfig}\n`,
		'.vscode/settings.json': `{ "x": "${MARKERS.vscode}" }\n`,
		'id_rsa': `${MARKERS.idRsa}\n`,
		'AGENTS.md': `${MARKERS.agents}\n`,
		'.mcp.json': `{ "x": "${MARKERS.mcp}" }\n`,
		'notes.txt': 'harmless notes\n',
		'src/a.ts': 'export const a = 1;\n',
	};
	for (const [relative, content] of Object.entries(files)) {
		await mkdir(dirname(join(folder, relative)), { recursive: true });
		await writeFile(join(folder, relative), content);
	}
	await writeFile(join(outside, 'secret.txt'), `${MARKERS.outside}\n`);
}

/** No marker anywhere in `text`. */
/** The user of these attacks denies every approval they are asked for; returns the subscription. */
export function denyEveryApproval(wb: TestWorkbench): Disposable {
	return wb.approvals.onDidChange(() => {
		for (const request of wb.approvals.pending()) wb.approvals.decide(request.id, { kind: 'deny' });
	});
}

export function assertNoMarker(text: string, what: string): void {
	for (const marker of ALL_MARKERS) {
		assert.ok(!text.includes(marker), `${what} leaked ${marker}: ${text.slice(0, 400)}`);
	}
}

/** Waits for the audit's append listeners: a record is announced once its line is written. */
export async function settle(): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The records appended since `from`, with none of them carrying a marker. */
export function newRecords(wb: TestWorkbench, from: number): AuditRecord[] {
	const records = wb.records.slice(from);
	for (const record of records) assertNoMarker(JSON.stringify(record), `audit record of ${record.tool}`);
	return records;
}

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms)));
	return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** `waitFor` with this folder's argument order (the condition, then its bound): kept for the attack tests' many calls. */
export async function waitUntil(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
	await waitFor(condition, what, timeoutMs);
}
