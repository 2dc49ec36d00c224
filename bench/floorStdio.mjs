// The stdio floor: an SDK McpServer with one constant tool over stdio, nothing else. Spawned by the benches.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const server = new McpServer({ name: 'floor', version: '1' });
server.registerTool('constant', { description: 'constant' }, async () => ({ content: [{ type: 'text', text: 'ok' }] }));
await server.connect(new StdioServerTransport());
