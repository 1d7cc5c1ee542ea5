// cargo's `--message-format=json-diagnostic-rendered-ansi` stream, one JSON object a line:
// compiler-message → diagnostics (primary span, plus child note/help spans as `note`s) and the
// rendered ANSI text for the console; compiler-artifact → progress; build-finished → the verdict.
import type { Diagnostic } from '../../base/diagnostics';
import { workspaceRelative } from './paths';

export interface CargoParseContext {
  workspaceDir: string;
  /** cargo's working directory (the kernel crate): rustc span paths are relative to it. */
  crateDir: string;
}

export type CargoEvent =
  | { kind: 'message'; diagnostics: Diagnostic[]; rendered?: string }
  | { kind: 'artifact'; target: string; fresh: boolean; executable?: string }
  | { kind: 'finished'; success: boolean }
  | { kind: 'text'; text: string };

interface RustcSpan {
  file_name: string;
  line_start: number;
  line_end: number;
  column_start: number;
  column_end: number;
  is_primary: boolean;
  label?: string | null;
  suggested_replacement?: string | null;
  expansion?: { span: RustcSpan } | null;
}
interface RustcMessage {
  message: string;
  code?: { code: string } | null;
  level: string;
  spans: RustcSpan[];
  children: RustcMessage[];
  rendered?: string | null;
}

export function parseCargoLine(line: string, ctx: CargoParseContext): CargoEvent {
  let json: unknown;
  try {
    json = line.trimStart().startsWith('{') ? JSON.parse(line) : undefined;
  } catch {
    json = undefined;
  }
  if (!json || typeof json !== 'object') return { kind: 'text', text: line };
  const msg = json as Record<string, any>;
  switch (msg.reason) {
    case 'compiler-message':
      return { kind: 'message', diagnostics: diagnosticsFromRustc(msg.message as RustcMessage, ctx), rendered: msg.message?.rendered ?? undefined };
    case 'compiler-artifact':
      return { kind: 'artifact', target: String(msg.target?.name ?? ''), fresh: Boolean(msg.fresh), executable: msg.executable ?? undefined };
    case 'build-finished':
      return { kind: 'finished', success: Boolean(msg.success) };
    default:
      return { kind: 'text', text: '' };
  }
}

const SUMMARY = /^(aborting due to|\d+ warnings? emitted|.*\d+ (previous )?errors?;? .*emitted|For more information about)/;

export function diagnosticsFromRustc(message: RustcMessage, ctx: CargoParseContext): Diagnostic[] {
  if (!message || typeof message.message !== 'string') return [];
  const severity = severityOf(message.level);
  if (!severity) return [];
  const primary = locate(message.spans, ctx, true);
  if (!primary && SUMMARY.test(message.message)) return [];
  const code = message.code?.code;
  const label = primary?.span.label ? `: ${primary.span.label}` : '';
  const result: Diagnostic[] = [
    primary
      ? at(primary, severity, message.message + label, code)
      : { tool: 'rustc', file: cargoToml(ctx), line: 1, column: 1, endLine: 1, endColumn: 1, severity, message: message.message, ...(code ? { code } : {}) },
  ];
  for (const child of message.children ?? []) {
    const where = locate(child.spans, ctx, false);
    if (!where) continue;
    const prefix = child.level === 'help' ? 'help: ' : '';
    const replacement = where.span.suggested_replacement;
    const suggestion = replacement ? ` (\`${replacement}\`)` : '';
    result.push(at(where, 'note', `${prefix}${child.message}${suggestion}`));
  }
  return result;
}

function severityOf(level: string): Diagnostic['severity'] | undefined {
  if (level === 'error' || level.startsWith('error:')) return 'error';
  if (level === 'warning') return 'warning';
  if (level === 'note' || level === 'help') return 'note';
  return undefined; // failure-note and anything unknown
}

interface Located {
  file: string;
  span: RustcSpan;
}

/** The span to show: the primary one (or the first), followed out of macro expansions until it lies in the workspace. */
function locate(spans: RustcSpan[] | undefined, ctx: CargoParseContext, preferPrimary: boolean): Located | undefined {
  if (!spans || spans.length === 0) return undefined;
  const first = (preferPrimary && spans.find((s) => s.is_primary)) || spans.find((s) => s.is_primary) || spans[0];
  let span: RustcSpan | undefined = first;
  for (let depth = 0; span && depth < 64; depth++) {
    const file = workspaceRelative(ctx.workspaceDir, ctx.crateDir, span.file_name);
    if (file) return { file, span };
    span = span.expansion?.span;
  }
  return { file: first.file_name, span: first };
}

function at(where: Located, severity: Diagnostic['severity'], message: string, code?: string): Diagnostic {
  const { span } = where;
  const d: Diagnostic = {
    tool: 'rustc',
    file: where.file,
    line: span.line_start,
    column: span.column_start,
    endLine: span.line_end,
    endColumn: span.column_end,
    severity,
    message,
  };
  if (code) d.code = code;
  return d;
}

function cargoToml(ctx: CargoParseContext): string {
  return workspaceRelative(ctx.workspaceDir, ctx.crateDir, 'Cargo.toml') ?? 'Cargo.toml';
}
