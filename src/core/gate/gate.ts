import { z } from 'zod';
import type { AuditSink, Outcome } from '../audit/auditRecord';
import { errorMessage, ToolError } from '../base/errors';
import { capText, shorten, utf8Length } from '../base/text';
import type { Logger } from '../base/log';
import type { Host } from '../host/host';
import { scopedTerminal } from '../host/terminalHost';
import type { CommandAnalysis } from '../shell/commandPolicy';
import { scopedAudit, type AuditHost, type MetricsHost } from '../host/auditHost';
import type { BuiltPrompt, PromptReads } from '../prompts/promptSpec';
import type { ResourceContents } from '../tools/resourceSpec';
import type { OfferContext, ToolRegistry } from '../tools/toolRegistry';
import type { Prepared } from '../tools/toolSpec';
import type { ApprovalBroker, CommandPart } from './approvals';
import { measureArguments, summarizeArguments } from './argumentShape';
import { PROMPT_GET, promptOperation, RESOURCE_READ, resourceOperation, toolOperation, type Operation } from './operation';
import { decide, effectiveRisk, type CommandVerdict, type PolicyDecision, type PolicySettings } from './policy';
import { explainRule } from './ruleText';
import { subjectChange } from './subjectChange';
import { fitResult, measureResult, resultBytes, type ResultLink } from './resultBudget';
import { DEFAULT_RESULT_STORE_BYTES, ResultStore, resultUri } from './resultStore';
import { Withdrawn, withdrawalOf, withdrawnMessage } from './withdrawal';
import { ECHO_CHARS, Trail, type Caller, type Finished, type Redact } from './trail';

/** Who is calling, and how to reach them while the call runs. */
export interface CallOrigin extends Caller {
	/**
	 * Aborted when the client sends notifications/cancelled, its session ends or the server stops; the reason is a
	 * Withdrawn that says which.
	 */
	readonly signal: AbortSignal;
	/**
	 * Aborted when nobody can receive the answer any more (the client's connection closed). A call already running
	 * finishes (a dropped connection is not a cancellation), but one still waiting for approval is withdrawn.
	 */
	readonly detached?: AbortSignal;
	/** Sends a progress notification; present only when the client asked for progress. */
	readonly sendProgress?: (progress: number, total?: number, message?: string) => void;
}

export interface CallRequest extends CallOrigin {
	readonly tool: string;
	readonly arguments: unknown;
	/** Made while building a prompt: nobody can be asked, so a call the policy would ask about is refused. */
	readonly unattended?: boolean;
}

export interface PromptRequest extends CallOrigin {
	readonly name: string;
	readonly arguments?: unknown;
}

/** A prompts/get answer: the messages, or why there are none (the client receives it as a JSON-RPC error). */
export type PromptAnswer =
	| { readonly ok: true; readonly prompt: BuiltPrompt }
	| { readonly ok: false; readonly outcome: Outcome; readonly message: string };

export interface ReadRequest extends CallOrigin {
	readonly uri: string;
}

export interface GateResult {
	readonly text: string;
	readonly structured?: unknown;
	readonly isError: boolean;
	/** Where the whole result is, when the answer was cut to the result budget (sent as resource_link content). */
	readonly link?: ResultLink & { readonly name: string };
}

/** A resource read's answer: the contents, or why there are none (the client receives it as a JSON-RPC error). */
export type ReadResult =
	| { readonly ok: true; readonly contents: readonly ResourceContents[] }
	| { readonly ok: false; readonly outcome: Outcome; readonly message: string };

export interface GateSettings extends OfferContext {
	readonly policy: PolicySettings;
	readonly callTimeoutMs: number;
	/** Most a tool's whole result may hold (commands stop capturing past it). */
	readonly maxOutputBytes: number;
	/** Most one answer puts in front of the client; the rest stays readable as a paged result resource. */
	readonly resultBudgetBytes: number;
}

export interface GateDeps {
	readonly registry: ToolRegistry;
	readonly host: Host;
	readonly approvals: ApprovalBroker;
	readonly audit: AuditSink;
	readonly settings: () => GateSettings;
	readonly rateLimit: { check(tool: string, sessionId: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } };
	readonly metrics: { record(tool: string, outcome: Outcome, durationMs: number): void };
	readonly redact: Redact;
	/** The terminal family's parser: the one parse of a command line, for the policy and for where it runs. */
	readonly analyzeCommand?: (line: string, cwd: string) => Promise<CommandAnalysis>;
	/** The parse's verdict for the policy: allow / ask / deny and the rule that decided. */
	readonly commandVerdict?: (analysis: CommandAnalysis) => CommandVerdict;
	readonly log: Logger;
	readonly now?: () => number;
	/** The audit as resources and prompts read it; each caller sees only its own records (see scopedAudit). */
	readonly auditHost?: AuditHost;
	readonly metricsHost?: MetricsHost;
	/** Where cut results are kept for their session; a store of DEFAULT_RESULT_STORE_BYTES when absent. */
	readonly results?: ResultStore;
}

/** Longest value a prompt argument takes unless its spec says otherwise. */
const PROMPT_ARGUMENT_CHARS = 4096;

/** What a card says about why it asks: the rule, as a sentence, the sub-commands that ask, the redacted preview. */
interface CardWhy {
	readonly rule: string;
	readonly why: string;
	readonly commandParts?: readonly CommandPart[];
	readonly redactedDiff?: string;
}

/** Long calls report progress at least this often, so clients that reset their timeout on progress keep waiting. */
const HEARTBEAT_MS = 5_000;
/** A call still running after this long tells a client that asked for progress that it runs. */
const FIRST_BEAT_MS = 1_000;

/**
 * The one path every tool call and resource read takes: validation → preparation → policy → rate limit → approval →
 * re-check → run → redaction → audit → metrics. Handlers receive parsed, frozen arguments and what their
 * preparation resolved (the frozen subject and plan) only from here, so nothing skips a step, and every outcome,
 * refusals included, leaves exactly one audit record.
 */
export class Gate {
	private readonly now: () => number;
	/** Whole results whose answers were cut to the budget, each readable by its own session only. */
	readonly results: ResultStore;

	constructor(private readonly deps: GateDeps) {
		this.now = deps.now ?? Date.now;
		this.results = deps.results ?? new ResultStore(
			() => DEFAULT_RESULT_STORE_BYTES,
			() => resultPageBytes(this.deps.settings().resultBudgetBytes),
			() => `r${(++resultCounter).toString(36)}-${globalThis.crypto.randomUUID()}`,
		);
	}

	async call(asSent: CallRequest): Promise<GateResult> {
		const request: CallRequest = asSent.sendProgress ? { ...asSent, sendProgress: increasing(asSent.sendProgress) } : asSent;
		const trail = new Trail(request, request.tool, request.arguments, this.now(), this.deps.redact);
		const finished = await this.callTool(request, trail).catch((error: unknown) => this.failed(trail, error));
		const text = this.deps.redact.text(finished.text);
		const structured = finished.structured === undefined ? undefined : this.deps.redact.value(finished.structured);
		const answer = this.withinBudget(request, trail, { text, ...(structured === undefined ? {} : { structured }), isError: finished.isError });
		await this.record(trail, request, resultBytes(answer.text, answer.structured));
		return answer;
	}

	/** A session ended: the results kept for it go. */
	endSession(sessionId: string): void {
		this.results.dropSession(sessionId);
	}

	/**
	 * The answer as the client receives it: under the result budget. A larger one keeps the head and tail of its text
	 * (and of its structured content's strings and arrays) around a marker that names the whole result, kept for the
	 * session as a resource read in pages. Everything here is redacted already, the kept whole included.
	 */
	private withinBudget(origin: CallOrigin, trail: Trail, answer: GateResult): GateResult {
		const budget = this.deps.settings().resultBudgetBytes;
		const size = measureResult(answer.text, answer.structured);
		const full = size.textBytes + size.structuredBytes;
		if (full <= budget) return answer;
		trail.truncated = true;
		trail.fullBytes = full;
		const stored = this.results.put(origin.sessionId, trail.name, answer.text);
		if (!stored) {
			// Larger than the whole store: cut like any answer, with nothing to link to.
			const fitted = fitResult(answer.text, answer.structured, budget, { uri: '(not kept: larger than the result store; narrow the request)', pages: 0, bytes: utf8Length(answer.text) }, size);
			return { text: fitted.text, ...(fitted.structured === undefined ? {} : { structured: fitted.structured }), isError: answer.isError };
		}
		const uri = resultUri(stored.id);
		const link: ResultLink = { uri, pages: this.results.pagesOf(stored), bytes: stored.bytes };
		const fitted = fitResult(answer.text, answer.structured, budget, link, size);
		return {
			text: fitted.text,
			...(fitted.structured === undefined ? {} : { structured: fitted.structured }),
			isError: answer.isError,
			link: { ...link, name: `${trail.name} result` },
		};
	}

	async read(request: ReadRequest): Promise<ReadResult> {
		const trail = new Trail(request, RESOURCE_READ, { uri: request.uri }, this.now(), this.deps.redact);
		let finished = await this.readResource(request, trail).catch((error: unknown) => this.failed(trail, error));
		// Base64 bytes cannot be redacted in place; bytes that hold what the redactor would remove do not go out at all.
		const secret = finished.contents?.find((item) => 'blob' in item && this.holdsSecret(item.blob));
		if (secret) {
			trail.decide('deny', 'redaction:binary');
			finished = trail.finish('denied', `${shorten(secret.uri, ECHO_CHARS)} is binary and holds what looks like a secret; binary contents cannot be redacted, so they are not returned.`);
		}
		let answer: ReadResult;
		let bytes: number;
		if (finished.isError || !finished.contents) {
			const message = this.deps.redact.text(finished.text);
			answer = { ok: false, outcome: trail.outcome, message };
			bytes = utf8Length(message);
		} else {
			// Text is redacted like any tool output; base64 bytes are not text and pass as they are.
			const contents = finished.contents.map((item) => ('text' in item ? { ...item, text: this.deps.redact.text(item.text) } : item));
			answer = { ok: true, contents };
			bytes = contents.reduce((sum, item) => sum + utf8Length('text' in item ? item.text : item.blob), 0);
		}
		await this.record(trail, request, bytes);
		return answer;
	}

	/** Whether base64 bytes hold text the redactor removes: read one character per byte, and again without NUL bytes (UTF-16). */
	private holdsSecret(blob: string): boolean {
		let bytes: string;
		try {
			bytes = atob(blob);
		} catch {
			return true;
		}
		for (const view of [bytes, bytes.replace(/\0/g, '')]) {
			if (this.deps.redact.text(view) !== view) return true;
		}
		return false;
	}

	private async callTool(request: CallRequest, trail: Trail): Promise<Finished> {
		const settings = this.deps.settings();
		const spec = this.deps.registry.get(request.tool);
		if (!spec) {
			if (measureArguments(request.arguments).problem) trail.arguments = summarizeArguments(request.arguments);
			return trail.finish('invalid', `Unknown tool "${shorten(request.tool, ECHO_CHARS)}". Call tools/list for the tools this server offers.`);
		}
		trail.family = spec.family;
		if (spec.contributor) trail.extension = spec.contributor.id;
		// Measured before anything walks them: validation, redaction and the audit all recurse into the arguments.
		const shape = measureArguments(request.arguments);
		if (shape.problem) {
			trail.arguments = summarizeArguments(request.arguments);
			return trail.finish('invalid', `Invalid arguments for ${spec.name}: ${shape.problem}. No tool takes arguments like these; send the values themselves.`);
		}
		if (!this.deps.registry.isOffered(spec, settings)) {
			trail.decide('deny', !settings.trusted ? 'trust' : spec.contributor ? 'setting:disabledExtensions' : 'setting:families');
			const why = !settings.trusted
				? 'this workspace is not trusted, so only read-only tools are offered; the user can trust the workspace to enable it'
				: spec.contributor
					? `the tools of the extension ${spec.contributor.id} are switched off in the settings (mcpWorkbench.tools.disabledExtensions)`
					: `its family "${spec.family}" is switched off in the settings (mcpWorkbench.tools.families)`;
			return trail.finish('denied', `Tool "${spec.name}" is not available: ${why}.`);
		}

		// 1. Validation: the handler only ever sees what the schema accepted, frozen so nothing can change it later.
		const parsed = spec.input.safeParse(this.deps.registry.argumentsFor(spec, request.arguments ?? {}));
		if (!parsed.success) {
			return trail.finish('invalid', `Invalid arguments for ${spec.name}:\n${z.prettifyError(parsed.error)}\nFix the arguments and call again.`);
		}
		const input = deepFreeze(parsed.data);
		trail.arguments = input;
		const host = this.hostFor(request);
		return this.pass(toolOperation(spec, input, host, request.unattended), host, request, settings, trail, input);
	}

	private async readResource(request: ReadRequest, trail: Trail): Promise<Finished> {
		const settings = this.deps.settings();
		const found = this.deps.registry.resourceFor(request.uri);
		if (!found) return trail.finish('invalid', `No resource template matches "${shorten(request.uri, ECHO_CHARS)}". Call resources/templates/list for the URIs this server reads.`);
		const { spec, variables } = found;
		trail.family = spec.family;
		if (!this.deps.registry.resources(settings).includes(spec)) {
			trail.decide('deny', 'setting:families');
			return trail.finish('denied', `Resources of the "${spec.family}" family are not offered now: the family is switched off in the settings (mcpWorkbench.tools.families).`);
		}
		const host = this.hostFor(request);
		return this.pass(resourceOperation(spec, request.uri, variables, host), host, request, settings, trail, { uri: request.uri });
	}

	/**
	 * The host as this caller sees it: background commands are the session's own (see scopedTerminal), audit records
	 * the client's own (see scopedAudit). Completion and resource watches use it too.
	 */
	hostFor(origin: Caller): Host {
		const { auditHost, metricsHost } = this.deps;
		return {
			...this.deps.host,
			terminal: scopedTerminal(this.deps.host.terminal, origin.sessionId),
			...(auditHost ? { audit: scopedAudit(auditHost, { sessionId: origin.sessionId, clientName: origin.client.name }) } : {}),
			...(metricsHost ? { metrics: metricsHost } : {}),
			results: this.results.scoped(origin.sessionId),
		};
	}

	async prompt(request: PromptRequest): Promise<PromptAnswer> {
		const trail = new Trail(request, PROMPT_GET, { name: request.name, arguments: request.arguments }, this.now(), this.deps.redact);
		const finished = await this.getPrompt(request, trail).catch((error: unknown) => this.failed(trail, error));
		let answer: PromptAnswer;
		let bytes: number;
		if (finished.isError || finished.structured === undefined) {
			const message = this.deps.redact.text(finished.text);
			answer = { ok: false, outcome: trail.outcome, message };
			bytes = utf8Length(message);
		} else {
			// Every string of every message, as any tool result: what the reads returned was redacted already, the
			// prompt's own words around them (an error text the client sent) are redacted here.
			const prompt = this.deps.redact.value(finished.structured) as BuiltPrompt;
			answer = { ok: true, prompt };
			bytes = utf8Length(JSON.stringify(prompt));
		}
		await this.record(trail, request, bytes);
		return answer;
	}

	private async getPrompt(request: PromptRequest, trail: Trail): Promise<Finished> {
		const settings = this.deps.settings();
		const spec = this.deps.registry.prompt(request.name);
		if (!spec) return trail.finish('invalid', `Unknown prompt "${shorten(request.name, ECHO_CHARS)}". Call prompts/list for the prompts this server offers.`);
		trail.family = spec.family;
		if (!this.deps.registry.prompts(settings).includes(spec)) {
			trail.decide('deny', 'setting:families');
			return trail.finish('denied', `Prompt "${spec.name}" is not offered now: its family "${spec.family}" is switched off in the settings (mcpWorkbench.tools.families).`);
		}
		const shape = measureArguments(request.arguments);
		if (shape.problem) {
			trail.arguments = summarizeArguments(request.arguments);
			return trail.finish('invalid', `Invalid arguments for prompt ${spec.name}: ${shape.problem}.`);
		}
		const given = request.arguments ?? {};
		if (typeof given !== 'object' || given === null || Array.isArray(given)) return trail.finish('invalid', `Invalid arguments for prompt ${spec.name}: send an object of named string arguments.`);
		const args: Record<string, string> = {};
		const known = spec.arguments.map((argument) => argument.name);
		for (const [name, value] of Object.entries(given)) {
			if (!known.includes(name)) return trail.finish('invalid', `Prompt ${spec.name} has no argument "${shorten(name, ECHO_CHARS)}"; it takes: ${known.join(', ') || 'none'}.`);
			if (typeof value !== 'string') return trail.finish('invalid', `Argument "${name}" of prompt ${spec.name} must be a string.`);
		}
		for (const argument of spec.arguments) {
			const value = (given as Record<string, unknown>)[argument.name] as string | undefined;
			if (value === undefined || value === '') {
				if (argument.required) return trail.finish('invalid', `Prompt ${spec.name} needs the argument "${argument.name}": ${argument.description}`);
				continue;
			}
			const max = argument.maxLength ?? PROMPT_ARGUMENT_CHARS;
			if (value.length > max) return trail.finish('invalid', `Argument "${argument.name}" of prompt ${spec.name} is ${value.length} characters long; it takes at most ${max}.`);
			args[argument.name] = value;
		}
		const host = this.hostFor(request);
		// Each read is a call of its own through this gate, as this caller, and never asks anyone.
		const readsFor = (signal: AbortSignal): PromptReads => {
			const origin = { sessionId: request.sessionId, client: request.client, signal };
			return {
				tool: (tool, toolArguments) => this.call({ ...origin, tool, arguments: toolArguments, unattended: true }),
				resource: (uri) => this.read({ ...origin, uri }),
			};
		};
		return this.pass(promptOperation(spec, deepFreeze(args), readsFor), host, request, settings, trail, { name: spec.name, arguments: args });
	}

	/** Everything after validation, the same for tools and resources. */
	private async pass<P>(op: Operation<P>, host: Host, origin: CallOrigin, settings: GateSettings, trail: Trail, shownArguments: unknown): Promise<Finished> {
		// 2. Preparation: what the call touches and how the handler will do it, resolved once.
		let prepared: Prepared<P>;
		try {
			prepared = deepFreeze(await op.prepare());
		} catch (error) {
			if (error instanceof ToolError) return trail.finish('invalid', error.message);
			throw error;
		}
		const { subject } = prepared;
		trail.summary = subject.summary;
		if (subject.command) trail.cwd = subject.command.cwd;

		// 3. Policy, on the real arguments: for a command, on the gate's own parse of the line.
		const command = subject.command && this.deps.analyzeCommand ? await this.deps.analyzeCommand(subject.command.line, subject.command.cwd) : undefined;
		const verdict = command && this.deps.commandVerdict ? this.deps.commandVerdict(command) : undefined;
		const spec = { name: op.name, risk: op.risk, ...(op.contributor ? { contributor: op.contributor } : {}) };
		let decision: PolicyDecision = decide(spec, subject, settings.policy, this.deps.host.workspace.folders(), verdict);
		const explain = (rule: string, grantId?: string) => explainRule(rule, {
			rules: settings.policy.rules,
			...(grantId ? { grantLabel: this.deps.approvals.grants().find((grant) => grant.id === grantId)?.label } : {}),
		});
		if (decision.action === 'deny') {
			trail.decide('deny', decision.rule, undefined, explain(decision.rule));
			return trail.finish('denied', `Denied by policy (${decision.rule}). The user's settings do not allow this call; do not retry it unchanged.`);
		}

		// 4. Rate limit, before anyone is asked: a client over its limit must not be able to fill the panel with cards.
		const limit = this.deps.rateLimit.check(op.name, origin.sessionId, this.now());
		if (!limit.ok) {
			const seconds = Math.max(1, Math.ceil(limit.retryAfterMs / 1000));
			return trail.finish('rate_limited', `Rate limit reached for ${op.name}; nobody was asked. Retry after ${seconds} s.`);
		}

		// 5. Approval.
		let approvedByPerson = false;
		let grantId: string | undefined;
		if (decision.action === 'ask' && !decision.mustAsk) {
			const grant = this.deps.approvals.findGrant(op.name, subject, origin.sessionId);
			if (grant) {
				grantId = grant.id;
				decision = { action: 'allow', rule: `grant:${grant.id}`, mustAsk: false };
			}
		}
		if (decision.action === 'ask' && !op.canAsk) {
			trail.decide('deny', decision.rule, undefined, explain(decision.rule));
			return trail.finish('denied', `This needs the user's approval (${decision.rule}), which ${op.name === RESOURCE_READ ? 'a resource read' : 'this call'} cannot ask for: ${op.insteadOfAsking ?? 'nobody can be asked'}.`);
		}
		if (decision.action === 'ask') {
			const answer = await this.waitForApproval(op, spec, subject, shownArguments, origin, decision.mustAsk, {
				rule: decision.rule,
				why: explain(decision.rule),
				...(command ? { commandParts: command.subcommands.map((part) => ({ text: [part.program, ...part.args].join(' '), reasons: part.reasons })) } : {}),
				...redactedDiff(subject, this.deps.redact),
			});
			const askedBecause = explain(decision.rule);
			if (!answer.approved) {
				trail.decide('deny', answer.by, answer.reason, `${explain(answer.by)}. Asked because: ${askedBecause}`);
				return trail.finish(answer.by === 'user' ? 'denied' : answer.by === 'timeout' ? 'timeout' : 'cancelled', `Not run: ${notApprovedBecause(answer, origin)}`);
			}
			const granted = /^user:grant:(.+)$/.exec(answer.by)?.[1];
			trail.decide('approve', answer.by, undefined, `${explain(answer.by, granted)}. Asked because: ${askedBecause}`);
			// 6. Re-check: the approval covers what the card showed. Time passed while the person read it; what runs must
			// still be that (the file under an edit, a task's command line), else the approval does not apply.
			const again = await this.prepareAgain(op);
			const changed = typeof again === 'string' ? again : subjectChange(subject, again.subject);
			if (changed !== undefined) {
				trail.decide('deny', 'binding', changed, explain('binding'));
				return trail.finish('denied', `Not run: ${changed} after the user approved it, so the approval no longer applies. Nothing was changed. Call again to ask about the current state.`);
			}
			prepared = again as Prepared<P>;
			approvedByPerson = true;
		} else {
			trail.decide('allow', decision.rule, undefined, explain(decision.rule, grantId));
		}

		// 7. Run, with a timeout, the client's cancellation and progress.
		return this.execute(op, host, prepared, command, approvedByPerson, origin, settings, trail);
	}

	/**
	 * The card, open until someone decides, it times out, or the call is withdrawn (cancelled, its connection closed,
	 * its session ended, the server stopped). Meanwhile the client hears progress every few seconds, so one that resets
	 * its request timeout on progress (the MCP SDK's resetTimeoutOnProgress) waits as long as the card does.
	 */
	private async waitForApproval(op: Operation<unknown>, spec: { name: string; risk: Operation<unknown>['risk'] }, subject: Prepared<unknown>['subject'], shownArguments: unknown, origin: CallOrigin, mustAsk: boolean, why: CardWhy) {
		const withdrawn = origin.detached ? AbortSignal.any([origin.signal, origin.detached]) : origin.signal;
		const started = this.now();
		const timeoutMs = this.deps.approvals.waitLimitMs();
		let beats = 0;
		const beat = () => {
			// Below 1 and rising: whatever the tool reports once it runs (from 0 or 1 up) still rises after these.
			beats++;
			const left = `; ${Math.max(0, Math.round((timeoutMs - (this.now() - started)) / 1000))} s left`;
			origin.sendProgress?.(1 - 1 / (beats + 1), undefined, `Waiting for the user to approve ${op.name} in VS Code (MCP Workbench)${left}`);
		};
		const heartbeat = origin.sendProgress ? setInterval(beat, HEARTBEAT_MS) : undefined;
		if (origin.sendProgress) beat();
		try {
			return await this.deps.approvals.request(
				{
					tool: op.name,
					title: op.title,
					family: op.family,
					risk: effectiveRisk(spec, subject),
					summary: subject.summary ?? op.title,
					arguments: this.deps.redact.value(shownArguments),
					subject,
					client: origin.client.name,
					...(origin.client.says !== undefined ? { clientSays: origin.client.says } : {}),
					sessionId: origin.sessionId,
					grantable: !mustAsk,
					clientHearsProgress: origin.sendProgress !== undefined,
					...why,
				},
				withdrawn,
			);
		} finally {
			clearInterval(heartbeat);
		}
	}

	/** The preparation again, right before an approved call runs; a refusal now is a change too. */
	private async prepareAgain<P>(op: Operation<P>): Promise<Prepared<P> | string> {
		try {
			return deepFreeze(await op.prepare());
		} catch (error) {
			if (error instanceof ToolError) return `the call no longer applies (${error.message})`;
			throw error;
		}
	}

	private async execute<P>(op: Operation<P>, host: Host, prepared: Prepared<P>, command: CommandAnalysis | undefined, approvedByPerson: boolean, origin: CallOrigin, settings: GateSettings, trail: Trail): Promise<Finished> {
		const timeoutMs = op.timeoutMs ?? settings.callTimeoutMs;
		if (origin.signal.aborted) return trail.finish('cancelled', `${op.name} was cancelled before it ran.`);
		const controller = new AbortController();
		const onCancel = () => controller.abort(new CancelledError());
		origin.signal.addEventListener('abort', onCancel, { once: true });
		const timer = setTimeout(() => controller.abort(new TimeoutError(timeoutMs)), timeoutMs);
		let lastProgress = this.now();
		let step = 0;
		const runStarted = this.now();
		// A call that takes more than a moment says so within a second, then every few seconds while nothing else does.
		const beat = () => {
			if (this.now() - lastProgress < HEARTBEAT_MS && step > 0) return;
			lastProgress = this.now();
			origin.sendProgress?.(++step, undefined, `${op.name} running for ${Math.round((this.now() - runStarted) / 1000)} s`);
		};
		let heartbeat: ReturnType<typeof setInterval> | undefined;
		const firstBeat = origin.sendProgress
			? setTimeout(() => {
				beat();
				heartbeat = setInterval(beat, HEARTBEAT_MS);
			}, FIRST_BEAT_MS)
			: undefined;
		const aborted = new Promise<never>((_, reject) => {
			controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
		});
		try {
			const result = await Promise.race([
				op.run({
					host,
					signal: controller.signal,
					maxOutputBytes: settings.maxOutputBytes,
					plan: prepared.plan,
					subject: prepared.subject,
					...(command ? { command } : {}),
					approvedByPerson,
					progress: (progress, total, note) => {
						lastProgress = this.now();
						step = Math.max(step, progress);
						origin.sendProgress?.(progress, total, note);
					},
				}),
				aborted,
			]);
			if (result.truncated) trail.truncated = true;
			const exitCode = (result.structured as { exitCode?: unknown } | undefined)?.exitCode;
			if (typeof exitCode === 'number') trail.exitCode = exitCode;
			const capped = capText(result.text, settings.maxOutputBytes);
			if (capped.truncated) trail.truncated = true;
			if (result.isError) return trail.finish('error', capped.text);
			return trail.finish('ok', capped.text, result.structured, result.contents);
		} catch (error) {
			if (error instanceof TimeoutError) return trail.finish('timeout', `${op.name} timed out after ${timeoutMs} ms and was stopped. Narrow the request or raise the timeout.`);
			if (error instanceof CancelledError || controller.signal.reason instanceof CancelledError) {
				const withdrawn = withdrawalOf(origin.signal);
				trail.explain(withdrawn.detail);
				return trail.finish('cancelled', `${op.name} was stopped before it finished: ${stoppedBecause(withdrawn)}.`);
			}
			if (error instanceof ToolError) return trail.finish('error', error.message);
			this.deps.log.error('tool.failed', { tool: op.name, error: errorMessage(error) });
			return trail.finish('error', `${op.name} failed: ${errorMessage(error)}`);
		} finally {
			trail.runMs = this.now() - runStarted;
			clearTimeout(timer);
			clearTimeout(firstBeat);
			clearInterval(heartbeat);
			origin.signal.removeEventListener('abort', onCancel);
		}
	}

	/** An internal failure still ends as an answer and a record: never a crash, never a lost audit line. */
	private failed(trail: Trail, error: unknown): Finished {
		this.deps.log.error('gate.internal', { tool: trail.name, error: errorMessage(error) });
		return trail.finish('error', `Internal error in MCP Workbench: ${errorMessage(error)}. Try again; if it persists, report it.`);
	}

	private async record(trail: Trail, origin: CallOrigin, resultBytes: number): Promise<void> {
		const durationMs = this.now() - trail.started;
		const entry = trail.entry(durationMs, resultBytes);
		try {
			await this.deps.audit.append(entry);
		} catch (error) {
			// The call already happened; losing its record silently would be worse than saying so loudly.
			this.deps.log.error('audit.append_failed', { tool: entry.tool, error: errorMessage(error) });
		}
		// Latency is the tool's own: time spent waiting for the user would drown it.
		this.deps.metrics.record(entry.tool, entry.outcome, trail.runMs ?? durationMs);
		this.deps.log.info('tool.call', {
			tool: entry.tool,
			session: origin.sessionId,
			decision: entry.decision,
			by: entry.decidedBy,
			outcome: entry.outcome,
			ms: durationMs,
			bytes: entry.resultBytes,
		});
	}
}

let resultCounter = 0;

/** Why a call that waited for approval did not run, and what the agent should do. */
function notApprovedBecause(answer: { by: string; reason?: string }, origin: CallOrigin): string {
	if (answer.by === 'user') return `${answer.reason ? `the user denied it and said: ${answer.reason}` : 'the user denied it'}. Do not retry the same call unless the user asks you to.`;
	if (answer.by === 'timeout') {
		const hint = origin.sendProgress
			? ''
			: ' This client sent no progress token: a client that sends one hears progress while the card waits and can keep waiting (the MCP SDK: resetTimeoutOnProgress); without it, many clients give up after about 60 s.';
		return `nobody approved it in time (${answer.reason ?? 'the approval timed out'}); the card was closed. Ask the user to be at the editor, then retry the call.${hint}`;
	}
	const by = answer.by as Withdrawn['by'];
	return `${withdrawnMessage(new Withdrawn(by, answer.reason ?? by))}.`;
}

function stoppedBecause(withdrawn: Withdrawn): string {
	switch (withdrawn.by) {
		case 'cancelled':
			return 'the client cancelled it';
		case 'disconnected':
			return "the client's connection closed";
		case 'session_ended':
			return `the client's session ended (${withdrawn.detail}); send initialize to start a new session, then call again`;
		case 'server_stopped':
			return 'the user stopped the MCP Workbench server; call again once it runs';
	}
}

/** A progress sender whose values only rise, as the protocol requires, whoever reports: the gate's heartbeats or the tool. */
function increasing(send: NonNullable<CallOrigin['sendProgress']>): NonNullable<CallOrigin['sendProgress']> {
	let last = -Infinity;
	return (progress, total, message) => {
		const value = progress > last ? progress : last + 1e-6;
		last = value;
		send(value, total, message);
	};
}

/** A page of a kept result, with room for its footer: one page read stays under the budget too. */
export function resultPageBytes(budget: number): number {
	return Math.max(1024, budget - 1024);
}

class TimeoutError extends Error {
	constructor(readonly ms: number) {
		super(`timed out after ${ms} ms`);
	}
}

class CancelledError extends Error {
	constructor() {
		super('cancelled');
	}
}

/** The card's diff with what the audit redacts removed, when that changes it (a new `.env` shows no secrets). */
function redactedDiff(subject: Prepared<unknown>['subject'], redact: Redact): { redactedDiff?: string } {
	if (!subject.diff) return {};
	const redacted = redact.text(subject.diff.unified);
	return redacted === subject.diff.unified ? {} : { redactedDiff: redacted };
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const item of Object.values(value as Record<string, unknown>)) deepFreeze(item);
	}
	return value;
}
