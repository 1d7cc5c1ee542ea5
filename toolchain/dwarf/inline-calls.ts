// Inlined calls from .debug_info (DW_TAG_inlined_subroutine): for an address inside inlined code
// (core's write_volatile, a console macro), the chain of call sites back to the function the
// user wrote. Reads DWARF 2-5 compile units; bounded, malformed input throws a DwarfError.
import { ByteCursor, DwarfError } from './byte-cursor';
import type { LineUnit } from './line-program';

export interface InlinedCall {
  ranges: [bigint, bigint][];
  /** nesting depth: larger is further inside */
  depth: number;
  callFile?: string;
  callLine: number;
}

export interface InfoSections {
  debugInfo: Uint8Array;
  debugAbbrev: Uint8Array;
  debugRanges?: Uint8Array;
  debugRnglists?: Uint8Array;
}

interface Abbrev {
  tag: number;
  children: boolean;
  attrs: { name: number; form: number; implicit?: number }[];
}

const TAG_COMPILE_UNIT = 0x11;
const TAG_INLINED_SUBROUTINE = 0x1d;
const AT_LOW_PC = 0x11;
const AT_HIGH_PC = 0x12;
const AT_STMT_LIST = 0x10;
const AT_RANGES = 0x55;
const AT_CALL_FILE = 0x58;
const AT_CALL_LINE = 0x59;
const FORM_ADDR = 0x01;
const MAX_DIES = 20_000_000;

/** Every inlined call in the ELF, with call files resolved through each unit's line table. */
export function readInlinedCalls(sections: InfoSections, lineUnits: LineUnit[]): InlinedCall[] {
  const byOffset = new Map(lineUnits.map((u) => [u.offset, u]));
  const calls: InlinedCall[] = [];
  const info = sections.debugInfo;
  let offset = 0;
  let dies = 0;
  while (offset < info.length) {
    const head = new ByteCursor(info, offset, info.length, '.debug_info');
    let length = head.u32();
    let offsetSize = 4;
    if (length === 0xffff_ffff) {
      length = head.u64Number();
      offsetSize = 8;
    }
    const end = head.offset + length;
    const c = new ByteCursor(info, head.offset, end, `the .debug_info unit at 0x${offset.toString(16)}`);
    const version = c.u16();
    if (version < 2 || version > 5) throw c.error(`unsupported DWARF version ${version}`);
    let addressSize: number;
    let abbrevOffset: number;
    if (version >= 5) {
      const unitType = c.u8();
      addressSize = c.u8();
      abbrevOffset = offsetSize === 8 ? c.u64Number() : c.u32();
      if (unitType === 4 || unitType === 5) c.skip(8); // skeleton / split compile: dwo_id
      else if (unitType === 2 || unitType === 6) c.skip(8 + offsetSize); // type units
    } else {
      abbrevOffset = offsetSize === 8 ? c.u64Number() : c.u32();
      addressSize = c.u8();
    }
    const abbrevs = readAbbrevs(sections.debugAbbrev, abbrevOffset);
    const ctx: Ctx = { c, version, addressSize, offsetSize, base: 0n, files: undefined };
    let depth = 0;
    while (!c.atEnd) {
      if (++dies > MAX_DIES) throw new DwarfError(`.debug_info holds more than ${MAX_DIES} entries: it is corrupt`);
      const code = c.uleb();
      if (code === 0) {
        depth--;
        continue;
      }
      const abbrev = abbrevs.get(code);
      if (!abbrev) throw c.error(`abbreviation ${code} is not defined`);
      const values = new Map<number, { form: number; value: bigint | number | undefined }>();
      for (const attr of abbrev.attrs) values.set(attr.name, { form: attr.form, value: readValue(ctx, attr.form, attr.implicit) });
      if (abbrev.tag === TAG_COMPILE_UNIT) {
        const low = values.get(AT_LOW_PC)?.value;
        ctx.base = typeof low === 'bigint' ? low : 0n;
        const stmt = values.get(AT_STMT_LIST)?.value;
        ctx.files = stmt === undefined ? undefined : byOffset.get(Number(stmt))?.files;
      } else if (abbrev.tag === TAG_INLINED_SUBROUTINE) {
        const ranges = rangesOf(ctx, values, sections);
        const file = values.get(AT_CALL_FILE)?.value;
        if (ranges.length) {
          calls.push({ ranges, depth, callFile: file === undefined ? undefined : ctx.files?.[Number(file)], callLine: Number(values.get(AT_CALL_LINE)?.value ?? 0) });
        }
      }
      if (abbrev.children) depth++;
    }
    offset = end;
  }
  return calls;
}

interface Ctx {
  c: ByteCursor;
  version: number;
  addressSize: number;
  offsetSize: number;
  base: bigint;
  files: (string | undefined)[] | undefined;
}

function readAbbrevs(data: Uint8Array, offset: number): Map<number, Abbrev> {
  const c = new ByteCursor(data, offset, data.length, '.debug_abbrev');
  const out = new Map<number, Abbrev>();
  for (;;) {
    const code = c.uleb();
    if (code === 0) return out;
    const tag = c.uleb();
    const children = c.u8() !== 0;
    const attrs: Abbrev['attrs'] = [];
    for (;;) {
      const name = c.uleb();
      const form = c.uleb();
      if (name === 0 && form === 0) break;
      attrs.push({ name, form, implicit: form === 0x21 ? c.sleb() : undefined });
    }
    out.set(code, { tag, children, attrs });
  }
}

function readValue(ctx: Ctx, form: number, implicit?: number): bigint | number | undefined {
  const { c } = ctx;
  const offset = () => (ctx.offsetSize === 8 ? c.u64Number() : c.u32());
  switch (form) {
    case 0x01: return ctx.addressSize === 4 ? BigInt(c.u32()) : c.u64();
    case 0x0b: case 0x11: case 0x0c: case 0x25: case 0x29: return c.u8();
    case 0x05: case 0x12: case 0x26: case 0x2a: return c.u16();
    case 0x27: case 0x2b: return c.u16() + c.u8() * 0x10000;
    case 0x06: case 0x13: case 0x1c: case 0x28: case 0x2c: return c.u32();
    case 0x07: case 0x14: case 0x20: case 0x24: return c.u64();
    case 0x0d: return c.sleb();
    case 0x0f: case 0x15: case 0x1a: case 0x1b: case 0x22: case 0x23: return c.uleb();
    case 0x0e: case 0x17: case 0x1d: case 0x1f: return offset();
    case 0x10: return ctx.version <= 2 ? (ctx.addressSize === 4 ? c.u32() : c.u64Number()) : offset();
    case 0x08: c.cstring(); return undefined;
    case 0x09: case 0x18: c.skip(c.uleb()); return undefined;
    case 0x0a: c.skip(c.u8()); return undefined;
    case 0x03: c.skip(c.u16()); return undefined;
    case 0x04: c.skip(c.u32()); return undefined;
    case 0x19: return 1;
    case 0x1e: c.skip(16); return undefined;
    case 0x21: return implicit;
    case 0x16: return readValue(ctx, c.uleb());
    default: throw c.error(`unsupported attribute form 0x${form.toString(16)}`);
  }
}

function rangesOf(ctx: Ctx, values: Map<number, { form: number; value: bigint | number | undefined }>, sections: InfoSections): [bigint, bigint][] {
  const low = values.get(AT_LOW_PC);
  const high = values.get(AT_HIGH_PC);
  if (low && typeof low.value === 'bigint' && high && high.value !== undefined) {
    const end = high.form === FORM_ADDR ? BigInt(high.value) : low.value + BigInt(high.value);
    return end > low.value ? [[low.value, end]] : [];
  }
  const ranges = values.get(AT_RANGES);
  if (!ranges || ranges.value === undefined || ranges.form === 0x23) return []; // rnglistx needs DW_AT_rnglists_base: not supported
  const at = Number(ranges.value);
  return ctx.version >= 5 ? rnglist(ctx, sections.debugRnglists, at) : rangeList(ctx, sections.debugRanges, at);
}

/** DWARF 2-4 .debug_ranges: address pairs relative to the unit's base, ended by (0, 0). */
function rangeList(ctx: Ctx, data: Uint8Array | undefined, at: number): [bigint, bigint][] {
  if (!data) return [];
  const c = new ByteCursor(data, at, data.length, '.debug_ranges');
  const all = ctx.addressSize === 4 ? 0xffff_ffffn : 0xffff_ffff_ffff_ffffn;
  const read = () => (ctx.addressSize === 4 ? BigInt(c.u32()) : c.u64());
  let base = ctx.base;
  const out: [bigint, bigint][] = [];
  for (let i = 0; i < 100_000; i++) {
    const start = read();
    const end = read();
    if (start === 0n && end === 0n) return out;
    if (start === all) base = end;
    else if (end > start) out.push([base + start, base + end]);
  }
  throw c.error('a range list does not end');
}

/** DWARF 5 .debug_rnglists entries (without the DW_AT_addr_base forms). */
function rnglist(ctx: Ctx, data: Uint8Array | undefined, at: number): [bigint, bigint][] {
  if (!data) return [];
  const c = new ByteCursor(data, at, data.length, '.debug_rnglists');
  const read = () => (ctx.addressSize === 4 ? BigInt(c.u32()) : c.u64());
  let base = ctx.base;
  const out: [bigint, bigint][] = [];
  for (let i = 0; i < 100_000; i++) {
    const kind = c.u8();
    switch (kind) {
      case 0: return out;
      case 4: { const s = c.ulebBig(); const e = c.ulebBig(); out.push([base + s, base + e]); break; }
      case 5: base = read(); break;
      case 6: { const s = read(); out.push([s, read()]); break; }
      case 7: { const s = read(); out.push([s, s + c.ulebBig()]); break; }
      case 1: c.uleb(); break; // base_addressx: needs .debug_addr
      case 2: c.uleb(); c.uleb(); break;
      case 3: c.uleb(); c.uleb(); break;
      default: throw c.error(`unknown range-list entry kind ${kind}`);
    }
  }
  throw c.error('a range list does not end');
}
