import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import initSqlJs, { type SqlJsStatic, type SqlValue } from 'sql.js';
import type { ContributedTool } from '../../../api/mcp-workbench';

/** sql.js keeps the whole database in memory; past this a query tool is the wrong instrument. */
const MAX_DATABASE_BYTES = 256 * 1024 * 1024;

export interface SqliteOptions {
	/** Where sql-wasm.wasm lies (shipped beside the bundle). */
	readonly wasmPath: string;
	/** The workspace folders: the only places a database may be read from. */
	readonly folders: () => readonly string[];
}

interface QueryInput {
	readonly database: string;
	readonly sql: string;
	readonly maxRows?: number;
}

/**
 * A read-only SQL query on a SQLite file in the workspace. Writes are refused by SQLite itself, not by matching
 * keywords: the file is only ever read (its bytes, into sql.js's memory), the engine runs with `query_only` on, so
 * INSERT, UPDATE, DELETE, DDL and writing pragmas fail with SQLITE_READONLY, and each call gets a fresh database
 * and a single statement, so not even a statement that turns `query_only` off can be followed by a write.
 */
export function sqliteQuery(options: SqliteOptions): ContributedTool<QueryInput> {
	let engine: Promise<SqlJsStatic> | undefined;
	return {
		name: 'sqlite_query',
		title: 'Query a SQLite database (read-only)',
		description: 'Runs one SQL statement on a SQLite file in the workspace, read-only: statements that write are refused by the database. Returns the columns and up to maxRows rows.',
		input: {
			type: 'object',
			properties: {
				database: { type: 'string', minLength: 1, description: 'Path of the .sqlite/.db file, relative to the first workspace folder or absolute inside one.' },
				sql: { type: 'string', minLength: 1, maxLength: 100000, description: 'One SQL statement (SELECT, WITH, EXPLAIN, a reading PRAGMA).' },
				maxRows: { type: 'integer', minimum: 1, maximum: 5000, description: 'Most rows returned (default 200).' },
			},
			required: ['database', 'sql'],
			additionalProperties: false,
		},
		output: {
			type: 'object',
			properties: { columns: { type: 'array', items: { type: 'string' } }, rows: { type: 'array', items: { type: 'array' } }, truncated: { type: 'boolean' } },
			required: ['columns', 'rows', 'truncated'],
		},
		risk: 'read',
		annotations: { idempotentHint: true, openWorldHint: false },
		async handler(input) {
			const path = await databasePath(input.database, options.folders());
			const size = (await stat(path)).size;
			if (size > MAX_DATABASE_BYTES) return { text: `${input.database} is ${Math.round(size / 1048576)} MB; this tool reads databases up to ${MAX_DATABASE_BYTES / 1048576} MB.`, isError: true };
			engine ??= initSqlJs({ locateFile: () => options.wasmPath });
			const SQL = await engine;
			const db = new SQL.Database(new Uint8Array(await readFile(path)));
			try {
				db.run('PRAGMA query_only = ON');
				const statements = db.iterateStatements(input.sql);
				const first = statements.next();
				if (first.done) return { text: 'The SQL holds no statement.', isError: true };
				const statement = first.value;
				const limit = input.maxRows ?? 200;
				const columns = statement.getColumnNames();
				const rows: SqlValue[][] = [];
				let truncated = false;
				while (statement.step()) {
					if (rows.length === limit) {
						truncated = true;
						break;
					}
					rows.push(statement.get().map(plain));
				}
				// Asking for the next statement compiles it without running it (and frees the first).
				if (!statements.next().done) return { text: 'Send one statement per call (this SQL holds more than one); nothing after the first ran.', isError: true };
				return { text: table(columns, rows, truncated, limit), structured: { columns, rows, truncated } };
			} catch (error) {
				return { text: `SQLite refused the statement: ${error instanceof Error ? error.message : String(error)}. This tool only reads; it cannot change the database.`, isError: true };
			} finally {
				db.close();
			}
		},
	};
}

/** The database's real path, inside a workspace folder (a symlink pointing out is refused too). */
async function databasePath(given: string, folders: readonly string[]): Promise<string> {
	if (folders.length === 0) throw new Error('Open a folder first: databases are read from the workspace folders only.');
	const candidate = isAbsolute(given) ? given : resolve(folders[0], given);
	let real: string;
	try {
		real = await realpath(candidate);
	} catch {
		throw new Error(`${given} does not exist (looked at ${candidate}).`);
	}
	const roots = await Promise.all(folders.map((folder) => realpath(folder).catch(() => folder)));
	const inside = roots.some((root) => {
		const rel = relative(root, real);
		return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
	});
	if (!inside) throw new Error(`${given} is outside the workspace folders; this tool reads databases inside them only.`);
	return real;
}

/** BLOBs as a short description: bytes are not text the agent can use, and JSON has no bytes. */
function plain(value: SqlValue): SqlValue {
	return value instanceof Uint8Array ? `<blob ${value.length} bytes>` : value;
}

function table(columns: readonly string[], rows: readonly SqlValue[][], truncated: boolean, limit: number): string {
	if (columns.length === 0) return 'The statement returned no columns.';
	const lines = [columns.join('\t'), ...rows.map((row) => row.map((cell) => (cell === null ? 'NULL' : String(cell))).join('\t'))];
	const note = truncated ? `\n(first ${limit} rows; more exist: raise maxRows or narrow the query)` : `\n(${rows.length} row${rows.length === 1 ? '' : 's'})`;
	return lines.join('\n') + note;
}
