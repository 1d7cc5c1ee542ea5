import { describe, expect, it } from 'vitest';
import { formatControlRegisters, formatFreeList, formatHeapRegions, formatPageWalk, formatRegisters, permissionText } from './format';
import { walkPageTables } from './paging-walk';
import { decodeControlRegisters, registersToJson } from './registers';
import { walkFreeList } from './freelist';
import { F, GuestMemory, PageTableBuilder, entry } from './test-support/page-tables';
import { writeFreeList } from './test-support/abi-structures';

describe('text tables', () => {
  it('formats a walk with mappings, recursive entries and anomalies', () => {
    const b = new PageTableBuilder();
    b.mapRange(0xffff_ffff_8000_0000n, 0x1_0000n, 2, '4K', F.RW | F.G | F.NX);
    b.mem.setEntry(b.pml4, 510, entry(b.pml4, F.P | F.RW));
    b.mem.setEntry(b.pml4, 3, entry(0x4000_0000n, F.P));
    const text = formatPageWalk(walkPageTables(b.reader(), b.pml4));
    expect(text.split('\n')).toEqual([
      'CR3 0x1000: PML4 at 0x1000, 4 tables, 1 mappings',
      'VIRT                END                 PHYS     SIZE   PAGES  ACCESS',
      '0xffffffff80000000  0xffffffff80002000  0x10000  8 KiB  4K     rw- kernel global',
      'recursive: PML4[510] in 0x1000 points back to the PML4 at 0x1000; covers 0xffffff0000000000 (512 GiB), not walked',
      'anomaly (table-outside-ram): PML4 entry 3 of table 0x1000 (virt 0x18000000000) points to a PDPT at 0x40000000, outside guest RAM (1 MiB)',
    ]);
  });

  it('formats permissions, registers, free lists and empty heaps', () => {
    expect(permissionText({ writable: false, user: true, nx: false, global: false })).toBe('r-x user');
    expect(formatControlRegisters(decodeControlRegisters({ cr0: 0x8000_0011n, efer: 0x500n }))).toBe(
      'CR0  0x80000011   PE ET PG\nEFER 0x500        LME LMA\nmode: long',
    );
    const mem = new GuestMemory(0x10000);
    writeFreeList(mem, [0x3000n, 0x4000n]);
    expect(formatFreeList(walkFreeList(mem.reader(), 0x3000n, { expectedCount: 2 }))).toBe(
      'free list from 0x3000: 2 frames (the kernel counts 2), ends with 0xdeadbeef\n  0x3000..0x5000  8 KiB',
    );
    expect(formatHeapRegions([])).toBe('no heap regions yet');
  });

  it('lists registers in reading order, three to a row, then the decoded control registers', () => {
    const regs = { efer: 0x500n, rbx: 2n, rax: 1n, rcx: 0xffff_ffff_8000_0000n, rip: 0x7c00n, cr0: 0x8000_0011n, xmm0: 5n };
    expect(formatRegisters(regs).split('\n')).toEqual([
      '      rax 0000000000000001         rbx 0000000000000002         rcx ffffffff80000000',
      '      rip 0000000000007c00         cr0 0000000080000011        efer 0000000000000500',
      '',
      'CR0  0x80000011   PE ET PG',
      'EFER 0x500        LME LMA',
      'mode: long',
    ]);
    expect(registersToJson(regs)).toEqual({ rax: '0x1', rbx: '0x2', rcx: '0xffffffff80000000', rip: '0x7c00', cr0: '0x80000011', efer: '0x500' });
    expect(Object.keys(registersToJson(regs))).toEqual(['rax', 'rbx', 'rcx', 'rip', 'cr0', 'efer']);
  });
});
