// The page-table walker: every mapping reachable from CR3, merged into maximal runs, with
// recursive entries and hostile tables reported instead of followed. Physical and 48-bit
// virtual addresses are exact JS numbers inside the walk (< 2^53); bigints only on output.
import type { PhysReader } from './phys-reader';
import {
  BIT, ENTRY_SPAN, HIGH_NX, LEVEL_NAMES, entryTarget, leafPageSize, reservedMask,
  type PageSize, type PagingLevel, type ReservedMask,
} from './paging-entry';
import type { Mapping, PageWalk, RecursiveEntry, WalkAnomaly, WalkOptions } from './paging-types';
import { canonicalVirt, physFromCr3, TABLE_BYTES } from './paging-address';
import { describeSize, hex } from './hex';

interface Run {
  virt: number;
  phys: number;
  size: number;
  pageSize: PageSize | 'mixed';
  writable: boolean;
  user: boolean;
  nx: boolean;
  global: boolean;
}

const HALF = 2 ** 47; // first non-canonical 48-bit address: runs never cross it
// Module-local copies: the hot loop must not go through imported bindings (getters once bundled).
const PRESENT = BIT.present;
const WRITABLE = BIT.writable;
const USER = BIT.user;
const PAGE_SIZE_BIT = BIT.pageSize;
const GLOBAL = BIT.global;
const NX_HIGH = HIGH_NX;
const SPAN: readonly number[] = [0, ENTRY_SPAN[1], ENTRY_SPAN[2], ENTRY_SPAN[3], ENTRY_SPAN[4]];
const SIZE_NAME: readonly PageSize[] = ['4K', leafPageSize(1), leafPageSize(2), leafPageSize(3), '4K'];
const targetOf = entryTarget;

class Walker {
  readonly mappings: Run[] = [];
  readonly recursive: RecursiveEntry[] = [];
  readonly anomalies: WalkAnomaly[] = [];
  private readonly path: number[] = [0, 0, 0, 0, 0]; // path[level] = table address at that level
  private readonly levelOfTable = new Map<number, PagingLevel>();
  private readonly conflictReported = new Set<number>();
  private readonly leafMask: ReservedMask[]; // by level
  private readonly tableMask: ReservedMask[];
  private readonly maxTables: number;
  private readonly maxMappings: number;
  private readonly maxAnomalies: number;
  visits = 0;
  leaves = 0;
  stopped = false;
  private truncated = false;

  constructor(private readonly mem: PhysReader, opts: WalkOptions) {
    this.maxTables = opts.maxTables ?? 4096;
    this.maxMappings = opts.maxMappings ?? 65536;
    this.maxAnomalies = opts.maxAnomalies ?? 256;
    const levels: PagingLevel[] = [1, 1, 2, 3, 4]; // index 0 unused
    this.leafMask = levels.map((l) => reservedMask(l, true, opts));
    this.tableMask = levels.map((l) => reservedMask(l, false, opts));
  }

  get distinctTables(): number {
    return this.levelOfTable.size;
  }

  get tables(): { phys: bigint; level: PagingLevel }[] {
    return [...this.levelOfTable].map(([phys, level]) => ({ phys: BigInt(phys), level }));
  }

  report(anomaly: WalkAnomaly): void {
    if (this.anomalies.length < this.maxAnomalies) {
      this.anomalies.push(anomaly);
    } else if (!this.truncated) {
      this.truncated = true;
      this.anomalies.push({ kind: 'truncated', message: `more than ${this.maxAnomalies} anomalies: the rest are not listed` });
    }
  }

  /** Reads a table, counting the visit against the budget; undefined when it cannot be walked. */
  enter(table: number, level: PagingLevel, parent?: { table: number; index: number; virt: number }): DataView | undefined {
    if (this.visits >= this.maxTables) {
      this.stop(`stopped after ${this.maxTables} table visits (maxTables): the tables share sub-tables heavily; the mappings listed are incomplete`);
      return undefined;
    }
    const bytes = this.mem.read(BigInt(table), TABLE_BYTES);
    if (!bytes) {
      const where = parent
        ? `${LEVEL_NAMES[(level + 1) as PagingLevel]} entry ${parent.index} of table ${hex(parent.table)} (virt ${hex(canonicalVirt(parent.virt))}) points to`
        : 'CR3 points to';
      this.report({
        kind: 'table-outside-ram',
        message: `${where} a ${LEVEL_NAMES[level]} at ${hex(table)}, outside guest RAM (${describeSize(this.mem.size)})`,
        table: BigInt(parent ? parent.table : table),
        index: parent?.index,
        level: parent ? ((level + 1) as PagingLevel) : undefined,
        virt: parent ? canonicalVirt(parent.virt) : undefined,
      });
      return undefined;
    }
    this.visits++;
    const seenAt = this.levelOfTable.get(table);
    if (seenAt === undefined) {
      this.levelOfTable.set(table, level);
    } else if (seenAt !== level && !this.conflictReported.has(table)) {
      this.conflictReported.add(table);
      this.report({
        kind: 'table-level-conflict',
        message: `table ${hex(table)} is used both as a ${LEVEL_NAMES[seenAt]} and as a ${LEVEL_NAMES[level]}`,
        table: BigInt(table),
        level,
      });
    }
    return new DataView(bytes.buffer, bytes.byteOffset, TABLE_BYTES);
  }

  walkTable(view: DataView, table: number, level: PagingLevel, virtBase: number, w: boolean, u: boolean, nx: boolean): void {
    this.path[level] = table;
    const span = SPAN[level];
    const leafMask = this.leafMask[level];
    const tableMask = this.tableMask[level];
    for (let index = 0; index < 512; index++) {
      const low = view.getUint32(index * 8, true);
      if ((low & PRESENT) === 0) continue;
      const high = view.getUint32(index * 8 + 4, true);
      const leaf = level === 1 || (level !== 4 && (low & PAGE_SIZE_BIT) !== 0);
      const mask = leaf ? leafMask : tableMask;
      const virt = virtBase + index * span;
      if ((low & mask.low) !== 0 || (high & mask.high) !== 0) {
        this.reportReserved(table, level, index, virt, low & mask.low, (high & mask.high) >>> 0);
        continue;
      }
      const target = targetOf(level, low, high, leaf);
      const writable = w && (low & WRITABLE) !== 0;
      const user = u && (low & USER) !== 0;
      const noExec = nx || (high & NX_HIGH) !== 0;
      if (leaf) {
        this.emit(virt, target, span, SIZE_NAME[level], writable, user, noExec, (low & GLOBAL) !== 0);
      } else if (!this.isOnPath(table, level, index, virt, target)) {
        const child = this.enter(target, (level - 1) as PagingLevel, { table, index, virt });
        if (child) this.walkTable(child, target, (level - 1) as PagingLevel, virt, writable, user, noExec);
      }
      if (this.stopped) return;
    }
  }

  private isOnPath(table: number, level: PagingLevel, index: number, virt: number, target: number): boolean {
    for (let l = level; l <= 4; l++) {
      if (this.path[l] !== target) continue;
      if (this.recursive.length >= this.maxMappings) {
        this.stop(`more than ${this.maxMappings} recursive entries (maxMappings): the walk stopped`);
        return true;
      }
      this.recursive.push({
        level, index, table: BigInt(table), target: BigInt(target), targetLevel: l as PagingLevel,
        virt: canonicalVirt(virt), size: BigInt(SPAN[level]),
      });
      return true;
    }
    return false;
  }

  private emit(virt: number, phys: number, size: number, pageSize: PageSize, writable: boolean, user: boolean, nx: boolean, global: boolean): void {
    this.leaves++;
    const last = this.mappings[this.mappings.length - 1];
    if (
      last && last.virt + last.size === virt && virt !== HALF && last.phys + last.size === phys &&
      last.writable === writable && last.user === user && last.nx === nx && last.global === global
    ) {
      last.size += size;
      if (last.pageSize !== pageSize) last.pageSize = 'mixed';
      return;
    }
    if (this.mappings.length >= this.maxMappings) {
      this.stop(`more than ${this.maxMappings} separate mappings (maxMappings): the walk stopped`);
      return;
    }
    this.mappings.push({ virt, phys, size, pageSize, writable, user, nx, global });
  }

  private reportReserved(table: number, level: PagingLevel, index: number, virt: number, low: number, high: number): void {
    const bits = (BigInt(high) << 32n) | BigInt(low >>> 0);
    this.report({
      kind: 'reserved-bits',
      message: `${LEVEL_NAMES[level]} entry ${index} of table ${hex(table)} (virt ${hex(canonicalVirt(virt))}) sets reserved bits ${hex(bits)}: any access through it faults`,
      table: BigInt(table), index, level, virt: canonicalVirt(virt),
    });
  }

  stop(message: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.anomalies.push({ kind: 'budget', message }); // always kept, past maxAnomalies
  }

  checkFramesInRam(): void {
    for (const run of this.mappings) {
      const first = BigInt(run.phys);
      const last = BigInt(run.phys + run.size - 1);
      if (this.mem.read(first, 1) && this.mem.read(last, 1)) continue;
      this.report({
        kind: 'frame-outside-ram',
        message: `${hex(canonicalVirt(run.virt))}..${hex(canonicalVirt(run.virt + run.size))} maps physical ${hex(first)}..${hex(last + 1n)}, beyond guest RAM (${describeSize(this.mem.size)}): device memory, or a bad mapping`,
        virt: canonicalVirt(run.virt),
      });
    }
  }
}

/** All mappings reachable from CR3 (4-level paging), sorted by virtual address. Never throws on hostile tables. */
export function walkPageTables(mem: PhysReader, cr3: bigint, opts: WalkOptions = {}): PageWalk {
  const walker = new Walker(mem, opts);
  const pml4 = physFromCr3(cr3);
  const root = walker.enter(pml4, 4);
  if (root) walker.walkTable(root, pml4, 4, 0, true, true, false);
  walker.checkFramesInRam();
  return {
    cr3,
    pml4: BigInt(pml4),
    mappings: walker.mappings.map(toMapping),
    recursive: walker.recursive,
    anomalies: walker.anomalies,
    tables: walker.tables,
    complete: !walker.stopped,
    stats: { tablesVisited: walker.visits, distinctTables: walker.distinctTables, leaves: walker.leaves },
  };
}

function toMapping(run: Run): Mapping {
  return {
    virt: canonicalVirt(run.virt),
    phys: BigInt(run.phys),
    size: BigInt(run.size),
    pageSize: run.pageSize,
    writable: run.writable,
    user: run.user,
    nx: run.nx,
    global: run.global,
  };
}
