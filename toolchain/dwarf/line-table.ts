// file:line <-> address for a kernel ELF, from its .debug_line: used for gutter breakpoints,
// "hit -> open the line" and "fault -> source line".
import { isAbsolute, normalize, resolve } from 'node:path';
import { readElf } from '../elf';
import type { ElfFile } from '../elf';
import { DwarfError } from './byte-cursor';
import { readInlinedCalls, type InlinedCall } from './inline-calls';
import { readLineUnits, type LineUnit } from './line-program';

export interface LineLocation {
  /** absolute when the table's path could be resolved against the compilation directory */
  file: string;
  line: number;
}

export interface LineAddresses {
  /** the line that has code (the asked-for line, or the next one that has any) */
  line: number;
  addresses: bigint[];
}

interface Span {
  start: bigint;
  end: bigint;
  file: string;
  line: number;
}

/** How far below a line without code to look for the next one that has some. */
const NEXT_LINE_WINDOW = 8;
/** At most this many addresses per line (inlined copies of a line can be many). */
const MAX_ADDRESSES_PER_LINE = 16;

export class LineTable {
  private readonly spans: Span[] = [];
  /** file -> line -> addresses where a run of that line starts (is_stmt rows) */
  private readonly byFile = new Map<string, Map<number, bigint[]>>();
  /** the same for rows that are not statement starts: used for lines that have no statement row (optimised code) */
  private readonly nonStmt = new Map<string, Map<number, bigint[]>>();

  private readonly inlined: { start: bigint; end: bigint; depth: number; file?: string; line: number }[] = [];

  private constructor(units: LineUnit[], private readonly compDir: string | undefined, calls: InlinedCall[] = []) {
    for (const unit of units) this.addUnit(unit, compDir);
    this.spans.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    for (const call of calls) {
      const file = call.callFile && this.resolvePath(call.callFile);
      for (const [start, end] of call.ranges) this.inlined.push({ start, end, depth: call.depth, file, line: call.callLine });
    }
  }

  /** From the ELF's bytes. `compDir` resolves relative paths (rustc's DWARF 4 names files relative to the crate). */
  static fromElf(bytes: Uint8Array, opts: { compDir?: string } = {}): LineTable {
    const elf = readElf(bytes);
    const section = (name: string) => sectionBytes(bytes, elf, name);
    const debugLine = section('.debug_line');
    if (!debugLine) {
      throw new DwarfError('the kernel ELF has no .debug_line section: build it with debug info (`debug = true` in the Cargo profile) to map lines to addresses');
    }
    const units = readLineUnits({ debugLine, debugLineStr: section('.debug_line_str'), debugStr: section('.debug_str') });
    const debugInfo = section('.debug_info');
    const debugAbbrev = section('.debug_abbrev');
    const calls = debugInfo && debugAbbrev ? readInlinedCalls({ debugInfo, debugAbbrev, debugRanges: section('.debug_ranges'), debugRnglists: section('.debug_rnglists') }, units) : [];
    return new LineTable(units, opts.compDir, calls);
  }

  /**
   * The line of an address in a file `accept` likes (the user's own sources). Inside inlined
   * code (core's write_volatile, a console macro) that is the call site, followed outwards
   * through the inlined calls around the address (DW_TAG_inlined_subroutine).
   */
  locateInSource(address: bigint, accept: (file: string) => boolean): LineLocation | undefined {
    let location = this.locate(address);
    if (!location) return undefined;
    const chain = this.inlined.filter((c) => address >= c.start && address < c.end).sort((a, b) => b.depth - a.depth);
    for (const call of chain) {
      if (accept(location.file)) break;
      if (!call.file) return undefined;
      location = { file: call.file, line: call.line };
    }
    return accept(location.file) ? location : undefined;
  }

  /** Every file the table names (absolute when resolvable), sorted. */
  get files(): string[] {
    return [...new Set([...this.byFile.keys(), ...this.nonStmt.keys()])].sort();
  }

  /** The source line of an address, or undefined when no sequence covers it. */
  locate(address: bigint): LineLocation | undefined {
    const at = this.spanIndex(address);
    return at === undefined ? undefined : { file: this.spans[at].file, line: this.spans[at].line };
  }

  private spanIndex(address: bigint): number | undefined {
    let lo = 0;
    let hi = this.spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const span = this.spans[mid];
      if (address < span.start) hi = mid - 1;
      else if (address >= span.end) lo = mid + 1;
      else return mid;
    }
    return undefined;
  }

  /**
   * The addresses a breakpoint on `file:line` goes to. `file` matches a table path that ends with
   * it at a path-segment boundary ("kernel/src/main.rs" matches "/w/seed-os/kernel/src/main.rs").
   */
  addressesOf(file: string, line: number): LineAddresses | undefined {
    const path = this.pathOf(file);
    if (!path) return undefined;
    const lines = this.byFile.get(path);
    const fallback = this.nonStmt.get(path);
    for (let candidate = line; candidate <= line + NEXT_LINE_WINDOW; candidate++) {
      const addresses = lines?.get(candidate) ?? fallback?.get(candidate);
      if (addresses?.length) return { line: candidate, addresses: [...addresses].sort((a, b) => (a < b ? -1 : 1)).slice(0, MAX_ADDRESSES_PER_LINE) };
    }
    return undefined;
  }

  private pathOf(file: string): string | undefined {
    const wanted = normalize(file).replace(/^\.\//, '');
    if (this.byFile.has(wanted) || this.nonStmt.has(wanted)) return wanted;
    let best: { path: string; score: number } | undefined;
    for (const path of new Set([...this.byFile.keys(), ...this.nonStmt.keys()])) {
      const score = commonSuffixSegments(path, wanted);
      if (score > 0 && (!best || score > best.score)) best = { path, score };
    }
    return best?.path;
  }

  private resolvePath(file: string): string {
    return this.compDir && !isAbsolute(file) ? resolve(this.compDir, file) : normalize(file);
  }

  private addUnit(unit: LineUnit, compDir: string | undefined): void {
    const paths = unit.files.map((f) => f && (compDir && !isAbsolute(f) ? resolve(compDir, f) : normalize(f)));
    const rows = unit.rows;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const path = paths[row.file];
      if (row.endSequence || !path) continue;
      const next = rows[i + 1];
      if (next && next.address > row.address) this.spans.push({ start: row.address, end: next.address, file: path, line: row.line });
      const previous = i > 0 && !rows[i - 1].endSequence ? rows[i - 1] : undefined;
      const startsRun = !previous || previous.line !== row.line || paths[previous.file] !== path;
      if (!startsRun || row.line === 0) continue;
      addTo(row.isStmt ? this.byFile : this.nonStmt, path, row.line, row.address);
    }
  }
}

function addTo(map: Map<string, Map<number, bigint[]>>, path: string, line: number, address: bigint): void {
  let lines = map.get(path);
  if (!lines) map.set(path, (lines = new Map()));
  const list = lines.get(line);
  if (!list) lines.set(line, [address]);
  else if (!list.includes(address)) list.push(address);
}

function sectionBytes(bytes: Uint8Array, elf: ElfFile, name: string): Uint8Array | undefined {
  const section = elf.section(name);
  if (!section) return undefined;
  const start = Number(section.offset);
  const end = start + Number(section.size);
  if (end > bytes.length) throw new DwarfError(`the kernel ELF's ${name} runs past the end of the file: the file is truncated`);
  return bytes.subarray(start, end);
}

/** How many trailing path segments two paths share, provided all of the shorter one matches. */
function commonSuffixSegments(a: string, b: string): number {
  const x = a.split('/').filter(Boolean);
  const y = b.split('/').filter(Boolean);
  let n = 0;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return n === Math.min(x.length, y.length) ? n : 0;
}
