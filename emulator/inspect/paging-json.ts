// The walk in the CLI/contract shape: 64-bit values as lowercase hex strings.
import type { PageTableWalk } from '../../base/paging';
import type { PageWalk } from './paging-types';
import { hex } from './hex';

export type PageTableWalkJson = PageTableWalk;

export function pageWalkToJson(walk: PageWalk): PageTableWalkJson {
  return {
    cr3: hex(walk.cr3),
    recursive: distinctRecursiveEntries(walk).map((r) => ({ level: r.level, index: r.index })),
    mappings: walk.mappings.map((m) => ({
      virt: hex(m.virt),
      phys: hex(m.phys),
      size: hex(m.size),
      pageSize: m.pageSize,
      writable: m.writable,
      user: m.user,
      nx: m.nx,
      global: m.global,
    })),
    anomalies: walk.anomalies.map((a) => ({
      kind: a.kind,
      message: a.message,
      ...(a.table !== undefined ? { table: hex(a.table) } : {}),
      ...(a.index !== undefined ? { index: a.index } : {}),
    })),
  };
}

/** One per entry: a recursive entry in a shared table is reached once per path to that table. */
function distinctRecursiveEntries(walk: PageWalk): PageWalk['recursive'] {
  const seen = new Set<string>();
  return walk.recursive.filter((r) => {
    const key = `${r.table}:${r.index}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
