// nasm's messages (`file:line: severity: message [-w+class]`) as structured diagnostics.
// nasm gives no columns: a diagnostic spans the code on its line (from the first non-blank
// character to the end of the code, before any `;` comment) when the line's text is known.
import type { Diagnostic } from '../../base/diagnostics';
import { lineSpan, workspaceRelative } from './paths';

export interface NasmParseContext {
  /** nasm's working directory (the workspace root); relative paths in messages start here. */
  workspaceDir: string;
  /** The workspace-relative source being assembled, for messages without a location. */
  source: string;
  /** The text of a line (1-based) of a workspace-relative file, when it can be read. */
  lineText?(file: string, line: number): string | undefined;
}

const LOCATED = /^(.+?):(\d+): (error|warning|fatal|panic|note|info|debug)?:? ?(.*)$/;
const UNLOCATED = /^nasm: (error|warning|fatal|panic): (.*)$/;
const WARNING_CLASS = /\s*\[-w\+([\w-]+)\]$/;

export function parseNasmOutput(text: string, ctx: NasmParseContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (!line) continue;
    const unlocated = UNLOCATED.exec(line);
    if (unlocated) {
      diagnostics.push(make(ctx.source, 1, { column: 1, endColumn: 1 }, severityOf(unlocated[1]), unlocated[2]));
      continue;
    }
    const located = LOCATED.exec(line);
    if (!located) continue;
    const [, path, lineNo, level, rest] = located;
    const file = workspaceRelative(ctx.workspaceDir, ctx.workspaceDir, path) ?? path;
    const n = Number(lineNo);
    const span = lineSpan(ctx.lineText?.(file, n));
    if (!level) {
      // Context lines such as "file:4: ... from macro `PUT' defined here".
      diagnostics.push(make(file, n, span, 'note', rest.replace(/^\.\.\.\s*/, '')));
      continue;
    }
    const cls = WARNING_CLASS.exec(rest);
    const message = cls ? rest.slice(0, cls.index) : rest;
    diagnostics.push(make(file, n, span, severityOf(level), message, cls?.[1]));
  }
  return diagnostics;
}

function severityOf(level: string): Diagnostic['severity'] {
  if (level === 'warning') return 'warning';
  if (level === 'note' || level === 'info' || level === 'debug') return 'note';
  return 'error';
}

function make(
  file: string,
  line: number,
  span: { column: number; endColumn: number },
  severity: Diagnostic['severity'],
  message: string,
  code?: string,
): Diagnostic {
  const d: Diagnostic = { tool: 'nasm', file, line, column: span.column, endLine: line, endColumn: span.endColumn, severity, message };
  if (code) d.code = code;
  return d;
}
