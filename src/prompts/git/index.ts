// Prompts over the repository's changes. Every read is a gated call (git_status) or resource read (git://diff) as
// the asking session: the same repository jail, the same sandboxed git, and the same withholding of sensitive files
// as the git tools, so a diff touching `.env` reaches the prompt without that file's hunks.
import { definePrompt, type PromptArgument, type PromptSpec } from '../../core/prompts/promptSpec';
import { query, resourceContent, toolSection, userContent, userText } from '../common';

const repository: PromptArgument = {
	name: 'repository',
	description: 'A path inside the repository; needed only in a multi-folder workspace.',
	complete: 'path',
	maxLength: 4096,
};

export const reviewChanges = definePrompt({
	name: 'review_changes',
	title: 'Review my changes',
	description: 'Reviews the uncommitted changes (staged and unstaged) for bugs, risks and missing tests, from git status and the working-tree diff.',
	family: 'git',
	arguments: [
		repository,
		{ name: 'path', description: 'Review only this file or folder (relative to the repository root).', complete: 'path', maxLength: 4096 },
		{ name: 'focus', description: 'What to look at hardest, e.g. "security" or "error handling".', maxLength: 500 },
	],
	async build(args, { reads }) {
		const status = await reads.tool('git_status', { ...(args.repository ? { repository: args.repository } : {}), ...(args.path ? { paths: [args.path] } : {}) });
		const scope = { repository: args.repository, path: args.path };
		const unstaged = await reads.resource(`git://diff${query(scope)}`);
		const staged = await reads.resource(`git://diff${query({ ...scope, staged: 'true' })}`);
		return {
			description: `Review of the uncommitted changes${args.path ? ` in ${args.path}` : ''}`,
			messages: [
				userText([
					'Review my uncommitted changes below as a careful senior engineer would.',
					'For each problem give the file and line, why it is wrong, and a concrete fix; order them by severity. Say which changes need tests and which tests.',
					'Mention what looks good only briefly. If a section says it is not available or files were withheld, do not guess their content.',
					...(args.focus ? [`Focus especially on: ${args.focus}.`] : []),
					'',
					toolSection('git status', status),
				].join('\n')),
				userContent(resourceContent('Unstaged changes (git diff)', unstaged)),
				userContent(resourceContent('Staged changes (git diff --cached)', staged)),
			],
		};
	},
});

export const commitMessage = definePrompt({
	name: 'commit_message',
	title: 'Write a commit message',
	description: 'Writes a commit message for the staged changes, in the style of the repository\'s recent commits.',
	family: 'git',
	arguments: [
		repository,
		{ name: 'hint', description: 'Why the change was made, if the diff cannot tell (an issue number, a motivation).', maxLength: 2000 },
	],
	async build(args, { reads }) {
		const staged = await reads.resource(`git://diff${query({ repository: args.repository, staged: 'true' })}`);
		const log = await reads.tool('git_log', { ...(args.repository ? { repository: args.repository } : {}), count: 10 });
		const recent = log.isError ? log : { ...log, text: recentSubjects(log.structured) ?? log.text };
		return {
			description: 'Commit message for the staged changes',
			messages: [
				userText([
					'Write a commit message for the staged changes below.',
					'First line: at most 72 characters, imperative mood, matching the style of the recent commits. Then a blank line and a short body saying what changed and why, wrapped at 72 columns.',
					'Describe only what the staged diff shows. If nothing is staged, say so and suggest what to stage instead of inventing a message.',
					...(args.hint ? [`Context from the author: ${args.hint}`] : []),
					'',
					toolSection('Recent commit subjects (for style)', recent),
				].join('\n')),
				userContent(resourceContent('Staged changes (git diff --cached)', staged)),
			],
		};
	},
});

/** The subjects of git_log's commits, one a line: the style is in them, the rest would only cost tokens. */
function recentSubjects(structured: unknown): string | undefined {
	const commits = (structured as { commits?: { subject?: unknown }[] } | undefined)?.commits;
	if (!Array.isArray(commits)) return undefined;
	return commits.map((commit) => `- ${String(commit.subject ?? '')}`).join('\n') || '(no commits yet)';
}

export const gitPrompts: readonly PromptSpec[] = [reviewChanges, commitMessage];
