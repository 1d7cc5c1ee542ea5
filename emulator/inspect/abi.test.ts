import { describe, expect, it } from 'vitest';
import { parseBootInfo, usableRanges } from './bootinfo';
import { inspectRecordPhys, parseInspectRecord } from './record';
import { InspectError } from './errors';
import { GuestMemory } from './test-support/page-tables';
import { writeBootInfo, writeInspectRecord, type BootInfoFields } from './test-support/abi-structures';

const BOOT: BootInfoFields = {
  e820: [
    { base: 0n, length: 0x9fc00n, type: 1 },
    { base: 0x9fc00n, length: 0x400n, type: 2 },
    { base: 0xf0000n, length: 0x10000n, type: 2 },
    { base: 0x100000n, length: 0x7ee0000n, type: 1 },
    { base: 0xfffc0000n, length: 0x40000n, type: 2 },
  ],
  bootDrive: 0x80,
  kernelPhysStart: 0x100000n,
  kernelPhysEnd: 0x134000n,
  kernelEntry: 0x100040n,
  pml4Phys: 0x70000n,
  pageTablesPhysStart: 0x70000n,
  pageTablesPhysEnd: 0x74000n,
  loaderPhysStart: 0x7000n,
  loaderPhysEnd: 0x60000n,
};

describe('parseBootInfo', () => {
  it('round-trips the structure from the README', () => {
    const mem = new GuestMemory(0x10000);
    writeBootInfo(mem, 0x8000n, BOOT);
    const boot = parseBootInfo(mem.reader(), 0x8000n);
    expect(boot).toMatchObject({
      phys: 0x8000n, bootDrive: 0x80, kernelPhysStart: 0x100000n, kernelPhysEnd: 0x134000n, kernelEntry: 0x100040n,
      pml4Phys: 0x70000n, pageTablesPhysStart: 0x70000n, pageTablesPhysEnd: 0x74000n, loaderPhysStart: 0x7000n, loaderPhysEnd: 0x60000n,
    });
    expect(boot.e820.map((e) => [e.base, e.length, e.type, e.kind, e.extAttributes])).toEqual(
      BOOT.e820.map((e) => [e.base, e.length, e.type, e.type === 1 ? 'usable' : 'reserved', 1]),
    );
    expect(usableRanges(boot)).toEqual([{ base: 0n, length: 0x9fc00n }, { base: 0x100000n, length: 0x7ee0000n }]);
  });

  it('rejects a bad magic with a message naming what it found', () => {
    const mem = new GuestMemory(0x10000);
    writeBootInfo(mem, 0x8000n, { ...BOOT, magic: 'LMBOOTI2' });
    expect(() => parseBootInfo(mem.reader(), 0x8000n)).toThrow(InspectError);
    expect(() => parseBootInfo(mem.reader(), 0x8000n)).toThrow('no boot info at 0x8000: its magic is "LMBOOTI2", expected "LMBOOTI1"');
    expect(() => parseBootInfo(mem.reader(), 0x9000n)).toThrow(/magic is "\\x00\\x00/);
  });

  it('rejects an E820 count above 128 and a structure outside RAM', () => {
    const mem = new GuestMemory(0x10000);
    writeBootInfo(mem, 0x8000n, { ...BOOT, e820CountOverride: 129 });
    expect(() => parseBootInfo(mem.reader(), 0x8000n)).toThrow(/claims 129 E820 entries, more than the 128/);
    expect(() => parseBootInfo(mem.reader(), 0xfff0n)).toThrow(/the boot-info structure at 0xfff0 \(80 bytes\) lies outside guest RAM/);
  });
});

describe('parseInspectRecord', () => {
  it('round-trips every field of the version-1 record', () => {
    const mem = new GuestMemory(0x10000);
    const u64 = {
      phase: 2n, bootInfoPhys: 0x8000n, freeListHeadPhys: 0x200000n, freeFrameCount: 1234n, heapRegionsPhys: 0x9000n,
      heapRegionCount: 2n, recursiveIndex: 510n, kernelHighBase: 0xffff_ffff_8000_0000n, heapHighBase: 0xffff_c000_0000_0000n,
      stackHighBase: 0xffff_ff00_0000_0000n, stackSize: 0x10000n, kernelPhysStart: 0x100000n, kernelPhysEnd: 0x134000n,
      pml4Phys: 0x300000n, kernelLinkBase: 0x100000n, heapRegionsVirt: 0xffff_ffff_8003_0000n, lowKernelUnmapped: 1n,
      phase2EntryVirt: 0xffff_ffff_8000_1234n, faultSwitch: 1n,
    };
    writeInspectRecord(mem, 0x4000n, { u64 });
    const { recursiveIndex, lowKernelUnmapped, faultSwitch, phase, ...rest } = u64;
    expect(parseInspectRecord(mem.reader(), 0x4000n)).toEqual({
      phys: 0x4000n, version: 1, size: 168, phase: 2, recursiveIndex: 510, lowKernelUnmapped: true,
      faultSwitch: 'page-fault', faultSwitchValue: 1n, ...rest,
    });
  });

  it('reports no recursive index before phase 2', () => {
    const mem = new GuestMemory(0x10000);
    writeInspectRecord(mem, 0x4000n, { u64: { phase: 1n, recursiveIndex: 0xffff_ffff_ffff_ffffn } });
    expect(parseInspectRecord(mem.reader(), 0x4000n)).toMatchObject({ phase: 1, recursiveIndex: undefined, faultSwitch: 'none' });
  });

  it('checks the magic, the version and the size', () => {
    const mem = new GuestMemory(0x10000);
    writeInspectRecord(mem, 0x1000n, { magic: 'LMINSPCX' });
    writeInspectRecord(mem, 0x2000n, { version: 2 });
    writeInspectRecord(mem, 0x3000n, { size: 100 });
    const r = mem.reader();
    expect(() => parseInspectRecord(r, 0x1000n)).toThrow(/no inspection record at 0x1000: its magic is "LMINSPCX", expected "LMINSPCT"/);
    expect(() => parseInspectRecord(r, 0x2000n)).toThrow(/has version 2; this Longmode reads version 1: rebuild the kernel/);
    expect(() => parseInspectRecord(r, 0x3000n)).toThrow(/says it is 100 bytes, less than the 168/);
    expect(() => parseInspectRecord(r, 0x2000n)).toThrow(InspectError);
  });
});

describe('inspectRecordPhys', () => {
  const segments = [
    { vaddr: 0x100000n, paddr: 0x100000n, memsz: 0x20000n },
    { vaddr: 0xffff_ffff_8002_0000n, paddr: 0x120000n, memsz: 0x14000n },
  ];
  it('finds the segment holding the symbol and applies sym - p_vaddr + p_paddr', () => {
    expect(inspectRecordPhys(0x100040n, segments)).toBe(0x100040n);
    expect(inspectRecordPhys(0xffff_ffff_8002_1008n, segments)).toBe(0x121008n);
  });
  it('returns undefined for a symbol outside every segment', () => {
    expect(inspectRecordPhys(0x120000n, segments)).toBeUndefined();
    expect(inspectRecordPhys(0xffff_ffff_8003_4000n, segments)).toBeUndefined();
  });
});
