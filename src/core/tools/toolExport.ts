/**
 * The tool definitions in the formats other programs take, for "MCP Workbench: Export Tool Definitions": the MCP
 * tools/list answer, OpenAI function tools (Chat Completions and Responses shapes) and the tools of Anthropic's
 * Messages API. Pure: the listed definitions in, JSON text out.
 *
 * The conversion is documented and lossless for our tools: input schemas are listed in OpenAI's strict form already,
 * so they are copied unchanged and marked `strict: true`. A tool whose schema breaks a strict rule (a contributed one)
 * is exported with `strict: false` instead of being changed or dropped. Calls made from these definitions go through
 * the MCP server as usual; a null for an optional argument means "left out" there.
 */
import type { JsonSchema } from './modelSchema';
import { strictProblems } from './strictRules';
import type { ListedTool } from './toolRegistry';

export type ExportFormat = 'mcp' | 'openai-chat' | 'openai-responses' | 'anthropic';

export const EXPORT_FORMATS: readonly { readonly format: ExportFormat; readonly label: string; readonly detail: string }[] = [
	{ format: 'mcp', label: 'MCP (tools/list)', detail: 'The tools as an MCP client lists them: name, title, description, input and output schemas, annotations.' },
	{ format: 'openai-chat', label: 'OpenAI functions (Chat Completions)', detail: 'The `tools` array of a chat.completions request: strict function tools.' },
	{ format: 'openai-responses', label: 'OpenAI functions (Responses API)', detail: 'The `tools` array of a responses request: strict function tools.' },
	{ format: 'anthropic', label: 'Anthropic API tools', detail: 'The `tools` array of a Messages API request: name, description, input_schema.' },
];

function isStrict(schema: JsonSchema): boolean {
	return strictProblems(schema).length === 0;
}

/** The definitions in `format`, as the value a request (or a tools/list answer) carries. */
export function exportTools(tools: readonly ListedTool[], format: ExportFormat): unknown {
	switch (format) {
		case 'mcp':
			return { tools };
		case 'openai-chat':
			return tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema, strict: isStrict(tool.inputSchema) } }));
		case 'openai-responses':
			return tools.map((tool) => ({ type: 'function', name: tool.name, description: tool.description, parameters: tool.inputSchema, strict: isStrict(tool.inputSchema) }));
		case 'anthropic':
			return tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.inputSchema }));
	}
}

/** The export as a JSON document, indented for reading. */
export function exportToolsText(tools: readonly ListedTool[], format: ExportFormat): string {
	return `${JSON.stringify(exportTools(tools, format), null, '\t')}\n`;
}
