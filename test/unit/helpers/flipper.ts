// The racing process of the path-jail attacks: a folder on the path flipped for a symbolic link, thousands of times a
// second, in a process of its own. Used by the unit suite (Node host) and the real-editor suite (VS Code's host).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Flips `path` between a real folder (holding victim.txt) and a symbolic link to `target` by renames only, as fast as
 * it can, in its own process (a loop here would stop the server's event loop). The folder waits beside as
 * `<path>.real`, the link as `<path>.link`; it records how many flips it made in `counter` every 500.
 */
export function startFlipper(path: string, target: string, counter: string): ChildProcess {
	const script = `
		const fs = require('node:fs');
		const [path, target, counter] = process.argv.slice(1);
		const aside = path + '.real', link = path + '.link';
		try { fs.unlinkSync(link); } catch {}
		fs.symlinkSync(target, link);
		const kind = (p) => { try { return fs.lstatSync(p).isSymbolicLink() ? 'link' : 'dir'; } catch { return 'none'; } };
		for (let i = 0; ; i++) {
			if (i % 500 === 0) { fs.writeFileSync(counter + '.tmp', String(i)); fs.renameSync(counter + '.tmp', counter); }
			try {
				const now = kind(path);
				if (now === 'link') {
					fs.renameSync(path, link);
					fs.renameSync(aside, path);
				} else if (now === 'dir' && kind(aside) === 'dir') {
					// A folder the server made at the path while it was missing: moved aside, still inside.
					fs.renameSync(path, path + '.stray' + i);
				} else if (now === 'dir') {
					fs.renameSync(path, aside);
					if (!fs.existsSync(aside + '/victim.txt')) fs.writeFileSync(aside + '/victim.txt', 'harmless\\n');
					fs.renameSync(link, path);
				} else {
					fs.renameSync(kind(aside) === 'dir' ? aside : link, path);
				}
			} catch {}
		}`;
	// ELECTRON_RUN_AS_NODE: inside a desktop VS Code's extension host, execPath is Electron's.
	return spawn(process.execPath, ['-e', script, path, target, counter], { stdio: 'ignore', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
}

export function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.kill('SIGKILL');
	});
}

export function flipsSoFar(counter: string): number {
	try {
		return Number(readFileSync(counter, 'utf8')) || 0;
	} catch {
		return 0;
	}
}
