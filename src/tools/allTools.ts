import type { AnyResourceSpec } from '../core/tools/resourceSpec';
import type { AnyToolSpec } from '../core/tools/toolSpec';
import { filesResources } from './files/resources';
import { filesTools } from './files';
import { gitTools } from './git';
import { tasksTools } from './tasks';
import { terminalTools } from './terminal/commands';
import { systemTools } from './terminal/systemInfo';
import { workspaceTools } from './workspace';

/** Every tool the server offers, in the order clients list them; the registry takes them as data. */
export const allTools: readonly AnyToolSpec[] = [...workspaceTools, ...filesTools, ...gitTools, ...terminalTools, ...tasksTools, ...systemTools];

/** Every resource template the server reads. */
export const allResources: readonly AnyResourceSpec[] = [...filesResources];
