/**
 * What both bridge examples run against: the shipped composition (createWorkbench, every tool) on a real port, in a
 * temp workspace that is a git repository, with a person stand-in that approves each card as it appears and records
 * what it was asked. Strict arguments are built as a strict model sends them: every listed property, null where the
 * model leaves an optional one out.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApprovalRequest } from '../../src/core/gate/approvals';
import { ToolRegistry } from '../../src/core/tools/toolRegistry';
import { allTools } from '../../src/tools/allTools';
import { startWorkbench, type TestWorkbench } from '../unit/helpers/workbench';

export interface ExampleWorld {
	readonly world: TestWorkbench;
	readonly folder: string;
	readonly url: string;
	readonly token: string;
	/** Every approval card the stand-in approved, in order. */
	readonly approved: ApprovalRequest[];
	close(): Promise<void>;
}

export async function startExampleWorld(client: string): Promise<ExampleWorld> {
	const world = await startWorkbench({ tools: allTools, sandbox: 'none' });
	const folder = world.folders[0].path;
	await mkdir(join(folder, 'src'));
	await writeFile(join(folder, 'src/greet.js'), 'export function greet(name) {\n\treturn `Hello, ${name}!`;\n}\n');
	await writeFile(join(folder, 'README.md'), '# app\n');
	const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, stdio: 'pipe' });
	git('init', '-q', '-b', 'main');
	git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'add', '.');
	git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'initial');
	const approved: ApprovalRequest[] = [];
	// The person in front of the panel, through the workbench's own approvals API.
	const subscription = world.approvals.onDidChange(() => {
		for (const request of world.approvals.pending()) {
			if (world.approvals.decide(request.id, { kind: 'approve' })) approved.push(request);
		}
	});
	return {
		world,
		folder,
		url: world.url,
		token: world.server.mintToken(client).token,
		approved,
		async close() {
			subscription.dispose();
			await world.close();
		},
	};
}

const listed = new ToolRegistry(allTools).list({ trusted: true, families: ['workspace', 'files', 'git', 'terminal', 'tasks'] });

/** A call as a strict model makes it: `given`, and null for every other listed property. */
export function strictCall(name: string, given: Record<string, unknown> = {}): { name: string; arguments: Record<string, unknown> } {
	const tool = listed.find((candidate) => candidate.name === name);
	if (!tool) throw new Error(`no tool ${name}`);
	const properties = Object.keys(tool.inputSchema.properties as Record<string, unknown>);
	for (const key of Object.keys(given)) if (!properties.includes(key)) throw new Error(`${name} has no property ${key}`);
	return { name, arguments: Object.fromEntries(properties.map((key) => [key, key in given ? given[key] : null])) };
}
