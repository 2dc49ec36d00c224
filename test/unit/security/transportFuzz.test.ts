// Thousands of POSTs built from a seeded generator: the SDK schema's edge cases (params arrays, _meta null,
// fractional, null and huge ids, unknown keys), nesting thousands deep, huge strings, client responses nobody asked
// for, cancellations of random ids, and batches mixing all of it with good requests. Whatever arrives, every POST is
// answered within a bound and never with a 5xx, every tools/call the gate saw leaves an audit record, and a normal
// client works afterwards. A failure prints the seed and the case: `FUZZ_SEED=<n> npm run test:unit -- transportFuzz`.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readFileTool } from '../../../src/tools/files/read';
import { initializeBody, rawRequest, type RawResponse } from '../helpers/rawHttp';
import { startWorkbench, type TestWorkbench } from '../helpers/workbench';
import { mcpHeaders, openRawSession, parseAnswer, type RawSession } from '../helpers/rawMcp';
import { waitUntil, within } from './attack';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const CASES = Number(process.env.FUZZ_CASES ?? 2000);
/** POSTs in flight at once: enough to interleave batches in one session, few enough for a shared 2-core machine. */
const CONCURRENCY = 8;
/** Every POST is answered well within this; the slowest honest case (a body nested 20,000 deep) takes milliseconds. */
const ANSWER_WITHIN_MS = 10_000;

/** mulberry32: small, fast and the same on every machine, so a seed replays its cases exactly. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** One POST: its body as sent, and whether it goes to the session or somewhere odd. */
interface Case {
	readonly body: string;
	readonly withSession: boolean;
	readonly accept: string;
}

function generator(random: () => number) {
	const int = (n: number) => Math.floor(random() * n);
	const pick = <T>(items: readonly T[]): T => items[int(items.length)];
	let nextId = 1;

	const deepText = (depth: number) => (random() < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
	const depth = () => pick([2_000, 5_000, 20_000]);
	const oddValues = ['null', '[1]', '1.5', '"s"', 'true', '{}', '[]', '-0', '1e308', `"${'x'.repeat(100_000)}"`];
	const oddIds = ['0.5', 'null', 'true', '{}', '[]', '1e308', '-1', '9007199254740993', '""', `"${'i'.repeat(10_000)}"`];
	const goodId = () => (random() < 0.7 ? String(nextId++) : JSON.stringify(`id-${nextId++}`));

	/** A request the server should answer normally, as raw JSON text. */
	const goodRequest = (): string => {
		const id = goodId();
		return pick([
			() => `{"jsonrpc":"2.0","id":${id},"method":"ping"}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"tools/list"}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"resources/templates/list","params":{}}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"workspace_info","arguments":{}}}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"read_file","arguments":{"path":"a.txt"},"_meta":{"progressToken":${id}}}}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"logging/setLevel","params":{"level":"info"}}`,
		])();
	};

	/** Something the SDK's schemas or our own checks refuse, or that is odd but allowed. */
	const badMessage = (): string => {
		const id = goodId();
		const method = pick(['ping', 'tools/list', 'tools/call', 'resources/read', 'completion/complete', 'logging/setLevel', 'initialize', 'no/such', 'notifications/cancelled']);
		return pick([
			() => `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${pick(oddValues)}}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":{"_meta":${pick(oddValues)}}}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":{"_meta":{"progressToken":${pick(oddValues)}}}}`,
			() => `{"jsonrpc":"2.0","id":${pick(oddIds)},"method":"${method}"}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":${pick(['1', 'null', '{}', '""'])}}`,
			() => `{"jsonrpc":${pick(['"1.0"', '2', 'null'])},"id":${id},"method":"ping"}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"ping","extra":1}`,
			() => `{"jsonrpc":"2.0","id":${id}}`,
			() => pick(oddValues),
			() => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"workspace_info","arguments":{"deep":${deepText(depth())}}}}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"read_file","arguments":${pick(['{"path":1}', '{"path":"../x"}', '[]', 'null', `{"path":"${'p'.repeat(100_000)}"}`])}}}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":${pick(['1', 'null', `"${'n'.repeat(100_000)}"`, '"no_such_tool"'])}}}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"ping","params":{"deep":${deepText(depth())}}}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"resources/read","params":{"uri":${pick(['1', '"workspace-file://app/a.txt"', '"workspace-file://app/%ff"', `"${'u'.repeat(100_000)}"`])}}}`,
			() => `{"jsonrpc":"2.0","id":${id},"method":"completion/complete","params":{"ref":{"type":"ref/resource","uri":${pick(['"x"', '1'])}},"argument":{"name":"path","value":${pick(['"a"', 'null'])}}}}`,
			() => `{"jsonrpc":"2.0","id":${int(50)},"result":${pick(['{}', `{"deep":${deepText(depth())}}`, '[]', 'null'])}}`,
			() => `{"jsonrpc":"2.0","id":${pick(['1', '"x"', 'null'])},"error":{"code":${pick(['1', '1.5', '"x"'])},"message":"m","data":${deepText(depth())}}}`,
			() => `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":${int(nextId + 1)}}}`,
			() => `{"jsonrpc":"2.0","method":"notifications/progress","params":${pick(oddValues)}}`,
			() => `{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		])();
	};

	return (): Case => {
		const withSession = random() > 0.03;
		const accept = pick(['application/json, text/event-stream', 'application/json, text/event-stream', 'text/event-stream', 'application/json']);
		const roll = random();
		if (roll < 0.03) return { body: pick(['', '[]', '{', '[1,', 'null', `${'['.repeat(100_000)}`]), withSession, accept };
		if (roll < 0.5) return { body: random() < 0.5 ? goodRequest() : badMessage(), withSession, accept };
		const size = 1 + int(8);
		const parts = Array.from({ length: size }, () => (random() < 0.4 ? goodRequest() : badMessage()));
		// Now and then the same id twice in one batch.
		if (random() < 0.1) parts.push(parts[0]);
		return { body: `[${parts.join(',')}]`, withSession, accept };
	};
}

/** The ids of the tools/call requests in a body, as the server will parse it (JSON.parse handles any depth). */
function toolCallIds(body: string): Set<unknown> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return new Set();
	}
	const messages = Array.isArray(parsed) ? parsed : [parsed];
	return new Set(messages.filter((m) => typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'tools/call').map((m) => (m as { id?: unknown }).id));
}

describe('security: transport fuzz', () => {
	let wb: TestWorkbench;
	let session: RawSession;
	before(async () => {
		wb = await startWorkbench({ tools: [readFileTool] });
		await writeFile(join(wb.folders[0].path, 'a.txt'), 'fuzz\n');
		session = await openRawSession(wb);
	});
	after(() => wb.close());

	test(`${CASES} generated POSTs (seed ${SEED}): each answered in time, none 5xx, every gated call audited`, { timeout: 120_000 }, async () => {
		const next = generator(prng(SEED));
		const cases = Array.from({ length: CASES }, next);
		const recordsBefore = wb.records.filter((r) => r.tool !== 'resources/read').length;
		let gated = 0;
		let answered = 0;
		const post = async (index: number): Promise<void> => {
			const { body, withSession, accept } = cases[index];
			const what = `case ${index} of seed ${SEED}: ${body.slice(0, 300)}`;
			let response: RawResponse;
			try {
				response = await within(rawRequest({ url: wb.url }, { headers: { ...mcpHeaders(wb.secret, withSession ? { 'mcp-session-id': session.id } : {}), accept }, body }), ANSWER_WITHIN_MS, what);
			} catch (error) {
				throw new Error(`${error instanceof Error ? error.message : String(error)} (${what})`);
			}
			answered++;
			assert.ok(response.status < 500, `${response.status} ${response.body.slice(0, 300)} (${what})`);
			if (response.status !== 200) return;
			let answers: unknown;
			try {
				answers = parseAnswer(response);
			} catch {
				assert.fail(`unparseable answer ${response.body.slice(0, 300)} (${what})`);
			}
			// A tools/call that reached the gate is answered with a result (isError for refusals), or -32603 when it failed
			// inside; transport refusals (-32600, -32602, busy) never reach it.
			const ids = toolCallIds(body);
			for (const answer of [answers ?? []].flat() as { id?: unknown; result?: unknown; error?: { code: number } }[]) {
				if (!ids.has(answer.id)) continue;
				if (answer.result !== undefined || answer.error?.code === -32603) gated++;
			}
		};
		let cursor = 0;
		await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
			while (cursor < cases.length) await post(cursor++);
		}));
		assert.equal(answered, CASES);
		assert.ok(gated > CASES / 20, `enough calls reached the gate to mean something (${gated})`);
		// Records are announced once written, a moment after the answer.
		await waitUntil(() => wb.records.filter((r) => r.tool !== 'resources/read').length - recordsBefore >= gated, 5000, `${gated} audit records`);
		const verified = await wb.audit.verify();
		assert.equal(verified.ok, true, JSON.stringify(verified));
	});

	test('afterwards a normal client and a new raw session work', async () => {
		const client = await wb.connect();
		const result = await client.callTool({ name: 'read_file', arguments: { path: 'a.txt' } });
		assert.equal(result.isError, undefined, JSON.stringify(result));
		const init = await rawRequest({ url: wb.url }, { headers: mcpHeaders(wb.secret), body: initializeBody });
		assert.equal(init.status, 200, init.body);
		const ping = await session.request('ping', undefined);
		assert.deepEqual(ping.result, {});
	});
});
