// One x86-64 paging-structure entry: its bits, which of them are reserved at each level, and
// where it points. Shared by the walker (which inlines the hot checks) and translate().

/** 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT. */
export type PagingLevel = 1 | 2 | 3 | 4;
export type PageSize = '4K' | '2M' | '1G';

export const LEVEL_NAMES: Record<PagingLevel, string> = { 4: 'PML4', 3: 'PDPT', 2: 'PD', 1: 'PT' };

/** Bytes of virtual address space one entry covers at each level. */
export const ENTRY_SPAN: Record<PagingLevel, number> = { 4: 2 ** 39, 3: 2 ** 30, 2: 2 ** 21, 1: 2 ** 12 };

export const PAGE_SIZE_BYTES: Record<PageSize, number> = { '4K': 2 ** 12, '2M': 2 ** 21, '1G': 2 ** 30 };

export interface PagingOptions {
  /** MAXPHYADDR: bits at and above it (up to 51) are reserved in every entry. Default 52 (none). */
  physAddrBits?: number;
  /** EFER.NXE: when false, bit 63 (XD) is reserved. Default true. */
  nxe?: boolean;
}

export const BIT = {
  present: 1 << 0,
  writable: 1 << 1,
  user: 1 << 2,
  writeThrough: 1 << 3,
  cacheDisable: 1 << 4,
  accessed: 1 << 5,
  dirty: 1 << 6,
  pageSize: 1 << 7, // PS in PDPT/PD entries; PAT in PT entries
  global: 1 << 8,
  largePat: 1 << 12, // PAT in 2M/1G leaf entries
} as const;
/** XD is bit 63, i.e. bit 31 of the high 32-bit half. */
export const HIGH_NX = 0x8000_0000;

/** Reserved bits of a present entry, as masks over its low and high 32-bit halves. */
export interface ReservedMask {
  low: number;
  high: number;
}

export function reservedMask(level: PagingLevel, large: boolean, opts: PagingOptions = {}): ReservedMask {
  const bits = Math.min(52, Math.max(32, opts.physAddrBits ?? 52));
  // address bits MAXPHYADDR..51 live in bits (MAXPHYADDR-32)..19 of the high half
  let high = (0xfffff & ~((1 << (bits - 32)) - 1)) >>> 0;
  if (opts.nxe === false) high = (high | HIGH_NX) >>> 0;
  let low = 0;
  if (level === 4) low = BIT.pageSize; // PS must be 0 in a PML4 entry
  else if (level === 3 && large) low = 0x3fff_e000; // bits 13..29 of a 1 GiB page
  else if (level === 2 && large) low = 0x001f_e000; // bits 13..20 of a 2 MiB page
  return { low, high };
}

/** Whether an entry at this level maps a page (rather than pointing to the next table). */
export function isLeafEntry(level: PagingLevel, low: number): boolean {
  return level === 1 || ((level === 3 || level === 2) && (low & BIT.pageSize) !== 0);
}

/** The physical address an entry points to (next table or page frame), as an exact JS number (< 2^52). */
export function entryTarget(level: PagingLevel, low: number, high: number, leaf: boolean): number {
  const highPart = (high & 0xfffff) * 2 ** 32;
  if (leaf && level === 3) return highPart + ((low & 0xc000_0000) >>> 0);
  if (leaf && level === 2) return highPart + ((low & 0xffe0_0000) >>> 0);
  return highPart + ((low & 0xffff_f000) >>> 0);
}

export function leafPageSize(level: PagingLevel): PageSize {
  return level === 3 ? '1G' : level === 2 ? '2M' : '4K';
}

export interface EntryFlags {
  present: boolean;
  writable: boolean;
  user: boolean;
  writeThrough: boolean;
  cacheDisable: boolean;
  accessed: boolean;
  dirty: boolean;
  /** PS: set in a PDPT/PD entry that maps a 1 GiB / 2 MiB page. */
  pageSize: boolean;
  global: boolean;
  pat: boolean;
  nx: boolean;
  /** Protection key (bits 59..62), meaningful in leaf entries when CR4.PKE is set. */
  protectionKey: number;
}

export interface DecodedEntry {
  raw: bigint;
  level: PagingLevel;
  flags: EntryFlags;
  /** short names of the set flags, e.g. ["P", "RW", "US", "NX"] */
  names: string[];
  leaf: boolean;
  target: bigint;
  /** the reserved bits that are set (0n when the entry is well-formed or not present) */
  reservedBits: bigint;
}

export function decodeEntry(raw: bigint, level: PagingLevel, opts: PagingOptions = {}): DecodedEntry {
  const low = Number(raw & 0xffff_ffffn);
  const high = Number((raw >> 32n) & 0xffff_ffffn);
  const present = (low & BIT.present) !== 0;
  const leaf = isLeafEntry(level, low);
  const psBit = (low & BIT.pageSize) !== 0;
  const flags: EntryFlags = {
    present,
    writable: (low & BIT.writable) !== 0,
    user: (low & BIT.user) !== 0,
    writeThrough: (low & BIT.writeThrough) !== 0,
    cacheDisable: (low & BIT.cacheDisable) !== 0,
    accessed: (low & BIT.accessed) !== 0,
    dirty: leaf && (low & BIT.dirty) !== 0,
    pageSize: level !== 1 && psBit,
    global: leaf && (low & BIT.global) !== 0,
    pat: leaf && (level === 1 ? psBit : (low & BIT.largePat) !== 0),
    nx: (high & HIGH_NX) !== 0,
    protectionKey: (high >>> 27) & 0xf,
  };
  const mask = reservedMask(level, leaf, opts);
  const reserved = present ? (BigInt((high & mask.high) >>> 0) << 32n) | BigInt((low & mask.low) >>> 0) : 0n;
  return {
    raw,
    level,
    flags,
    names: flagNames(flags, leaf),
    leaf,
    target: BigInt(entryTarget(level, low, high, leaf)),
    reservedBits: reserved,
  };
}

function flagNames(f: EntryFlags, leaf: boolean): string[] {
  const names: string[] = [];
  if (f.present) names.push('P');
  if (f.writable) names.push('RW');
  if (f.user) names.push('US');
  if (f.writeThrough) names.push('PWT');
  if (f.cacheDisable) names.push('PCD');
  if (f.accessed) names.push('A');
  if (f.dirty) names.push('D');
  if (f.pageSize) names.push('PS');
  if (f.global) names.push('G');
  if (f.pat) names.push('PAT');
  if (f.nx) names.push('NX');
  if (f.protectionKey && leaf) names.push(`PK${f.protectionKey}`);
  return names;
}
