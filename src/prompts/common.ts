import { capText } from '../core/base/text';
import type { GateResult, ReadResult } from '../core/gate/gate';
import type { PromptContent, PromptMessage } from '../core/prompts/promptSpec';

/**
 * What one section of a prompt may hold. Prompts gather several reads; each keeps its head and tail under this, so
 * the whole prompt stays under what clients accept from one answer (the smallest known cap is about 25,000 tokens).
 */
export const SECTION_BYTES = 24 * 1024;

/** A section from a tool's answer: its text, or the refusal, said as such (a withheld file is named, never shown). */
export function toolSection(title: string, result: GateResult): string {
	if (result.isError) return `## ${title}\n(not available: ${result.text})`;
	return `## ${title}\n${capText(result.text, SECTION_BYTES).text}`;
}

/** A resource's contents as an embedded resource the client can show as an attachment, or a text saying why not. */
export function resourceContent(title: string, result: ReadResult): PromptContent {
	if (!result.ok) return { type: 'text', text: `## ${title}\n(not available: ${result.message})` };
	const [first] = result.contents;
	if (!first || !('text' in first)) return { type: 'text', text: `## ${title}\n(no text)` };
	return { type: 'resource', resource: { ...first, text: capText(first.text, SECTION_BYTES).text } };
}

export function userText(text: string): PromptMessage {
	return { role: 'user', content: { type: 'text', text } };
}

export function userContent(content: PromptContent): PromptMessage {
	return { role: 'user', content };
}

/** A URI query from the arguments that are set, each value encoded. */
export function query(values: Readonly<Record<string, string | undefined>>): string {
	const pairs = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
	return pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&')}`;
}
