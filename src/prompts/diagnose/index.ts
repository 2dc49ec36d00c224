// Prompts that explain what went wrong: a failed task or background command, or an error text. They read the output
// and the files through the gate as the asking session; a file the policy would ask about (a sensitive one such as
// `.env`) is refused because nobody is there to ask, and the prompt says it was withheld instead of showing it.
import { definePrompt, type PromptMessage, type PromptSpec } from '../../core/prompts/promptSpec';
import { resourceContent, toolSection, userContent, userText } from '../common';
import { errorLocations } from './errorLocations';

/** Lines of a file shown around the line an error names. */
const CONTEXT_LINES = 20;

export const explainFailure = definePrompt({
	name: 'explain_failure',
	title: 'Explain a failing task or command',
	description: 'Explains why a task or a background command failed, from its output and the problems it reported, and proposes a fix. Name a task run in this session or a command handle.',
	family: 'terminal',
	arguments: [
		{ name: 'task', description: 'The label of a task run in this session (run_task).', complete: 'taskRun', maxLength: 500 },
		{ name: 'command', description: 'The handle of a background command of this session, e.g. cmd-3 (run_command with background: true).', complete: 'command', maxLength: 100 },
	],
	async build(args, { reads }) {
		const messages: PromptMessage[] = [];
		if (!args.task && !args.command) {
			return { messages: [userText('Name what failed: pass "task" (a task label run in this session) or "command" (a background command handle such as cmd-3). task_status and list_commands list them.')] };
		}
		const what = args.task ? `the task "${args.task}"` : `the command ${args.command}`;
		messages.push(userText([
			`Explain why ${what} failed and how to fix it.`,
			'Start with the root cause in one or two sentences, quoting the decisive output line. Then give the fix as concrete steps or a patch, naming files and lines. Separate the cause from follow-on errors it triggered.',
			'If the output was cut or a section is not available, say what else you need rather than guessing.',
		].join('\n')));
		if (args.task) messages.push(userContent(resourceContent(`Last run of task ${args.task}`, await reads.resource(`task://${encodeURIComponent(args.task)}/output`))));
		if (args.command) messages.push(userContent(resourceContent(`Output of ${args.command}`, await reads.resource(`command://${encodeURIComponent(args.command)}/output`))));
		const diagnostics = await reads.tool('get_diagnostics', { minSeverity: 'warning', limit: 100 });
		messages.push(userText(toolSection('Problems in the workspace (errors and warnings)', diagnostics)));
		return { description: `Why ${what} failed`, messages };
	},
});

export const debugError = definePrompt({
	name: 'debug_error',
	title: 'Debug an error',
	description: 'Finds the cause of an error from its text (a message, a stack trace, compiler output) and the workspace files it names, around the lines it names.',
	family: 'files',
	arguments: [
		{ name: 'error', description: 'The error text: message, stack trace or compiler output.', required: true, maxLength: 32_000 },
		{ name: 'context', description: 'What you were doing when it happened (optional).', maxLength: 2000 },
	],
	async build(args, { reads }) {
		const sections: string[] = [];
		const locations = errorLocations(args.error);
		for (const location of locations) {
			const offset = Math.max(1, location.line - CONTEXT_LINES);
			const read = await reads.tool('read_file', { path: location.path, offset, limit: CONTEXT_LINES * 2 + 1 });
			sections.push(toolSection(`${location.path} around line ${location.line}`, read));
		}
		return {
			description: 'Debugging an error',
			messages: [
				userText([
					'Find the cause of this error and fix it.',
					'Explain the cause first, pointing at the exact line. Then propose the smallest correct fix as a patch. If the files below do not show the cause, say which file or fact you need next.',
					...(args.context ? [`What I was doing: ${args.context}`] : []),
					'',
					'## Error',
					'```',
					args.error,
					'```',
				].join('\n')),
				userText(locations.length === 0
					? 'The error names no file:line place in the workspace; search for the message with search_text if the cause is not clear from it.'
					: sections.join('\n\n')),
			],
		};
	},
});

export const diagnosePrompts: readonly PromptSpec[] = [explainFailure, debugError];
