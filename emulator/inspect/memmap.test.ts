import { describe, expect, it } from 'vitest';
import { buildMemoryMap } from './memmap';
import { parseBootInfo } from './bootinfo';
import { walkFreeList } from './freelist';
import { GuestMemory } from './test-support/page-tables';
import { writeBootInfo, writeFreeList } from './test-support/abi-structures';

function guest(freeFrames: bigint[]) {
  const mem = new GuestMemory(0x20_0000);
  writeBootInfo(mem, 0x8000n, {
    e820: [
      { base: 0n, length: 0x9_fc00n, type: 1 },
      { base: 0x9_fc00n, length: 0x400n, type: 2 },
      { base: 0x10_0000n, length: 0x10_0000n, type: 1 },
    ],
    kernelPhysStart: 0x10_0000n, kernelPhysEnd: 0x12_0000n, kernelEntry: 0x10_0000n,
    pml4Phys: 0x7_0000n, pageTablesPhysStart: 0x7_0000n, pageTablesPhysEnd: 0x7_3000n,
    loaderPhysStart: 0x7000n, loaderPhysEnd: 0x2_0000n,
  });
  writeFreeList(mem, freeFrames);
  const boot = parseBootInfo(mem.reader(), 0x8000n);
  return { boot, free: walkFreeList(mem.reader(), freeFrames[0] ?? 0xdeadbeefn) };
}

describe('buildMemoryMap', () => {
  it('lays E820 regions, the kernel, the loader and the free frames out as labelled segments', () => {
    const { boot, free } = guest([0x13_0000n, 0x13_1000n, 0x15_0000n]);
    const map = buildMemoryMap(boot, free);
    expect(map.anomalies).toEqual([]);
    expect(map.totals).toEqual({ usableBytes: 0x9_fc00n + 0x10_0000n, freeBytes: 0x3000n, freeFrames: 3 });
    expect(map.segments.map((s) => [s.base, s.length, s.kind, s.labels])).toEqual([
      [0n, 0x7000n, 'usable', []],
      [0x7000n, 0x1000n, 'usable', ['loader']],
      [0x8000n, 0x50n + 3n * 24n, 'usable', ['boot-info', 'loader']],
      [0x8098n, 0x2_0000n - 0x8098n, 'usable', ['loader']],
      [0x2_0000n, 0x5_0000n, 'usable', []],
      [0x7_0000n, 0x3000n, 'usable', ['boot-page-tables']],
      [0x7_3000n, 0x9_fc00n - 0x7_3000n, 'usable', []],
      [0x9_fc00n, 0x400n, 'reserved', []],
      [0x10_0000n, 0x2_0000n, 'usable', ['kernel']],
      [0x12_0000n, 0x1_0000n, 'usable', []],
      [0x13_0000n, 0x2000n, 'usable', ['free']],
      [0x13_2000n, 0x1_e000n, 'usable', []],
      [0x15_0000n, 0x1000n, 'usable', ['free']],
      [0x15_1000n, 0xa_f000n, 'usable', []],
    ]);
  });

  it('reports free frames inside the kernel or outside usable memory', () => {
    const { boot, free } = guest([0x11_f000n, 0x9_f000n, 0xa_0000n]);
    const map = buildMemoryMap(boot, free);
    expect(map.anomalies.map((a) => [a.kind, a.base, a.length])).toEqual([
      ['free-outside-usable', 0x9_fc00n, 0x1400n], // 0x9f000..0xa1000 minus usable 0..0x9fc00
      ['free-overlaps-used', 0x11_f000n, 0x1000n],
    ]);
    expect(map.anomalies[1].message).toBe('free frames 0x11f000..0x120000 overlap the kernel image incl. BSS (kernel 0x100000..0x120000)');
  });
});
