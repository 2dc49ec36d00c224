import { z } from 'zod';
import { sandboxSummary } from '../../core/host/sandbox';
import { defineTool, type AnyToolSpec } from '../../core/tools/toolSpec';

const folder = z.object({ name: z.string(), path: z.string(), uri: z.string() });

export const workspaceInfo = defineTool({
	name: 'workspace_info',
	title: 'Workspace info',
	description: 'Call first: folders, trust, tool families, sandbox. Paths are relative to the folder ("<folder>/..." if several) or absolute.',
	family: 'workspace',
	risk: 'read',
	input: z.object({}),
	output: z.object({
		folders: z.array(folder),
		trusted: z.boolean(),
		editor: z.object({ name: z.string(), version: z.string() }),
		extensionVersion: z.string(),
		families: z.array(z.string()),
		sandbox: z.object({
			available: z.boolean(),
			mechanism: z.string().optional(),
			reason: z.string().optional(),
			approvedCommands: z.enum(['off', 'read-only', 'workspace-write']),
			summary: z.string(),
		}),
	}),
	annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
	async handler(_input, { host }) {
		const { workspace } = host;
		const sandbox = host.sandbox.status();
		const structured = {
			folders: workspace.folders().map(({ name, path, uri }) => ({ name, path, uri })),
			trusted: workspace.isTrusted(),
			editor: { name: workspace.versions.appName, version: workspace.versions.editor },
			extensionVersion: workspace.versions.extension,
			families: [...workspace.enabledFamilies()],
			sandbox: { ...sandbox, summary: sandboxSummary(sandbox) },
		};
		return { text: JSON.stringify(structured, null, 2), structured };
	},
});

export const workspaceTools: AnyToolSpec[] = [workspaceInfo];
