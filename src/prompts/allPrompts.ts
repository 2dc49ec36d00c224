import type { PromptSpec } from '../core/prompts/promptSpec';
import { diagnosePrompts } from './diagnose';
import { gitPrompts } from './git';
import { sessionPrompts } from './session';

/** Every prompt the server offers, in the order clients list them; the registry takes them as data. */
export const allPrompts: readonly PromptSpec[] = [...gitPrompts, ...diagnosePrompts, ...sessionPrompts];
