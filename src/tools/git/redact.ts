/** `scheme://user:token@host` → `scheme://***@host`: remote URLs in git's messages must not carry credentials out. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s'"]+@/gi;

export function redactCredentials(text: string): string {
	return text.replace(URL_CREDENTIALS, '$1***@');
}
