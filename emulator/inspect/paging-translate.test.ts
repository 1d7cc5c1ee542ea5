import { describe, expect, it } from 'vitest';
import { translate, translationToJson } from './paging-translate';
import { F, PageTableBuilder, entry, virtOf } from './test-support/page-tables';

describe('translate', () => {
  it('returns the entry at each level and the physical address with the page offset', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(511, 510, 3, 7), 0x9000n, '4K', F.RW | F.G | F.NX | F.A | F.D);
    const t = translate(b.reader(), b.pml4, virtOf(511, 510, 3, 7, 0x123n));
    expect(t.steps.map((s) => [s.levelName, s.table, s.index, s.entryAddr])).toEqual([
      ['PML4', b.pml4, 511, b.pml4 + 511n * 8n],
      ['PDPT', b.tableAt(511), 510, b.tableAt(511) + 510n * 8n],
      ['PD', b.tableAt(511, 510), 3, b.tableAt(511, 510) + 3n * 8n],
      ['PT', b.tableAt(511, 510, 3), 7, b.tableAt(511, 510, 3) + 7n * 8n],
    ]);
    expect(t.steps[3].entry.names).toEqual(['P', 'RW', 'A', 'D', 'G', 'NX']);
    expect(t.steps[0].entry.names).toEqual(['P', 'RW', 'US']);
    expect(t).toMatchObject({ phys: 0x9123n, pageSize: '4K', pageVirt: virtOf(511, 510, 3, 7), pagePhys: 0x9000n });
    expect(t.permissions).toEqual({ writable: true, user: false, nx: true, global: true });
    expect(t.stop).toBeUndefined();
  });

  it('adds the offset within 2 MiB and 1 GiB pages', () => {
    const b = new PageTableBuilder();
    b.map(0x4000_0000n, 0x8000_0000n, '1G', F.RW);
    b.map(0x20_0000n, 0x60_0000n, '2M', F.RW | F.PAT_LARGE);
    expect(translate(b.reader(), b.pml4, 0x4abc_def0n)).toMatchObject({ phys: 0x8abc_def0n, pageSize: '1G', pagePhys: 0x8000_0000n });
    const two = translate(b.reader(), b.pml4, 0x2f_ffffn);
    expect(two).toMatchObject({ phys: 0x6f_ffffn, pageSize: '2M' });
    expect(two.steps[2].entry.flags).toMatchObject({ pageSize: true, pat: true });
  });

  it('says where and why it stopped', () => {
    const b = new PageTableBuilder();
    b.map(0x1000n, 0x1000n, '4K', F.RW);
    b.mem.setEntry(b.pml4, 2, entry(0x4000_0000n, F.P));
    b.map(virtOf(3, 0, 0, 0), 0n, '2M', F.RW | (1n << 14n));
    const r = b.reader();
    expect(translate(r, b.pml4, 0x2000n).stop).toEqual({ level: 1, reason: 'not-present', message: `PT entry 2 of table ${'0x' + b.tableAt(0, 0, 0).toString(16)} is not present` });
    expect(translate(r, b.pml4, virtOf(2, 0, 0, 0)).stop).toMatchObject({ level: 3, reason: 'table-outside-ram' });
    expect(translate(r, b.pml4, virtOf(3, 0, 0, 0)).stop).toMatchObject({ level: 2, reason: 'reserved-bits', message: expect.stringContaining('reserved bits 0x4000') });
    expect(translate(r, b.pml4, 0x0000_8000_0000_0000n).stop).toMatchObject({ reason: 'non-canonical' });
    expect(translate(r, b.pml4, 0x0000_8000_0000_0000n).steps).toEqual([]);
  });

  it('follows a recursive entry as the CPU would: the recursive address of a PT entry reads that PT', () => {
    const b = new PageTableBuilder();
    b.map(virtOf(1, 2, 3, 4), 0x7000n, '4K', F.RW);
    b.mem.setEntry(b.pml4, 510, entry(b.pml4, F.P | F.RW));
    // virt (510, 1, 2, 3) with offset 4*8 is the PT entry for (1, 2, 3, 4)
    const t = translate(b.reader(), b.pml4, virtOf(510, 1, 2, 3, 4n * 8n));
    expect(t.phys).toBe(b.tableAt(1, 2, 3) + 32n);
  });

  it('prints hex strings in its JSON form', () => {
    const b = new PageTableBuilder();
    b.map(0xffff_8000_0000_0000n, 0xabc000n, '4K', F.RW);
    const json = translationToJson(translate(b.reader(), b.pml4, 0xffff_8000_0000_0010n));
    expect(json).toMatchObject({ virt: '0xffff800000000010', phys: '0xabc010', pagePhys: '0xabc000', stop: undefined });
    expect(json.steps[0]).toMatchObject({ levelName: 'PML4', index: 256, raw: expect.stringMatching(/^0x[0-9a-f]+$/) });
  });
});
