/**
 * What our tool definitions cost a model: the tools/list answer as the SDK client receives it over HTTP from the
 * shipped composition, and the part a model request carries (name, description, input schema, compact JSON), in bytes
 * and in estimated tokens (characters / 4: no tokenizer ships in node_modules). One row per family too, as the family
 * switch (mcpWorkbench.tools.families) is the way to send fewer. Target (issue 16): all tools under 15 KB.
 */
import { allTools } from '../src/tools/allTools';
import { startWorkbench } from '../test/unit/helpers/workbench';

// 15 KB read as 15,000 bytes: the stricter reading.
const TARGET_BYTES = 15_000;

interface Row {
	readonly label: string;
	readonly tools: number;
	readonly listBytes: number;
	readonly modelBytes: number;
}

function modelPart(tools: readonly { name: string; description?: string; inputSchema: unknown }[]): string {
	return JSON.stringify(tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema })));
}

async function main(): Promise<void> {
	const world = await startWorkbench({ tools: allTools, sandbox: 'none' });
	try {
		const client = await world.connect('bench');
		const { tools } = await client.listTools();
		const rows: Row[] = [{ label: 'all tools', tools: tools.length, listBytes: Buffer.byteLength(JSON.stringify({ tools })), modelBytes: Buffer.byteLength(modelPart(tools)) }];
		for (const family of ['workspace', 'files', 'git', 'terminal', 'tasks']) {
			const names = new Set(allTools.filter((spec) => spec.family === family).map((spec) => spec.name));
			const part = tools.filter((tool) => names.has(tool.name));
			rows.push({ label: `  family ${family}`, tools: part.length, listBytes: Buffer.byteLength(JSON.stringify({ tools: part })), modelBytes: Buffer.byteLength(modelPart(part)) });
		}
		console.log('\ntool definitions (tools/list over HTTP, SDK client)');
		console.log(`${'case'.padEnd(18)}  ${'tools'.padStart(5)}  ${'tools/list B'.padStart(12)}  ${'model B'.padStart(8)}  ${'~tokens'.padStart(7)}`);
		for (const row of rows) {
			console.log(`${row.label.padEnd(18)}  ${String(row.tools).padStart(5)}  ${String(row.listBytes).padStart(12)}  ${String(row.modelBytes).padStart(8)}  ${String(Math.round(row.modelBytes / 4)).padStart(7)}`);
		}
		const all = rows[0];
		console.log(`model part: ${all.modelBytes} B of the ${TARGET_BYTES} B target (${(all.modelBytes / TARGET_BYTES * 100).toFixed(0)}%): ${all.modelBytes < TARGET_BYTES ? 'met' : 'NOT met'}`);
		if (all.modelBytes >= TARGET_BYTES) process.exitCode = 1;
	} finally {
		await world.close();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
