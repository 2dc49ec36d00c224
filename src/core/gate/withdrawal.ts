/**
 * Why a call stopped waiting before anyone decided or before it finished, other than a timeout: its client cancelled
 * it, its connection closed, its session ended, or the user stopped the server. Carried as the abort reason of the
 * call's signal, so the approval card, the audit and the answer all name the same cause.
 */
export type WithdrawnBy = 'cancelled' | 'disconnected' | 'session_ended' | 'server_stopped';

export class Withdrawn extends Error {
	constructor(
		readonly by: WithdrawnBy,
		/** The detail, as the person reading the audit should see it. */
		readonly detail: string,
	) {
		super(detail);
		this.name = 'Withdrawn';
	}
}

/** The withdrawal a signal was aborted with; an abort without one counts as the client's cancellation. */
export function withdrawalOf(signal: AbortSignal): Withdrawn {
	return signal.reason instanceof Withdrawn ? signal.reason : new Withdrawn('cancelled', 'The client cancelled the call');
}

/** Why a call that waited for approval was not run, in the words its answer and audit record use. */
export function withdrawnMessage(withdrawn: Withdrawn): string {
	switch (withdrawn.by) {
		case 'cancelled':
			return `the client cancelled it before anyone decided (${withdrawn.detail})`;
		case 'disconnected':
			return `the client's connection closed while it waited for approval, so nobody could read its answer; the card was closed`;
		case 'session_ended':
			return `the client's session ended (${withdrawn.detail}) while it waited for approval; the card was closed. Send initialize to start a new session, then call again`;
		case 'server_stopped':
			return 'the user stopped the MCP Workbench server while it waited for approval; call again once the server runs (the client reconnects)';
	}
}
