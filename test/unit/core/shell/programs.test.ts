import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { anyArgumentsReadOnly, asksVersionOnly, innerCommands, isLongOption, readOnlyCheck, recursiveReads } from '../../../../src/core/shell/programs';

describe('read-only programs', () => {
	test('only programs of the table have a check; names of Object.prototype are not programs', () => {
		assert.ok(readOnlyCheck('ls'));
		assert.equal(readOnlyCheck('rm'), undefined);
		assert.equal(readOnlyCheck('constructor'), undefined);
		assert.equal(readOnlyCheck('toString'), undefined);
	});

	test('each check names the arguments that make a program do more than read', () => {
		const refusal = (name: string, ...args: string[]) => readOnlyCheck(name)?.(args);
		assert.equal(refusal('ls', '-la', '--color=always'), undefined);
		assert.match(refusal('rg', '--pre=./x', 'foo') ?? '', /rg --pre/);
		assert.match(refusal('sort', '-uo', 'out') ?? '', /sort -o/);
		assert.equal(refusal('sort', '-u', 'in'), undefined);
		assert.match(refusal('uniq', 'in', 'out') ?? '', /writes the second/);
		assert.match(refusal('find', '.', '-delete') ?? '', /find -exec/);
		assert.match(refusal('date', '--set=now') ?? '', /sets the clock/);
		assert.match(refusal('tree', '-o', 'x') ?? '', /writes a file/);
		assert.match(refusal('sort', '--outp=f') ?? '', /sort -o/);
		assert.match(refusal('sort', '--compress-prog=sh') ?? '', /sort -o/);
		assert.match(refusal('uniq', '-', 'out') ?? '', /writes the second/);
		assert.match(refusal('date', '-f', '/etc/passwd') ?? '', /prints a file/);
		assert.match(refusal('grep', '-R', 'x') ?? '', /follows links/);
		assert.match(refusal('rg', '--hostname-bin=sh') ?? '', /runs a program/);
		assert.match(refusal('git', 'log', '--outp=f') ?? '', /write files or run programs/);
	});

	test('git: read-only subcommands, and the arguments that still write', () => {
		const git = (...args: string[]) => readOnlyCheck('git')?.(args);
		for (const args of [['status'], ['log', '--oneline'], ['branch', '-a'], ['tag', '--list', 'v*'], ['remote', '-v'], ['stash', 'list']]) {
			assert.equal(git(...args), undefined, args.join(' '));
		}
		assert.match(git('-C', '/tmp', 'log') ?? '', /options before the subcommand/);
		assert.match(git('commit') ?? '', /not a read-only git command/);
		assert.match(git('diff', '--ext-diff') ?? '', /write files or run programs/);
		assert.match(git('branch', 'new') ?? '', /create, rename or delete/);
		assert.match(git('remote', 'add', 'x', 'y') ?? '', /change remotes/);
		assert.match(git('stash') ?? '', /changes the working tree/);
	});

	test('only programs no argument can misuse take globs', () => {
		assert.ok(anyArgumentsReadOnly('ls'));
		assert.ok(!anyArgumentsReadOnly('find'));
		assert.ok(!anyArgumentsReadOnly('rm'));
	});

	test('version-only programs may print their version and nothing else', () => {
		assert.ok(asksVersionOnly('node', ['--version']));
		assert.ok(asksVersionOnly('node', ['-v']));
		assert.ok(!asksVersionOnly('python', ['-v']));
		assert.ok(!asksVersionOnly('node', ['--version', 'x.js']));
		assert.ok(!asksVersionOnly('node', ['x.js']));
		assert.ok(!asksVersionOnly('rm', ['--version']));
		assert.ok(!asksVersionOnly('bash', ['-v']), 'bash -v runs its standard input');
		assert.ok(!asksVersionOnly('sh', ['-v']));
		assert.ok(asksVersionOnly('bash', ['--version']));
	});

	test('a long option matches its abbreviations, as GNU getopt_long reads them', () => {
		assert.ok(isLongOption('--outp=f', '--output'));
		assert.ok(isLongOption('--o', '--output'));
		assert.ok(isLongOption('--output', '--output'));
		assert.ok(isLongOption('--output-indicator-new=x', '--output'), 'longer names count too: the policy does not know every option');
		assert.ok(!isLongOption('--oneline', '--output'));
		assert.ok(!isLongOption('--', '--output'));
		assert.ok(!isLongOption('-o', '--output'));
	});

	test('recursive reads name the folders read in full', () => {
		assert.deepEqual(recursiveReads('grep', ['-rn', 'foo', 'src']), ['src']);
		assert.deepEqual(recursiveReads('grep', ['-rn', 'foo']), ['.']);
		assert.deepEqual(recursiveReads('grep', ['-r', '-e', 'foo']), ['.']);
		assert.deepEqual(recursiveReads('grep', ['-A', '3', '-r', 'foo']), ['.']);
		assert.deepEqual(recursiveReads('grep', ['-nA3', '-r', 'foo', 'a', 'b']), ['a', 'b']);
		assert.deepEqual(recursiveReads('grep', ['--directories=recurse', 'foo']), ['.']);
		assert.deepEqual(recursiveReads('grep', ['-n', 'foo', 'a.ts']), []);
		assert.deepEqual(recursiveReads('rg', ['foo']), ['.']);
		assert.deepEqual(recursiveReads('rg', ['-g', '*.ts', 'foo', 'src']), ['src']);
		assert.deepEqual(recursiveReads('rg', ['--', '-foo', 'src']), ['src']);
		assert.deepEqual(recursiveReads('diff', ['-r', 'a', 'b']), ['a', 'b']);
		assert.deepEqual(recursiveReads('diff', ['a', 'b']), []);
		assert.deepEqual(recursiveReads('cat', ['-r']), []);
	});
});

describe('commands inside commands', () => {
	test('wrappers run the program after their options and assignments', () => {
		assert.deepEqual(innerCommands('sudo', ['-u', 'root', 'rm', 'x']).commands, [{ program: 'rm', args: ['x'] }]);
		assert.deepEqual(innerCommands('env', ['-i', 'A=1', 'rm', 'x']).commands, [{ program: 'rm', args: ['x'] }]);
		assert.deepEqual(innerCommands('timeout', ['-s', 'KILL', '5', 'rm', 'x']).commands, [{ program: 'rm', args: ['x'] }]);
		assert.deepEqual(innerCommands('nice', ['--', 'rm']).commands, [{ program: 'rm', args: [] }]);
		assert.deepEqual(innerCommands('nohup', []).commands, []);
	});

	test('shells, env -S and eval run scripts', () => {
		assert.deepEqual(innerCommands('bash', ['-lc', 'rm x']).scripts, ['rm x']);
		assert.deepEqual(innerCommands('bash', ['script.sh']).scripts, []);
		assert.deepEqual(innerCommands('env', ['-S', 'rm x']).scripts, ['rm x']);
		assert.deepEqual(innerCommands('env', ['-Srm x']).scripts, ['rm x']);
		assert.deepEqual(innerCommands('eval', ['rm', 'x']).scripts, ['rm x']);
		assert.deepEqual(innerCommands('busybox', ['rm', 'x']).commands, [{ program: 'rm', args: ['x'] }]);
	});

	test('find runs each -exec body up to its ; or +', () => {
		assert.deepEqual(innerCommands('find', ['.', '-exec', 'rm', '{}', ';', '-ok', 'cat', '{}', '+']).commands, [
			{ program: 'rm', args: ['{}'] },
			{ program: 'cat', args: ['{}'] },
		]);
	});
});
