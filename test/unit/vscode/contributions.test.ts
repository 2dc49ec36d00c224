// What package.json promises exists: every contributed command is registered, every walkthrough page ships, every
// keybinding runs a contributed command.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	contributes: {
		commands: { command: string }[];
		keybindings?: { command: string; when?: string }[];
		walkthroughs?: { steps: { media: { markdown?: string } }[] }[];
		views: Record<string, { name: string }[]>;
	};
};

function sources(dir: string): string {
	return readdirSync(dir).map((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? readFileSync(path, 'utf8') : '';
	}).join('\n');
}

describe('package.json contributions', () => {
	const code = sources(join(ROOT, 'src'));

	test('every contributed command is registered in the extension', () => {
		for (const { command } of manifest.contributes.commands) {
			assert.ok(code.includes(`'${command}'`), `${command} is contributed but never registered`);
		}
	});

	test('keybindings run contributed commands, only while something waits', () => {
		const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
		for (const binding of manifest.contributes.keybindings ?? []) {
			assert.ok(contributed.has(binding.command), binding.command);
			assert.equal(binding.when, 'mcpWorkbench.approvalsWaiting');
		}
		assert.ok(code.includes(`'mcpWorkbench.approvalsWaiting'`), 'the context key is set');
	});

	test('every walkthrough page ships, and the view title names the view', () => {
		const steps = manifest.contributes.walkthroughs?.flatMap((w) => w.steps) ?? [];
		assert.ok(steps.length >= 3);
		for (const step of steps) assert.ok(step.media.markdown && existsSync(join(ROOT, step.media.markdown)), step.media.markdown);
		assert.equal(manifest.contributes.views.mcpWorkbench[0].name, 'Approvals and Audit');
	});
});
