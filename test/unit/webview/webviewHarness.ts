// Node side of the webview harness: bundles the panel exactly as esbuild.mjs does, serves it on loopback inside
// the same HTML and CSP the extension uses (renderPanelHtml), with a fake host script in place of VS Code, and
// opens it in Debian's chromium through playwright-core. Shared by the browser tests and bench/panel.bench.ts.
import * as esbuild from 'esbuild';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createNonce, renderPanelHtml } from '../../../src/vscode/panel/sidebarView';

const ROOT = resolve(__dirname, '../../..');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export type ThemeName = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

const FONTS = {
	'--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
	'--vscode-font-size': '13px',
	'--vscode-font-weight': 'normal',
	'--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
	'--vscode-editor-font-size': '12px',
};

/** A subset of VS Code's Dark Modern, Light Modern and Dark High Contrast colours: the ones the panel uses. */
const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
	dark: {
		bodyClass: 'vscode-dark',
		vars: {
			foreground: '#cccccc', descriptionForeground: '#9d9d9d', errorForeground: '#f85149', focusBorder: '#0078d4',
			'sideBar-background': '#181818', 'sideBarSectionHeader-background': '#181818', 'sideBarSectionHeader-border': '#2b2b2b', 'sideBarTitle-foreground': '#cccccc',
			'icon-foreground': '#cccccc', 'widget-border': '#313131', 'widget-shadow': 'rgba(0, 0, 0, 0.36)', 'editorWidget-background': '#202020', 'editorWidget-foreground': '#cccccc',
			'textCodeBlock-background': '#2b2b2b', 'textPreformat-foreground': '#d0d0d0', 'textLink-foreground': '#4daafc',
			'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': 'rgba(255, 255, 255, 0.07)',
			'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
			'settings-textInputBackground': '#313131', 'settings-textInputForeground': '#cccccc', 'settings-textInputBorder': '#3c3c3c', 'input-placeholderForeground': '#989898',
			'settings-dropdownBackground': '#313131', 'settings-dropdownForeground': '#cccccc', 'settings-dropdownBorder': '#3c3c3c', 'settings-dropdownListBorder': '#454545',
			'badge-background': '#616161', 'badge-foreground': '#f8f8f8',
			'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff', 'list-inactiveSelectionBackground': '#37373d', 'list-focusOutline': '#0078d4',
			'charts-blue': '#3794ff', 'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'charts-red': '#f14c4c', 'charts-green': '#89d185',
			'testing-iconPassed': '#73c991', 'editorWarning-foreground': '#cca700', 'editor-foreground': '#cccccc',
			'inputValidation-errorBorder': '#be1100', 'inputValidation-errorBackground': '#5a1d1d', 'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c',
			'diffEditor-insertedLineBackground': 'rgba(155, 185, 85, 0.2)', 'diffEditor-removedLineBackground': 'rgba(255, 0, 0, 0.2)',
			'gitDecoration-addedResourceForeground': '#81b88b', 'gitDecoration-deletedResourceForeground': '#c74e39',
			'inputValidation-warningBackground': '#352a05', 'inputValidation-warningBorder': '#b89500', 'progressBar-background': '#0078d4',
		},
	},
	light: {
		bodyClass: 'vscode-light',
		vars: {
			foreground: '#3b3b3b', descriptionForeground: '#717171', errorForeground: '#f85149', focusBorder: '#005fb8',
			'sideBar-background': '#f8f8f8', 'sideBarSectionHeader-background': '#f8f8f8', 'sideBarSectionHeader-border': '#e5e5e5', 'sideBarTitle-foreground': '#3b3b3b',
			'icon-foreground': '#3b3b3b', 'widget-border': '#e5e5e5', 'widget-shadow': 'rgba(0, 0, 0, 0.16)', 'editorWidget-background': '#ffffff', 'editorWidget-foreground': '#3b3b3b',
			'textCodeBlock-background': 'rgba(220, 220, 220, 0.4)', 'textPreformat-foreground': '#3b3b3b', 'textLink-foreground': '#005fb8',
			'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': 'rgba(0, 0, 0, 0.1)',
			'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
			'settings-textInputBackground': '#ffffff', 'settings-textInputForeground': '#3b3b3b', 'settings-textInputBorder': '#cecece', 'input-placeholderForeground': '#767676',
			'settings-dropdownBackground': '#ffffff', 'settings-dropdownForeground': '#3b3b3b', 'settings-dropdownBorder': '#cecece', 'settings-dropdownListBorder': '#c8c8c8',
			'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b',
			'list-hoverBackground': '#f2f2f2', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000', 'list-inactiveSelectionBackground': '#e4e6f1', 'list-focusOutline': '#005fb8',
			'charts-blue': '#1a85ff', 'charts-yellow': '#bf8803', 'charts-orange': '#d18616', 'charts-red': '#e51400', 'charts-green': '#388a34',
			'testing-iconPassed': '#388a34', 'editorWarning-foreground': '#bf8803', 'editor-foreground': '#3b3b3b',
			'inputValidation-errorBorder': '#be1100', 'inputValidation-errorBackground': '#f2dede', 'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece',
			'diffEditor-insertedLineBackground': 'rgba(155, 185, 85, 0.2)', 'diffEditor-removedLineBackground': 'rgba(255, 0, 0, 0.2)',
			'gitDecoration-addedResourceForeground': '#587c0c', 'gitDecoration-deletedResourceForeground': '#ad0707',
			'inputValidation-warningBackground': '#f6f5d2', 'inputValidation-warningBorder': '#b89500', 'progressBar-background': '#005fb8',
		},
	},
	'high-contrast': {
		bodyClass: 'vscode-high-contrast',
		vars: {
			foreground: '#ffffff', descriptionForeground: 'rgba(255, 255, 255, 0.7)', errorForeground: '#f48771', focusBorder: '#f38518',
			contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
			'sideBar-background': '#000000', 'sideBarSectionHeader-background': '#000000', 'sideBarSectionHeader-border': '#6fc3df', 'sideBarTitle-foreground': '#ffffff',
			'icon-foreground': '#ffffff', 'widget-border': '#6fc3df', 'editorWidget-background': '#0c141f', 'editorWidget-foreground': '#ffffff',
			'textCodeBlock-background': '#000000', 'textPreformat-foreground': '#ffffff', 'textLink-foreground': '#21a6ff',
			'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
			'settings-textInputBackground': '#000000', 'settings-textInputForeground': '#ffffff', 'settings-textInputBorder': '#6fc3df', 'input-placeholderForeground': 'rgba(255, 255, 255, 0.7)',
			'settings-dropdownBackground': '#000000', 'settings-dropdownForeground': '#ffffff', 'settings-dropdownBorder': '#6fc3df', 'settings-dropdownListBorder': '#6fc3df',
			'badge-background': '#000000', 'badge-foreground': '#ffffff',
			'list-activeSelectionForeground': '#ffffff', 'list-focusOutline': '#f38518',
			// No charts-* here: VS Code's high contrast themes leave them undefined, so the panel must not rely on them.
			'testing-iconPassed': '#73c991', 'editorWarning-foreground': '#ffd700', 'editor-foreground': '#ffffff',
			'inputValidation-errorBorder': '#f48771', 'inputValidation-errorBackground': '#000000', 'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df',
			'diffEditor-insertedTextBorder': '#33ff2e', 'diffEditor-removedTextBorder': '#ff008f',
			'inputValidation-warningBackground': '#000000', 'inputValidation-warningBorder': '#6fc3df', 'progressBar-background': '#6fc3df',
		},
	},
	'high-contrast-light': {
		bodyClass: 'vscode-high-contrast-light',
		vars: {
			foreground: '#292929', descriptionForeground: '#292929', errorForeground: '#b5200d', focusBorder: '#006bbd',
			contrastBorder: '#0f4a85', contrastActiveBorder: '#006bbd',
			'sideBar-background': '#ffffff', 'sideBarSectionHeader-background': '#ffffff', 'sideBarSectionHeader-border': '#0f4a85', 'sideBarTitle-foreground': '#292929',
			'icon-foreground': '#292929', 'widget-border': '#0f4a85', 'editorWidget-background': '#ffffff', 'editorWidget-foreground': '#292929',
			// White preformatted text on a near-white block: the pair that made command lines unreadable before.
			'textCodeBlock-background': '#f2f2f2', 'textPreformat-foreground': '#ffffff', 'textLink-foreground': '#0f4a85', 'editor-foreground': '#292929',
			'button-background': '#0f4a85', 'button-foreground': '#ffffff', 'button-border': '#0f4a85', 'button-secondaryBackground': '#ffffff', 'button-secondaryForeground': '#292929',
			'settings-textInputBackground': '#ffffff', 'settings-textInputForeground': '#292929', 'settings-textInputBorder': '#0f4a85', 'input-placeholderForeground': '#767676',
			'settings-dropdownBackground': '#ffffff', 'settings-dropdownForeground': '#292929', 'settings-dropdownBorder': '#0f4a85', 'settings-dropdownListBorder': '#0f4a85',
			'badge-background': '#0f4a85', 'badge-foreground': '#ffffff',
			'list-activeSelectionForeground': '#292929', 'list-focusOutline': '#006bbd',
			'testing-iconPassed': '#388a34', 'editorWarning-foreground': '#895503',
			'diffEditor-insertedTextBorder': '#374e06', 'diffEditor-removedTextBorder': '#ad0707',
			'inputValidation-warningBackground': '#ffffff', 'inputValidation-warningBorder': '#0f4a85', 'progressBar-background': '#0f4a85',
			'inputValidation-errorBorder': '#b5200d', 'inputValidation-errorBackground': '#ffffff', 'input-background': '#ffffff', 'input-foreground': '#292929', 'input-border': '#0f4a85',
		},
	},
};

function themeCss(name: ThemeName): string {
	const vars = Object.entries(THEMES[name].vars).map(([key, value]) => `\t--vscode-${key}: ${value};`);
	const fonts = Object.entries(FONTS).map(([key, value]) => `\t${key}: ${value};`);
	return `:root {\n${[...vars, ...fonts].join('\n')}\n}\nbody { background-color: var(--vscode-sideBar-background); }\n`;
}

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.ttf': 'font/ttf', '.html': 'text/html' };

/** esbuild.mjs's options for the panel bundle. */
export async function buildPanelBundle(outfile: string): Promise<void> {
	await esbuild.build({
		entryPoints: [join(ROOT, 'src/webview/main.ts')],
		outfile,
		bundle: true,
		platform: 'browser',
		format: 'iife',
		minify: true,
		sourcemap: true,
		target: 'es2022',
		logLevel: 'silent',
	});
}

export interface Harness {
	readonly browser: Browser;
	readonly origin: string;
	/** Bytes of the minified panel bundle. */
	readonly bundleBytes: number;
	url(params?: Record<string, string>): string;
	close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
	const dir = await mkdtemp(join(tmpdir(), 'mcp-webview-'));
	let server: Server | undefined;
	let browser: Browser | undefined;
	try {
		await buildPanelBundle(join(dir, 'webview.js'));
		await esbuild.build({
			entryPoints: [join(ROOT, 'test/unit/webview/webviewFakeHost.ts')],
			outfile: join(dir, 'fake-host.js'),
			bundle: true,
			platform: 'browser',
			format: 'iife',
			target: 'es2022',
			logLevel: 'silent',
		});
		const bundleBytes = (await readFile(join(dir, 'webview.js'))).length;
		const files: Record<string, string> = {
			'/dist/webview.js': join(dir, 'webview.js'),
			'/dist/webview.js.map': join(dir, 'webview.js.map'),
			'/dist/codicons/codicon.css': join(ROOT, 'node_modules/@vscode/codicons/dist/codicon.css'),
			'/dist/codicons/codicon.ttf': join(ROOT, 'node_modules/@vscode/codicons/dist/codicon.ttf'),
			'/media/panel.css': join(ROOT, 'media/panel.css'),
			'/harness/fake-host.js': join(dir, 'fake-host.js'),
		};
		let origin = '';
		server = createServer((request, response) => {
			const url = new URL(request.url ?? '/', origin);
			const send = (status: number, type: string, body: string | Buffer): void => {
				response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
				response.end(body);
			};
			if (url.pathname === '/favicon.ico') {
				send(204, 'image/x-icon', '');
				return;
			}
			if (url.pathname === '/') {
				const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
				send(200, 'text/html', harnessPage(origin, theme in THEMES ? theme : 'dark'));
				return;
			}
			const themeMatch = /^\/harness\/theme-([a-z-]+)\.css$/.exec(url.pathname);
			if (themeMatch && themeMatch[1] in THEMES) {
				send(200, 'text/css', themeCss(themeMatch[1] as ThemeName));
				return;
			}
			const file = files[url.pathname];
			if (!file) {
				send(404, 'text/plain', 'not found');
				return;
			}
			readFile(file).then(
				(body) => send(200, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body),
				() => send(404, 'text/plain', 'not found'),
			);
		});
		const listening = server;
		await new Promise<void>((resolveListen) => listening.listen(0, '127.0.0.1', resolveListen));
		const address = listening.address();
		origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
		browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
		const openBrowser = browser;
		return {
			browser: openBrowser,
			origin,
			bundleBytes,
			url: (params = {}) => `${origin}/?${new URLSearchParams(params).toString()}`,
			close: async () => {
				await openBrowser.close();
				await new Promise<void>((done) => listening.close(() => done()));
				await rm(dir, { recursive: true, force: true });
			},
		};
	} catch (error) {
		await browser?.close();
		server?.close();
		await rm(dir, { recursive: true, force: true });
		throw error;
	}
}

/** The extension's own page, plus a theme stylesheet and the fake host script ahead of the panel script. */
function harnessPage(origin: string, theme: ThemeName): string {
	const nonce = createNonce();
	const html = renderPanelHtml({
		cspSource: origin,
		nonce,
		scriptUri: `${origin}/dist/webview.js`,
		styleUri: `${origin}/media/panel.css`,
		codiconsUri: `${origin}/dist/codicons/codicon.css`,
	});
	return html
		.replace('<title>', `<link rel="stylesheet" href="${origin}/harness/theme-${theme}.css" nonce="${nonce}">\n\t<title>`)
		.replace('<body>', `<body class="${THEMES[theme].bodyClass}">`)
		.replace(`<script nonce="${nonce}"`, `<script nonce="${nonce}" src="${origin}/harness/fake-host.js"></script>\n\t<script nonce="${nonce}"`);
}

export interface OpenedPanel {
	readonly page: Page;
	/** Console errors, page errors and CSP violations seen so far. */
	readonly problems: string[];
}

/** Opens the panel in a new page and waits until the first audit rows are on screen. */
export async function openPanel(harness: Harness, params: Record<string, string> = {}, viewport = { width: 380, height: 1250 }): Promise<OpenedPanel> {
	const page = await harness.browser.newPage({ viewport });
	const problems: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) {
			problems.push(`console: ${message.text()}`);
		}
	});
	page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
	await page.goto(harness.url(params));
	if (params.records !== '0') {
		await page.locator('[data-testid="audit-row"]:not(.loading)').first().waitFor();
	}
	return { page, problems };
}
