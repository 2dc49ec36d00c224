/** What terminal tools need from the editor; filled in by the terminal family. */
export interface TerminalHost {
	readonly available: boolean;
}
