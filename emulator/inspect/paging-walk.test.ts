import { describe, expect, it } from 'vitest';
import { walkPageTables } from './paging-walk';
import { pageWalkToJson } from './paging-json';
import { F, GuestMemory, PageTableBuilder, TABLE_FLAGS, entry, virtOf } from './test-support/page-tables';
import type { Mapping } from './paging-types';

const RW_LEAF = F.RW;
function only(mappings: Mapping[]): Mapping {
  expect(mappings).toHaveLength(1);
  return mappings[0];
}

describe('walkPageTables: page sizes', () => {
  it('finds nothing in an empty PML4', () => {
    const b = new PageTableBuilder();
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(walk.mappings).toEqual([]);
    expect(walk.anomalies).toEqual([]);
    expect(walk.complete).toBe(true);
  });

  it('maps a 4 KiB page', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(0, 0, 1, 3), 0x5000n, '4K', F.RW | F.US);
    expect(only(walkPageTables(b.reader(), b.pml4).mappings)).toEqual({
      virt: 0x203000n, phys: 0x5000n, size: 0x1000n, pageSize: '4K', writable: true, user: true, nx: false, global: false,
    });
  });

  it('maps a 2 MiB page and masks its PAT bit out of the address', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(0, 2, 5, 0), 0x4000_0000n, '2M', F.RW | F.PAT_LARGE);
    const m = only(walkPageTables(b.reader(), b.pml4).mappings);
    expect(m).toMatchObject({ virt: 0x80a0_0000n, phys: 0x4000_0000n, size: 0x20_0000n, pageSize: '2M' });
  });

  it('maps a 1 GiB page', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(1, 3, 0, 0), 0x1_4000_0000n, '1G', F.RW | F.G);
    const m = only(walkPageTables(b.reader(), b.pml4).mappings);
    expect(m).toMatchObject({ virt: (1n << 39n) | (3n << 30n), phys: 0x1_4000_0000n, size: 0x4000_0000n, pageSize: '1G', global: true });
  });

  it('treats bit 7 of a PT entry as PAT, not as a page size', () => {
    const b = new PageTableBuilder();
    b.map(0x1000n, 0x7000n, '4K', F.RW | F.PS);
    expect(only(walkPageTables(b.reader(), b.pml4).mappings)).toMatchObject({ virt: 0x1000n, phys: 0x7000n, pageSize: '4K' });
  });

  it('skips entries without the present bit even when they hold an address', () => {
    const b = new PageTableBuilder();
    const pt = b.tableAt(0, 0, 0);
    b.mem.setEntry(pt, 1, entry(0x9000n, F.RW | F.US));
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(walk.mappings).toEqual([]);
    expect(walk.anomalies).toEqual([]);
  });
});

describe('walkPageTables: effective permissions', () => {
  it('is writable only if RW is set at every level', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(0, 0, 0, 0), 0x1000n, '4K', F.RW | F.US);
    b.map(virtOf(0, 1, 0, 0), 0x2000n, '4K', F.RW | F.US);
    const pdpt = b.tableAt(0);
    b.mem.setEntry(pdpt, 1, b.mem.getEntry(pdpt, 1) & ~F.RW); // read-only at the PDPT level
    const [first, second] = walkPageTables(b.reader(), b.pml4).mappings;
    expect(first).toMatchObject({ writable: true, user: true });
    expect(second).toMatchObject({ writable: false, user: true });
  });

  it('is user only if US is set at every level', () => {
    const b = new PageTableBuilder(new GuestMemory(), F.P | F.RW); // supervisor-only tables
    b.map(0x1000n, 0x1000n, '4K', F.RW | F.US);
    expect(only(walkPageTables(b.reader(), b.pml4).mappings)).toMatchObject({ user: false, writable: true });
  });

  it('is NX if XD is set at any level, and global comes from the leaf', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(0, 0, 0, 0), 0x1000n, '4K', F.RW | F.G);
    b.map(virtOf(0, 0, 1, 0), 0x40_0000n, '2M', F.RW | F.G);
    const pd = b.tableAt(0, 0);
    b.mem.setEntry(pd, 0, b.mem.getEntry(pd, 0) | F.NX); // XD on the PD entry above the PT
    const [small, large] = walkPageTables(b.reader(), b.pml4).mappings;
    expect(small).toMatchObject({ nx: true, global: true });
    expect(large).toMatchObject({ nx: false, global: true });
  });

  it('does not inherit global from a non-leaf entry', () => {
    const b = new PageTableBuilder(new GuestMemory(), TABLE_FLAGS | F.G);
    b.map(0x1000n, 0x1000n, '4K', F.RW);
    expect(only(walkPageTables(b.reader(), b.pml4).mappings).global).toBe(false);
  });

  it('covers every combination of RW/US/NX across the four levels', () => {
    for (let combo = 0; combo < 4096; combo += 37) {
      const bits = (level: number, flag: number) => ((combo >> (level * 3 + flag)) & 1) === 1;
      const flagsAt = (level: number) =>
        F.P | (bits(level, 0) ? F.RW : 0n) | (bits(level, 1) ? F.US : 0n) | (bits(level, 2) ? F.NX : 0n);
      const mem = new GuestMemory(0x10000);
      const [pml4, pdpt, pd, pt] = [mem.allocFrame(), mem.allocFrame(), mem.allocFrame(), mem.allocFrame()];
      mem.setEntry(pml4, 0, entry(pdpt, flagsAt(0)));
      mem.setEntry(pdpt, 0, entry(pd, flagsAt(1)));
      mem.setEntry(pd, 0, entry(pt, flagsAt(2)));
      mem.setEntry(pt, 0, entry(0x8000n, flagsAt(3)));
      const all = (flag: number) => [0, 1, 2, 3].every((l) => bits(l, flag));
      const any = (flag: number) => [0, 1, 2, 3].some((l) => bits(l, flag));
      expect(only(walkPageTables(mem.reader(), pml4).mappings)).toMatchObject({ writable: all(0), user: all(1), nx: any(2) });
    }
  });
});

describe('walkPageTables: merging into runs', () => {
  it('merges pages contiguous in virtual and physical memory with equal permissions', () => {
    const b = new PageTableBuilder();
    b.mapRange(0x10_0000n, 0x8_0000n, 40, '4K', F.RW);
    expect(only(walkPageTables(b.reader(), b.pml4).mappings)).toMatchObject({ virt: 0x10_0000n, phys: 0x8_0000n, size: 40n * 0x1000n, pageSize: '4K' });
  });

  it('merges across table boundaries and page sizes into a "mixed" run', () => {
    const b = new PageTableBuilder();
    b.mapRange(0x1f_e000n, 0x1f_e000n, 2, '4K', F.RW); // last two pages of the first PT
    b.map(0x20_0000n, 0x20_0000n, '2M', F.RW); // then a 2 MiB page in the same PD
    b.mapRange(0x40_0000n, 0x40_0000n, 1, '4K', F.RW); // then 4K again
    expect(only(walkPageTables(b.reader(), b.pml4).mappings)).toMatchObject({ virt: 0x1f_e000n, size: 0x20_3000n, pageSize: 'mixed' });
  });

  it('splits runs where the physical address jumps or the permissions differ', () => {
    const b = new PageTableBuilder();
    b.map(0x1000n, 0x1000n, '4K', F.RW);
    b.map(0x2000n, 0x9000n, '4K', F.RW); // physical jump
    b.map(0x3000n, 0xa000n, '4K', 0n); // read-only
    b.map(0x4000n, 0xb000n, '4K', F.NX);
    b.map(0x5000n, 0xc000n, '4K', F.NX | F.G);
    b.map(0x6000n, 0xd000n, '4K', F.NX | F.G | F.US);
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(walk.mappings.map((m) => m.virt)).toEqual([0x1000n, 0x2000n, 0x3000n, 0x4000n, 0x5000n, 0x6000n]);
  });

  it('sign-extends high-half addresses and never merges across the canonical hole', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(255, 511, 511, 511), 0x10_0000n, '4K', F.RW); // last low-half page
    b.map(virtOf(256, 0, 0, 0), 0x10_1000n, '4K', F.RW); // first high-half page, physically next
    b.map(virtOf(511, 510, 0, 0), 0x20_0000n, '2M', F.RW | F.G); // a -2 GiB kernel mapping
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(walk.mappings.map((m) => m.virt)).toEqual([0x7fff_ffff_f000n, 0xffff_8000_0000_0000n, 0xffff_ffff_8000_0000n]);
  });

  it('lists mappings sorted by virtual address', () => {
    const b = new PageTableBuilder();
    for (const i4 of [300, 3, 511, 0, 256]) b.map(virtOf(i4, 7, 0, 0), BigInt(i4) << 21n, '2M', F.RW);
    const virts = walkPageTables(b.reader(), b.pml4).mappings.map((m) => m.virt);
    expect(virts).toEqual([...virts].sort((x, y) => (x < y ? -1 : 1)));
    expect(virts).toHaveLength(5);
  });
});

describe('walkPageTables: recursive entries', () => {
  for (const index of [0, 1, 255, 256, 510, 511]) {
    it(`reports a PML4 entry ${index} pointing to the PML4 and does not walk into it`, () => {
      const b = new PageTableBuilder();
      b.map(virtOf(index === 1 ? 2 : 1, 0, 0, 0), 0x3000n, '4K', F.RW);
      b.mem.setEntry(b.pml4, index, entry(b.pml4, F.P | F.RW));
      const walk = walkPageTables(b.reader(), b.pml4);
      expect(walk.recursive).toEqual([
        { level: 4, index, table: b.pml4, target: b.pml4, targetLevel: 4, virt: virtOf(index, 0, 0, 0), size: 1n << 39n },
      ]);
      expect(only(walk.mappings).phys).toBe(0x3000n);
      expect(walk.anomalies).toEqual([]);
      expect(pageWalkToJson(walk).recursive).toEqual([{ level: 4, index }]);
    });
  }

  it('reports a PDPT entry pointing back to the PML4, a PD entry to its PDPT and a PD entry to itself', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(4, 0, 0, 0), 0x1000n, '4K', F.RW);
    const pdpt = b.tableAt(4);
    const pd = b.tableAt(4, 0);
    b.mem.setEntry(pdpt, 9, entry(b.pml4, F.P | F.RW));
    b.mem.setEntry(pd, 7, entry(pdpt, F.P | F.RW));
    b.mem.setEntry(pd, 8, entry(pd, F.P | F.RW));
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(walk.recursive.map((r) => [r.level, r.index, r.targetLevel, r.virt])).toEqual([
      [2, 7, 3, virtOf(4, 0, 7, 0)],
      [2, 8, 2, virtOf(4, 0, 8, 0)],
      [3, 9, 4, virtOf(4, 9, 0, 0)],
    ]);
    expect(walk.mappings).toHaveLength(1);
  });

  it('does not count a leaf that maps a page-table frame as recursive', () => {
    const b = new PageTableBuilder();
    b.map(0x1000n, b.pml4, '4K', F.RW); // the kernel can see its own PML4
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(walk.recursive).toEqual([]);
    expect(only(walk.mappings).phys).toBe(b.pml4);
  });
});

describe('walkPageTables: aliases and hostile tables', () => {
  it('walks shared sub-tables once per path (aliases)', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(0, 0, 0, 0), 0x5000n, '4K', F.RW);
    b.mem.setEntry(b.pml4, 7, b.mem.getEntry(b.pml4, 0)); // PML4[7] shares PML4[0]'s PDPT
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(walk.mappings.map((m) => [m.virt, m.phys])).toEqual([[0n, 0x5000n], [virtOf(7, 0, 0, 0), 0x5000n]]);
    expect(walk.stats).toMatchObject({ tablesVisited: 7, distinctTables: 4 });
    expect(walk.anomalies).toEqual([]);
  });

  it('reports reserved bits and does not map through them', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(0, 0, 0, 0), 0x1000n, '2M', F.RW | (1n << 13n)); // bit 13 is reserved in a 2 MiB entry
    b.map(virtOf(0, 1, 0, 0), 0x4000_0000n, '1G', F.RW | (1n << 20n)); // reserved in a 1 GiB entry
    b.mem.setEntry(b.pml4, 3, entry(b.mem.allocFrame(), F.P | F.PS)); // PS in a PML4 entry
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(walk.mappings).toEqual([]);
    expect(walk.anomalies.map((a) => [a.kind, a.level, a.index])).toEqual([
      ['reserved-bits', 2, 0],
      ['reserved-bits', 3, 1],
      ['reserved-bits', 4, 3],
    ]);
    expect(walk.anomalies[0].message).toMatch(/^PD entry 0 of table 0x\w+ \(virt 0x0\) sets reserved bits 0x2000/);
  });

  it('treats address bits above MAXPHYADDR and XD without EFER.NXE as reserved', () => {
    const b = new PageTableBuilder();
    b.map(0x1000n, 1n << 45n, '4K', F.RW);
    b.map(0x2000n, 0x2000n, '4K', F.NX);
    expect(walkPageTables(b.reader(), b.pml4).anomalies.filter((a) => a.kind === 'reserved-bits')).toEqual([]);
    const strict = walkPageTables(b.reader(), b.pml4, { physAddrBits: 40, nxe: false });
    expect(strict.anomalies.filter((a) => a.kind === 'reserved-bits').map((a) => a.index)).toEqual([1, 2]);
    expect(strict.mappings).toEqual([]);
  });

  it('reports tables outside RAM with the entry that points there, and keeps going', () => {
    const b = new PageTableBuilder();
    b.mem.setEntry(b.pml4, 2, entry(0x4000_0000n, TABLE_FLAGS));
    b.map(virtOf(3, 0, 0, 0), 0x1000n, '4K', F.RW);
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(walk.anomalies).toEqual([
      expect.objectContaining({ kind: 'table-outside-ram', table: b.pml4, index: 2, level: 4 }),
    ]);
    expect(walk.anomalies[0].message).toBe('PML4 entry 2 of table 0x1000 (virt 0x10000000000) points to a PDPT at 0x40000000, outside guest RAM (1 MiB)');
    expect(walk.mappings).toHaveLength(1);
  });

  it('reports a CR3 outside RAM without throwing', () => {
    const walk = walkPageTables(new GuestMemory(0x2000).reader(), 0xdead_0000n);
    expect(walk.mappings).toEqual([]);
    expect(walk.anomalies.map((a) => a.kind)).toEqual(['table-outside-ram']);
    expect(walk.anomalies[0].message).toMatch(/^CR3 points to a PML4 at 0xdead0000, outside guest RAM/);
  });

  it('keeps mappings of frames outside RAM but reports them (device memory or a bad mapping)', () => {
    const b = new PageTableBuilder();
    b.mapRange(0n, 0n, 2, '2M', F.RW); // 4 MiB identity map over 1 MiB of RAM
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(only(walk.mappings).size).toBe(0x40_0000n);
    expect(walk.anomalies.map((a) => a.kind)).toEqual(['frame-outside-ram']);
  });

  it('reports a table used at two levels', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(0, 0, 0, 0), 0x1000n, '4K', F.RW);
    const pd = b.tableAt(0, 0);
    b.mem.setEntry(b.pml4, 1, entry(pd, TABLE_FLAGS)); // the PD also used as a PDPT
    const walk = walkPageTables(b.reader(), b.pml4);
    expect(walk.anomalies.map((a) => a.kind)).toContain('table-level-conflict');
  });

  it('stops with a budget anomaly on a table set that shares everything', () => {
    const mem = new GuestMemory(0x10000);
    const [pml4, pdpt, pd, pt] = [mem.allocFrame(), mem.allocFrame(), mem.allocFrame(), mem.allocFrame()];
    for (let i = 0; i < 512; i++) {
      mem.setEntry(pml4, i, entry(pdpt, TABLE_FLAGS));
      mem.setEntry(pdpt, i, entry(pd, TABLE_FLAGS));
      mem.setEntry(pd, i, entry(pt, TABLE_FLAGS));
      mem.setEntry(pt, i, entry(BigInt(i % 2) << 12n, F.P | F.RW)); // alternating frames: nothing merges
    }
    const walk = walkPageTables(mem.reader(), pml4); // 512^4 leaves if it were walked
    expect(walk.complete).toBe(false);
    expect(walk.anomalies.filter((a) => a.kind === 'budget')).toHaveLength(1);
    expect(walk.mappings.length).toBeLessThanOrEqual(65536);
    const small = walkPageTables(mem.reader(), pml4, { maxTables: 10, maxMappings: 1_000_000 });
    expect(small.stats.tablesVisited).toBe(10);
    expect(small.anomalies.at(-1)?.message).toMatch(/maxTables/);
  });

  it('keeps at most maxAnomalies anomalies and then says the list is truncated', () => {
    const b = new PageTableBuilder();
    for (let i = 0; i < 300; i++) b.mem.setEntry(b.pml4, i, entry(0x4000_0000n, TABLE_FLAGS));
    const walk = walkPageTables(b.reader(), b.pml4, { maxAnomalies: 20 });
    expect(walk.anomalies).toHaveLength(21);
    expect(walk.anomalies.at(-1)?.kind).toBe('truncated');
  });
});

describe('pageWalkToJson', () => {
  it('prints 64-bit values as lowercase hex in the contract shape', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(511, 510, 0, 0), 0xa_c000n, '4K', F.RW | F.US | F.G | F.NX);
    b.mem.setEntry(b.pml4, 510, entry(b.pml4, F.P | F.RW | F.NX));
    b.mem.setEntry(b.pml4, 5, entry(0xfff_0000_0000n, TABLE_FLAGS));
    const json = pageWalkToJson(walkPageTables(b.reader(), b.pml4 | 0x18n));
    expect(json).toEqual({
      cr3: '0x1018',
      recursive: [{ level: 4, index: 510 }],
      mappings: [{ virt: '0xffffffff80000000', phys: '0xac000', size: '0x1000', pageSize: '4K', writable: true, user: true, nx: true, global: true }],
      anomalies: [
        { kind: 'table-outside-ram', message: expect.stringContaining('0xfff00000000'), table: '0x1000', index: 5 },
      ],
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
