import * as vscode from 'vscode';
import { formatLogLine, type Logger } from '../core/base/log';

/** Structured lines in the "MCP Workbench" log channel; the channel adds time and level. */
export function createLogger(channel: vscode.LogOutputChannel, redact: (text: string) => string): Logger {
	return {
		trace: (event, fields) => channel.trace(redact(formatLogLine(event, fields))),
		info: (event, fields) => channel.info(redact(formatLogLine(event, fields))),
		warn: (event, fields) => channel.warn(redact(formatLogLine(event, fields))),
		error: (event, fields) => channel.error(redact(formatLogLine(event, fields))),
	};
}
