/** What file tools need from the editor; filled in by the files family. */
export interface FilesHost {
	/** The unsaved text of an open, dirty editor for this absolute path, if any. */
	dirtyText(absolutePath: string): string | undefined;
}
