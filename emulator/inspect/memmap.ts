// The guest's physical memory map: E820 regions from the boot info, what the kernel and loader
// occupy, and the free-frame overlay, flattened into labelled segments for display. Free frames
// that fall in memory someone uses are reported.
import type { BootInfo, E820Entry, E820Kind } from './bootinfo';
import { BOOT_INFO_HEADER_BYTES, E820_ENTRY_BYTES } from './bootinfo';
import type { FreeListReport, PhysRange } from './freelist';
import type { HeapRegionReport } from './heap';
import type { PageWalk } from './paging-types';
import type { InspectRecord } from './record';
import { hex } from './hex';

export type MemoryLabel = 'kernel' | 'boot-info' | 'loader' | 'boot-page-tables' | 'page-tables' | 'heap' | 'free';
export type SegmentKind = E820Kind | 'unlisted';

export interface MemoryOverlay extends PhysRange {
  label: MemoryLabel;
  detail: string;
}

export interface MemorySegment extends PhysRange {
  kind: SegmentKind;
  labels: MemoryLabel[];
}

export interface MemoryMapAnomaly {
  kind: 'free-outside-usable' | 'free-overlaps-used';
  message: string;
  base: bigint;
  length: bigint;
}

export interface MemoryMap {
  e820: E820Entry[];
  overlays: MemoryOverlay[];
  /** the physical space cut at every boundary, adjacent equal segments merged */
  segments: MemorySegment[];
  totals: { usableBytes: bigint; freeBytes: bigint; freeFrames: number };
  anomalies: MemoryMapAnomaly[];
}

/** Labels whose memory must never be on the free list. */
const NEVER_FREE: MemoryLabel[] = ['kernel', 'boot-info', 'loader', 'page-tables', 'heap'];
const KIND_RANK: Record<SegmentKind, number> = { unlisted: 0, usable: 1, 'acpi-reclaimable': 2, 'acpi-nvs': 3, unknown: 4, reserved: 5, bad: 6 };

export function buildMemoryMap(
  boot: BootInfo,
  freeList: FreeListReport,
  record?: InspectRecord,
  extra: { heap?: HeapRegionReport[]; walk?: PageWalk } = {},
): MemoryMap {
  const overlays: MemoryOverlay[] = [];
  const add = (base: bigint, end: bigint, label: MemoryLabel, detail: string) => {
    if (end > base) overlays.push({ base, length: end - base, label, detail });
  };
  add(record?.kernelPhysStart ?? boot.kernelPhysStart, record?.kernelPhysEnd ?? boot.kernelPhysEnd, 'kernel', 'kernel image incl. BSS');
  add(boot.phys, boot.phys + BigInt(BOOT_INFO_HEADER_BYTES + boot.e820.length * E820_ENTRY_BYTES), 'boot-info', 'boot-info structure');
  add(boot.loaderPhysStart, boot.loaderPhysEnd, 'loader', 'boot info, stage 2, kernel file buffer');
  add(boot.pageTablesPhysStart, boot.pageTablesPhysEnd, 'boot-page-tables', "the bootloader's page tables");
  for (const table of extra.walk?.tables ?? []) add(table.phys, table.phys + 0x1000n, 'page-tables', `live ${['', 'PT', 'PD', 'PDPT', 'PML4'][table.level]}`);
  for (const region of extra.heap ?? []) add(region.phys, region.phys + region.length, 'heap', `heap region ${region.index} (virt ${hex(region.virt)})`);
  for (const range of freeList.ranges) add(range.base, range.base + range.length, 'free', 'on the free list');

  const freeBytes = freeList.ranges.reduce((sum, r) => sum + r.length, 0n);
  const usableBytes = boot.e820.filter((e) => e.kind === 'usable').reduce((sum, e) => sum + e.length, 0n);
  return {
    e820: boot.e820,
    overlays,
    segments: segments(boot.e820, overlays),
    totals: { usableBytes, freeBytes, freeFrames: freeList.count },
    anomalies: freeAnomalies(boot.e820, freeList.ranges, overlays),
  };
}

function segments(e820: E820Entry[], overlays: MemoryOverlay[]): MemorySegment[] {
  const points = new Set<bigint>();
  for (const r of [...e820, ...overlays]) {
    points.add(r.base);
    points.add(r.base + r.length);
  }
  const sorted = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: MemorySegment[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const base = sorted[i];
    const end = sorted[i + 1];
    const covers = (r: PhysRange) => r.base <= base && end <= r.base + r.length;
    const kind = e820.filter(covers).reduce<SegmentKind>((k, e) => (KIND_RANK[e.kind] > KIND_RANK[k] ? e.kind : k), 'unlisted');
    const labels = [...new Set(overlays.filter(covers).map((o) => o.label))];
    if (kind === 'unlisted' && labels.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.base + last.length === base && last.kind === kind && last.labels.join() === labels.join()) last.length += end - base;
    else out.push({ base, length: end - base, kind, labels });
  }
  return out;
}

function freeAnomalies(e820: E820Entry[], free: PhysRange[], overlays: MemoryOverlay[]): MemoryMapAnomaly[] {
  const anomalies: MemoryMapAnomaly[] = [];
  const usable = e820.filter((e) => e.kind === 'usable');
  for (const range of free) {
    for (const gap of subtract(range, usable)) {
      anomalies.push({
        kind: 'free-outside-usable',
        message: `free frames ${hex(gap.base)}..${hex(gap.base + gap.length)} are not in usable memory (E820 type 1)`,
        ...gap,
      });
    }
    for (const used of overlays.filter((o) => NEVER_FREE.includes(o.label))) {
      const base = range.base > used.base ? range.base : used.base;
      const end = minBig(range.base + range.length, used.base + used.length);
      if (base >= end) continue;
      anomalies.push({
        kind: 'free-overlaps-used',
        message: `free frames ${hex(base)}..${hex(end)} overlap the ${used.detail} (${used.label} ${hex(used.base)}..${hex(used.base + used.length)})`,
        base,
        length: end - base,
      });
    }
  }
  return anomalies;
}

/** The parts of `range` not covered by any of `cover`. */
function subtract(range: PhysRange, cover: PhysRange[]): PhysRange[] {
  let pieces: PhysRange[] = [range];
  for (const c of cover) {
    const cEnd = c.base + c.length;
    pieces = pieces.flatMap((p) => {
      const pEnd = p.base + p.length;
      if (cEnd <= p.base || c.base >= pEnd) return [p];
      const left = c.base > p.base ? [{ base: p.base, length: c.base - p.base }] : [];
      const right = cEnd < pEnd ? [{ base: cEnd, length: pEnd - cEnd }] : [];
      return [...left, ...right];
    });
  }
  return pieces;
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
