import type { AnyToolSpec } from '../../core/tools/toolSpec';
import { gitReadTools } from './readTools';
import { gitRemoteTools } from './remoteTools';
import { gitWriteTools } from './writeTools';

/** Every git tool, reads first; the registry adds them to the server when the `git` family is on. */
export const gitTools: AnyToolSpec[] = [...gitReadTools, ...gitWriteTools, ...gitRemoteTools];
