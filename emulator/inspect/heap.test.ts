import { describe, expect, it } from 'vitest';
import { readHeapRegions } from './heap';
import { parseInspectRecord } from './record';
import { walkPageTables } from './paging-walk';
import { InspectError } from './errors';
import { F, PageTableBuilder } from './test-support/page-tables';
import { writeHeapRegions, writeInspectRecord } from './test-support/abi-structures';

const HEAP = 0xffff_c000_0000_0000n;

function guestWithHeap(regions: { virt: bigint; len: bigint; phys: bigint }[], count = BigInt(regions.length)) {
  const b = new PageTableBuilder();
  writeHeapRegions(b.mem, 0x8_0000n, regions);
  writeInspectRecord(b.mem, 0x7_0000n, { u64: { phase: 2n, heapRegionsPhys: 0x8_0000n, heapRegionCount: count } });
  return { b, record: parseInspectRecord(b.reader(), 0x7_0000n) };
}

describe('readHeapRegions', () => {
  it('verifies every page of each region against the walk and against translate()', () => {
    const { b, record } = guestWithHeap([
      { virt: HEAP, len: 0x4000n, phys: 0x2_0000n },
      { virt: HEAP + 0x4000n, len: 0x2000n, phys: 0x3_0000n },
    ]);
    b.mapRange(HEAP, 0x2_0000n, 4, '4K', F.RW | F.NX);
    b.mapRange(HEAP + 0x4000n, 0x3_0000n, 2, '4K', F.RW | F.NX);
    for (const view of [walkPageTables(b.reader(), b.pml4), { cr3: b.pml4 }]) {
      const reports = readHeapRegions(b.reader(), record, view);
      expect(reports.map((r) => [r.index, r.virt, r.length, r.phys, r.pages, r.verified, r.writable, r.nx, r.problem])).toEqual([
        [0, HEAP, 0x4000n, 0x2_0000n, 4, true, true, true, undefined],
        [1, HEAP + 0x4000n, 0x2000n, 0x3_0000n, 2, true, true, true, undefined],
      ]);
    }
  });

  it('reports pages that are unmapped or map elsewhere', () => {
    const { b, record } = guestWithHeap([{ virt: HEAP, len: 0x3000n, phys: 0x2_0000n }]);
    b.map(HEAP, 0x2_0000n, '4K', F.RW);
    b.map(HEAP + 0x1000n, 0x5_0000n, '4K', F.RW); // wrong frame; third page unmapped
    const [report] = readHeapRegions(b.reader(), record, walkPageTables(b.reader(), b.pml4));
    expect(report).toMatchObject({ verified: false, pages: 3, pagesMatching: 1 });
    expect(report.mismatches).toEqual([
      { virt: HEAP + 0x1000n, expected: 0x2_1000n, actual: 0x5_0000n },
      { virt: HEAP + 0x2000n, expected: 0x2_2000n, actual: undefined },
    ]);
    expect(report.problem).toBe('2 of 3 pages of region 0 do not map to the recorded frames; first: 0xffffc00000001000 should map to 0x21000 but maps to 0x50000');
  });

  it('flags a misaligned region and rejects an absurd region count', () => {
    const { b, record } = guestWithHeap([{ virt: HEAP + 8n, len: 0x1000n, phys: 0x2_0000n }]);
    expect(readHeapRegions(b.reader(), record, { cr3: b.pml4 })[0].problem).toMatch(/is not page-aligned/);
    const bad = guestWithHeap([], 100_000n);
    expect(() => readHeapRegions(bad.b.reader(), bad.record, { cr3: bad.b.pml4 })).toThrow(InspectError);
    expect(readHeapRegions(b.reader(), { ...record, heapRegionCount: 0n }, { cr3: b.pml4 })).toEqual([]);
  });
});
