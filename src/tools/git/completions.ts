import { ranked } from '../../core/base/ranked';
import type { Completer } from '../../core/tools/completion';
import { git, openRepository } from './repository';

/**
 * Branch, tag and remote-branch names of the repository the `repository` argument names (the only one in a
 * single-folder workspace). Read like git_branches: the repository passes the path jail, git runs sandboxed, and a
 * repository that cannot be opened completes to nothing rather than an error while the user types.
 */
export const completeRef: Completer = async ({ value, arguments: filled, host, signal }) => {
	try {
		const repo = await openRepository(host, filled.repository || undefined);
		const result = await git(repo, ['for-each-ref', '--format=%(refname:short)', '--end-of-options', 'refs/heads', 'refs/tags', 'refs/remotes'], { signal, host });
		const names = result.stdout.split('\n').filter((name) => name !== '' && !name.endsWith('/HEAD'));
		return ranked(['HEAD', ...names], value);
	} catch {
		return [];
	}
};
