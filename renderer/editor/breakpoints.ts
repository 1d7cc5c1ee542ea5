// The gutter breakpoints of every file, by line, with what the debugger made of each: set
// (verified), waiting for a guest (pending) or not resolvable (with the reason). Kept across tab
// switches and reloads (saved in the UI state); the editor draws them, the debug controller sends them.
import type { ResolvedBreakpoint } from '../../main/common/contract';

export type BreakpointStatus = 'verified' | 'pending' | 'unresolved';

export interface BreakpointView {
  line: number;
  status: BreakpointStatus;
  /** hover text: why it is unresolved, or where it really stops */
  message?: string;
}

/** `lines`: breakpoints were added, removed or moved; `status`: the debugger answered */
export type BreakpointChange = 'lines' | 'status';
type Listener = (file: string, change: BreakpointChange) => void;

export class BreakpointStore {
  private readonly files = new Map<string, Map<number, BreakpointView>>();
  private readonly listeners = new Set<Listener>();

  /** `file` changed (lines or status); returns the unsubscribe function. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  fileNames(): string[] {
    return [...this.files.keys()];
  }

  lines(file: string): number[] {
    return [...(this.files.get(file)?.keys() ?? [])].sort((a, b) => a - b);
  }

  views(file: string): BreakpointView[] {
    return [...(this.files.get(file)?.values() ?? [])].sort((a, b) => a.line - b.line);
  }

  has(file: string, line: number): boolean {
    return this.files.get(file)?.has(line) ?? false;
  }

  hasAny(): boolean {
    return [...this.files.values()].some((m) => m.size > 0);
  }

  /** Every file's lines, for the UI state. */
  snapshot(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const file of this.files.keys()) {
      const lines = this.lines(file);
      if (lines.length) out[file] = lines;
    }
    return out;
  }

  /** The saved breakpoints of the last session (status pending until the debugger answers). */
  load(saved: Record<string, number[]> | undefined): void {
    for (const [file, lines] of Object.entries(saved ?? {})) this.setLines(file, lines);
  }

  /** Another workspace: none of these files are in it. */
  clear(): void {
    for (const file of [...this.files.keys()]) {
      this.files.delete(file);
      this.emit(file);
    }
  }

  toggle(file: string, line: number): void {
    const lines = new Set(this.lines(file));
    if (lines.has(line)) lines.delete(line);
    else lines.add(line);
    this.setLines(file, [...lines]);
  }

  /** Replaces a file's lines (after edits moved them); known statuses stay with their breakpoints. */
  setLines(file: string, lines: number[]): void {
    const before = this.files.get(file);
    const next = new Map<number, BreakpointView>();
    for (const line of [...new Set(lines)].filter((l) => Number.isInteger(l) && l >= 1)) {
      next.set(line, before?.get(line) ?? { line, status: 'pending', message: 'not sent to the debugger yet' });
    }
    if (next.size) this.files.set(file, next);
    else this.files.delete(file);
    this.emit(file);
  }

  /** Moves one file's breakpoints along with an edit: old line → new line. */
  move(file: string, moves: Map<number, number>): void {
    const before = this.files.get(file);
    if (!before) return;
    const next = new Map<number, BreakpointView>();
    for (const [line, view] of before) {
      const to = moves.get(line) ?? line;
      if (!next.has(to)) next.set(to, { ...view, line: to });
    }
    this.files.set(file, next);
    this.emit(file);
  }

  /** The debugger's answer for the lines that were sent. */
  applyResolution(file: string, sent: number[], resolved: ResolvedBreakpoint[]): void {
    const current = this.files.get(file);
    if (!current) return;
    sent.forEach((line, i) => {
      const view = current.get(line);
      const answer = resolved[i];
      if (!view || !answer) return;
      if (answer.verified) {
        view.status = 'verified';
        view.message = answer.line !== line ? `Breakpoint: stops at line ${answer.line}, the first line with code` : 'Breakpoint';
      } else if (answer.pending) {
        view.status = 'pending';
        view.message = `Breakpoint: ${answer.message ?? 'set when the guest boots'}`;
      } else {
        view.status = 'unresolved';
        view.message = `Breakpoint not set: ${answer.message ?? 'no code for this line'}`;
      }
    });
    this.emit(file, 'status');
  }

  /** A file was renamed or deleted. */
  rename(from: string, to: string | undefined): void {
    for (const file of [...this.files.keys()]) {
      if (file !== from && !file.startsWith(from + '/')) continue;
      const lines = this.lines(file);
      this.files.delete(file);
      this.emit(file);
      if (to) this.setLines(to + file.slice(from.length), lines);
    }
  }

  private emit(file: string, change: BreakpointChange = 'lines'): void {
    for (const listener of this.listeners) listener(file, change);
  }
}
