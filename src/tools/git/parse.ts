// Parsers for git's machine formats (porcelain v2, custom --format strings). Pure: text in, data out.

export interface StatusEntry {
	readonly path: string;
	readonly status: string;
	readonly from?: string;
	readonly submodule?: boolean;
}

export interface ConflictEntry {
	readonly path: string;
	readonly kind: string;
}

export interface ParsedStatus {
	oid: string | null;
	head: string | null;
	detached: boolean;
	upstream: string | null;
	ahead: number | null;
	behind: number | null;
	stashes: number;
	staged: StatusEntry[];
	unstaged: StatusEntry[];
	untracked: string[];
	conflicts: ConflictEntry[];
}

const CHANGE_NAMES: Record<string, string> = {
	M: 'modified', A: 'added', D: 'deleted', R: 'renamed', C: 'copied', T: 'type-changed', U: 'unmerged',
};

const CONFLICT_NAMES: Record<string, string> = {
	DD: 'both-deleted', AU: 'added-by-us', UD: 'deleted-by-them', UA: 'added-by-them', DU: 'deleted-by-us',
	AA: 'both-added', UU: 'both-modified',
};

/** `git status --porcelain=v2 --branch --show-stash -z`. */
export function parseStatus(text: string): ParsedStatus {
	const status: ParsedStatus = {
		oid: null, head: null, detached: false, upstream: null, ahead: null, behind: null, stashes: 0,
		staged: [], unstaged: [], untracked: [], conflicts: [],
	};
	const records = text.split('\0');
	for (let i = 0; i < records.length; i++) {
		const record = records[i];
		if (record === '') {
			continue;
		}
		const kind = record[0];
		if (kind === '#') {
			parseHeader(record, status);
		} else if (kind === '1' || kind === '2') {
			// Ordinary: "1 XY sub mH mI mW hH hI path"; renamed/copied adds a score and then the old path as its own record.
			const fields = record.split(' ');
			const fixed = kind === '1' ? 8 : 9;
			const path = fields.slice(fixed).join(' ');
			const from = kind === '2' ? records[++i] : undefined;
			const submodule = fields[2].startsWith('S');
			const [x, y] = [fields[1][0], fields[1][1]];
			if (x !== '.') {
				status.staged.push({ path, status: CHANGE_NAMES[x] ?? x, ...(from !== undefined ? { from } : {}), ...(submodule ? { submodule } : {}) });
			}
			if (y !== '.') {
				status.unstaged.push({ path, status: CHANGE_NAMES[y] ?? y, ...(submodule ? { submodule } : {}) });
			}
		} else if (kind === 'u') {
			const fields = record.split(' ');
			status.conflicts.push({ path: fields.slice(10).join(' '), kind: CONFLICT_NAMES[fields[1]] ?? fields[1] });
		} else if (kind === '?') {
			status.untracked.push(record.slice(2));
		}
	}
	return status;
}

function parseHeader(record: string, status: ParsedStatus): void {
	const [, key, ...rest] = record.split(' ');
	const value = rest.join(' ');
	switch (key) {
		case 'branch.oid':
			status.oid = value === '(initial)' ? null : value;
			break;
		case 'branch.head':
			status.detached = value === '(detached)';
			status.head = status.detached ? null : value;
			break;
		case 'branch.upstream':
			status.upstream = value;
			break;
		case 'branch.ab': {
			const match = /^\+(\d+) -(\d+)$/.exec(value);
			if (match) {
				status.ahead = Number(match[1]);
				status.behind = Number(match[2]);
			}
			break;
		}
		case 'stash':
			status.stashes = Number(value) || 0;
			break;
	}
}

export const LOG_FORMAT = '%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%cI%x1f%s%x1f%b';

export interface LogCommit {
	readonly hash: string;
	readonly parents: string[];
	readonly author: { readonly name: string; readonly email: string; readonly date: string };
	readonly committer: { readonly name: string; readonly date: string };
	readonly subject: string;
	readonly body: string;
}

export function parseLog(text: string, maxBody: number): LogCommit[] {
	return text.split('\x1e').filter((record) => record.length > 0).map((record) => {
		const [hash, parents, authorName, authorEmail, authorDate, committerName, committerDate, subject, ...body] = record.split('\x1f');
		const fullBody = body.join('\x1f').trim();
		return {
			hash,
			parents: parents ? parents.split(' ') : [],
			author: { name: authorName, email: authorEmail, date: authorDate },
			committer: { name: committerName, date: committerDate },
			subject,
			body: fullBody.length > maxBody ? `${fullBody.slice(0, maxBody)} …` : fullBody,
		};
	});
}

export const BRANCH_FORMAT = '%(refname)%1f%(objectname)%1f%(HEAD)%1f%(upstream:short)%1f%(upstream:track,nobracket)%1f%(contents:subject)';

export interface LocalBranch {
	readonly name: string;
	readonly current: boolean;
	readonly hash: string;
	readonly upstream: string | null;
	readonly ahead: number;
	readonly behind: number;
	readonly upstreamGone: boolean;
	readonly subject: string;
}

export interface RemoteBranch {
	readonly name: string;
	readonly hash: string;
	readonly subject: string;
}

export function parseBranches(text: string): { local: LocalBranch[]; remote: RemoteBranch[] } {
	const local: LocalBranch[] = [];
	const remote: RemoteBranch[] = [];
	for (const line of text.split('\n')) {
		if (!line) {
			continue;
		}
		const [ref, hash, head, upstream, track, subject] = line.split('\x1f');
		if (ref.startsWith('refs/heads/')) {
			local.push({
				name: ref.slice('refs/heads/'.length),
				current: head === '*',
				hash,
				upstream: upstream || null,
				ahead: Number(/ahead (\d+)/.exec(track)?.[1] ?? 0),
				behind: Number(/behind (\d+)/.exec(track)?.[1] ?? 0),
				upstreamGone: track === 'gone',
				subject,
			});
		} else if (ref.startsWith('refs/remotes/') && !ref.endsWith('/HEAD')) {
			remote.push({ name: ref.slice('refs/remotes/'.length), hash, subject });
		}
	}
	return { local, remote };
}

export const STASH_FORMAT = '%gd%x1f%H%x1f%cI%x1f%gs';

export interface StashEntry {
	readonly index: number;
	readonly hash: string;
	readonly date: string;
	readonly message: string;
}

export function parseStashList(text: string): StashEntry[] {
	return text.split('\n').filter(Boolean).map((line) => {
		const [ref, hash, date, message] = line.split('\x1f');
		return { index: Number(/\{(\d+)\}/.exec(ref)?.[1] ?? 0), hash, date, message };
	});
}

export interface BlameLine {
	readonly hash: string;
	readonly line: number;
	readonly author: string;
	readonly time: number;
	readonly content: string;
}

/** `git blame --line-porcelain`: every line repeats its commit's headers, then the content after a tab. */
export function parseBlame(text: string): BlameLine[] {
	const lines: BlameLine[] = [];
	let hash = '';
	let line = 0;
	let author = '';
	let time = 0;
	let expectHeader = true;
	for (const row of text.split('\n')) {
		if (expectHeader) {
			const match = /^([0-9a-f]{40,64}) \d+ (\d+)/.exec(row);
			if (match) {
				hash = match[1];
				line = Number(match[2]);
				expectHeader = false;
			}
			continue;
		}
		if (row.startsWith('\t')) {
			lines.push({ hash, line, author, time, content: row.slice(1) });
			expectHeader = true;
		} else if (row.startsWith('author ')) {
			author = row.slice('author '.length);
		} else if (row.startsWith('author-time ')) {
			time = Number(row.slice('author-time '.length));
		}
	}
	return lines;
}

/** A staged change as `git diff --cached -z --raw --numstat --no-abbrev` prints it, before sensitive paths are known. */
export interface StagedChange {
	readonly path: string;
	readonly oldPath?: string;
	/** git's letter: A, M, D, R, C, T, U (unmerged). */
	readonly letter: string;
	readonly oldMode: string;
	readonly newMode: string;
	readonly oldObject: string;
	readonly newObject: string;
	/** Lines added and removed; undefined for a binary file (numstat prints `-`). */
	readonly added?: number;
	readonly removed?: number;
}

/**
 * `--raw` and `--numstat` together with `-z`: first every raw entry (`:mode mode oid oid X\0path\0`, a rename or copy
 * with two paths), then one numstat entry per raw entry in the same order (`added\tremoved\tpath\0`, a rename as
 * `added\tremoved\t\0old\0new\0`). Names are consumed by count, never guessed from their text: a file may be named
 * `:100644` or hold a tab.
 */
export function parseStagedChanges(text: string): StagedChange[] {
	const fields = text.split('\0');
	let at = 0;
	const raw: { letter: string; oldMode: string; newMode: string; oldObject: string; newObject: string; names: string[] }[] = [];
	while (at < fields.length && fields[at].startsWith(':')) {
		const [oldMode, newMode, oldObject, newObject, status] = fields[at++].slice(1).split(' ');
		const letter = status[0];
		const count = letter === 'R' || letter === 'C' ? 2 : 1;
		raw.push({ letter, oldMode, newMode, oldObject, newObject, names: fields.slice(at, at + count) });
		at += count;
	}
	return raw.map((entry) => {
		const [added, removed, inline] = (fields[at++] ?? '').split('\t');
		// A rename's numstat names follow as fields of their own (its inline name is empty).
		if (inline === '' && entry.names.length === 2) at += 2;
		const counts = added === '-' || added === undefined ? {} : { added: Number(added), removed: Number(removed) };
		const path = entry.names[entry.names.length - 1];
		return {
			path,
			...(entry.names.length === 2 ? { oldPath: entry.names[0] } : {}),
			letter: entry.letter,
			oldMode: entry.oldMode,
			newMode: entry.newMode,
			oldObject: entry.oldObject,
			newObject: entry.newObject,
			...counts,
		};
	});
}

/**
 * A commit message as `git commit --cleanup=whitespace` records it (git's `strbuf_stripspace` without comment
 * stripping): trailing whitespace gone from every line, runs of empty lines made one, none at the start or end, and
 * one final newline.
 */
export function cleanCommitMessage(message: string): string {
	const lines: string[] = [];
	let pendingEmpty = false;
	for (const line of message.split('\n')) {
		const trimmed = line.replace(/[ \t\n\v\f\r]+$/, '');
		if (trimmed === '') {
			pendingEmpty = lines.length > 0;
			continue;
		}
		if (pendingEmpty) lines.push('');
		pendingEmpty = false;
		lines.push(trimmed);
	}
	return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
