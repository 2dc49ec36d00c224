/**
 * A local HTTP endpoint that speaks OpenAI's Chat Completions wire format and answers from a script instead of a
 * model: each request gets the next scripted turn (tool calls, or a final answer). Like the real API it refuses a
 * request whose strict function tools break the strict rules (400, invalid_request_error), so an example that passes
 * here sent schemas OpenAI accepts. Only the LLM is scripted: the client libraries, HTTP and the workbench are real.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strictProblems } from '../../src/core/tools/strictRules';
import type { JsonSchema } from '../../src/core/tools/modelSchema';

export interface ScriptedCall {
	readonly name: string;
	readonly arguments: Record<string, unknown>;
}

/** One model turn: tool calls to make, or the final answer. */
export type ScriptedTurn = { readonly calls: readonly ScriptedCall[] } | { readonly answer: string };

export interface ChatRequest {
	readonly model: string;
	readonly messages: readonly { role: string; content?: unknown; tool_call_id?: string }[];
	readonly tools?: readonly { type: string; function: { name: string; description?: string; parameters: JsonSchema; strict?: boolean } }[];
}

export interface ScriptedOpenAi {
	/** Base URL for the OpenAI client (…/v1). */
	readonly baseURL: string;
	/** Every request received, in order. */
	readonly requests: ChatRequest[];
	close(): Promise<void>;
}

function body(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

export async function startScriptedOpenAi(script: readonly ScriptedTurn[]): Promise<ScriptedOpenAi> {
	const requests: ChatRequest[] = [];
	let next = 0;
	const server: Server = createServer((request, response) => {
		const send = (status: number, value: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(value));
		};
		void body(request).then((text) => {
			if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
				send(404, { error: { message: `no route ${request.method} ${request.url}`, type: 'invalid_request_error' } });
				return;
			}
			const chat = JSON.parse(text) as ChatRequest;
			requests.push(chat);
			for (const tool of chat.tools ?? []) {
				const problems = tool.function.strict ? strictProblems(tool.function.parameters) : [];
				if (problems.length > 0) {
					send(400, { error: { message: `Invalid schema for function '${tool.function.name}': ${problems.join('; ')}`, type: 'invalid_request_error', param: 'tools' } });
					return;
				}
			}
			const turn = script[next++];
			if (!turn) {
				send(500, { error: { message: `the script has no turn ${next}`, type: 'server_error' } });
				return;
			}
			const message = 'answer' in turn
				? { role: 'assistant', content: turn.answer, refusal: null }
				: {
					role: 'assistant',
					content: null,
					refusal: null,
					tool_calls: turn.calls.map((call, index) => ({ id: `call_${next}_${index}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } })),
				};
			send(200, {
				id: `chatcmpl-${next}`,
				object: 'chat.completion',
				created: Math.floor(Date.now() / 1000),
				model: chat.model,
				choices: [{ index: 0, message, logprobs: null, finish_reason: 'answer' in turn ? 'stop' : 'tool_calls' }],
				usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
			});
		}, (error: unknown) => send(500, { error: { message: String(error), type: 'server_error' } }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseURL: `http://127.0.0.1:${port}/v1`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
