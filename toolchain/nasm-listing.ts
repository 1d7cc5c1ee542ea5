// NASM listings (`nasm -l file.lst`): which source line assembled to which offset of the output.
// A listing row is "%6d %08X %-18s <level> source"; `<n>` marks lines of an %include'd file or of a
// macro expansion (n = nesting depth), a trailing '-' on the bytes continues the row on the next one.
// Pure text in, facts out: the files are named as the sources wrote them ('' = the assembled file).

export interface ListingLine {
  /** '' for the assembled source, else the %include name as written (resolved by the caller) */
  file: string;
  line: number;
  /** offset of the first byte in the output (bin format: from the start, before `org`) */
  offset: number;
  size: number;
}

export interface NasmListing {
  /** every source line that produced bytes, in output order */
  lines: ListingLine[];
  /** the operand of the first `org` directive, as written (e.g. "STAGE2_BASE", "0x7c00") */
  orgExpression?: string;
  /** the single-line `%define`s seen in the listing (name → value text) */
  defines: Map<string, string>;
}

interface Frame {
  /** undefined: lines of a macro whose definition was not seen */
  file: string | undefined;
  /** the line that started this frame when it is a macro expansion: it gets the expansion's first offset */
  invocation?: { file: string; line: number };
}

/** the columns of a listing row (nasm's listing.c): line, offset, bytes, continuation mark, level, source */
function splitRow(row: string): { line: number; address: string; bytes: string; continues: boolean; level: number; source: string } | undefined {
  if (!/^\s*\d+$/.test(row.slice(0, 6)) || row[6] !== ' ') return undefined;
  const address = row.slice(7, 15).trim();
  if (address && !/^[0-9A-Fa-f]{8}$/.test(address)) return undefined;
  const level = /<(\d+)>/.exec(row.slice(34, 41));
  return { line: Number(row.slice(0, 6)), address, bytes: row.slice(16, 34).trim(), continues: row[34] === '-', level: level ? Number(level[1]) : 0, source: row.slice(40) };
}
const INCLUDE = /^\s*%include\s+["'<]([^"'>]+)["'>]/i;
const MACRO_DEF = /^\s*%(i?)macro\s+([A-Za-z_.?$@#~][\w.?$@#~]*)/i;
const DEFINE = /^\s*%i?define\s+([A-Za-z_.?$@#~][\w.?$@#~]*)\s+(.*?)\s*(?:;.*)?$/i;
const ORG = /^\s*(?:\[\s*)?org\s+([^;\]]+?)\s*\]?\s*(?:;.*)?$/i;

export function parseNasmListing(text: string): NasmListing {
  const lines: ListingLine[] = [];
  const defines = new Map<string, string>();
  const macros = new Map<string, string | undefined>(); // name (lowercase for %imacro) → defining file
  const stack: Frame[] = [{ file: '' }];
  let orgExpression: string | undefined;
  let lastSource: string[] = []; // per level: the last source text seen there
  let lastLine: number[] = [];
  let continuing: ListingLine | undefined;
  let previousContinues = false;

  for (const row of text.split(/\r?\n/)) {
    const cols = splitRow(row);
    if (!cols) continue;
    const { address, bytes, level, source } = cols;
    if (previousContinues && address && !source.trim()) {
      // a continuation row: more bytes of the same line
      if (continuing) continuing.size += byteCount(bytes);
      previousContinues = cols.continues;
      continue;
    }
    previousContinues = cols.continues;
    continuing = undefined;

    while (stack.length - 1 > level) stack.pop();
    while (stack.length - 1 < level) stack.push(frameAfter(lastSource[stack.length - 1] ?? '', stack[stack.length - 1], lastLine[stack.length - 1], macros));
    lastSource = lastSource.slice(0, level + 1);
    lastLine = lastLine.slice(0, level + 1);
    lastSource[level] = source;
    lastLine[level] = cols.line;
    const frame = stack[level];

    const macro = MACRO_DEF.exec(source);
    if (macro) macros.set(macro[1] ? macro[2].toLowerCase() : macro[2], frame.file);
    const define = DEFINE.exec(source);
    if (define && frame.file !== undefined) defines.set(define[1], define[2]);
    const org = ORG.exec(source);
    if (org && orgExpression === undefined) orgExpression = org[1];

    if (!address || !bytes) continue;
    const offset = parseInt(address, 16);
    const size = byteCount(bytes);
    for (const f of stack) {
      if (f.invocation) {
        lines.push({ ...f.invocation, offset, size });
        f.invocation = undefined;
      }
    }
    if (frame.file === undefined) continue;
    const entry: ListingLine = { file: frame.file, line: cols.line, offset, size };
    lines.push(entry);
    if (cols.continues) continuing = entry;
  }
  return { lines, orgExpression, defines };
}

/** The frame a deeper level opens: an %include'd file, or the expansion of a macro invoked on the line before. */
function frameAfter(opener: string, parent: Frame, openerLine: number | undefined, macros: Map<string, string | undefined>): Frame {
  const include = INCLUDE.exec(opener);
  if (include) return { file: include[1] };
  const word = /^\s*(?:[A-Za-z_.?$@#~][\w.?$@#~]*:\s*)?([A-Za-z_.?$@#~][\w.?$@#~]*)/.exec(opener)?.[1];
  const file = word === undefined ? undefined : macros.has(word) ? macros.get(word) : macros.get(word.toLowerCase());
  const invocation = parent.file !== undefined && openerLine !== undefined ? { file: parent.file, line: openerLine } : undefined;
  return { file, invocation };
}

/** "8816[0C05]" → 4, "00<rep 76CFh>" → 0x76cf. */
function byteCount(bytes: string): number {
  const rep = /^([0-9A-Fa-f]*)<rep ([0-9A-Fa-f]+)h>$/.exec(bytes);
  if (rep) return (rep[1].length / 2) * parseInt(rep[2], 16);
  return Math.floor(bytes.replace(/[^0-9A-Fa-f]/g, '').length / 2);
}

/**
 * Evaluates an `org` operand through the defines (the listing's and the command line's): a number
 * (0x7c00, 7c00h, 0x7c00 + 0x200, decimal) after substituting names. Undefined when it is more than that.
 */
export function evaluateOrg(expression: string, defines: Map<string, string>): number | undefined {
  let text = expression;
  for (let round = 0; round < 16 && /[A-Za-z_.?$@#~]/.test(text.replace(/0x[0-9a-f]+|\b[0-9][0-9a-f]*h\b/gi, '')); round++) {
    const next = text.replace(/[A-Za-z_.?$@#~][\w.?$@#~]*/g, (name) => (/^(0x[0-9a-f]+|[0-9][0-9a-f]*h)$/i.test(name) ? name : defines.get(name) ?? name));
    if (next === text) return undefined;
    text = next;
  }
  let total = 0;
  for (const term of text.split('+')) {
    const value = numberValue(term.trim().replace(/^\((.*)\)$/, '$1').trim());
    if (value === undefined) return undefined;
    total += value;
  }
  return total;
}

function numberValue(text: string): number | undefined {
  if (/^0x[0-9a-f_]+$/i.test(text)) return parseInt(text.slice(2).replace(/_/g, ''), 16);
  if (/^[0-9][0-9a-f_]*h$/i.test(text)) return parseInt(text.slice(0, -1).replace(/_/g, ''), 16);
  if (/^\$[0-9][0-9a-f_]*$/i.test(text)) return parseInt(text.slice(1).replace(/_/g, ''), 16);
  if (/^[0-9][0-9_]*d?$/i.test(text)) return parseInt(text.replace(/[_d]/gi, ''), 10);
  return undefined;
}

/** Where the build driver asks nasm for a stage's listing: the output with `.lst` for its extension. */
export function listingPathFor(output: string): string {
  const slash = output.lastIndexOf('/');
  const dot = output.lastIndexOf('.');
  return (dot > slash + 1 ? output.slice(0, dot) : output) + '.lst';
}
