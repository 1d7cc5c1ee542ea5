// What a build reports: diagnostics (from nasm, rustc, gcc, ld, …), progress and the outcome.

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  tool: 'nasm' | 'rustc' | 'cargo' | 'clippy' | 'gcc' | 'ld' | 'command' | 'image' | 'manifest';
  file: string; // workspace-relative
  line: number; // 1-based
  column: number; // 1-based
  endLine: number;
  endColumn: number;
  severity: Severity;
  message: string;
  code?: string;
}

export interface BuildProgress {
  /** the kind of step running ('command' for a Makefile or script step) */
  step: 'manifest' | 'nasm' | 'cargo' | 'command' | 'image' | 'done';
  message: string;
  crates?: { compiled: number; total: number };
  fraction?: number; // 0..1 overall
}

export interface BuildResult {
  ok: boolean;
  cancelled: boolean;
  diagnostics: Diagnostic[];
  image?: string; // workspace-relative
  kernelElf?: string;
  durationMs: number;
}
