import * as vscode from 'vscode';
import type { DiagnosticSeverity } from '../../core/host/filesHost';

const SEVERITIES: Record<vscode.DiagnosticSeverity, DiagnosticSeverity> = {
	[vscode.DiagnosticSeverity.Error]: 'error',
	[vscode.DiagnosticSeverity.Warning]: 'warning',
	[vscode.DiagnosticSeverity.Information]: 'information',
	[vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** A VS Code diagnostic's severity as the tools name it (get_diagnostics, run_task's problems). */
export function severityOf(severity: vscode.DiagnosticSeverity): DiagnosticSeverity {
	return SEVERITIES[severity];
}
