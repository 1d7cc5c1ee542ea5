// The DWARF `.debug_line` line-number programs (versions 2-5, as rustc and nasm emit them):
// headers with their directory and file tables, and the state machine that turns each
// program into rows of (address, file, line). Bounded: malformed input throws a DwarfError.
import { ByteCursor, DwarfError, stringAt } from './byte-cursor';

export interface LineRow {
  address: bigint;
  /** index into the unit's `files` */
  file: number;
  line: number;
  column: number;
  isStmt: boolean;
  /** the first address after a sequence: not a location itself */
  endSequence: boolean;
}

export interface LineUnit {
  offset: number;
  version: number;
  /** directory paths; entry 0 is the compilation directory in DWARF 5 (and '' before it) */
  directories: string[];
  /** file paths joined with their directory (may be relative to the compilation directory); indexed like the program's file register */
  files: (string | undefined)[];
  rows: LineRow[];
}

export interface LineSections {
  debugLine: Uint8Array;
  debugLineStr?: Uint8Array;
  debugStr?: Uint8Array;
}

/** Rows across all units stop here: a kernel has far fewer; more means a corrupt section. */
const MAX_ROWS = 20_000_000;

const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

export function readLineUnits(sections: LineSections): LineUnit[] {
  const units: LineUnit[] = [];
  const data = sections.debugLine;
  let offset = 0;
  let rows = 0;
  while (offset < data.length) {
    const unit = readUnit(sections, offset);
    rows += unit.unit.rows.length;
    if (rows > MAX_ROWS) throw new DwarfError(`.debug_line holds more than ${MAX_ROWS} rows: it is corrupt`);
    units.push(unit.unit);
    offset = unit.next;
  }
  return units;
}

function readUnit(sections: LineSections, start: number): { unit: LineUnit; next: number } {
  const head = new ByteCursor(sections.debugLine, start, sections.debugLine.length, '.debug_line');
  let length = head.u32();
  let offsetSize = 4;
  if (length === 0xffff_ffff) {
    length = head.u64Number();
    offsetSize = 8;
  } else if (length >= 0xffff_fff0) {
    throw head.error(`reserved unit length 0x${length.toString(16)}`);
  }
  const end = head.offset + length;
  const c = new ByteCursor(sections.debugLine, head.offset, end, `the .debug_line unit at 0x${start.toString(16)}`);
  const version = c.u16();
  if (version < 2 || version > 5) throw c.error(`unsupported DWARF line-table version ${version} (Longmode reads 2 to 5)`);
  let addressSize = 8;
  if (version >= 5) {
    addressSize = c.u8();
    c.u8(); // segment selector size
  }
  const headerLength = offsetSize === 8 ? c.u64Number() : c.u32();
  const programStart = c.offset + headerLength;
  if (programStart > end) throw c.error('the header is longer than the unit');
  const minInstLength = c.u8();
  if (version >= 4) c.u8(); // maximum operations per instruction (VLIW only)
  const defaultIsStmt = c.u8() !== 0;
  const lineBase = c.i8();
  const lineRange = c.u8();
  if (lineRange === 0) throw c.error('line_range is 0');
  const opcodeBase = c.u8();
  const standardLengths = [0];
  for (let i = 1; i < opcodeBase; i++) standardLengths.push(c.u8());

  let directories: string[];
  let files: (string | undefined)[];
  if (version >= 5) {
    directories = readEntryTable(c, sections, offsetSize).map((e) => e.path ?? '');
    files = readEntryTable(c, sections, offsetSize).map((e) => e.path && joinPath(directories[e.dir ?? 0] ?? '', e.path));
  } else {
    directories = [''];
    for (let dir = c.cstring(); dir !== ''; dir = c.cstring()) directories.push(dir);
    files = [undefined];
    for (let name = c.cstring(); name !== ''; name = c.cstring()) {
      const dir = c.uleb();
      c.uleb(); // mtime
      c.uleb(); // length
      files.push(joinPath(directories[dir] ?? '', name));
    }
  }
  c.offset = programStart;
  const rows = runProgram(c, { version, addressSize, minInstLength, defaultIsStmt, lineBase, lineRange, opcodeBase, standardLengths }, files, directories);
  return { unit: { offset: start, version, directories, files, rows }, next: end };
}

interface Entry {
  path?: string;
  dir?: number;
}

/** A DWARF 5 directory or file table: a format description, then the entries. */
function readEntryTable(c: ByteCursor, sections: LineSections, offsetSize: number): Entry[] {
  const formatCount = c.u8();
  const format: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) format.push([c.uleb(), c.uleb()]);
  const count = c.uleb();
  if (count > 1_000_000) throw c.error(`a table claims ${count} entries`);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const entry: Entry = {};
    for (const [content, form] of format) {
      const value = readForm(c, form, sections, offsetSize);
      if (content === DW_LNCT_path && typeof value === 'string') entry.path = value;
      else if (content === DW_LNCT_directory_index && typeof value === 'number') entry.dir = value;
    }
    entries.push(entry);
  }
  return entries;
}

function readForm(c: ByteCursor, form: number, sections: LineSections, offsetSize: number): string | number | undefined {
  const offset = () => (offsetSize === 8 ? c.u64Number() : c.u32());
  switch (form) {
    case 0x08: return c.cstring(); // DW_FORM_string
    case 0x1f: return stringAt(sections.debugLineStr, offset(), '.debug_line_str'); // DW_FORM_line_strp
    case 0x0e: return stringAt(sections.debugStr, offset(), '.debug_str'); // DW_FORM_strp
    case 0x0b: return c.u8(); // data1
    case 0x05: return c.u16(); // data2
    case 0x06: return c.u32(); // data4
    case 0x07: c.skip(8); return undefined; // data8 (timestamps)
    case 0x0f: return c.uleb(); // udata
    case 0x1e: c.skip(16); return undefined; // data16 (MD5)
    case 0x09: c.skip(c.uleb()); return undefined; // block
    default: throw c.error(`unsupported attribute form 0x${form.toString(16)} in a DWARF 5 file table`);
  }
}

interface Params {
  version: number;
  addressSize: number;
  minInstLength: number;
  defaultIsStmt: boolean;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  standardLengths: number[];
}

function runProgram(c: ByteCursor, p: Params, files: (string | undefined)[], directories: string[]): LineRow[] {
  const rows: LineRow[] = [];
  const firstFile = 1; // the initial file register is 1 in every version (also DWARF 5)
  let address = 0n;
  let file = firstFile;
  let line = 1;
  let column = 0;
  let isStmt = p.defaultIsStmt;
  const reset = () => {
    address = 0n;
    file = firstFile;
    line = 1;
    column = 0;
    isStmt = p.defaultIsStmt;
  };
  const emit = (endSequence: boolean) => {
    if (rows.length >= MAX_ROWS) throw c.error(`more than ${MAX_ROWS} rows in one unit`);
    rows.push({ address, file, line, column, isStmt, endSequence });
  };
  const advance = (operations: number) => (address = (address + BigInt(operations * p.minInstLength)) & 0xffff_ffff_ffff_ffffn);
  while (!c.atEnd) {
    const opcode = c.u8();
    if (opcode >= p.opcodeBase) {
      const adjusted = opcode - p.opcodeBase;
      advance(Math.floor(adjusted / p.lineRange));
      line += p.lineBase + (adjusted % p.lineRange);
      emit(false);
      continue;
    }
    switch (opcode) {
      case 0: {
        const length = c.uleb();
        if (length === 0) throw c.error('an extended opcode of length 0');
        const next = c.offset + length;
        if (next > c.end) throw c.error('an extended opcode runs past the unit');
        const sub = c.u8();
        if (sub === 1) {
          emit(true);
          reset();
        } else if (sub === 2) {
          address = p.addressSize === 4 ? BigInt(c.u32()) : c.u64();
        } else if (sub === 3) {
          const name = c.cstring();
          const dir = c.uleb();
          files.push(joinPath(directories[dir] ?? '', name));
        }
        c.offset = next; // DW_LNE_set_discriminator and vendor opcodes: skipped
        break;
      }
      case 1: emit(false); break; // copy
      case 2: advance(c.uleb()); break; // advance_pc
      case 3: line += c.sleb(); break; // advance_line
      case 4: file = c.uleb(); break; // set_file
      case 5: column = c.uleb(); break; // set_column
      case 6: isStmt = !isStmt; break; // negate_stmt
      case 7: break; // set_basic_block
      case 8: advance(Math.floor((255 - p.opcodeBase) / p.lineRange)); break; // const_add_pc
      case 9: address += BigInt(c.u16()); break; // fixed_advance_pc
      case 10: case 11: break; // prologue_end, epilogue_begin
      case 12: c.uleb(); break; // set_isa
      default:
        for (let i = 0; i < (p.standardLengths[opcode] ?? 0); i++) c.uleb();
    }
  }
  return rows;
}

function joinPath(dir: string, name: string): string {
  if (name.startsWith('/') || dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}
