#!/usr/bin/env node
// The bridge of the design: MCP Workbench's tools handed to an OpenAI model as strict functions, the model's calls run
// through the workbench (its gate, approvals and audit), until the model answers in words.
//
//   MCP_WORKBENCH_URL=http://127.0.0.1:PORT/mcp MCP_WORKBENCH_TOKEN=... OPENAI_API_KEY=... \
//     node agent.mjs "What does src/index.ts export?"
//
// The workbench lists its input schemas in OpenAI's strict form already (closed objects, every property required,
// optional ones nullable), so they go to the model unchanged with `strict: true`; a null the model sends for an
// optional argument means "left out" to the workbench.
import OpenAI from 'openai';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** MCP tool definitions as Chat Completions function tools. */
export function asOpenAiTools(tools) {
	return tools.map((tool) => ({
		type: 'function',
		function: { name: tool.name, description: tool.description ?? '', parameters: tool.inputSchema, strict: true },
	}));
}

/** The text a tool result gives the model: its text blocks (the workbench always sends one), else its structured content. */
function resultText(result) {
	const text = (result.content ?? []).filter((block) => block.type === 'text').map((block) => block.text).join('\n');
	const body = text || JSON.stringify(result.structuredContent ?? {});
	return result.isError ? `Error: ${body}` : body;
}

/**
 * Runs one conversation: the prompt, then as many rounds of tool calls as the model makes (at most `maxTurns`), and
 * returns its final answer with the calls it made. Connects to the workbench and closes the connection again.
 */
export async function runAgent({ mcpUrl, token, prompt, model = 'gpt-4.1', openai = {}, maxTurns = 10, onToolCall }) {
	const client = new Client({ name: 'openai-agent-example', version: '1.0.0' });
	await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
	try {
		const { tools } = await client.listTools();
		const llm = new OpenAI({ apiKey: openai.apiKey ?? process.env.OPENAI_API_KEY, ...(openai.baseURL ? { baseURL: openai.baseURL } : {}), maxRetries: 0 });
		const messages = [
			{ role: 'system', content: 'You work in the user\'s workspace through the tools. Call workspace_info first when you need to know where paths are relative to.' },
			{ role: 'user', content: prompt },
		];
		const calls = [];
		for (let turn = 0; turn < maxTurns; turn++) {
			const completion = await llm.chat.completions.create({ model, messages, tools: asOpenAiTools(tools), parallel_tool_calls: false });
			const message = completion.choices[0].message;
			messages.push(message);
			if (!message.tool_calls?.length) return { answer: message.content ?? '', calls };
			for (const call of message.tool_calls) {
				const args = JSON.parse(call.function.arguments || '{}');
				onToolCall?.(call.function.name, args);
				const result = await client.callTool({ name: call.function.name, arguments: args }, undefined, { timeout: 10 * 60_000 });
				calls.push({ name: call.function.name, arguments: args, isError: result.isError === true, text: resultText(result) });
				messages.push({ role: 'tool', tool_call_id: call.id, content: resultText(result) });
			}
		}
		throw new Error(`no answer after ${maxTurns} turns`);
	} finally {
		await client.close();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const mcpUrl = process.env.MCP_WORKBENCH_URL;
	const token = process.env.MCP_WORKBENCH_TOKEN;
	if (!mcpUrl || !token) {
		console.error('Set MCP_WORKBENCH_URL and MCP_WORKBENCH_TOKEN (MCP Workbench: Copy Client Configuration shows both), and OPENAI_API_KEY.');
		process.exit(2);
	}
	const prompt = process.argv.slice(2).join(' ') || 'Describe this workspace in two sentences.';
	const { answer } = await runAgent({
		mcpUrl,
		token,
		prompt,
		model: process.env.OPENAI_MODEL ?? 'gpt-4.1',
		openai: { baseURL: process.env.OPENAI_BASE_URL },
		onToolCall: (name, args) => console.error(`→ ${name} ${JSON.stringify(args)}`),
	});
	console.log(answer);
}
