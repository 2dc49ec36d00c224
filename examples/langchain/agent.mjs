#!/usr/bin/env node
// MCP Workbench's tools in LangChain: @langchain/mcp-adapters turns them into LangChain tools, a chat model gets them
// bound with `strict: true` (the workbench lists its schemas in OpenAI's strict form, so the binding takes them as
// they are), and each call the model makes runs through the workbench's gate, approvals and audit.
//
//   MCP_WORKBENCH_URL=http://127.0.0.1:PORT/mcp MCP_WORKBENCH_TOKEN=... OPENAI_API_KEY=... \
//     node agent.mjs "Which tests cover the parser?"
import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { ChatOpenAI } from '@langchain/openai';
import { HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';

/** The workbench's tools as LangChain tools, over Streamable HTTP with the bearer token. Close the client when done. */
export async function workbenchTools({ mcpUrl, token }) {
	const client = new MultiServerMCPClient({
		mcpServers: { workbench: { transport: 'http', url: mcpUrl, headers: { Authorization: `Bearer ${token}` }, automaticSSEFallback: false } },
		// A call waiting for the user's approval takes as long as the user does.
		defaultToolTimeout: 10 * 60_000,
	});
	return { client, tools: await client.getTools() };
}

/**
 * Runs one conversation with `model` (any LangChain chat model that can bind tools): the prompt, then as many rounds
 * of tool calls as it makes (at most `maxTurns`); returns its final answer and the calls it made.
 */
export async function runAgent({ mcpUrl, token, prompt, model, maxTurns = 10, onToolCall }) {
	const { client, tools } = await workbenchTools({ mcpUrl, token });
	try {
		const bound = model.bindTools(tools, { strict: true, parallel_tool_calls: false });
		const messages = [
			new SystemMessage('You work in the user\'s workspace through the tools. Call workspace_info first when you need to know where paths are relative to.'),
			new HumanMessage(prompt),
		];
		const calls = [];
		for (let turn = 0; turn < maxTurns; turn++) {
			const reply = await bound.invoke(messages);
			messages.push(reply);
			if (!reply.tool_calls?.length) return { answer: typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content), calls };
			for (const call of reply.tool_calls) {
				onToolCall?.(call.name, call.args);
				const tool = tools.find((candidate) => candidate.name === call.name);
				const result = tool
					? await tool.invoke(call)
					: new ToolMessage({ tool_call_id: call.id, content: `Unknown tool ${call.name}`, status: 'error' });
				const text = typeof result.content === 'string' ? result.content : JSON.stringify(result.content);
				calls.push({ name: call.name, arguments: call.args, isError: result.status === 'error', text });
				messages.push(result);
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
	const model = new ChatOpenAI({ model: process.env.OPENAI_MODEL ?? 'gpt-4.1', ...(process.env.OPENAI_BASE_URL ? { configuration: { baseURL: process.env.OPENAI_BASE_URL } } : {}) });
	const { answer } = await runAgent({
		mcpUrl,
		token,
		model,
		prompt: process.argv.slice(2).join(' ') || 'Describe this workspace in two sentences.',
		onToolCall: (name, args) => console.error(`→ ${name} ${JSON.stringify(args)}`),
	});
	console.log(answer);
}
