// FilesHost on VS Code's API. A file the editor holds (an open document) is written through WorkspaceEdit and a
// document save, not straight to disk, so the editor shows the change at once, the user can undo it (Ctrl+Z), and no
// editor is left holding stale text that a later save would write back over the agent's change. A file the editor
// does not hold is written the way the Node host writes it: on Linux through its folder held open, so a folder on
// the way swapped for a symbolic link after the jail's check cannot send the write outside the workspace (VS Code's
// file API works by path and would follow the link). The editor's file watcher shows such a file as usual.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FileDiagnostic, FileListIndex, FilesHost, FolderExcludes, WriteTextOptions } from '../../core/host/filesHost';
import { severityOf } from './severity';
import type { WorkspaceFolderInfo } from '../../core/host/host';
import { ToolError } from '../../core/base/errors';
import { KeyedMutex } from '../../core/base/keyedMutex';
import { encodeText } from '../../core/host/textEncoding';
import { anchoringAvailable } from '../../node/files/anchoredFs';
import { NodeFilesHost } from '../../node/files/nodeFilesHost';

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

function samePath(a: string, b: string): boolean {
	return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function toFileDiagnostic(path: string, diagnostic: vscode.Diagnostic): FileDiagnostic {
	const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
	return {
		path,
		severity: severityOf(diagnostic.severity),
		message: diagnostic.message,
		line: diagnostic.range.start.line + 1,
		column: diagnostic.range.start.character + 1,
		endLine: diagnostic.range.end.line + 1,
		endColumn: diagnostic.range.end.character + 1,
		source: diagnostic.source,
		code: code === undefined ? undefined : String(code),
	};
}

/** `files.exclude`-style settings map globs to true/false or to a `when` condition on siblings; only plain `true` applies. */
function enabledGlobs(section: string, folder: WorkspaceFolderInfo): string[] {
	const value = vscode.workspace.getConfiguration(section, vscode.Uri.file(folder.path)).get<Record<string, unknown>>('exclude') ?? {};
	return Object.entries(value).filter(([, enabled]) => enabled === true).map(([glob]) => glob);
}

/** The ripgrep VS Code ships; its location moved between releases and differs inside the asar bundle. */
function findBundledRipgrep(): string {
	const binary = process.platform === 'win32' ? 'rg.exe' : 'rg';
	const candidates = ['node_modules/@vscode/ripgrep/bin', 'node_modules.asar.unpacked/@vscode/ripgrep/bin', 'node_modules/vscode-ripgrep/bin', 'node_modules.asar.unpacked/vscode-ripgrep/bin']
		.map((folder) => join(vscode.env.appRoot, folder, binary));
	return candidates.find((candidate) => existsSync(candidate)) ?? binary;
}

export class VscodeFilesHost implements FilesHost {
	private ripgrep: string | undefined;
	private readonly locks = new KeyedMutex();
	/** Writes of files no editor holds (see the top of this file). */
	private readonly disk = new NodeFilesHost();
	/** The live file list find_files answers from (set by the composition, which owns its watcher). */
	index: FileListIndex | undefined;

	exclusive<T>(absolutePaths: readonly string[], change: () => Promise<T>): Promise<T> {
		return this.locks.runAll(absolutePaths.map((path) => (caseInsensitive ? path.toLowerCase() : path)), change);
	}

	dirtyText(absolutePath: string): string | undefined {
		const document = vscode.workspace.textDocuments.find((doc) => doc.uri.scheme === 'file' && samePath(doc.uri.fsPath, absolutePath));
		return document?.isDirty ? document.getText() : undefined;
	}

	async writeText(absolutePath: string, text: string, options: WriteTextOptions): Promise<void> {
		const uri = vscode.Uri.file(absolutePath);
		if (anchoringAvailable && !vscode.workspace.textDocuments.some((doc) => doc.uri.scheme === 'file' && samePath(doc.uri.fsPath, absolutePath))) {
			await this.disk.writeText(absolutePath, text, options);
			return;
		}
		const exists = await stat(absolutePath).then(() => true, () => false);
		if (exists && options.mode === 'create') {
			throw new ToolError(`${absolutePath} already exists; use write_file or edit_file to change it, or set overwrite: true.`);
		}
		if (!exists) {
			// createFile with contents is one undoable step and creates missing parent folders.
			const edit = new vscode.WorkspaceEdit();
			edit.createFile(uri, { overwrite: false, contents: encodeText(text, options.encoding, options.bom) });
			if (!(await vscode.workspace.applyEdit(edit))) {
				throw new ToolError(`VS Code refused to create ${absolutePath}. Nothing was changed.`);
			}
			return;
		}
		// The document keeps its own encoding and line endings; replacing its text keeps the editor's undo stack.
		const document = await vscode.workspace.openTextDocument(uri);
		const edit = new vscode.WorkspaceEdit();
		edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
		if (!(await vscode.workspace.applyEdit(edit))) {
			throw new ToolError(`VS Code refused the edit to ${absolutePath}. Nothing was changed.`);
		}
		// save() reports false for a document that is not dirty, which is the case when the text did not change.
		if (document.isDirty && !(await document.save())) {
			throw new ToolError(`The edit to ${absolutePath} was applied in the editor but could not be saved; the editor shows it unsaved.`);
		}
	}

	async rename(from: string, to: string, options: { readonly overwrite: boolean }): Promise<void> {
		const edit = new vscode.WorkspaceEdit();
		edit.renameFile(vscode.Uri.file(from), vscode.Uri.file(to), { overwrite: options.overwrite });
		if (!(await vscode.workspace.applyEdit(edit))) {
			throw new ToolError(`VS Code refused to rename ${from} to ${to}. Nothing was changed.`);
		}
	}

	async delete(absolutePath: string, options: { readonly recursive: boolean }): Promise<{ readonly trashed: boolean }> {
		const uri = vscode.Uri.file(absolutePath);
		try {
			await vscode.workspace.fs.delete(uri, { recursive: options.recursive, useTrash: true });
			return { trashed: true };
		} catch {
			// Remote and virtual file systems often have no trash; the call was approved as a delete, so delete.
			await vscode.workspace.fs.delete(uri, { recursive: options.recursive, useTrash: false });
			return { trashed: false };
		}
	}

	diagnostics(absolutePath?: string): readonly FileDiagnostic[] {
		if (absolutePath !== undefined) {
			return vscode.languages.getDiagnostics(vscode.Uri.file(absolutePath)).map((d) => toFileDiagnostic(absolutePath, d));
		}
		return vscode.languages.getDiagnostics()
			.filter(([uri]) => uri.scheme === 'file')
			.flatMap(([uri, list]) => list.map((d) => toFileDiagnostic(uri.fsPath, d)));
	}

	excludes(folder: WorkspaceFolderInfo): FolderExcludes {
		return { files: enabledGlobs('files', folder), search: enabledGlobs('search', folder) };
	}

	ripgrepPath(): string {
		this.ripgrep ??= findBundledRipgrep();
		return this.ripgrep;
	}
}
