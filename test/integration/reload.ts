// Shared by the two halves of the window-reload test: connectClient.test.ts (before) and afterReload.test.ts (after).

/** What the harness's external client answers (scripts/externalClient.mjs). */
export interface ExternalCall {
	readonly pid: number;
	readonly sha256: string;
	readonly isError?: boolean;
	readonly text?: string;
	readonly error?: string;
	/** The launcher's stderr so far (the end of it). */
	readonly launcherLog?: string;
}

/** What the test before the reload hands to the one after it. */
export interface ReloadState {
	readonly clientId: string;
	readonly name: string;
	readonly configFile: string;
	readonly sha256: string;
	readonly launcherPid: number;
	readonly extensionHostPid: number;
	readonly serverUrl: string;
}

/** The suite that runs after the reload; its title is the grep of the second load. */
export const AFTER_RELOAD_SUITE = 'Connect a Client after a window reload';
