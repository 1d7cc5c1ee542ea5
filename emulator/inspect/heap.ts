// The kernel heap's regions from the inspection record, each checked against the page tables:
// every page of [virt, virt+len) must map to the recorded frame phys + offset.
import type { PhysReader } from './phys-reader';
import { readOrThrow } from './phys-reader';
import type { InspectRecord } from './record';
import type { Mapping, PageWalk } from './paging-types';
import { translate } from './paging-translate';
import { InspectError } from './errors';
import { hex } from './hex';

export const HEAP_REGION_BYTES = 24;
export const MAX_HEAP_REGIONS = 4096;
const PAGE = 0x1000n;
const MAX_MISMATCHES = 8;

export interface HeapPageMismatch {
  virt: bigint;
  expected: bigint;
  /** where the page tables really map it; undefined when unmapped */
  actual?: bigint;
}

export interface HeapRegionReport {
  index: number;
  virt: bigint;
  length: bigint;
  /** the recorded physical base (len / 4096 contiguous frames) */
  phys: bigint;
  pages: number;
  /** true when every page maps to its recorded frame */
  verified: boolean;
  pagesMatching: number;
  /** the first few pages that do not (all of them counted in pages - pagesMatching) */
  mismatches: HeapPageMismatch[];
  /** permissions of the first page, when mapped */
  writable?: boolean;
  nx?: boolean;
  problem?: string;
}

type Lookup = (virt: bigint) => { phys: bigint; writable: boolean; nx: boolean } | undefined;

export function readHeapRegions(mem: PhysReader, record: InspectRecord, walk: PageWalk | { cr3: bigint }): HeapRegionReport[] {
  const count = record.heapRegionCount;
  if (count === 0n) return [];
  if (count > BigInt(MAX_HEAP_REGIONS)) {
    throw new InspectError(`the inspection record claims ${count} heap regions (more than ${MAX_HEAP_REGIONS}): the record is corrupt or not initialised yet`);
  }
  const n = Number(count);
  const table = readOrThrow(mem, record.heapRegionsPhys, n * HEAP_REGION_BYTES, `the heap-region array (${n} regions)`);
  const lookup = 'mappings' in walk ? lookupInWalk(walk.mappings) : lookupByTranslation(mem, walk.cr3);
  const reports: HeapRegionReport[] = [];
  for (let i = 0; i < n; i++) {
    const at = i * HEAP_REGION_BYTES;
    reports.push(verifyRegion(i, table.getBigUint64(at, true), table.getBigUint64(at + 8, true), table.getBigUint64(at + 16, true), lookup));
  }
  return reports;
}

function verifyRegion(index: number, virt: bigint, length: bigint, phys: bigint, lookup: Lookup): HeapRegionReport {
  const report: HeapRegionReport = { index, virt, length, phys, pages: 0, verified: false, pagesMatching: 0, mismatches: [] };
  if (length % PAGE !== 0n || virt % PAGE !== 0n || phys % PAGE !== 0n) {
    report.problem = `region ${index} (${hex(virt)}, ${hex(length)} bytes at ${hex(phys)}) is not page-aligned`;
    return report;
  }
  if (length > 1n << 32n) {
    report.problem = `region ${index} claims ${hex(length)} bytes: too large to be a heap region, the record is corrupt`;
    return report;
  }
  report.pages = Number(length / PAGE);
  for (let page = 0; page < report.pages; page++) {
    const offset = BigInt(page) * PAGE;
    const found = lookup(virt + offset);
    if (page === 0 && found) {
      report.writable = found.writable;
      report.nx = found.nx;
    }
    if (found?.phys === phys + offset) {
      report.pagesMatching++;
    } else if (report.mismatches.length < MAX_MISMATCHES) {
      report.mismatches.push({ virt: virt + offset, expected: phys + offset, actual: found?.phys });
    }
  }
  report.verified = report.pages > 0 && report.pagesMatching === report.pages;
  if (!report.verified && report.pages > 0) {
    const first = report.mismatches[0];
    report.problem =
      `${report.pages - report.pagesMatching} of ${report.pages} pages of region ${index} do not map to the recorded frames; first: ` +
      `${hex(first.virt)} should map to ${hex(first.expected)} but ${first.actual === undefined ? 'is not mapped' : `maps to ${hex(first.actual)}`}`;
  }
  return report;
}

function lookupInWalk(mappings: Mapping[]): Lookup {
  return (virt) => {
    let lo = 0;
    let hi = mappings.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = mappings[mid];
      if (virt < m.virt) hi = mid - 1;
      else if (virt >= m.virt + m.size) lo = mid + 1;
      else return { phys: m.phys + (virt - m.virt), writable: m.writable, nx: m.nx };
    }
    return undefined;
  };
}

function lookupByTranslation(mem: PhysReader, cr3: bigint): Lookup {
  return (virt) => {
    const t = translate(mem, cr3, virt);
    return t.phys === undefined || !t.permissions ? undefined : { phys: t.phys, writable: t.permissions.writable, nx: t.permissions.nx };
  };
}
