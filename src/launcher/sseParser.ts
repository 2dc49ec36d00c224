/**
 * Splits a text/event-stream into the data of its events, as chunks arrive (an event may span chunks). Only `data:`
 * lines matter to MCP: `event:` is always "message" and `id:`/`retry:` serve resumption, which the launcher does not
 * use (after a restart the session itself is new).
 */
export class SseParser {
	private buffer = '';

	constructor(private readonly onData: (data: string) => void) {}

	push(chunk: string): void {
		this.buffer += chunk.replace(/\r\n?/g, '\n');
		for (let end = this.buffer.indexOf('\n\n'); end !== -1; end = this.buffer.indexOf('\n\n')) {
			const block = this.buffer.slice(0, end);
			this.buffer = this.buffer.slice(end + 2);
			const data = block
				.split('\n')
				.filter((line) => line.startsWith('data:'))
				.map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
			if (data.length > 0) this.onData(data.join('\n'));
		}
	}
}
