import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A folder only this user can list or enter (0700), created with its parents; an existing one is tightened. */
export async function privateFolder(path: string): Promise<string> {
	await mkdir(path, { recursive: true, mode: 0o700 });
	// mkdir's mode is masked by the umask and does nothing to a folder that already existed.
	if (process.platform !== 'win32') await chmod(path, 0o700);
	return path;
}

/**
 * Writes `text` so that a reader sees the old file or the whole new one, never half: a 0600 temp file beside the
 * target (same file system), flushed, then renamed over it. The mode is set at creation, so the content is never
 * readable by others, not even for a moment.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
	await privateFolder(dirname(path));
	const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
	const handle = await open(temp, 'wx', 0o600);
	try {
		await handle.writeFile(text, 'utf8');
		await handle.sync();
	} finally {
		await handle.close();
	}
	try {
		await rename(temp, path);
	} catch (error) {
		await rm(temp, { force: true });
		throw error;
	}
}
