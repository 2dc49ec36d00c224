/** The in-process server's lifecycle, as the status bar and the panel show it. */
export type ServerState = 'stopped' | 'starting' | 'running' | 'error';
