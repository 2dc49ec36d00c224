import { z } from 'zod';
import { diagnosticSeveritySchema, fileDiagnosticSchema } from '../../core/host/filesHost';
import type { Host } from '../../core/host/host';
import { relativeInside } from '../../core/paths/pathRules';
import type { ResolvedPath } from '../../core/paths/pathJail';
import { defineTool, type Prepared } from '../../core/tools/toolSpec';
import { shownPath } from './common';

const SEVERITY_ORDER = diagnosticSeveritySchema.options;

/** A diagnostic's path as the agent writes it; files outside every folder keep their absolute path. */
function shownFor(host: Host, absolute: string): string | undefined {
	for (const folder of host.workspace.folders()) {
		const relative = relativeInside(folder.path, absolute, process.platform === 'win32' || process.platform === 'darwin');
		if (relative !== undefined) {
			return shownPath(host, { folder, relative });
		}
	}
	return undefined;
}

export const getDiagnosticsTool = defineTool({
	name: 'get_diagnostics',
	title: 'Get diagnostics',
	description: 'Problems panel errors and warnings for a file, or all (empty path).',
	family: 'files',
	risk: 'read',
	input: z.object({
		path: z.string().default(''),
		minSeverity: diagnosticSeveritySchema.default('hint'),
		limit: z.number().int().min(1).max(5000).default(500),
	}),
	output: z.object({
		diagnostics: z.array(fileDiagnosticSchema),
		truncated: z.boolean(),
	}),
	annotations: { title: 'Get diagnostics', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	async prepare(input, host): Promise<Prepared<{ target: ResolvedPath | undefined }>> {
		if (input.path === '') {
			return { subject: { paths: host.workspace.folders().map((f) => f.path), summary: 'diagnostics for the workspace' }, plan: { target: undefined } };
		}
		const resolved = await host.jail.resolve(input.path, { mustExist: true });
		return { subject: { paths: [resolved.absolute], summary: `diagnostics for ${shownPath(host, resolved)}` }, plan: { target: resolved } };
	},
	async handler(input, ctx) {
		const { target } = ctx.plan;
		const threshold = SEVERITY_ORDER.indexOf(input.minSeverity);
		const all = ctx.host.files.diagnostics(target?.absolute)
			.filter((d) => SEVERITY_ORDER.indexOf(d.severity) <= threshold)
			.flatMap((d) => {
				// Problems in files outside the workspace (library typings) are not the agent's to see or fix.
				const path = shownFor(ctx.host, d.path);
				return path === undefined ? [] : [{ ...d, path }];
			})
			.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.path.localeCompare(b.path) || a.line - b.line);
		const diagnostics = all.slice(0, input.limit);
		const truncated = all.length > diagnostics.length;
		const lines = diagnostics.map((d) => `${d.path}:${d.line}:${d.column} ${d.severity}${d.source ? ` [${d.source}${d.code ? ` ${d.code}` : ''}]` : ''}: ${d.message}`);
		if (lines.length === 0) {
			lines.push(`No problems reported for ${target ? shownPath(ctx.host, target) : 'the workspace'}.`);
		} else if (truncated) {
			lines.push(`[${all.length} problems; showing ${diagnostics.length}. Raise limit or minSeverity.]`);
		}
		return { text: lines.join('\n'), truncated, structured: { diagnostics, truncated } };
	},
});
