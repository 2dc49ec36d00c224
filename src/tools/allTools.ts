import type { Completers } from '../core/tools/completion';
import type { AnyResourceSpec } from '../core/tools/resourceSpec';
import { completePath } from './files/completions';
import { completeRef } from './git/completions';
import { gitResources } from './git/resources';
import { completeTask, completeTaskRun } from './tasks/completions';
import { tasksResources } from './tasks/resources';
import { completeCommand } from './terminal/completions';
import { terminalResources } from './terminal/resources';
import { completeAuditRecord, workspaceResources } from './workspace/resources';
import type { AnyToolSpec } from '../core/tools/toolSpec';
import { filesResources } from './files/resources';
import { filesTools } from './files';
import { resultResources } from './results/resultResource';
import { gitTools } from './git';
import { tasksTools } from './tasks';
import { terminalTools } from './terminal/commands';
import { systemTools } from './terminal/systemInfo';
import { workspaceTools } from './workspace';

/** Every tool the server offers, in the order clients list them; the registry takes them as data. */
export const allTools: readonly AnyToolSpec[] = [...workspaceTools, ...filesTools, ...gitTools, ...terminalTools, ...tasksTools, ...systemTools];

/** Every resource template the server reads. */
export const allResources: readonly AnyResourceSpec[] = [...filesResources, ...gitResources, ...terminalResources, ...tasksResources, ...workspaceResources, ...resultResources];

/** Where prompt arguments and template variables find their values, each kind from the family that knows it. */
export const allCompleters: Completers = {
	path: completePath,
	ref: completeRef,
	task: completeTask,
	taskRun: completeTaskRun,
	command: completeCommand,
	auditRecord: completeAuditRecord,
};
