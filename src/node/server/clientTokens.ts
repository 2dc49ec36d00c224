import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Bearer tokens issued to named clients ("Copy Client Configuration" mints one per client). A call's client is the
 * name of the token it came with, not what the client says about itself in `initialize`, which anyone can choose.
 * Tokens live as long as the server run that issued them, like the secret VS Code's own registration uses.
 */
export class ClientTokens {
	private readonly issued: { readonly name: string; readonly digest: Buffer }[] = [];

	/** `reserved`: names no token may get, such as the secret's ("VS Code"): a name must stand for one credential. */
	constructor(private readonly reserved: readonly string[] = []) { }

	/** A new token for `name`; a name already issued gets a number, so every name on a card is one credential's. */
	mint(name: string): { readonly token: string; readonly name: string } {
		const base = name.trim().slice(0, 80) || 'client';
		let unique = base;
		const taken = (candidate: string) => this.reserved.includes(candidate) || this.issued.some((entry) => entry.name === candidate);
		for (let n = 2; taken(unique); n++) unique = `${base} (${n})`;
		const token = randomBytes(32).toString('base64url');
		this.issued.push({ name: unique, digest: tokenDigest(token) });
		return { token, name: unique };
	}

	/** The name the token was issued to, or undefined. Compares against every token, whatever matches first. */
	identify(token: string): string | undefined {
		const given = tokenDigest(token);
		let found: string | undefined;
		for (const entry of this.issued) {
			if (timingSafeEqual(given, entry.digest) && found === undefined) found = entry.name;
		}
		return found;
	}

	get size(): number {
		return this.issued.length;
	}
}

function tokenDigest(token: string): Buffer {
	return createHash('sha256').update(token).digest();
}
