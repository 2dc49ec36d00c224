import type { WorkspaceFolderInfo } from '../host/host';

/**
 * How a path is shown to the agent, in the form it writes paths back: relative to its folder ('.' for the folder
 * itself), prefixed with the folder's name in a multi-root workspace.
 */
export function displayPath(place: { readonly folder: WorkspaceFolderInfo; readonly relative: string }, folders: readonly WorkspaceFolderInfo[]): string {
	if (folders.length <= 1) {
		return place.relative === '' ? '.' : place.relative;
	}
	return place.relative === '' ? place.folder.name : `${place.folder.name}/${place.relative}`;
}
