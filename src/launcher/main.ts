// Entry point of the stdio launcher (dist/mcp-workbench-stdio.mjs, copied to ~/.mcp-workbench/bin): newline-delimited
// JSON-RPC on stdin and stdout, as MCP's stdio transport defines it; diagnostics on stderr.
import { ENV_DISCOVERY_FILE, workbenchHome } from '../node/discovery/discovery';
import { StdioLauncher } from './stdioLauncher';

const USAGE = `Usage: mcp-workbench-stdio --client <id> [--workspace <folder>]
Connects an MCP client that speaks stdio to the MCP Workbench server of the VS Code window that has <folder> (default:
the working directory) open. "MCP Workbench: Connect a Client…" writes this command into the client's configuration.`;

function parseArgs(argv: readonly string[]): { clientId?: string; workspace?: string } {
	const result: { clientId?: string; workspace?: string } = {};
	for (let i = 0; i < argv.length; i++) {
		const value = argv[i + 1];
		if (argv[i] === '--client' && value) result.clientId = argv[++i];
		else if (argv[i] === '--workspace' && value) result.workspace = argv[++i];
		else if (argv[i] === '--help' || argv[i] === '-h') {
			process.stderr.write(`${USAGE}\n`);
			process.exit(0);
		} else {
			process.stderr.write(`mcp-workbench-stdio: unknown argument ${argv[i]}\n${USAGE}\n`);
			process.exit(2);
		}
	}
	return result;
}

const args = parseArgs(process.argv.slice(2));
const launcher = new StdioLauncher({
	root: workbenchHome(),
	workspace: args.workspace ?? process.cwd(),
	clientId: args.clientId ?? process.env.MCP_WORKBENCH_CLIENT,
	...(process.env[ENV_DISCOVERY_FILE] ? { discoveryFile: process.env[ENV_DISCOVERY_FILE] } : {}),
	send: (message) => process.stdout.write(`${JSON.stringify(message)}\n`),
	log: (line) => process.stderr.write(`mcp-workbench-stdio: ${line}\n`),
	waitForServerMs: Number(process.env.MCP_WORKBENCH_WAIT_MS ?? 30_000),
});

let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
	buffer += chunk;
	for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
		const line = buffer.slice(0, end).replace(/\r$/, '');
		buffer = buffer.slice(end + 1);
		if (line.trim() === '') continue;
		let message;
		try {
			message = JSON.parse(line);
		} catch {
			process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: a line on stdin is not JSON' } })}\n`);
			continue;
		}
		void launcher.receive(message);
	}
});
/** The client is gone (it closed stdin, or it died and its end of stdout with it): end the session, then exit. */
let ending = false;
function clientGone(how: string): void {
	if (ending) return;
	ending = true;
	process.stderr.write(`mcp-workbench-stdio: ${how}: ending the session\n`);
	void launcher.close().finally(() => process.exit(0));
}
process.stdin.on('end', () => clientGone('the client closed stdin'));
process.stdin.on('error', () => clientGone('stdin failed'));
// A killed client leaves a pipe nobody reads: writing to it fails with EPIPE, which would otherwise crash the
// launcher before it ended the session (the session then stayed open until the server's idle timeout).
process.stdout.on('error', () => clientGone('the client stopped reading stdout'));
// Diagnostics are best effort: a client that piped our stderr and died leaves it broken too, and a failed write of a
// log line must not kill the launcher before it ends the session (stdin's end says the client is gone).
process.stderr.on('error', () => undefined);
