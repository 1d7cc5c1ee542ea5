// The sample OS (samples/seed-os), built with the real toolchain and booted in the real QEMU,
// checked by reading its live state: free list, memory map, heap, page tables, registers, VGA,
// snapshots and the fault switches; the record against the serial summary at 64 MiB, 128 MiB and
// 1 GiB. (Its serial promises and plain build: samples/seed-os/seed-os.test.ts.) A build failure
// fails every test with the build's message.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBootTarget, type BootTarget } from './boot-target';
import { inspectRecordPhysFromElf, readKernelState, readPageWalk, readVgaScreen, type KernelState } from './live-inspection';
import { BOOT_INFO_HEADER_BYTES, canonicalVirt, E820_ENTRY_BYTES, hex, parseInspectRecord, readU64, translate, vgaScreenToText, type PhysReader } from './inspect';
import type { FaultSwitch } from './qemu/args';
import { QemuSession } from './session';

const workspace = fileURLToPath(new URL('../samples/seed-os', import.meta.url));
const READY = 'phase 2: ready';
const HIGH_HALF = 0xffff_8000_0000_0000n;

let target: BootTarget | undefined;
let buildError: Error | undefined;
beforeAll(async () => {
  try {
    target = await resolveBootTarget({ workspace });
  } catch (err) {
    buildError = err as Error;
  }
});
function built(): BootTarget {
  if (!target) throw new Error(`the sample OS did not build, so it cannot be inspected:\n${buildError?.message}`);
  return target;
}

function serialValue(serial: string, label: string): string {
  const match = new RegExp(`^${label}: (\\S+)\\r?$`, 'm').exec(serial);
  if (!match) throw new Error(`serial has no "${label}: …" line:\n${serial}`);
  return match[1];
}

/** The record agrees with what the kernel printed, the kernel lives high only, and nothing reserved is free. */
function expectPhase2Consistent(state: KernelState, serial: string, mem: PhysReader): void {
  const { record, boot, walk, freeList } = state;
  expect(record.version).toBe(1);
  expect(record.size).toBeGreaterThanOrEqual(168);
  expect(record.phase).toBe(2);
  expect(record.lowKernelUnmapped).toBe(true);
  expect(record.faultSwitch).toBe('none');
  expect(record.kernelLinkBase).toBe(0x10_0000n);
  expect(record.phase2EntryVirt).toBeGreaterThanOrEqual(record.kernelHighBase);
  expect(record.freeFrameCount).toBe(BigInt(serialValue(serial, 'free frames')));
  expect(record.heapRegionCount).toBe(BigInt(serialValue(serial, 'heap regions')));
  expect(record.recursiveIndex).toBe(Number(serialValue(serial, 'recursive index')));
  expect(record.kernelHighBase).toBe(BigInt(serialValue(serial, 'kernel high base')));

  const phys = (virt: bigint) => translate(mem, walk.cr3, virt).phys;
  expect(readU64(mem, record.pml4Phys + 8n * BigInt(record.recursiveIndex!))! & 0x000f_ffff_ffff_f000n).toBe(record.pml4Phys);
  expect(phys(record.kernelHighBase)).toBe(record.kernelPhysStart);
  expect(phys(record.kernelPhysStart)).toBeUndefined();
  expect(phys(BigInt(serialValue(serial, 'phase 2 rip')))).toBeDefined();
  expect(phys(record.heapRegionsVirt)).toBe(record.heapRegionsPhys);
  let nextVirt = record.heapHighBase;
  for (const region of state.heap) {
    expect(region.virt).toBe(nextVirt);
    expect(region.length % 4096n).toBe(0n);
    expect(region.verified).toBe(true);
    nextVirt = region.virt + region.length;
  }

  expect(freeList.terminated).toBe(true);
  expect(BigInt(freeList.count)).toBe(record.freeFrameCount);
  expect(freeList.anomalies).toEqual([]); // no cycle (a frame twice), no frame outside usable RAM
  const reserved = [
    { base: record.kernelPhysStart, end: record.kernelPhysEnd, what: 'the kernel' },
    { base: boot.phys, end: boot.phys + BigInt(BOOT_INFO_HEADER_BYTES + E820_ENTRY_BYTES * boot.e820.length), what: 'the boot info' },
    { base: record.pml4Phys, end: record.pml4Phys + 4096n, what: 'the PML4' },
    ...boot.e820.filter((e) => e.type !== 1 || e.base === 0n).map((e) => ({ base: e.base, end: e.base + e.length, what: `E820 type ${e.type} at ${hex(e.base)}` })),
  ];
  const violations = freeList.ranges.flatMap((r) =>
    reserved.filter((x) => r.base < x.end && x.base < r.base + r.length).map((x) => `${hex(r.base)}..${hex(r.base + r.length)} overlaps ${x.what}`),
  );
  expect(violations).toEqual([]);
}

describe('seed-os at phase 2', () => {
  let session: QemuSession;
  let state: KernelState;

  beforeAll(async () => {
    const t = built();
    session = await QemuSession.start({ image: t.image, memory: t.memory, extraArgs: t.extraArgs });
    await session.waitForSerial(READY + '\r\n', 60_000);
    await session.pause();
    state = await readKernelState(session, t.kernelElf);
  });
  afterAll(() => session?.stop());

  it('waits for the ready text the manifest names (inspect.readySerial), printed after the low mapping is gone', () => {
    expect(built().readySerial).toBe(READY);
    expect(built().phase2Serial).toBe('Longmode seed-os: phase 2');
  });

  it('is in phase 2 with the low kernel mapping removed, and still printed afterwards', () => {
    expect(state.record.phase).toBe(2);
    expect(state.record.lowKernelUnmapped).toBe(true);
    const serial = session.serialText();
    expect(serial.indexOf(READY)).toBeGreaterThan(serial.indexOf('low kernel mapping removed'));
    const walk = state.walk;
    const lowKernel = walk.mappings.find((m) => m.virt <= state.record.kernelPhysStart && state.record.kernelPhysStart < m.virt + m.size);
    expect(lowKernel).toBeUndefined();
  });

  it('has a record that matches the serial summary, the kernel mapped high only, nothing reserved on the free list', () => {
    expectPhase2Consistent(state, session.serialText(), session.ram.cachedView());
  });

  it('has a free list as long as the record says, ending in 0xdeadbeef, without anomalies', () => {
    expect(BigInt(state.freeList.count)).toBe(state.record.freeFrameCount);
    expect(state.freeList.terminated).toBe(true);
    expect(state.freeList.anomalies).toEqual([]);
    // the last frame's next pointer is the terminator
    const last = state.freeList.ranges.at(-1)!;
    expect(last).toBeDefined();
  });

  it('hands out no frame of the kernel, the boot info, or a non-usable E820 region', () => {
    expect(state.memoryMap.anomalies).toEqual([]);
    const { kernelPhysStart, kernelPhysEnd } = state.record;
    for (const r of state.freeList.ranges) {
      const end = r.base + r.length;
      expect(end <= kernelPhysStart || r.base >= kernelPhysEnd).toBe(true);
      expect(end <= state.boot.phys || r.base > state.boot.phys).toBe(true);
      const inUsable = state.boot.e820.some((e) => e.type === 1 && e.base <= r.base && end <= e.base + e.length);
      expect(inUsable).toBe(true);
    }
  });

  it('has heap regions that are contiguous and mapped to the recorded frames', () => {
    expect(state.heap.length).toBe(Number(state.record.heapRegionCount));
    expect(state.heap.length).toBeGreaterThan(0);
    let nextVirt = state.record.heapHighBase;
    for (const region of state.heap) {
      expect(region.virt).toBe(nextVirt);
      expect(region.verified).toBe(true);
      nextVirt = region.virt + region.length;
    }
  });

  it('has a PML4 recursive entry pointing at itself at the recorded index', () => {
    const index = state.record.recursiveIndex!;
    expect(state.walk.recursive).toContainEqual(expect.objectContaining({ level: 4, index, table: state.record.pml4Phys }));
    const entry = readU64(session.ram, state.record.pml4Phys + BigInt(index) * 8n)!;
    expect(entry & 0x000f_ffff_ffff_f000n).toBe(state.record.pml4Phys);
    expect(state.walk.anomalies.filter((a) => a.kind !== 'frame-outside-ram')).toEqual([]);
  });

  it('runs phase 2 in the high half (RIP, RSP) on the recorded PML4', async () => {
    const regs = await session.registers();
    expect(regs.rip).toBeGreaterThanOrEqual(HIGH_HALF);
    expect(regs.rsp).toBeGreaterThanOrEqual(HIGH_HALF);
    expect(regs.cr3 & ~0xfffn).toBe(state.record.pml4Phys);
    const printed = /phase 2 rip: (0x[0-9a-f]+)/.exec(session.serialText())!;
    expect(BigInt(printed[1])).toBeGreaterThanOrEqual(state.record.kernelHighBase);
    expect(canonicalVirt(regs.rip)).toBe(regs.rip);
  });

  it('shows on VGA what it printed on serial', async () => {
    const screenText = vgaScreenToText(await readVgaScreen(session));
    const serialLines = session.serialText().split('\r\n').filter((l) => l.startsWith('Longmode seed-os') || l.startsWith('phase 2'));
    expect(serialLines.length).toBeGreaterThan(2);
    for (const line of serialLines) expect(screenText).toContain(line);
  });

  it('restores phase 2 from a snapshot with identical RAM', async () => {
    const hash = () => createHash('sha256').update(session.ram.read(0n, 0xa0000)!).update(session.ram.read(0x100000n, 0x800000)!).digest('hex');
    const before = hash();
    await session.saveSnapshot('phase2');
    await session.reset();
    await session.waitForSerial('seed-os kernel: phase 1', 30_000);
    await session.pause();
    expect(hash()).not.toBe(before);
    await session.loadSnapshot('phase2');
    expect(hash()).toBe(before);
    const walk = await readPageWalk(session);
    expect(walk.cr3).toBe(state.walk.cr3);
  });
});

describe.each(['64M', '1G'])('seed-os at phase 2 with %s of RAM', (memory) => {
  it('has a record that matches the serial summary, the kernel mapped high only, nothing reserved on the free list', async () => {
    const t = built();
    const session = await QemuSession.start({ image: t.image, memory, extraArgs: t.extraArgs });
    try {
      await session.waitForSerial(READY + '\r\n', 60_000);
      await session.pause();
      expectPhase2Consistent(await readKernelState(session, t.kernelElf), session.serialText(), session.ram.cachedView());
    } finally {
      await session.stop();
    }
  });
});

describe('seed-os fault switches', () => {
  async function bootWithFault(fault: FaultSwitch) {
    const t = built();
    const session = await QemuSession.start({ image: t.image, memory: t.memory, fault });
    return session;
  }

  it('page: an EXCEPTION report for a write to 0xdeadb000', async () => {
    const session = await bootWithFault('page');
    try {
      const status = await session.waitForState('faulted', 60_000);
      expect(status.fault).toMatchObject({ kind: 'exception', vector: 14, cr2: '0xdeadb000', errorCode: '0x2' });
      expect(BigInt(status.fault!.rip!)).toBeGreaterThanOrEqual(HIGH_HALF);
      expect(parseInspectRecord(session.ram, inspectRecordPhysFromElf(built().kernelElf)).faultSwitch).toBe('page-fault');
    } finally {
      await session.stop();
    }
  });

  it('triple: a triple-fault report, with the machine kept for inspection', async () => {
    const session = await bootWithFault('triple');
    try {
      const status = await session.waitForState('faulted', 60_000);
      expect(status.fault).toMatchObject({ kind: 'triple-fault', vector: 6, name: 'Invalid opcode' });
      const regs = await session.registers();
      expect(regs.rip).toBeGreaterThanOrEqual(HIGH_HALF);
    } finally {
      await session.stop();
    }
  });

  it('spin: keeps running without a fault', async () => {
    const session = await bootWithFault('spin');
    try {
      await session.waitForSerial(READY, 60_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(session.state).toBe('running');
    } finally {
      await session.stop();
    }
  });
});
