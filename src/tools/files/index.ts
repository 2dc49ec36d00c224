import type { AnyToolSpec } from '../../core/tools/toolSpec';
import { getDiagnosticsTool } from './diagnostics';
import { deleteFileTool, renameFileTool } from './manage';
import { listDirectoryTool, readFileTool } from './read';
import { findFilesTool, searchTextTool } from './search';
import { createFileTool, editFileTool, writeFileTool } from './write';

/** The workspace file tools, in the order clients list them. */
export const filesTools: AnyToolSpec[] = [
	readFileTool,
	listDirectoryTool,
	findFilesTool,
	searchTextTool,
	createFileTool,
	writeFileTool,
	editFileTool,
	renameFileTool,
	deleteFileTool,
	getDiagnosticsTool,
];
