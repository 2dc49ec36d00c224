import type { ContributedTool } from '../../../api/mcp-workbench';
import { failure, runProgram } from './run';

const HINT = 'Install Docker (https://docs.docker.com/get-docker/) and make sure `docker` is on the PATH VS Code was started with.';
/** Container names and ids: no leading dash, so no value can be read as an option. */
const CONTAINER = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$';

interface ContainerRow {
	readonly id: string;
	readonly name: string;
	readonly image: string;
	readonly state: string;
	readonly status: string;
}

/** Which program to run: `docker`, or the path the user set (devopsTools.dockerPath). */
export type Program = () => string;

export const dockerPs = (docker: Program): ContributedTool<{ all?: boolean }> => ({
	name: 'docker_ps',
	title: 'List Docker containers',
	description: 'Lists Docker containers (running ones, or all with `all: true`): id, name, image, state and status.',
	input: { type: 'object', properties: { all: { type: 'boolean', description: 'Include stopped containers.' } }, additionalProperties: false },
	output: {
		type: 'object',
		properties: { containers: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, image: { type: 'string' }, state: { type: 'string' }, status: { type: 'string' } } } } },
		required: ['containers'],
	},
	risk: 'read',
	annotations: { idempotentHint: true, openWorldHint: false },
	async handler(input, { signal }) {
		const args = ['ps', ...(input.all ? ['--all'] : []), '--no-trunc', '--format', '{{json .}}'];
		const ran = await runProgram(docker(), args, signal, HINT);
		if (ran.code !== 0) return failure(docker(), args, ran);
		const containers: ContainerRow[] = ran.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => {
			const row = JSON.parse(line) as Record<string, string>;
			return { id: row.ID ?? '', name: row.Names ?? '', image: row.Image ?? '', state: row.State ?? '', status: row.Status ?? '' };
		});
		const text = containers.length === 0 ? 'No containers.' : containers.map((c) => `${c.name}  ${c.image}  ${c.state}  (${c.status})  ${c.id.slice(0, 12)}`).join('\n');
		return { text, structured: { containers } };
	},
});

export const dockerLogs = (docker: Program): ContributedTool<{ container: string; tail?: number; since?: string }> => ({
	name: 'docker_logs',
	title: 'Read Docker container logs',
	description: 'The last lines of a container\'s log (stdout and stderr), optionally only since a time such as "10m" or an RFC 3339 timestamp.',
	input: {
		type: 'object',
		properties: {
			container: { type: 'string', pattern: CONTAINER, description: 'Container name or id.' },
			tail: { type: 'integer', minimum: 1, maximum: 5000, description: 'How many lines from the end (default 200).' },
			since: { type: 'string', pattern: '^[0-9][0-9A-Za-z:.+-]{0,39}$', description: 'Only lines since then: "10m", "2h", or a timestamp.' },
		},
		required: ['container'],
		additionalProperties: false,
	},
	risk: 'read',
	annotations: { openWorldHint: false },
	async handler(input, { signal }) {
		const args = ['logs', '--tail', String(input.tail ?? 200), ...(input.since ? ['--since', input.since] : []), input.container];
		const ran = await runProgram(docker(), args, signal, HINT);
		if (ran.code !== 0) return failure(docker(), args, ran);
		const text = `${ran.stdout}${ran.stderr}`;
		return text.trim() === '' ? `No log lines from ${input.container}.` : text;
	},
});

export const dockerRestart = (docker: Program): ContributedTool<{ container: string; timeoutSeconds?: number }> => ({
	name: 'docker_restart',
	title: 'Restart a Docker container',
	description: 'Restarts one container (stop, then start). Its processes are interrupted; clients lose their connections.',
	input: {
		type: 'object',
		properties: {
			container: { type: 'string', pattern: CONTAINER, description: 'Container name or id.' },
			timeoutSeconds: { type: 'integer', minimum: 0, maximum: 300, description: 'Seconds to wait for a clean stop before killing (default Docker\'s 10).' },
		},
		required: ['container'],
		additionalProperties: false,
	},
	risk: 'execute',
	annotations: { idempotentHint: false, openWorldHint: false },
	describe: (input) => ({ summary: `restart the Docker container ${input.container}` }),
	async handler(input, { signal }) {
		const args = ['restart', ...(input.timeoutSeconds !== undefined ? ['--time', String(input.timeoutSeconds)] : []), input.container];
		const ran = await runProgram(docker(), args, signal, HINT);
		if (ran.code !== 0) return failure(docker(), args, ran);
		return `Restarted ${input.container}.`;
	},
});
