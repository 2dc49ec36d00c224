import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UriTemplate } from '../../../../src/core/tools/uriTemplate';

test('{name} takes one segment, {+name} the rest, values stay encoded', () => {
	const template = new UriTemplate('workspace-file://{folder}/{+path}');
	assert.deepEqual(template.match('workspace-file://app/src/a%20b.ts'), { folder: 'app', path: 'src/a%20b.ts' });
	assert.deepEqual(template.match('workspace-file://my%20app/x'), { folder: 'my%20app', path: 'x' });
	assert.equal(template.match('workspace-file://app'), undefined, 'no path');
	assert.equal(template.match('other://app/x'), undefined, 'another scheme');
	assert.equal(template.match('xworkspace-file://app/x'), undefined, 'anchored at the start');
	assert.equal(template.match(`workspace-file://app/${'a'.repeat(20_000)}`), undefined, 'too long to match');
});

test('literal characters are matched as text, not as regular-expression syntax', () => {
	const template = new UriTemplate('a.b+c://{x}');
	assert.deepEqual(template.match('a.b+c://1'), { x: '1' });
	assert.equal(template.match('aXbbc://1'), undefined);
});

test('expressions other than {name} and {+name} are refused when the template is built', () => {
	assert.throws(() => new UriTemplate('x://{?query}'), /unsupported URI template/);
	assert.throws(() => new UriTemplate('x://{a}/{#b}'), /unsupported URI template/);
});
