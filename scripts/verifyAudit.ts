// `npm run verify-audit -- <file>…`: checks audit files outside the editor: the store's `audit-<n>.jsonl` files (given
// in order, oldest first, they are checked as one chain) or a JSON export from the panel. The chain is an HMAC, so the
// key is needed: MCP_WORKBENCH_AUDIT_KEY, or --key-file <file>. Exit code 0 when everything verifies, 1 when not.
//
// Options: --allow-gaps   accept jumps in seq (an export made with a filter); each record is still checked
//          --partial      accept a first record after seq 0 (older files removed by retention)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeVerification, verifyAuditText } from '../src/node/audit/auditVerify';

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: { 'key-file': { type: 'string' }, 'allow-gaps': { type: 'boolean', default: false }, partial: { type: 'boolean', default: false } },
});
const key = values['key-file'] ? readFileSync(values['key-file'], 'utf8').trim() : process.env.MCP_WORKBENCH_AUDIT_KEY;
if (positionals.length === 0 || !key) {
	console.error('usage: MCP_WORKBENCH_AUDIT_KEY=<key> npm run verify-audit -- [--allow-gaps] [--partial] <file>…   (or --key-file <file>)');
	process.exit(2);
}
// Several JSONL files are one chain: checked as one text, in the order given.
const texts = positionals.map((file) => readFileSync(file, 'utf8'));
const text = texts.length === 1 ? texts[0] : texts.join('');
const result = verifyAuditText(text, key, { allowGaps: values['allow-gaps'], allowMissingStart: values.partial });
console.log(describeVerification(result));
process.exit(result.ok ? 0 : 1);
