// The one way the panel builds elements. Data from the host (tool arguments, output, paths) reaches the DOM only
// through textContent and setAttribute here, never through HTML parsing, so it cannot inject markup or script; and
// always through visibleText, so control and bidi characters show as ⟨U+202E⟩ instead of reordering what a person
// reads before deciding.
import { visibleText } from '../core/base/visibleText';

export interface ElementOptions {
	readonly className?: string;
	readonly text?: string;
	readonly attrs?: Readonly<Record<string, string | undefined>>;
}

export function el(tag: string, options: ElementOptions = {}, ...children: (Node | undefined)[]): HTMLElement {
	const element = document.createElement(tag);
	if (options.className) {
		element.className = options.className;
	}
	if (options.attrs) {
		setAttrs(element, options.attrs);
	}
	if (options.text !== undefined) {
		element.textContent = visibleText(options.text);
	}
	for (const child of children) {
		if (child) {
			element.append(child);
		}
	}
	return element;
}

export function setAttrs(element: Element, attrs: Readonly<Record<string, string | undefined>>): void {
	for (const [name, value] of Object.entries(attrs)) {
		if (value === undefined) {
			element.removeAttribute(name);
		} else {
			element.setAttribute(name, visibleText(value));
		}
	}
}

/** A codicon glyph from the page's codicon.css; decorative, so hidden from screen readers. */
export function codicon(name: string, className = ''): HTMLElement {
	return el('span', { className: `codicon codicon-${name}${className ? ` ${className}` : ''}`, attrs: { 'aria-hidden': 'true' } });
}

export function button(label: string, options: { readonly testId: string; readonly secondary?: boolean; readonly icon?: string; readonly ariaLabel?: string; readonly title?: string }): HTMLElement {
	// The icon is slotted page markup rather than the button's `icon` property: that would nest a vscode-icon, with
	// its own shadow root and codicon stylesheet, in every button, which is most of the panel's first-frame cost.
	const icon = options.icon ? el('span', { className: `codicon codicon-${options.icon} button-icon`, attrs: { slot: 'content-before', 'aria-hidden': 'true' } }) : undefined;
	const element = el('vscode-button', {
		attrs: { 'data-testid': options.testId, 'aria-label': options.ariaLabel, title: options.title },
	}, icon, document.createTextNode(visibleText(label)));
	if (options.secondary) {
		element.setAttribute('secondary', '');
	}
	return element;
}


/** Sets an element's text the panel's one way (see the top of this file). */
export function setText(element: Node, text: string): void {
	element.textContent = visibleText(text);
}
