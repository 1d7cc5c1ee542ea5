// Translate one virtual address the way the CPU does, keeping the entry at each level
// (like pwndbg's pagewalk). Follows recursive entries, as the CPU would.
import type { PhysReader } from './phys-reader';
import { readU64 } from './phys-reader';
import { LEVEL_NAMES, decodeEntry, leafPageSize, type DecodedEntry, type PageSize, type PagingLevel, type PagingOptions } from './paging-entry';
import { isCanonical, physFromCr3, tableIndices } from './paging-address';
import type { Permissions } from './paging-types';
import { describeSize, hex } from './hex';

export interface TranslationStep {
  level: PagingLevel;
  levelName: string;
  table: bigint;
  index: number;
  /** physical address of the entry itself */
  entryAddr: bigint;
  entry: DecodedEntry;
}

export type TranslationStopReason = 'non-canonical' | 'not-present' | 'reserved-bits' | 'table-outside-ram';

export interface Translation {
  virt: bigint;
  cr3: bigint;
  steps: TranslationStep[];
  /** set when the address is mapped */
  phys?: bigint;
  pageSize?: PageSize;
  /** virtual and physical base of the page that maps it */
  pageVirt?: bigint;
  pagePhys?: bigint;
  permissions?: Permissions;
  /** set when it is not: the level where the walk stopped and why */
  stop?: { level?: PagingLevel; reason: TranslationStopReason; message: string };
}

const PAGE_MASK: Record<PageSize, bigint> = { '4K': 0xfffn, '2M': 0x1f_ffffn, '1G': 0x3fff_ffffn };

export function translate(mem: PhysReader, cr3: bigint, virt: bigint, opts: PagingOptions = {}): Translation {
  const result: Translation = { virt, cr3, steps: [] };
  if (!isCanonical(virt)) {
    result.stop = { reason: 'non-canonical', message: `${hex(virt)} is not canonical: bits 48..63 must all equal bit 47` };
    return result;
  }
  const indices = tableIndices(virt);
  let table = BigInt(physFromCr3(cr3));
  let writable = true;
  let user = true;
  let nx = false;
  for (let level = 4 as PagingLevel; ; level = (level - 1) as PagingLevel) {
    const index = indices[4 - level];
    const entryAddr = table + BigInt(index * 8);
    const raw = readU64(mem, entryAddr);
    if (raw === undefined) {
      result.stop = {
        level,
        reason: 'table-outside-ram',
        message: `the ${LEVEL_NAMES[level]} at ${hex(table)} lies outside guest RAM (${describeSize(mem.size)})`,
      };
      return result;
    }
    const entry = decodeEntry(raw, level, opts);
    result.steps.push({ level, levelName: LEVEL_NAMES[level], table, index, entryAddr, entry });
    if (!entry.flags.present) {
      result.stop = { level, reason: 'not-present', message: `${LEVEL_NAMES[level]} entry ${index} of table ${hex(table)} is not present` };
      return result;
    }
    if (entry.reservedBits !== 0n) {
      result.stop = {
        level,
        reason: 'reserved-bits',
        message: `${LEVEL_NAMES[level]} entry ${index} of table ${hex(table)} sets reserved bits ${hex(entry.reservedBits)}: any access through it faults`,
      };
      return result;
    }
    writable &&= entry.flags.writable;
    user &&= entry.flags.user;
    nx ||= entry.flags.nx;
    if (entry.leaf) {
      const pageSize = leafPageSize(level);
      const offset = virt & PAGE_MASK[pageSize];
      result.pageSize = pageSize;
      result.pageVirt = virt - offset;
      result.pagePhys = entry.target;
      result.phys = entry.target + offset;
      result.permissions = { writable, user, nx, global: entry.flags.global };
      return result;
    }
    table = entry.target;
  }
}

/** The translation with 64-bit values as hex strings, for `--json` and the contract. */
export function translationToJson(t: Translation) {
  return {
    virt: hex(t.virt),
    cr3: hex(t.cr3),
    steps: t.steps.map((s) => ({
      level: s.level,
      levelName: s.levelName,
      table: hex(s.table),
      index: s.index,
      entryAddr: hex(s.entryAddr),
      raw: hex(s.entry.raw),
      flags: s.entry.names,
      target: hex(s.entry.target),
      leaf: s.entry.leaf,
    })),
    phys: t.phys === undefined ? undefined : hex(t.phys),
    pageSize: t.pageSize,
    pageVirt: t.pageVirt === undefined ? undefined : hex(t.pageVirt),
    pagePhys: t.pagePhys === undefined ? undefined : hex(t.pagePhys),
    permissions: t.permissions,
    stop: t.stop,
  };
}
