// Git diff, log and show as resources, for clients that attach them as context. Each read runs the git tool of the
// same name, through the gate as a resource read: the same repository jail, the same sandboxed git, and the same
// withholding of sensitive files (a diff touching `.env` leaves that file's hunks out, exactly as git_diff does).
import { z } from 'zod';
import { ToolError } from '../../core/base/errors';
import { defineResource, type AnyResourceSpec, type UriVariables } from '../../core/tools/resourceSpec';
import type { AnyToolSpec, Prepared } from '../../core/tools/toolSpec';
import type { Host } from '../../core/host/host';
import { uriFlag, uriInteger, uriValue } from '../common/uriValues';
import { gitReadTools } from './readTools';
import type { GitPlan } from './repository';

function readTool(name: string): AnyToolSpec {
	const spec = gitReadTools.find((candidate) => candidate.name === name);
	if (!spec) throw new Error(`the git family has no tool ${name}`);
	return spec;
}

const gitDiff = readTool('git_diff');
const gitLog = readTool('git_log');
const gitShow = readTool('git_show');

/** What the read carries out: the tool's parsed input and what its own prepare() resolved. */
interface ToolPlan {
	readonly input: unknown;
	readonly plan: GitPlan;
}

/** The tool's input from the URI's values, checked by the tool's own schema, and its preparation. */
async function prepareWith(tool: AnyToolSpec, values: Record<string, unknown>, uri: string, host: Host): Promise<Prepared<ToolPlan>> {
	const parsed = tool.input.safeParse(Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)));
	if (!parsed.success) throw new ToolError(`${uri} does not name a valid ${tool.name} read:\n${z.prettifyError(parsed.error)}`, 'invalid-input');
	const prepared = await (tool.prepare as (input: unknown, host: Host) => Promise<Prepared<GitPlan>>)(parsed.data, host);
	return { subject: { ...prepared.subject, summary: `read ${uri.length > 200 ? `${uri.slice(0, 200)}…` : uri}` }, plan: { input: parsed.data, plan: prepared.plan } };
}

function paths(variables: UriVariables, uri: string): string[] | undefined {
	const path = uriValue(variables, 'path', uri);
	return path === undefined ? undefined : [path];
}

/** Listed for a single-folder workspace, where no repository needs naming. */
function listedInSingleFolder(host: Host, entries: readonly { uri: string; name: string }[]) {
	return Promise.resolve(host.workspace.folders().length === 1 ? entries : []);
}

export const gitDiffResource = defineResource<ToolPlan>({
	name: 'git-diff',
	title: 'Git diff',
	description: 'The working tree\'s unstaged changes as a unified diff; staged=true for the staged ones. Narrow with path (relative to the repository root); name the repository (a path inside it) in a multi-folder workspace. Sensitive files (.env, keys) are left out, as in git_diff.',
	uriTemplate: 'git://diff{?repository,staged,path}',
	family: 'git',
	completeWith: { path: 'path' },
	list: (host) => listedInSingleFolder(host, [{ uri: 'git://diff', name: 'Unstaged changes' }, { uri: 'git://diff?staged=true', name: 'Staged changes' }]),
	prepare: (variables, uri, host) => prepareWith(gitDiff, { repository: uriValue(variables, 'repository', uri), staged: uriFlag(variables, 'staged', uri), paths: paths(variables, uri) }, uri, host),
	async read(uri, ctx) {
		const result = await gitDiff.handler(ctx.plan.input, { ...ctx, plan: ctx.plan.plan });
		if (result.isError) throw new ToolError(result.text);
		return [{ uri, mimeType: 'text/x-diff', text: result.text }];
	},
});

export const gitLogResource = defineResource<ToolPlan>({
	name: 'git-log',
	title: 'Git log',
	description: 'Commits, newest first, as JSON: on HEAD or ref (a branch, tag or range such as main..feature), at most limit (default 20), touching path.',
	uriTemplate: 'git://log{?repository,ref,limit,path}',
	family: 'git',
	completeWith: { ref: 'ref', path: 'path' },
	list: (host) => listedInSingleFolder(host, [{ uri: 'git://log', name: 'Recent commits' }]),
	prepare: (variables, uri, host) => prepareWith(gitLog, {
		repository: uriValue(variables, 'repository', uri),
		revision: uriValue(variables, 'ref', uri),
		count: uriInteger(variables, 'limit', uri, 1, 500),
		paths: paths(variables, uri),
	}, uri, host),
	async read(uri, ctx) {
		const result = await gitLog.handler(ctx.plan.input, { ...ctx, plan: ctx.plan.plan });
		if (result.isError) throw new ToolError(result.text);
		return [{ uri, mimeType: 'application/json', text: result.text }];
	},
});

export const gitShowResource = defineResource<ToolPlan>({
	name: 'git-show',
	title: 'Git commit',
	description: 'One commit: author, date, message and its diff (ref: a hash, branch, tag or HEAD~1; percent-encode a "/" in a branch name). Sensitive files are left out, as in git_show.',
	uriTemplate: 'git://show/{ref}{?repository,path}',
	family: 'git',
	completeWith: { ref: 'ref', path: 'path' },
	list: (host) => listedInSingleFolder(host, [{ uri: 'git://show/HEAD', name: 'Last commit' }]),
	prepare: (variables, uri, host) => prepareWith(gitShow, { repository: uriValue(variables, 'repository', uri), revision: uriValue(variables, 'ref', uri), paths: paths(variables, uri) }, uri, host),
	async read(uri, ctx) {
		const result = await gitShow.handler(ctx.plan.input, { ...ctx, plan: ctx.plan.plan });
		if (result.isError) throw new ToolError(result.text);
		return [{ uri, mimeType: 'text/x-diff', text: result.text }];
	},
});

export const gitResources: readonly AnyResourceSpec[] = [gitDiffResource, gitLogResource, gitShowResource];
