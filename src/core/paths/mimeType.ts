/**
 * The MIME type of a workspace file from its name, for resources: clients pick a viewer or a language from it, and a
 * model is told what the text is. Common source, markup, data and image types; anything else is text/plain when it
 * reads as text (the caller knows) and application/octet-stream when not.
 */
const BY_EXTENSION: Readonly<Record<string, string>> = {
	ts: 'text/x-typescript', tsx: 'text/x-typescript', mts: 'text/x-typescript', cts: 'text/x-typescript',
	js: 'text/javascript', mjs: 'text/javascript', cjs: 'text/javascript', jsx: 'text/javascript',
	json: 'application/json', jsonc: 'application/json', jsonl: 'application/jsonl',
	md: 'text/markdown', markdown: 'text/markdown', txt: 'text/plain', log: 'text/plain',
	html: 'text/html', htm: 'text/html', css: 'text/css', scss: 'text/x-scss', less: 'text/x-less',
	xml: 'application/xml', svg: 'image/svg+xml', yaml: 'application/yaml', yml: 'application/yaml', toml: 'application/toml',
	csv: 'text/csv', tsv: 'text/tab-separated-values', ini: 'text/plain', env: 'text/plain',
	py: 'text/x-python', rb: 'text/x-ruby', go: 'text/x-go', rs: 'text/x-rust', java: 'text/x-java', kt: 'text/x-kotlin',
	c: 'text/x-c', h: 'text/x-c', cc: 'text/x-c++', cpp: 'text/x-c++', hpp: 'text/x-c++', cs: 'text/x-csharp',
	swift: 'text/x-swift', php: 'text/x-php', sh: 'text/x-shellscript', bash: 'text/x-shellscript', zsh: 'text/x-shellscript',
	sql: 'application/sql', graphql: 'application/graphql', vue: 'text/x-vue', svelte: 'text/x-svelte',
	png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', ico: 'image/x-icon',
	pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip', wasm: 'application/wasm',
};

const BY_NAME: Readonly<Record<string, string>> = {
	dockerfile: 'text/x-dockerfile', makefile: 'text/x-makefile', license: 'text/plain', '.gitignore': 'text/plain',
};

/** The MIME type a file's name suggests, or undefined when the name says nothing. */
export function mimeTypeFor(path: string): string | undefined {
	const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
	if (BY_NAME[name]) return BY_NAME[name];
	const dot = name.lastIndexOf('.');
	return dot >= 0 ? BY_EXTENSION[name.slice(dot + 1)] : undefined;
}
