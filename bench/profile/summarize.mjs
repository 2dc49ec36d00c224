// Summarises a V8 .cpuprofile: self time by function (top N) and by area (which part of the call path a frame's
// file belongs to), so a profile says where a small call's time goes without a viewer.
// Usage: node bench/profile/summarize.mjs <file.cpuprofile> [top=30]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map();
// timeDeltas[i] is the time from sample i-1 to sample i, charged to sample i's leaf node.
for (let i = 0; i < profile.samples.length; i++) {
	const id = profile.samples[i];
	selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

/** Which part of the call path a frame belongs to, by its script's path. */
function area(frame) {
	const url = frame.url ?? '';
	const name = frame.functionName;
	if (name === '(garbage collector)') return 'GC';
	if (name === '(idle)' || name === '(program)') return name;
	if (url === '') return 'native/builtin';
	const rules = [
		[/sdk\/dist\/.*\/client\//, 'SDK client'],
		[/sdk\/dist\/.*\/server\/streamableHttp/, 'SDK server transport'],
		[/sdk\/dist\/.*\/shared\/protocol/, 'SDK protocol'],
		[/sdk\/dist\/.*\/server\//, 'SDK server'],
		[/sdk\/dist\/.*types/, 'SDK types (zod schemas)'],
		[/node_modules\/zod\//, 'zod'],
		[/node_modules\/undici|internal\/deps\/undici/, 'undici (client fetch)'],
		[/node_modules\/tsx|esbuild/, 'tsx loader'],
		[/node_modules\/([^/]+)/, null],
		[/src\/node\/server\//, 'ours: HTTP server + session'],
		[/src\/core\/gate\//, 'ours: gate'],
		[/src\/node\/audit\/|src\/core\/audit\//, 'ours: audit'],
		[/src\/core\/paths\/|src\/node\/files\/pathJail/, 'ours: path jail'],
		[/src\/tools\//, 'ours: tool handlers'],
		[/src\//, null],
		[/^node:internal\/(http|_http|streams|net|stream)|node:(http|_http|net)/, 'node http/net/streams'],
		[/^node:internal\/fs|node:fs/, 'node fs'],
		[/^node:internal\/crypto|node:crypto/, 'node crypto'],
		[/^node:/, 'node other'],
	];
	for (const [re, label] of rules) {
		const m = url.match(re);
		if (m) return label ?? (m[1] ? `pkg ${m[1]}` : url.replace(/^.*\/src\//, 'ours: src/').replace(/\/[^/]*$/, ''));
	}
	return url;
}

const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const busy = [...selfUs.entries()].filter(([id]) => !['(idle)', '(program)'].includes(byId.get(id).callFrame.functionName)).reduce((a, [, us]) => a + us, 0);
const byFunction = new Map();
const byArea = new Map();
for (const [id, us] of selfUs) {
	const frame = byId.get(id).callFrame;
	const key = `${frame.functionName || '(anonymous)'}  ${(frame.url ?? '').replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/')}:${frame.lineNumber + 1}`;
	byFunction.set(key, (byFunction.get(key) ?? 0) + us);
	const a = area(frame);
	byArea.set(a, (byArea.get(a) ?? 0) + us);
}
const pct = (us, of) => `${((100 * us) / of).toFixed(1).padStart(5)}%`;
console.log(`total ${(total / 1000).toFixed(0)} ms sampled, ${(busy / 1000).toFixed(0)} ms on the CPU (not idle)\n`);
console.log('self time by area (share of CPU time):');
for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1])) {
	if (a === '(idle)') continue;
	console.log(`  ${pct(us, busy)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${a}`);
}
console.log(`\ntop ${top} functions by self time:`);
for (const [key, us] of [...byFunction].sort((x, y) => y[1] - x[1]).slice(0, top)) {
	console.log(`  ${pct(us, busy)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
}

// Native work (lstat, writev, Hmac) is charged above to itself; here each sample goes to the nearest frame of ours
// (or of a known library) on its stack, which says which step of the call path asked for it.
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const owners = [
	[/\/src\/([^:]+)/, (m, f) => `src/${m[1]} ${f.functionName || '(anonymous)'}`],
	[/sdk\/dist\/cjs\/(client|server|shared)\/([^/]+)$/, (m) => `SDK ${m[1]}/${m[2]}`],
	[/undici/, () => 'undici (client fetch)'],
	[/tsx|esbuild/, () => 'tsx loader (start-up)'],
	[/node_modules\/(zod|picomatch)\//, (m) => m[1]],
];
const inclusiveOwner = new Map();
for (let i = 0; i < profile.samples.length; i++) {
	let id = profile.samples[i];
	const leaf = byId.get(id).callFrame.functionName;
	if (leaf === '(idle)' || leaf === '(program)') continue;
	let owner = leaf === '(garbage collector)' ? 'GC' : 'node internals (no owner on stack)';
	while (id !== undefined) {
		const frame = byId.get(id).callFrame;
		const hit = owners.map(([re, label]) => [frame.url?.match(re), label]).find(([m]) => m);
		if (hit) {
			owner = hit[1](hit[0], frame);
			break;
		}
		id = parent.get(id);
	}
	inclusiveOwner.set(owner, (inclusiveOwner.get(owner) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
console.log(`\ntop ${top} nearest owners (self time of a frame plus the native/node work it called directly):`);
for (const [key, us] of [...inclusiveOwner].sort((x, y) => y[1] - x[1]).slice(0, top)) {
	console.log(`  ${pct(us, busy)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
}

// The same owners grouped into the steps of a call, the breakdown issue 16 asks for.
const steps = [
	[/^tsx loader/, 'start-up (tsx compiling the sources; not per call)'],
	[/^src\/node\/server\/(sessionTransport|mcpHttpServer|session|clientTokens|messageCheck|workbenchServer)/, 'transport + session (HTTP parse/write, bearer check, JSON-RPC routing)'],
	[/^SDK /, 'SDK (lists, initialize)'],
	[/^src\/core\/gate\/(redaction)/, 'gate: redaction'],
	[/^src\/core\/gate\/(policy|approvals|rateLimit|operation|argumentShape|subjectChange)|^src\/core\/paths\/sensitivePaths|^picomatch/, 'gate: policy (sensitive paths, rules, rate limit)'],
	[/^src\/core\/gate\/(metrics)/, 'gate: metrics'],
	[/^src\/core\/gate\//, 'gate: steps and trail'],
	[/^zod/, 'zod (argument parse)'],
	[/^src\/node\/audit\/|^src\/core\/audit\/|^src\/core\/base\/canonicalJson/, 'audit: canonical JSON, HMAC chain, append'],
	[/^src\/node\/files\/pathJail|^src\/core\/paths\//, 'path jail (realpath)'],
	[/^src\/tools\/|^src\/node\/files\/|^src\/node\/git|^src\/node\/terminal|^src\/core\/host/, 'tool handler (fs calls, hashing)'],
	[/^GC$/, 'GC'],
];
const byStep = new Map();
for (const [owner, us] of inclusiveOwner) {
	const step = steps.find(([re]) => re.test(owner))?.[1] ?? 'other (node internals, timers, sockets with no owner on the stack)';
	byStep.set(step, (byStep.get(step) ?? 0) + us);
}
const startup = byStep.get(steps[0][1]) ?? 0;
console.log('\nby step of the call path (share of CPU time after start-up):');
for (const [step, us] of [...byStep].sort((x, y) => y[1] - x[1])) {
	if (step === steps[0][1]) continue;
	console.log(`  ${pct(us, busy - startup)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${step}`);
}
