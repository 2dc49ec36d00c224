// Lines an attacker sent to run_command that the policy once allowed without asking, and variants of each: every one
// must ask or be denied.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeCommand, type AnalyzeOptions, type CommandAnalysis } from '../../../../src/core/shell/commandPolicy';
import { loadBashParser } from '../../../../src/node/terminal/bashParser';

const place = { cwd: '/ws/app', workspaceRoots: ['/ws/app', '/ws/lib'], home: '/home/user' };

async function analyze(line: string, options: Partial<AnalyzeOptions> = {}): Promise<CommandAnalysis> {
	return analyzeCommand(line, { ...place, ...options, parser: await loadBashParser() });
}

/** Each line asks or is denied; never allowed. */
function attacks(title: string, lines: readonly string[], options: Partial<AnalyzeOptions> = {}): void {
	describe(title, () => {
		for (const line of lines) {
			test(JSON.stringify(line), async () => {
				const analysis = await analyze(line, options);
				assert.notEqual(analysis.decision, 'allow');
			});
		}
	});
}

/** Each line is allowed: the fixes must not make the read-only table useless. */
function stillAllowed(title: string, lines: readonly string[], options: Partial<AnalyzeOptions> = {}): void {
	describe(title, () => {
		for (const line of lines) {
			test(JSON.stringify(line), async () => {
				const analysis = await analyze(line, options);
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

stillAllowed('literal here-strings and quoted dollars stay allowed', [
	"cat <<< 'hello'",
	"cat <<< '$(touch f)'",
	'echo "cost: 5$"',
	"echo '${_@P}'",
]);
