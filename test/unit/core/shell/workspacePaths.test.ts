import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insideWorkspace } from '../../../../src/core/shell/workspacePaths';

const place = { cwd: '/ws/app/src', workspaceRoots: ['/ws/app', '/ws/lib/'], home: '/home/user' };

test('paths are placed against the working directory, with . and .. folded', () => {
	assert.ok(insideWorkspace('a.ts', place));
	assert.ok(insideWorkspace('../README.md', place));
	assert.ok(insideWorkspace('/ws/lib/index.ts', place));
	assert.ok(insideWorkspace('/ws/app', place));
	assert.ok(!insideWorkspace('../../etc/passwd', place));
	assert.ok(!insideWorkspace('/ws/application/x', place));
	assert.ok(!insideWorkspace('/ws/app/../other', place));
});

test('~ is the home folder when known; ~user never is', () => {
	assert.ok(!insideWorkspace('~/x', place));
	assert.ok(insideWorkspace('~/x', { ...place, workspaceRoots: ['/home/user'] }));
	assert.ok(!insideWorkspace('~/x', { cwd: '/home/user', workspaceRoots: ['/home/user'] }));
	assert.ok(!insideWorkspace('~user/x', { ...place, workspaceRoots: ['/'] }));
});

test('a workspace at the root holds every absolute path', () => {
	assert.ok(insideWorkspace('/etc/passwd', { cwd: '/', workspaceRoots: ['/'] }));
});
