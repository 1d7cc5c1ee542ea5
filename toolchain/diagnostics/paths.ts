// Paths in diagnostics are workspace-relative and '/'-separated.
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** `file` (relative to `baseDir`, or absolute) as a workspace-relative path; undefined when outside. */
export function workspaceRelative(workspaceDir: string, baseDir: string, file: string): string | undefined {
  const absolute = resolve(baseDir, file);
  const rel = relative(resolve(workspaceDir), absolute);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** Columns of a line's text without leading/trailing blanks and without a trailing `;` comment. */
export function lineSpan(text: string | undefined): { column: number; endColumn: number } {
  if (text === undefined) return { column: 1, endColumn: 1 };
  const code = text.replace(/;.*$/, '').replace(/\s+$/, '');
  const start = code.search(/\S/);
  if (start < 0) return { column: 1, endColumn: text.length + 1 };
  return { column: start + 1, endColumn: code.length + 1 };
}
