import { z } from 'zod';
import type { ApprovalBroker } from './approvals';
import type { AuditEntry, AuditSink, Decision, Outcome } from '../audit/auditRecord';
import type { Host } from '../host/host';
import type { Logger } from '../base/log';
import { decide, effectiveRisk, type CommandVerdict, type PolicyDecision, type PolicySettings } from './policy';
import type { OfferContext, ToolRegistry } from '../tools/toolRegistry';
import { ToolError, type AnyToolSpec, type CallSubject, type ToolResult } from '../tools/toolSpec';

export interface CallRequest {
	readonly tool: string;
	readonly arguments: unknown;
	readonly sessionId: string;
	readonly client: { readonly name: string; readonly version: string };
	/** Aborted when the client sends notifications/cancelled or the session ends. */
	readonly signal: AbortSignal;
	/** Sends a progress notification; present only when the client asked for progress. */
	readonly sendProgress?: (progress: number, total?: number, message?: string) => void;
}

export interface GateResult {
	readonly text: string;
	readonly structured?: unknown;
	readonly isError: boolean;
}

export interface GateSettings extends OfferContext {
	readonly policy: PolicySettings;
	readonly callTimeoutMs: number;
	readonly maxOutputBytes: number;
}

export interface GateDeps {
	readonly registry: ToolRegistry;
	readonly host: Host;
	readonly approvals: ApprovalBroker;
	readonly audit: AuditSink;
	readonly settings: () => GateSettings;
	readonly rateLimit: { check(tool: string, sessionId: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } };
	readonly metrics: { record(tool: string, outcome: Outcome, durationMs: number): void };
	readonly redact: { value(value: unknown): unknown; text(text: string): string };
	/** A collision-resistant hash (sha256 in Node); core does no crypto itself. */
	readonly hash: (text: string) => string;
	/** The terminal family's parser: allow / ask / deny for a command line. */
	readonly analyzeCommand?: (line: string, cwd: string) => Promise<CommandVerdict>;
	readonly log: Logger;
	readonly now?: () => number;
}

/** Long calls report progress at least this often, so clients that reset their timeout on progress keep waiting. */
const HEARTBEAT_MS = 5_000;

/**
 * The one path every tool call takes: validation → policy → approval → rate limit → run → redaction → audit →
 * metrics. Handlers receive parsed, frozen arguments and a context only from here, so no tool and no argument skips
 * a step, and every outcome, refusals included, leaves exactly one audit record.
 */
export class Gate {
	private readonly now: () => number;

	constructor(private readonly deps: GateDeps) {
		this.now = deps.now ?? Date.now;
	}

	async call(request: CallRequest): Promise<GateResult> {
		const started = this.now();
		const trail = new Trail(request, started, this.deps.redact);
		const result = await this.run(request, trail).catch((error: unknown) => {
			this.deps.log.error('gate.internal', { tool: request.tool, error: message(error) });
			return trail.finish('error', `Internal error in MCP Workbench: ${message(error)}. Try again; if it persists, report it.`);
		});
		const text = this.deps.redact.text(result.text);
		const structured = result.structured === undefined ? undefined : this.deps.redact.value(result.structured);
		const durationMs = this.now() - started;
		const entry = trail.entry(durationMs, utf8Length(text));
		try {
			await this.deps.audit.append(entry);
		} catch (error) {
			// The call already happened; losing its record silently would be worse than saying so loudly.
			this.deps.log.error('audit.append_failed', { tool: request.tool, error: message(error) });
		}
		// Latency is the tool's own: time spent waiting for the user would drown it.
		this.deps.metrics.record(entry.tool, entry.outcome, trail.runMs ?? durationMs);
		this.deps.log.info('tool.call', {
			tool: entry.tool,
			session: request.sessionId,
			decision: entry.decision,
			by: entry.decidedBy,
			outcome: entry.outcome,
			ms: durationMs,
			bytes: entry.resultBytes,
		});
		return { text, ...(structured === undefined ? {} : { structured }), isError: result.isError };
	}

	private async run(request: CallRequest, trail: Trail): Promise<GateResult> {
		const settings = this.deps.settings();
		const spec = this.deps.registry.get(request.tool);
		if (!spec) return trail.finish('invalid', `Unknown tool "${request.tool}". Call tools/list for the tools this server offers.`);
		trail.spec = spec;
		if (!this.deps.registry.isOffered(spec, settings)) {
			trail.decide('deny', settings.trusted ? 'setting:families' : 'trust');
			const why = settings.trusted
				? `its family "${spec.family}" is switched off in the settings (mcpWorkbench.tools.families)`
				: 'this workspace is not trusted, so only read-only tools are offered; the user can trust the workspace to enable it';
			return trail.finish('denied', `Tool "${spec.name}" is not available: ${why}.`);
		}

		// 1. Validation: the handler only ever sees what the schema accepted, frozen so nothing can change it later.
		const parsed = spec.input.safeParse(request.arguments ?? {});
		if (!parsed.success) {
			return trail.finish('invalid', `Invalid arguments for ${spec.name}:\n${z.prettifyError(parsed.error)}\nFix the arguments and call again.`);
		}
		const input = deepFreeze(parsed.data);
		trail.arguments = input;

		let subject: CallSubject;
		try {
			subject = deepFreeze((await spec.describe?.(input, this.deps.host)) ?? {});
		} catch (error) {
			if (error instanceof ToolError) return trail.finish('invalid', error.message);
			throw error;
		}
		trail.summary = subject.summary;

		// 2. Policy.
		const verdict = subject.command && this.deps.analyzeCommand ? await this.deps.analyzeCommand(subject.command.line, subject.command.cwd) : undefined;
		let decision: PolicyDecision = decide(spec, subject, settings.policy, this.deps.host.workspace.folders(), verdict);
		if (decision.action === 'deny') {
			trail.decide('deny', decision.rule);
			return trail.finish('denied', `Denied by policy (${decision.rule}). The user's settings do not allow this call; do not retry it unchanged.`);
		}

		// 3. Approval.
		if (decision.action === 'ask' && !decision.mustAsk) {
			const grant = this.deps.approvals.findGrant(spec.name, subject);
			if (grant) decision = { action: 'allow', rule: `grant:${grant.id}`, mustAsk: false };
		}
		if (decision.action === 'ask') {
			const argsHash = this.deps.hash(canonicalJson({ tool: spec.name, input }));
			const answer = await this.deps.approvals.request(
				{
					tool: spec.name,
					title: spec.title,
					family: spec.family,
					risk: effectiveRisk(spec, subject),
					summary: subject.summary ?? spec.title,
					arguments: this.deps.redact.value(input),
					subject,
					client: request.client.name,
					sessionId: request.sessionId,
					argsHash,
					grantable: !decision.mustAsk,
				},
				request.signal,
			);
			if (!answer.approved) {
				trail.decide('deny', answer.by, answer.reason);
				const outcome: Outcome = answer.by === 'cancelled' ? 'cancelled' : 'denied';
				const because = answer.by === 'timeout' ? `nobody approved it in time (${answer.reason})` : answer.reason ? `the user said: ${answer.reason}` : 'the user denied it';
				return trail.finish(outcome, `Not run: ${because}. Do not retry the same call unless the user asks you to.`);
			}
			// The decision is bound to the exact arguments; recheck right before running.
			if (answer.argsHash !== this.deps.hash(canonicalJson({ tool: spec.name, input }))) {
				trail.decide('deny', 'binding');
				return trail.finish('denied', 'Not run: the arguments changed after approval. Call again to ask for a new approval.');
			}
			trail.decide('approve', answer.by);
		} else {
			trail.decide('allow', decision.rule);
		}

		// 4. Rate limit.
		const limit = this.deps.rateLimit.check(spec.name, request.sessionId, this.now());
		if (!limit.ok) {
			const seconds = Math.max(1, Math.ceil(limit.retryAfterMs / 1000));
			return trail.finish('rate_limited', `Rate limit reached for ${spec.name}. Retry after ${seconds} s.`);
		}

		// 5. Run, with a timeout, the client's cancellation and progress.
		return this.execute(spec, input, request, settings, trail);
	}

	private async execute(spec: AnyToolSpec, input: unknown, request: CallRequest, settings: GateSettings, trail: Trail): Promise<GateResult> {
		const timeoutMs = spec.timeoutMs ?? settings.callTimeoutMs;
		if (request.signal.aborted) return trail.finish('cancelled', `${spec.name} was cancelled before it ran.`);
		const controller = new AbortController();
		const onCancel = () => controller.abort(new CancelledError());
		request.signal.addEventListener('abort', onCancel, { once: true });
		const timer = setTimeout(() => controller.abort(new TimeoutError(timeoutMs)), timeoutMs);
		let lastProgress = this.now();
		let step = 0;
		const heartbeat = request.sendProgress
			? setInterval(() => {
				if (this.now() - lastProgress >= HEARTBEAT_MS) request.sendProgress?.(++step, undefined, `${spec.name} still running`);
			}, HEARTBEAT_MS)
			: undefined;
		const runStarted = this.now();
		const aborted = new Promise<never>((_, reject) => {
			controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
		});
		try {
			const result: ToolResult = await Promise.race([
				spec.handler(input, {
					host: this.deps.host,
					signal: controller.signal,
					maxOutputBytes: settings.maxOutputBytes,
					progress: (progress, total, note) => {
						lastProgress = this.now();
						step = Math.max(step, progress);
						request.sendProgress?.(progress, total, note);
					},
				}),
				aborted,
			]);
			if (result.truncated) trail.truncated = true;
			const capped = capText(result.text, settings.maxOutputBytes);
			if (capped.truncated) trail.truncated = true;
			if (result.isError) return trail.finish('error', capped.text);
			return trail.finish('ok', capped.text, result.structured);
		} catch (error) {
			if (error instanceof TimeoutError) return trail.finish('timeout', `${spec.name} timed out after ${timeoutMs} ms and was stopped. Narrow the request or raise the timeout.`);
			if (error instanceof CancelledError || controller.signal.reason instanceof CancelledError) return trail.finish('cancelled', `${spec.name} was cancelled.`);
			if (error instanceof ToolError) return trail.finish('error', error.message);
			this.deps.log.error('tool.failed', { tool: spec.name, error: message(error) });
			return trail.finish('error', `${spec.name} failed: ${message(error)}`);
		} finally {
			trail.runMs = this.now() - runStarted;
			clearTimeout(timer);
			clearInterval(heartbeat);
			request.signal.removeEventListener('abort', onCancel);
		}
	}
}

/** Collects what the audit record needs while the call moves through the gate. */
class Trail {
	spec: AnyToolSpec | undefined;
	arguments: unknown;
	summary: string | undefined;
	truncated = false;
	/** How long the handler ran, once it did. */
	runMs: number | undefined;
	private decision: Decision = 'none';
	private decidedBy = 'none';
	private reason: string | undefined;
	private outcome: Outcome = 'error';

	constructor(
		private readonly request: CallRequest,
		private readonly started: number,
		private readonly redact: GateDeps['redact'],
	) {
		this.arguments = request.arguments;
	}

	decide(decision: Decision, by: string, reason?: string): void {
		this.decision = decision;
		this.decidedBy = by;
		this.reason = reason;
	}

	finish(outcome: Outcome, text: string, structured?: unknown): GateResult {
		this.outcome = outcome;
		const isError = outcome !== 'ok';
		if (isError && this.reason === undefined) this.reason = text;
		return { text, ...(structured === undefined ? {} : { structured }), isError };
	}

	entry(durationMs: number, resultBytes: number): AuditEntry {
		return {
			time: new Date(this.started).toISOString(),
			client: this.request.client,
			sessionId: this.request.sessionId,
			tool: this.spec?.name ?? this.request.tool,
			family: this.spec?.family ?? 'unknown',
			arguments: this.redact.value(this.arguments),
			...(this.summary ? { summary: this.redact.text(this.summary) } : {}),
			decision: this.decision,
			decidedBy: this.decidedBy,
			...(this.reason ? { reason: this.redact.text(this.reason) } : {}),
			durationMs,
			outcome: this.outcome,
			resultBytes,
			truncated: this.truncated,
		};
	}
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

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Keeps the head and the tail, which is where errors and summaries usually are. */
export function capText(text: string, maxBytes: number): { text: string; truncated: boolean } {
	const bytes = utf8Length(text);
	if (bytes <= maxBytes) return { text, truncated: false };
	// Scale characters by the text's own bytes-per-character so multi-byte text stays under the cap too.
	const half = Math.floor((text.length * maxBytes) / bytes / 2);
	const head = text.slice(0, half);
	const tail = text.slice(text.length - half);
	const omitted = text.length - head.length - tail.length;
	return { text: `${head}\n… [${omitted} characters omitted: output capped at ${maxBytes} bytes] …\n${tail}`, truncated: true };
}

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
	return encoder.encode(text).length;
}

/** JSON with sorted keys, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, item: unknown) => {
		if (item && typeof item === 'object' && !Array.isArray(item)) {
			return Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
		}
		return item;
	});
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const item of Object.values(value as Record<string, unknown>)) deepFreeze(item);
	}
	return value;
}
