import { describe, expect, it } from 'vitest';
import { diffWalks } from './paging-diff';
import { walkPageTables } from './paging-walk';
import { F, PageTableBuilder } from './test-support/page-tables';

describe('diffWalks', () => {
  it('reports added, removed and changed ranges, and what changed', () => {
    const before = new PageTableBuilder();
    before.mapRange(0x10_0000n, 0x10_0000n, 16, '4K', F.RW); // low kernel, identity
    before.mapRange(0x20_0000n, 0x20_0000n, 4, '4K', F.RW);
    const after = new PageTableBuilder();
    after.mapRange(0x20_0000n, 0x20_0000n, 2, '4K', F.RW); // first half unchanged
    after.mapRange(0x20_2000n, 0x20_2000n, 2, '4K', 0n); // second half now read-only
    after.mapRange(0xffff_ffff_8000_0000n, 0x10_0000n, 16, '4K', F.RW | F.G); // kernel moved high
    const diff = diffWalks(walkPageTables(before.reader(), before.pml4), walkPageTables(after.reader(), after.pml4));
    expect(diff.removed).toEqual([expect.objectContaining({ virt: 0x10_0000n, size: 0x10000n, phys: 0x10_0000n })]);
    expect(diff.added).toEqual([expect.objectContaining({ virt: 0xffff_ffff_8000_0000n, size: 0x10000n, phys: 0x10_0000n, global: true })]);
    expect(diff.changed).toEqual([
      expect.objectContaining({ virt: 0x20_2000n, size: 0x2000n, changes: ['writable'] }),
    ]);
    expect(diff.changed[0].before.writable).toBe(true);
    expect(diff.changed[0].after.writable).toBe(false);
    expect(diff.unchangedBytes).toBe(0x2000n);
  });

  it('reports a range that now maps other frames as a phys change, split where the mappings split', () => {
    const before = new PageTableBuilder();
    before.map(0x40_0000n, 0x40_0000n, '2M', F.RW);
    const after = new PageTableBuilder();
    after.mapRange(0x40_0000n, 0x40_0000n, 256, '4K', F.RW); // same frames, now 4K pages: unchanged
    after.mapRange(0x50_0000n, 0x90_0000n, 256, '4K', F.RW); // upper half remapped
    const diff = diffWalks(walkPageTables(before.reader(), before.pml4), walkPageTables(after.reader(), after.pml4));
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.unchangedBytes).toBe(0x10_0000n);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]).toMatchObject({ virt: 0x50_0000n, size: 0x10_0000n, changes: ['phys'] });
    expect(diff.changed[0].before.phys).toBe(0x50_0000n);
    expect(diff.changed[0].after.phys).toBe(0x90_0000n);
  });

  it('finds no difference between a walk and itself', () => {
    const b = new PageTableBuilder();
    b.mapRange(0n, 0n, 3, '2M', F.RW);
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(diffWalks(walk, walk)).toEqual({ added: [], removed: [], changed: [], unchangedBytes: 0x60_0000n });
  });
});
