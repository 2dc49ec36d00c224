/** Structured log lines: an event name and flat fields, never secrets (callers pass redacted values). */
export interface Logger {
	trace(event: string, fields?: LogFields): void;
	info(event: string, fields?: LogFields): void;
	warn(event: string, fields?: LogFields): void;
	error(event: string, fields?: LogFields): void;
}

export type LogFields = Readonly<Record<string, string | number | boolean | undefined | null>>;

/** `event key=value key="value with spaces"`: greppable, and readable in the output channel. */
export function formatLogLine(event: string, fields: LogFields = {}): string {
	const parts = [event];
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		const text = String(value);
		parts.push(`${key}=${/^[\w.:/@+-]*$/.test(text) && text !== '' ? text : JSON.stringify(text)}`);
	}
	return parts.join(' ');
}

export const silentLogger: Logger = { trace() {}, info() {}, warn() {}, error() {} };
