import type { ToolFamily } from './toolSpec';

/** An MCP icon (the `icons` field of Implementation and Tool, protocol 2025-11-25 on). */
export interface Icon {
	readonly src: string;
	readonly mimeType: string;
	readonly sizes: readonly string[];
	/** Absent: the icon suits any theme. */
	readonly theme?: 'light' | 'dark';
}

/**
 * Line drawings on a 24-unit grid, stroked in one colour. Clients show icons as images, where `currentColor` has no
 * colour to follow, so the colour is set: per theme for the server's icon, a neutral grey for the tools'. Inline
 * `data:` URIs: the client fetches nothing, and a loopback server has no public URL.
 */
const DRAWINGS: Readonly<Record<ToolFamily | 'server', string>> = {
	// The extension's shield with angle brackets (media/icon.svg).
	server: '<path d="M12 2.5 4 5.5v6c0 4.6 3.3 8.6 8 10 4.7-1.4 8-5.4 8-10v-6z"/><path d="M8.5 10.5 6.5 12.5l2 2"/><path d="M15.5 10.5l2 2-2 2"/><path d="M13 9l-2 7"/>',
	// An "i" in a circle: facts about the workspace.
	workspace: '<circle cx="12" cy="12" r="9"/><path d="M12 11v6"/><path d="M12 7.5v.5"/>',
	// A page with a folded corner.
	files: '<path d="M6 3h8l4 4v14H6z"/><path d="M14 3v4h4"/><path d="M9 12h6M9 16h6"/>',
	// A branch: two commits on a line and one off it.
	git: '<circle cx="7" cy="5" r="2"/><circle cx="7" cy="19" r="2"/><circle cx="17" cy="8" r="2"/><path d="M7 7v10"/><path d="M17 10c0 4-10 3-10 7"/>',
	// A prompt in a window.
	terminal: '<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M7 9l3 3-3 3"/><path d="M12 15h5"/>',
	// A checklist.
	tasks: '<path d="M4 6l1.5 1.5L8 5"/><path d="M11 6h9"/><path d="M4 12l1.5 1.5L8 11"/><path d="M11 12h9"/><path d="M4 18l1.5 1.5L8 17"/><path d="M11 18h9"/>',
	// A puzzle piece: a tool another extension contributed.
	extension: '<path d="M5 8h3a2 2 0 1 1 4 0h3v3a2 2 0 1 1 0 4v3H5z"/>',
};

/** VS Code's default icon foregrounds for light and dark themes, and a grey that reads on both. */
const STROKES = { light: '#424242', dark: '#C5C5C5', any: '#808080' } as const;

/**
 * A base64 `data:` URI for a drawing: a strict URI (clients and the conformance suite check `src` as one, which an
 * SVG with spaces and quotes left in is not), and shorter than percent-encoding every such character; every tool
 * carries one in every tools/list.
 */
function dataUri(drawing: string, stroke: string): string {
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="${stroke}" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${drawing}</svg>`;
	// The drawings are ASCII, so btoa (a global in Node and browsers alike) encodes them as is.
	return `data:image/svg+xml;base64,${btoa(svg)}`;
}

function icon(drawing: string, theme: keyof typeof STROKES): Icon {
	return { src: dataUri(drawing, STROKES[theme]), mimeType: 'image/svg+xml', sizes: ['any'], ...(theme === 'any' ? {} : { theme }) };
}

/** The server's own icons (its Implementation info): shown once per server, so one for each theme. */
export const SERVER_ICONS: readonly Icon[] = [icon(DRAWINGS.server, 'light'), icon(DRAWINGS.server, 'dark')];

/** One icon per family, in a grey that reads on light and dark themes: it repeats on every tool of every tools/list. */
const FAMILY_ICONS = new Map<ToolFamily, readonly Icon[]>((['workspace', 'files', 'git', 'terminal', 'tasks'] as const).map((family) => [family, [icon(DRAWINGS[family], 'any')]]));

/** The icon every tool of a family carries, so a client can show which family a tool belongs to. */
export function familyIcons(family: ToolFamily): readonly Icon[] {
	return FAMILY_ICONS.get(family) ?? SERVER_ICONS;
}
