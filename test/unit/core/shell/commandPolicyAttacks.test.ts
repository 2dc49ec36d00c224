// Lines an attacker sent to run_command that the policy once allowed without asking, and variants of each: every one
// must ask or be denied, with a sandbox (the read-only table) and without one (the short strict list).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeCommand, type AnalyzeOptions, type CommandAnalysis } from '../../../../src/core/shell/commandPolicy';
import { loadBashParser } from '../../../../src/node/terminal/bashParser';

const place = { cwd: '/ws/app', workspaceRoots: ['/ws/app', '/ws/lib'], home: '/home/user' };

async function analyze(line: string, options: Partial<AnalyzeOptions> = {}): Promise<CommandAnalysis> {
	return analyzeCommand(line, { ...place, ...options, parser: await loadBashParser() });
}

/** Each line asks or is denied in both modes; never allowed. */
function attacks(title: string, lines: readonly string[], options: Partial<AnalyzeOptions> = {}): void {
	describe(title, () => {
		for (const line of lines) {
			test(JSON.stringify(line), async () => {
				for (const sandboxed of [true, false]) {
					const analysis = await analyze(line, { ...options, sandboxed });
					assert.notEqual(analysis.decision, 'allow', `allowed with sandboxed: ${sandboxed}`);
				}
			});
		}
	});
}

/** Each line asks or is denied when no sandbox is available (with one, the read-only table may allow it). */
function asksWithoutSandbox(title: string, lines: readonly string[]): void {
	describe(title, () => {
		for (const line of lines) {
			test(JSON.stringify(line), async () => {
				const analysis = await analyze(line, { sandboxed: false });
				assert.notEqual(analysis.decision, 'allow');
			});
		}
	});
}

/** Each line is allowed (with a sandbox unless the options say otherwise): the fixes must not make the policy useless. */
function stillAllowed(title: string, lines: readonly string[], options: Partial<AnalyzeOptions> = {}): void {
	describe(title, () => {
		for (const line of lines) {
			test(JSON.stringify(line), async () => {
				const analysis = await analyze(line, { sandboxed: true, ...options });
				assert.equal(analysis.decision, 'allow', analysis.reasons.join(' | '));
			});
		}
	});
}

attacks('a # that bash reads as part of a word is no comment', [
	'true x\r#; touch f',
	'true x\r\n#; touch f',
	'true x\u000b#; touch f',
	'true x\u000c#; touch f',
	'true x\u0000#; touch f',
	'true x\u001b#; touch f',
	'true x\u0085#; touch f',
	'true x\u00a0#; touch f',
	'true x\u2028#; touch f',
	'true x\u3000#; touch f',
	'true x\ufeff#; touch f',
	'true x\\ #; touch f',
	'true x\\\t#; touch f',
	'true x\\\n#; touch f',
	'true x\\\n #\\\n; touch f',
	'true \\\n#; touch f',
	'{ true;}#; touch f',
	'echo $(true x\\\n#); touch f)',
	'bash -c "true x\\\\\n#; touch f"',
	"bash -c $'true x\\r#; touch f'",
	'true "a"\\\n#; touch f',
	'true x\u200b#; touch f',
	'true x\u202e#; touch f',
]);

stillAllowed('comments bash reads as comments still are', [
	'echo hi # ; rm -rf /',
	'ls #x',
	'ls;#x',
	'ls\t# x',
	'(ls)#x',
	'ls \\\\ #x',
	"cat 'é 😀.txt'",
]);

attacks('expansions are checked in every word, here-strings and here-documents included', [
	"true '$(touch f)'; cat <<< ${_@P}",
	"true '$(touch f)'; cat <<< \"${_@P}\"",
	"true 'a[$(touch f)]'; cat <<< $(( _ ))",
	"true 'a[$(touch f)]'; cat <<< ${!_}",
	"true 'a[$(touch f)]'; cat <<< \"$(( _ + 1 ))\"",
	'cat <<< $_',
	'cat 0<<< ${_@P}',
	'cat <<< x${_@P}y',
	'cat <<EOF\n${_@P}\nEOF',
	'cat <<-EOF\n\t$(( _ ))\n\tEOF',
	"cat <<'EOF'\n${_@P}\nEOF",
	'cat <<EOF;touch f\nx\nEOF',
	"true 'a[$(touch f)]'; ls ${x:-${!_}}",
	"true 'a[$(touch f)]'; echo \"${_@P}\"",
	"true 'a[$(touch f)]'; ls 2>&1 <<< ${_@Q}${_@P}",
	"bash -c 'cat <<< ${_@P}'",
	"true '$(touch f)'; cat <<< $((${#_}))",
]);

stillAllowed('with a sandbox, literal here-strings and quoted dollars stay allowed', [
	"cat <<< 'hello'",
	"cat <<< '$(touch f)'",
	'echo "cost: 5$"',
	"echo '${_@P}'",
]);

describe('without a sandbox only a short list of fully understood commands runs without asking', () => {
	test('sandboxed absent is no sandbox', async () => {
		assert.equal((await analyze('grep -rn foo src')).decision, 'ask');
		assert.equal((await analyze('grep -rn foo src', { sandboxed: true })).decision, 'allow');
	});
});

stillAllowed('without a sandbox: the short list, with literal words', [
	'pwd',
	'pwd -P',
	'true',
	'echo hello world',
	"echo 'a b' \"c\"",
	'which git node',
	'ls',
	'ls -la src',
	'ls --color=never -- src',
	'cat README.md src/a.ts',
	'cat -n src/a.ts',
	'head -n 20 src/a.ts',
	'head -5 src/a.ts',
	'tail -n +2 src/a.ts',
	'wc -l src/a.ts',
	'git status',
	'git status --short',
	'git log --oneline -5',
	'git log -n 3 --stat',
	'git diff',
	'git diff --cached -- src/a.ts',
	'git diff HEAD~1 --stat',
	'ls -la | wc -l',
	'git status && git diff --stat',
	'ls 2>/dev/null',
	'ls 2>&1 | head -n 3',
	'(ls src)',
	'time ls',
	'/bin/ls -l',
], { sandboxed: false });

asksWithoutSandbox('without a sandbox everything else asks', [
	'grep -rn foo src',
	'rg foo',
	'find . -name x',
	'sort a.txt',
	'uniq a.txt',
	'node --version',
	'bash --version',
	'cd src',
	'date',
	'ls *.ts',
	'cat src/*.ts',
	'ls ~',
	'cat {a,b}.ts',
	'echo $HOME',
	'echo "$HOME"',
	"echo $'\\x41'",
	'cat < a.txt',
	'cat <<< hello',
	"cat <<< 'hello'",
	'ls > /dev/stdout',
	'ls >| f',
	'ls &> f',
	'ls 2> err.txt',
	'tail -f log.txt',
	'tail --follow log.txt',
	'tail --pid=1 log.txt',
	'head --lines=5 a.txt',
	'ls -I x',
	'ls -w 80',
	'ls --hyperlink',
	'cat --help',
	'wc --files0-from=list',
	'which -h',
	'pwd --help',
	'git show HEAD',
	'git branch',
	'git log --output=x',
	'git log --format=%H',
	'git diff --ext-diff',
	'git diff --textconv',
	'git diff --output=f',
	'git diff --no-index /etc/passwd /dev/null',
	'git -c core.pager=sh log',
	'git -p log',
	'git log -n x',
	'git log --max-count=5x',
	'git status --porcelain=v2',
	'git diff -U5',
	'cat /etc/passwd',
	'ls /',
	'true | sh',
	'echo x | bash',
	'command ls',
	'builtin pwd',
	'exec ls',
	'nice ls',
	'env ls',
	'X=1 ls',
	'ls & ls',
]);

attacks('a cd the policy cannot follow asks, and later paths are placed after every cd', [
	'cd && cat .ssh/id_rsa',
	'cd; cat .ssh/id_rsa',
	'cd -- && cat .ssh/id_rsa',
	'cd -P && cat .ssh/id_rsa',
	'cd ~ && cat .ssh/id_rsa',
	'cd ~/ && cat .ssh/id_rsa',
	'cd ~user && cat .ssh/id_rsa',
	'cd - && cat secret',
	'cd .. && cat ../outside/secret',
	'cd src && cd ../.. && cat secret',
	'cd src/.. && cat ../secret',
	'cd /ws/app/src && cat ../../secret',
	'cd .git && cat config',
	'cd .ssh && cat id_rsa',
	'(cd) && cat .ssh/id_rsa',
	'true || cd && cat .bashrc',
	'cd "" && cat .ssh/id_rsa',
	'bash -c "cd && cat .ssh/id_rsa"',
	'cd $HOME && cat .ssh/id_rsa',
	'cd ${HOME} && cat .ssh/id_rsa',
	'cd /home/user && cat .ssh/id_rsa',
	'cd / && cat etc/passwd',
	'cd .. && ls',
]);

stillAllowed('a cd inside the workspace keeps paths checked there', [
	'cd src && cat a.ts',
	'cd src && ls .',
	'cd /ws/lib && ls',
	'(cd src && ls)',
]);

attacks('sensitive paths in command arguments ask as read_file does', [
	'cat .env',
	'cat ./.env',
	'cat src/../.env',
	'cat .env.local',
	'cat .git/config',
	'head -n 5 .git/config',
	'tail -n +2 .env',
	'grep -o . .env',
	'grep -h "" .env',
	'grep -f .env x',
	'grep -f.env x',
	'grep --file=.env x',
	'grep --fil=.env x',
	'cut -c1- .vscode/settings.json',
	'nl id_rsa',
	'nl src/id_rsa',
	'cat AGENTS.md',
	'cat .mcp.json',
	'cat key.pem',
	'sort .env',
	'uniq .env',
	'diff .env /dev/null',
	'cmp .env x',
	'wc -c .env',
	'git show HEAD:.env',
	'git show :.env',
	'git log -p -- .env',
	'git diff -- .git/config',
	'cat < .env',
	'cat 0< .git/config',
	'cat ./.e*',
	'cat .e?v',
	'cat .[e]nv',
	'cat *',
	'head src/*',
	'grep x *',
	'ls .git',
	'rg -n foo .git',
	'cat -- .env',
	'cat /ws/app/.env',
	'cat /ws/lib/.git/config',
	'grep -r MARKER .',
	'grep -R MARKER src',
	'grep -rn foo',
	'grep -r -e foo',
	'grep --recursive foo .',
	'grep --rec foo .',
	'grep -d recurse foo .',
	'grep --directories=recurse foo .',
	'grep -A 3 -r foo',
	'rg MARKER',
	'rg -uu MARKER',
	'rg --hidden MARKER .',
	'rg -A 3 MARKER',
	'rg MARKER ..',
	'rg MARKER /ws',
	'diff -r . /ws/lib',
	'diff --recursive . src',
	'cd src && grep -r x ..',
	'rg -L foo src',
	'rg --follow foo src',
]);

stillAllowed('reading ordinary workspace files stays allowed', [
	'cat README.md',
	'grep -rn foo src',
	'grep -rn "TODO" src lib',
	'rg -n foo src',
	'rg foo src/a.ts',
	'grep -n foo src/a.ts',
	'wc -l src/a.ts',
	'ls -la',
	'ls *.ts',
	'git diff HEAD~1 -- src/a.ts',
	'git log --oneline -5',
	'diff src/a.ts src/b.ts',
	'head -n 5 src/a.ts | cut -c1-10',
]);

attacks('glued short option values are paths too', [
	'grep -f/etc/passwd x',
	'grep -f../../etc/passwd x',
	'sort -T/tmp a',
	'cat -A/etc/passwd',
	'grep -rf/home/user/.ssh/id_rsa src',
]);

attacks('sensitive globs from the settings count too', ['cat secrets/prod.txt', 'grep -r x secrets'], { sensitivePaths: ['secrets/**', 'secrets'] });

attacks('flags on the version list that do something else', [
	"bash -v <<< 'touch f'",
	'bash -v',
	'sh -v',
	'dash -v',
	'python -v',
	'python3 -v',
	'deno -v',
	'java -v',
	'bash --version x',
	'bash --version; touch f',
	'node --version --eval "1"',
	'node -v -e 1',
	'bash -x',
	'bash -s',
	'bash',
	'bash -i',
	'sh',
]);

attacks('abbreviated GNU long options are the options they abbreviate', [
	'sort --compress-prog=sh a',
	'sort --compress=sh a',
	'sort --c=sh a',
	'sort --outp=f a',
	'sort --out=f a',
	'sort --o=f a',
	'sort --output f a',
	'sort -of a',
	'sort -rof a',
	'sort -o f a',
	'sort --{out,put}=f a',
	'sort --"output"=f a',
	"sort '--output=f' a",
	'git log --outp=f',
	'git log --out f',
	'git diff --ext',
	'git diff --ext-d',
	'git show --textc',
	'git diff --output-indicator-new=x --outp=f',
	'date --se=2020-01-01',
	'date --fil=/etc/passwd',
	'date --fi secret',
	'tree --outp f',
	'grep --dereference-rec x src',
	'grep --derefer x src',
]);

attacks('operands that are output files', [
	'uniq - f <<< x',
	'uniq - f',
	'uniq -- - f',
	'uniq a.txt f',
	'uniq -c a.txt f',
	'uniq -- a.txt f',
	'uniq -u - f',
	'sort -o f',
	'tree -o f',
	'tree -of',
	'tree -ao f',
	'tree -R -H x',
	'find . -fprint f',
	'find . -fprintf f %p',
	'find . -fprint0 f',
	'find . -fls f',
	'find . -delete',
	'git diff --output=f',
	'git log --output f',
]);

attacks('programs that take paths read files: date -f and its variants', [
	'date -f /etc/passwd',
	'date -f .env',
	'date -f secret.txt',
	'date -uf /etc/passwd',
	'date -f/etc/passwd',
	'date --file=/etc/passwd',
	'date --file /etc/passwd',
	'date -s 2020-01-01',
	'date -us 2020-01-01',
]);

attacks('flags that run programs', [
	'rg --pre sh foo src',
	'rg --pre=sh foo src',
	'rg --pre-glob "*" --pre sh foo src',
	'rg --hostname-bin=sh foo src',
	'rg --hostname-bin sh foo src',
	'find . -exec sh \\;',
	'find . -execdir sh {} +',
	'find . -ok sh \\;',
	'git -c core.pager=sh log',
	'git -c diff.external=sh diff',
	'git --exec-path=. status',
	'git diff --ext-diff',
	'git log --textconv -p',
	'git grep --open-files-in-pager=sh x',
	'git branch --edit-description',
	'git tag -a v1 -m x',
	'git stash push',
	'git remote add x y',
	'sort --compress-program=sh a',
	'env -S "touch f"',
	'xargs touch',
	'xargs -a list cat',
	'sed -i s/a/b/ f',
	'sed -n "w f" a',
	'sed "e touch f" a',
	'awk "BEGIN{system(\\"touch f\\")}"',
	"less -f '+!touch f' a",
	'more a',
	'tee f',
	'tar -cf f src',
	'tar --to-command=sh -xf a.tar',
	'exec 3<>f',
	'exec touch f',
	'printf -v "a[$(touch f)]" x',
	'declare -n x="a[$(touch f)]"',
	'[[ -v a[$(touch f)] ]]',
	"test -v 'a[$(touch f)]'",
	"[ -v 'a[$(touch f)]' ]",
	'ls >| f',
	'ls &> f',
	'ls &>> f',
	'ls <> f',
	'ls 1<>f',
	'ls >&f',
	'ls 3>f',
	'cat <(touch f)',
	'ls > >(touch f)',
	"ls $'\\x3e' f",
	'diff --to-file=/etc/passwd a',
	'diff --from-file /etc/passwd a',
	'cmp /etc/passwd a',
	'nl /etc/passwd',
	'du --files0-from=/etc/passwd',
	'wc --files0-from=/etc/passwd',
	'sort --files0-from=/etc/passwd',
	'sort --random-source=/dev/urandom a',
	'grep -r x /',
	'ls a\\\n >f',
	'ls a \\\n>f',
	'cat a{,}\\\n >f',
]);

stillAllowed('the read-only table still knows its options', [
	'sort -u src/a.ts',
	'sort -r -k 2 src/a.ts',
	'uniq -c src/a.ts',
	'uniq src/a.ts',
	'date',
	'date +%s',
	'date -u',
	'date -d yesterday',
	'tree -L 2 src',
	'find . -name "*.ts" -type f',
	'node --version',
	'node -v',
	'npm -v',
	'bash --version',
	'git diff --no-ext-diff',
	'git diff --stat',
	'rg -n --glob "*.ts" foo src',
]);

attacks('a user rule that allows a program allows no sensitive file', [
	'cat .env',
	'cat ~/.ssh/id_rsa',
	'cat -- .git/config',
	'cd src && cat ../.env',
], { rules: [{ program: 'cat', action: 'allow' }] });

attacks('diff -r follows links in the folders it compares', ['diff -r src lib', 'diff -rq src lib', 'diff --recursive src lib', 'diff --recur src lib']);

attacks('a line continuation inside double quotes is dropped before bash looks for $', [
	'echo "$\\\n(touch f)"',
	'echo "$\\\n\\\n(touch f)"',
	'echo "a$\\\n{_@P}"',
	'cat <<< "$\\\n{_@P}"',
	'cat <<< "$\\\n(touch f)"',
	'cat src/a.ts "$\\\n(touch f)"',
	'echo "`\\\ntouch f`"',
	'echo $\\\n(touch f)',
	'echo <\\\n(touch f)',
	'ls |\\\n| touch f',
	'ls &\\\n& touch f',
	'ls >\\\nf',
	"true 'a[$(touch f)]'; cat <<< $[_]",
	"true 'a[$(touch f)]'; cat <<< $\\\n[_]",
]);

stillAllowed('continuations that change nothing stay allowed', [
	'echo "a\\\nb"',
	'echo "\\$\\\n(x)"',
	'ls \\\n  -la',
]);

attacks('git reads its own wildcards and magic in pathspecs', [
	"git log -p -- '*.env'",
	'git log -p -- "*.env"',
	"git diff -- '.e*'",
	"git diff -- ':(icase).ENV'",
	"git diff -- ':(glob)**/.env'",
	"git log -p -- ':!src'",
	"git show 'HEAD:.e?v'",
	"git status -- '*.pem'",
	"git diff HEAD -- '[.]env'",
]);

asksWithoutSandbox('without a sandbox (Windows runs cmd.exe), quoted operator characters ask', [
	"echo 'a & calc'",
	"echo 'a | calc'",
	"echo 'a > f'",
	"echo 'a < f'",
	'echo "a ^& calc"',
	"echo '%COMSPEC%'",
	"echo a\\&calc",
	"cat 'src/a.ts & calc'",
	"git log '--format=%H'",
]);

attacks('a recursive read of a folder a sensitive glob names files in asks', [
	'grep -rn foo .github',
	'grep -rn foo .github/',
	'grep -r foo src/.github',
	'rg foo .github',
	'rg foo lib/.github',
	'grep -r foo secrets',
], { sensitivePaths: ['secrets/**'] });
