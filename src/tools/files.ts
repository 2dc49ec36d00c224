import type { AnyToolSpec } from '../core/toolSpec';
import { getDiagnosticsTool } from './files/diagnostics';
import { deleteFileTool, renameFileTool } from './files/manage';
import { listDirectoryTool, readFileTool } from './files/read';
import { findFilesTool, searchTextTool } from './files/search';
import { createFileTool, editFileTool, writeFileTool } from './files/write';

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
