import type { ContributedTool } from '../../../api/mcp-workbench';
import type { Program } from './docker';
import { failure, runProgram } from './run';

const HINT = 'Install kubectl (https://kubernetes.io/docs/tasks/tools/) and make sure `kubectl` is on the PATH VS Code was started with.';
/** Kubernetes object names (DNS-1123): lowercase, no leading dash, so no value can be read as an option. */
const NAME = '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$';
const NAMESPACE = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$', description: 'Namespace (default: the context\'s).' };
const CONTEXT = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.@:/-]{0,252}$', description: 'kubeconfig context (default: the current one).' };

function scope(input: { namespace?: string; context?: string }): string[] {
	return [...(input.context ? ['--context', input.context] : []), ...(input.namespace ? ['--namespace', input.namespace] : [])];
}

interface PodJson {
	readonly metadata?: { readonly name?: string; readonly namespace?: string };
	readonly spec?: { readonly nodeName?: string };
	readonly status?: { readonly phase?: string; readonly containerStatuses?: readonly { readonly ready?: boolean; readonly restartCount?: number }[] };
}

export const kubectlGetPods = (kubectl: Program): ContributedTool<{ namespace?: string; context?: string; selector?: string }> => ({
	name: 'kubectl_get_pods',
	title: 'List Kubernetes pods',
	description: 'Lists pods with their phase, readiness, restarts and node; optionally by label selector ("app=web").',
	input: {
		type: 'object',
		properties: {
			namespace: NAMESPACE,
			context: CONTEXT,
			selector: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_./=!,() -]{0,252}$', description: 'Label selector, e.g. "app=web,tier!=db".' },
		},
		additionalProperties: false,
	},
	output: {
		type: 'object',
		properties: { pods: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, namespace: { type: 'string' }, phase: { type: 'string' }, ready: { type: 'string' }, restarts: { type: 'integer' }, node: { type: 'string' } } } } },
		required: ['pods'],
	},
	risk: 'read',
	annotations: { idempotentHint: true, openWorldHint: true },
	async handler(input, { signal }) {
		const args = ['get', 'pods', ...scope(input), ...(input.selector ? ['--selector', input.selector] : []), '--output', 'json'];
		const ran = await runProgram(kubectl(), args, signal, HINT);
		if (ran.code !== 0) return failure(kubectl(), args, ran);
		const items = (JSON.parse(ran.stdout) as { items?: PodJson[] }).items ?? [];
		const pods = items.map((pod) => {
			const statuses = pod.status?.containerStatuses ?? [];
			return {
				name: pod.metadata?.name ?? '',
				namespace: pod.metadata?.namespace ?? '',
				phase: pod.status?.phase ?? 'Unknown',
				ready: `${statuses.filter((s) => s.ready).length}/${statuses.length}`,
				restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
				node: pod.spec?.nodeName ?? '',
			};
		});
		const text = pods.length === 0 ? 'No pods.' : pods.map((p) => `${p.namespace}/${p.name}  ${p.phase}  ready ${p.ready}  restarts ${p.restarts}  ${p.node}`).join('\n');
		return { text, structured: { pods } };
	},
});

export const kubectlLogs = (kubectl: Program): ContributedTool<{ pod: string; container?: string; namespace?: string; context?: string; tail?: number; previous?: boolean }> => ({
	name: 'kubectl_logs',
	title: 'Read Kubernetes pod logs',
	description: 'The last lines of a pod\'s log; `previous: true` reads the container instance before its last restart.',
	input: {
		type: 'object',
		properties: {
			pod: { type: 'string', pattern: NAME },
			container: { type: 'string', pattern: NAME, description: 'Container in the pod (default: the only one).' },
			namespace: NAMESPACE,
			context: CONTEXT,
			tail: { type: 'integer', minimum: 1, maximum: 5000, description: 'How many lines from the end (default 200).' },
			previous: { type: 'boolean' },
		},
		required: ['pod'],
		additionalProperties: false,
	},
	risk: 'read',
	annotations: { openWorldHint: true },
	async handler(input, { signal }) {
		const args = ['logs', input.pod, ...scope(input), ...(input.container ? ['--container', input.container] : []), '--tail', String(input.tail ?? 200), ...(input.previous ? ['--previous'] : [])];
		const ran = await runProgram(kubectl(), args, signal, HINT);
		if (ran.code !== 0) return failure(kubectl(), args, ran);
		return ran.stdout.trim() === '' ? `No log lines from ${input.pod}.` : ran.stdout;
	},
});

export const kubectlScale = (kubectl: Program): ContributedTool<{ deployment: string; replicas: number; namespace?: string; context?: string }> => ({
	name: 'kubectl_scale',
	title: 'Scale a Kubernetes deployment',
	description: 'Sets a deployment\'s replica count. Scaling to 0 stops every pod of it.',
	input: {
		type: 'object',
		properties: {
			deployment: { type: 'string', pattern: NAME },
			replicas: { type: 'integer', minimum: 0, maximum: 1000 },
			namespace: NAMESPACE,
			context: CONTEXT,
		},
		required: ['deployment', 'replicas'],
		additionalProperties: false,
	},
	risk: 'write',
	annotations: { idempotentHint: true, openWorldHint: true },
	describe: (input) => ({
		summary: `scale deployment ${input.deployment} to ${input.replicas} replica${input.replicas === 1 ? '' : 's'}${input.namespace ? ` in namespace ${input.namespace}` : ''}${input.context ? ` (context ${input.context})` : ''}`,
	}),
	async handler(input, { signal }) {
		const args = ['scale', `deployment/${input.deployment}`, `--replicas=${input.replicas}`, ...scope(input)];
		const ran = await runProgram(kubectl(), args, signal, HINT);
		if (ran.code !== 0) return failure(kubectl(), args, ran);
		return ran.stdout.trim() || `Scaled deployment/${input.deployment} to ${input.replicas}.`;
	},
});
