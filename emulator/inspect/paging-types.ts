// What a page-table walk produces. Addresses are bigints; virtual ones are canonical
// (bit 47 sign-extended into bits 48..63).
import type { PagingLevel, PageSize } from './paging-entry';

export interface Permissions {
  /** RW set at every level */
  writable: boolean;
  /** US set at every level */
  user: boolean;
  /** XD set at any level */
  nx: boolean;
  /** G of the leaf */
  global: boolean;
}

/** A maximal run of pages where virtual and physical are contiguous and permissions equal. */
export interface Mapping extends Permissions {
  virt: bigint;
  phys: bigint;
  size: bigint;
  pageSize: PageSize | 'mixed';
}

/** An entry whose frame is a table on its own path; the walk reports it and does not descend. */
export interface RecursiveEntry {
  level: PagingLevel;
  index: number;
  /** the table holding the entry */
  table: bigint;
  /** the table on the path it points back to, and that table's level */
  target: bigint;
  targetLevel: PagingLevel;
  /** canonical virtual base of the range the entry covers, and its size */
  virt: bigint;
  size: bigint;
}

export type WalkAnomalyKind =
  | 'reserved-bits'
  | 'table-outside-ram'
  | 'frame-outside-ram'
  | 'table-level-conflict'
  | 'budget'
  | 'truncated';

export interface WalkAnomaly {
  kind: WalkAnomalyKind;
  message: string;
  /** the table holding the offending entry, and the entry's index */
  table?: bigint;
  index?: number;
  level?: PagingLevel;
  virt?: bigint;
}

export interface WalkStats {
  /** table visits (a shared table counts once per path that reaches it) */
  tablesVisited: number;
  distinctTables: number;
  leaves: number;
}

export interface PageWalk {
  cr3: bigint;
  /** the PML4's physical address (CR3 bits 12..51) */
  pml4: bigint;
  mappings: Mapping[];
  recursive: RecursiveEntry[];
  anomalies: WalkAnomaly[];
  /** every distinct table the walk read, with the level it was first used at */
  tables: { phys: bigint; level: PagingLevel }[];
  /** false when a budget stopped the walk early */
  complete: boolean;
  stats: WalkStats;
}

export interface WalkOptions {
  /** table visits before the walk stops with a `budget` anomaly (default 4096) */
  maxTables?: number;
  /** merged mappings before the walk stops with a `budget` anomaly (default 65536) */
  maxMappings?: number;
  /** anomalies kept before one `truncated` anomaly (default 256) */
  maxAnomalies?: number;
  physAddrBits?: number;
  nxe?: boolean;
}
