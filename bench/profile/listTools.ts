// The workload of a listTools() profile: the SDK client asking the shipped composition (every tool) for its tool
// list over HTTP, in one process, so the profile shows both sides. Usage:
//   node --cpu-prof --cpu-prof-dir=/tmp/mcpwb-profile-list --import tsx bench/profile/listTools.ts [calls=200]
import { allTools } from '../../src/tools/allTools';
import { startWorkbench } from '../../test/unit/helpers/workbench';

async function main(): Promise<void> {
	const calls = Number(process.argv[2] ?? 200);
	const wb = await startWorkbench({ tools: allTools });
	try {
		// The first listing of a connection compiles the output schemas' validators; later ones find them by $id.
		const firsts: number[] = [];
		for (let i = 0; i < 5; i++) {
			const fresh = await wb.connect(`first-${i}`);
			const at = performance.now();
			await fresh.listTools();
			firsts.push(performance.now() - at);
		}
		const client = await wb.connect('profile');
		await client.listTools();
		const each: number[] = [];
		for (let i = 0; i < calls; i++) {
			const at = performance.now();
			await client.listTools();
			each.push(performance.now() - at);
		}
		const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
		console.log(`first listTools() of a connection: median ${median(firsts).toFixed(1)} ms of 5; later ones: median ${median(each).toFixed(1)} ms of ${calls}`);
	} finally {
		await wb.close();
	}
}

void main();
