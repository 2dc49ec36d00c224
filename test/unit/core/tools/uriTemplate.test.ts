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

test('expressions other than {name}, {+name} and a final {?a,b} are refused when the template is built', () => {
	assert.throws(() => new UriTemplate('x://{?query}/more'), /unsupported URI template/);
	assert.throws(() => new UriTemplate('x://{a}/{#b}'), /unsupported URI template/);
});

test('a final {?a,b}: each parameter optional, in any order, values still encoded; unknown or repeated ones do not match', () => {
	const template = new UriTemplate('git://show/{ref}{?repository,path}');
	assert.deepEqual(template.match('git://show/HEAD'), { ref: 'HEAD' });
	assert.deepEqual(template.match('git://show/feature%2Fx?path=src%2Fa.ts&repository=app'), { ref: 'feature%2Fx', path: 'src%2Fa.ts', repository: 'app' });
	assert.deepEqual(template.match('git://show/HEAD?path'), { ref: 'HEAD', path: '' }, 'a parameter without a value');
	assert.equal(template.match('git://show/HEAD?bogus=1'), undefined, 'an unknown parameter');
	assert.equal(template.match('git://show/HEAD?path=a&path=b'), undefined, 'a repeated parameter');
	assert.equal(template.match('git://show/a?b/c'), undefined, 'a value of {ref} cannot hold the query');
	assert.deepEqual(new UriTemplate('git://diff{?staged}').match('git://diff'), {});
	assert.equal(new UriTemplate('x://{a}').match('x://b?c=1'), undefined, 'a template without a query takes none');
});

test('the result pages template: an optional query of its names, in any order, and nothing else', () => {
	const template = new UriTemplate('workbench://results/{id}{?page,size}');
	assert.deepEqual(template.match('workbench://results/r1'), { id: 'r1' });
	assert.deepEqual(template.match('workbench://results/r1?page=2'), { id: 'r1', page: '2' });
	assert.deepEqual(template.match('workbench://results/r1?size=9&page=2'), { id: 'r1', page: '2', size: '9' });
	assert.equal(template.match('workbench://results/r1?other=1'), undefined, 'a name the template does not list');
	assert.equal(template.match('workbench://results/r1?page=1&page=2'), undefined, 'a name twice');
	assert.equal(template.match('workbench://results/r1/x?page=1'), undefined, '{id} is one segment');
});
