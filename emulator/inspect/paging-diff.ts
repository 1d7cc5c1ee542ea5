// Diff two walks (e.g. phase 1 vs phase 2) by virtual range: what was added, removed, or
// now maps elsewhere / with other permissions.
import type { Mapping, PageWalk, Permissions } from './paging-types';

export interface WalkRange extends Permissions {
  virt: bigint;
  size: bigint;
  phys: bigint;
  pageSize: Mapping['pageSize'];
}

export interface ChangedRange {
  virt: bigint;
  size: bigint;
  before: WalkRange;
  after: WalkRange;
  /** what differs: 'phys', 'writable', 'user', 'nx', 'global' */
  changes: string[];
}

export interface WalkDiff {
  added: WalkRange[];
  removed: WalkRange[];
  changed: ChangedRange[];
  /** bytes of virtual space mapped identically in both */
  unchangedBytes: bigint;
}

type Piece = { virt: bigint; size: bigint; before?: Mapping; after?: Mapping };

export function diffWalks(before: PageWalk, after: PageWalk): WalkDiff {
  const diff: WalkDiff = { added: [], removed: [], changed: [], unchangedBytes: 0n };
  for (const piece of pieces(before.mappings, after.mappings)) {
    const { before: b, after: a } = piece;
    if (b && a) {
      const changes = differences(slice(b, piece), slice(a, piece));
      if (changes.length === 0) diff.unchangedBytes += piece.size;
      else appendChanged(diff.changed, { virt: piece.virt, size: piece.size, before: slice(b, piece), after: slice(a, piece), changes });
    } else if (a) {
      appendRange(diff.added, slice(a, piece));
    } else if (b) {
      appendRange(diff.removed, slice(b, piece));
    }
  }
  return diff;
}

/** Splits the virtual space at every boundary of either list; each piece lies in at most one mapping of each. */
function* pieces(before: Mapping[], after: Mapping[]): Generator<Piece> {
  const points = new Set<bigint>();
  for (const m of [...before, ...after]) {
    points.add(m.virt);
    points.add(m.virt + m.size);
  }
  const sorted = [...points].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  let bi = 0;
  let ai = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i];
    const end = sorted[i + 1];
    while (bi < before.length && before[bi].virt + before[bi].size <= start) bi++;
    while (ai < after.length && after[ai].virt + after[ai].size <= start) ai++;
    const b = bi < before.length && before[bi].virt <= start ? before[bi] : undefined;
    const a = ai < after.length && after[ai].virt <= start ? after[ai] : undefined;
    if (a || b) yield { virt: start, size: end - start, before: b, after: a };
  }
}

function slice(m: Mapping, piece: { virt: bigint; size: bigint }): WalkRange {
  return {
    virt: piece.virt,
    size: piece.size,
    phys: m.phys + (piece.virt - m.virt),
    pageSize: m.pageSize,
    writable: m.writable,
    user: m.user,
    nx: m.nx,
    global: m.global,
  };
}

function differences(b: WalkRange, a: WalkRange): string[] {
  const changes: string[] = [];
  if (b.phys !== a.phys) changes.push('phys');
  for (const key of ['writable', 'user', 'nx', 'global'] as const) if (b[key] !== a[key]) changes.push(key);
  return changes;
}

function samePermissions(x: Permissions, y: Permissions): boolean {
  return x.writable === y.writable && x.user === y.user && x.nx === y.nx && x.global === y.global;
}

function follows(prev: WalkRange, next: WalkRange): boolean {
  return prev.virt + prev.size === next.virt && prev.phys + prev.size === next.phys && samePermissions(prev, next);
}

function appendRange(list: WalkRange[], range: WalkRange): void {
  const last = list[list.length - 1];
  if (last && follows(last, range)) {
    last.size += range.size;
    if (last.pageSize !== range.pageSize) last.pageSize = 'mixed';
  } else {
    list.push(range);
  }
}

function appendChanged(list: ChangedRange[], range: ChangedRange): void {
  const last = list[list.length - 1];
  if (last && follows(last.before, range.before) && follows(last.after, range.after) && last.changes.join() === range.changes.join()) {
    last.size += range.size;
    appendRange([last.before], range.before);
    appendRange([last.after], range.after);
  } else {
    list.push(range);
  }
}
