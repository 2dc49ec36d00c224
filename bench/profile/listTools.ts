// The workload of a listTools() profile: the SDK client asking the shipped composition (every tool) for its tool
// list over HTTP, in one process, so the profile shows both sides. Usage:
//   node --cpu-prof --cpu-prof-dir=/tmp/mcpwb-profile-list --import tsx bench/profile/listTools.ts [calls=200]
import { allTools } from '../../src/tools/allTools';
import { startWorkbench } from '../../test/unit/helpers/workbench';

async function main(): Promise<void> {
	const calls = Number(process.argv[2] ?? 200);
	const wb = await startWorkbench({ tools: allTools });
	try {
		const client = await wb.connect('profile');
		const started = performance.now();
		for (let i = 0; i < calls; i++) await client.listTools();
		console.log(`${calls} listTools() in ${(performance.now() - started).toFixed(0)} ms`);
	} finally {
		await wb.close();
	}
}

void main();
