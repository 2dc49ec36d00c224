/**
 * W3C Trace Context a client sent in a request's `_meta` (MCP's SEP-414 convention: `traceparent`, `tracestate`), so
 * an audit record can be found from the client's own trace. Only well-formed values are kept: the audit stores what a
 * tracing system can look up, never arbitrary client text under a trusted-looking name.
 */
export interface TraceContext {
	/** `version-traceid-parentid-flags`, e.g. `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`. */
	readonly traceparent: string;
	readonly tracestate?: string;
}

// Version 00's layout; an all-zero trace id or parent id is invalid (W3C Trace Context, section 3.2.2).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
/** The spec's limit on tracestate: 32 list members of at most 256 characters each; we keep the header short. */
const MAX_TRACESTATE_CHARS = 512;
const TRACESTATE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]*=[\x20-\x2b\x2d-\x3c\x3e-\x7e]*(,[\x20-\x2b\x2d-\x3c\x3e-\x7e]*=[\x20-\x2b\x2d-\x3c\x3e-\x7e]*)*$/;

/** The trace context in a request's `_meta`, or undefined when there is none or its traceparent is malformed. */
export function traceContextOf(meta: Readonly<Record<string, unknown>> | undefined): TraceContext | undefined {
	const traceparent = meta?.traceparent;
	if (typeof traceparent !== 'string') return undefined;
	const parts = TRACEPARENT.exec(traceparent);
	if (!parts || parts[1] === 'ff' || /^0+$/.test(parts[2]) || /^0+$/.test(parts[3])) return undefined;
	const tracestate = meta?.tracestate;
	const state = typeof tracestate === 'string' && tracestate.length <= MAX_TRACESTATE_CHARS && TRACESTATE.test(tracestate) ? { tracestate } : {};
	return { traceparent, ...state };
}
