// Build diagnostics → Monaco markers for one file, clamped to the lines the buffer really has.
import type { Diagnostic } from '../../main/common/contract';
import { monaco } from './monaco-setup';

const severities = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  note: monaco.MarkerSeverity.Info,
} as const;

export function markersFor(diagnostics: Diagnostic[], path: string, model: monaco.editor.ITextModel): monaco.editor.IMarkerData[] {
  const lines = model.getLineCount();
  return diagnostics
    .filter((d) => d.file === path)
    .map((d) => {
      const line = Math.min(Math.max(d.line, 1), lines);
      const endLine = Math.min(Math.max(d.endLine || line, line), lines);
      let endColumn = d.endColumn || d.column;
      // a zero-width span (NASM gives only a line) underlines the whole line
      if (endLine === line && endColumn <= d.column) endColumn = model.getLineMaxColumn(line);
      return {
        severity: severities[d.severity],
        message: d.message,
        source: d.tool,
        code: d.code,
        startLineNumber: line,
        startColumn: Math.max(d.column, 1),
        endLineNumber: endLine,
        endColumn,
      };
    });
}
