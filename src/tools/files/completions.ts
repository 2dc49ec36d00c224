import { displayPath } from '../../core/paths/displayPath';
import { sensitiveMatch } from '../../core/paths/sensitivePaths';
import type { Completer } from '../../core/tools/completion';
import { ripgrepFiles } from '../../node/files/ripgrep';
import { ranked } from '../../core/base/ranked';

/** Files listed per folder to complete from: enough for a project, quick with ripgrep. */
const FILES_PER_FOLDER = 20_000;

/**
 * Workspace file paths, as the file tools take them. The same listing as the resources (ignores and the user's
 * excludes respected, nothing outside the folders), and no sensitive file: a completion must not reveal that a
 * `.env` exists, any more than a read may show what it holds.
 */
export const completePath: Completer = async ({ value, host, signal }) => {
	const folders = host.workspace.folders();
	const paths: string[] = [];
	for (const folder of folders) {
		const excludes = host.files.excludes(folder);
		const found = await ripgrepFiles({ rgPath: host.files.ripgrepPath(), cwd: folder.path, exclude: [...excludes.files, ...excludes.search], signal }, FILES_PER_FOLDER, (relative) => sensitiveMatch(relative, host.sensitivePaths()) === undefined);
		paths.push(...found.files.map((relative) => displayPath({ folder, relative }, folders)));
	}
	return ranked(paths, value);
};
