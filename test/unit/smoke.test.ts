import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ToolError } from '../../src/core/toolSpec';

test('ToolError keeps its message for the agent', () => {
	assert.equal(new ToolError('do X next').message, 'do X next');
});
