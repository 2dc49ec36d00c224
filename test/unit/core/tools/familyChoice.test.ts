import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { familyChoices, switchesAfter } from '../../../../src/core/tools/familyChoice';
import { contributedToolSpec } from '../../../../src/core/tools/contributedTool';
import { allTools } from '../../../../src/tools/allTools';

const contributed = (name: string, id: string) =>
	contributedToolSpec({ name, title: name, description: name, input: { type: 'object' }, risk: 'read', handler: async () => 'ok' } as never, { id, name: id.split('.')[1] });

describe('the family switch', () => {
	const tools = [...allTools, contributed('kubectl_scale', 'acme.devops'), contributed('sql_query', 'acme.devops'), contributed('lint_fix', 'other.linter')];
	const rows = familyChoices(tools, { families: ['files', 'git', 'terminal'], disabledExtensions: ['Other.Linter', 'gone.ext'] });

	test('one row per switchable family, then one per contributing extension, each naming every tool it holds', () => {
		assert.deepEqual(rows.map((row) => row.label), ['Files', 'Git', 'Terminal', 'Tasks', 'devops (extension acme.devops)', 'linter (extension other.linter)']);
		const named = rows.flatMap((row) => /\((.*)\)$/.exec(row.detail)?.[1].split(', ') ?? []);
		// workspace_info is never switched off, so it is in no row; every other tool is in exactly one.
		const expected = tools.map((spec) => spec.name).filter((name) => name !== 'workspace_info');
		assert.deepEqual([...named].sort(), [...expected].sort());
		assert.match(rows[1].detail, /git_commit/);
	});

	test('rows show what is on now: families by the setting, extensions unless switched off (case-insensitively)', () => {
		assert.deepEqual(rows.map((row) => row.on), [true, true, true, false, true, false]);
	});

	test('the choice becomes the settings: unchosen extensions are switched off, unlisted ones that were off stay off', () => {
		const chosen = rows.filter((row) => ['Files', 'Tasks', 'linter (extension other.linter)'].includes(row.label));
		assert.deepEqual(switchesAfter(rows, chosen, { families: ['files', 'git'], disabledExtensions: ['Other.Linter', 'gone.ext'] }), {
			families: ['files', 'tasks'],
			disabledExtensions: ['gone.ext', 'acme.devops'],
		});
		assert.deepEqual(switchesAfter(rows, [], { families: ['files'], disabledExtensions: [] }), { families: [], disabledExtensions: ['acme.devops', 'other.linter'] });
	});
});
