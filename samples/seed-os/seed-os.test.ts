// Builds seed-os with real nasm + cargo, boots it in real QEMU and checks what it reports on
// serial and what its memory holds (read from the guest RAM file).

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildSeedOs, type BuiltSample } from './test-support/build-sample';
import { loadedPhysical, symbolAddress } from './test-support/elf';
import { ADDRESS_MASK, GuestRam, readBootInfo, readInspectRecord, walkFreeList } from './test-support/guest-ram';
import { bootImage, type BootOptions, type GuestRun } from './test-support/qemu-run';

const BANNER = 'Longmode seed-os: phase 2';
const READY = 'phase 2: ready';
const HIGH_HALF = 0xffff_8000_0000_0000n;
const FAULT_ADDRESS = '0xdeadb000';

let sample: BuiltSample;
let inspectPhys: bigint;

beforeAll(async () => {
  sample = await buildSeedOs();
  const elf = await readFile(sample.kernelElf);
  const symbol = symbolAddress(elf, 'LONGMODE_INSPECT');
  if (symbol === undefined) throw new Error('the kernel ELF has no LONGMODE_INSPECT symbol');
  inspectPhys = loadedPhysical(elf, symbol);
});

afterAll(async () => {
  await sample?.remove();
});

async function withGuest<T>(options: BootOptions, body: (guest: GuestRun) => Promise<T>): Promise<T> {
  const guest = await bootImage(sample.image, options);
  try {
    return await body(guest);
  } finally {
    await guest.stop();
  }
}

function hexLine(serial: string, label: string): bigint {
  const match = serial.match(new RegExp(`^${label}: (0x[0-9a-f]+)\\r?$`, 'm'));
  if (!match) throw new Error(`serial has no "${label}: 0x…" line:\n${serial}`);
  return BigInt(match[1]);
}

function decimalLine(serial: string, label: string): number {
  const match = serial.match(new RegExp(`^${label}: (\\d+)\\r?$`, 'm'));
  if (!match) throw new Error(`serial has no "${label}: n" line:\n${serial}`);
  return Number(match[1]);
}

const overlaps = (frame: bigint, start: bigint, end: bigint) => frame < end && start < frame + 4096n;

describe.each([64, 128, 1024])('seed-os with %i MiB', (memoryMiB) => {
  it('reaches phase 2 and its memory matches the inspection record', async () => {
    await withGuest({ memoryMiB }, async (guest) => {
      const serial = await guest.waitForSerial(READY, 20_000);
      expect(serial).toContain(BANNER);
      expect(serial.indexOf(BANNER)).toBeLessThan(serial.indexOf(READY));
      expect(serial).not.toMatch(/EXCEPTION|PANIC/);
      expect(hexLine(serial, 'phase 2 rip')).toBeGreaterThanOrEqual(HIGH_HALF);
      expect(hexLine(serial, 'phase 2 rsp')).toBeGreaterThanOrEqual(HIGH_HALF);
      expect(serial).toMatch(/^vtable check: \d+ free frames, \d+ heap regions, recursive entry 510 at 0x[0-9a-f]+\r?$/m);

      const ram = new GuestRam(guest.ramPath);
      try {
        const record = readInspectRecord(ram, inspectPhys);
        expect(record.magic).toBe('LMINSPCT');
        expect(record.version).toBe(1);
        expect(record.size).toBeGreaterThanOrEqual(168);
        expect(record.phase).toBe(2n);
        expect(record.low_kernel_unmapped).toBe(1n);
        expect(record.fault_switch).toBe(0n);
        expect(record.kernel_link_base).toBe(0x10_0000n);
        expect(record.phase2_entry_virt).toBeGreaterThanOrEqual(record.kernel_high_base);
        expect(Number(record.free_frame_count)).toBe(decimalLine(serial, 'free frames'));
        expect(Number(record.heap_region_count)).toBe(decimalLine(serial, 'heap regions'));
        expect(Number(record.recursive_index)).toBe(decimalLine(serial, 'recursive index'));
        expect(record.kernel_high_base).toBe(hexLine(serial, 'kernel high base'));

        // The PML4's recursive entry points at the PML4 itself.
        const pml4 = record.pml4_phys;
        expect(ram.u64(pml4 + 8n * record.recursive_index) & ADDRESS_MASK).toBe(pml4);

        // The kernel: high mapping present, low (identity) mapping gone.
        expect(ram.translate(pml4, record.kernel_high_base)).toBe(record.kernel_phys_start);
        expect(ram.translate(pml4, record.kernel_phys_start)).toBeUndefined();
        expect(ram.translate(pml4, hexLine(serial, 'phase 2 rip'))).toBeDefined();

        // Heap regions: virtually contiguous from the heap base, mapped to the recorded frames.
        let expectedVirt = record.heap_high_base;
        for (let i = 0n; i < record.heap_region_count; i++) {
          const at = record.heap_regions_phys + 24n * i;
          const [virt, len, phys] = [ram.u64(at), ram.u64(at + 8n), ram.u64(at + 16n)];
          expect(virt).toBe(expectedVirt);
          expect(len % 4096n).toBe(0n);
          for (let offset = 0n; offset < len; offset += 4096n) {
            expect(ram.translate(pml4, virt + offset)).toBe(phys + offset);
          }
          expectedVirt = virt + len;
        }
        expect(ram.translate(pml4, record.heap_regions_virt)).toBe(record.heap_regions_phys);

        // The free list: as long as the count, ends in 0xdeadbeef, avoids everything reserved.
        const boot = readBootInfo(ram, record.boot_info_phys);
        expect(boot.magic).toBe('LMBOOTI1');
        const list = walkFreeList(ram, record.free_list_head_phys, Number(record.free_frame_count) + 1);
        expect(list.terminator).toBe(0xdeadbeefn);
        expect(list.frames.length).toBe(Number(record.free_frame_count));
        expect(new Set(list.frames).size).toBe(list.frames.length);
        const reserved = [
          { base: record.kernel_phys_start, end: record.kernel_phys_end, what: 'the kernel' },
          { base: record.boot_info_phys, end: record.boot_info_phys + boot.size, what: 'the boot info' },
          { base: pml4, end: pml4 + 4096n, what: 'the PML4' },
          ...boot.e820
            .filter((e) => e.type !== 1 || e.base === 0n)
            .map((e) => ({ base: e.base, end: e.base + e.length, what: `E820 type ${e.type} at 0x${e.base.toString(16)}` })),
        ];
        const violations: string[] = [];
        for (const frame of list.frames) {
          for (const range of reserved) {
            if (overlaps(frame, range.base, range.end)) violations.push(`0x${frame.toString(16)} overlaps ${range.what}`);
          }
        }
        expect(violations).toEqual([]);
      } finally {
        ram.close();
      }
    });
  });
});

describe('fault switches (fw_cfg opt/longmode/fault)', () => {
  it('page: reports the page fault with the touched address in CR2', async () => {
    await withGuest({ memoryMiB: 128, fault: 'page' }, async (guest) => {
      const serial = await guest.waitForSerial('EXCEPTION', 20_000);
      await guest.waitForSerial(`cr2=${FAULT_ADDRESS}`, 2_000);
      const line = serial.split(/\r?\n/).find((l) => l.startsWith('EXCEPTION')) ?? '';
      expect(line).toMatch(/^EXCEPTION vector=14 name=page-fault error=0x2 rip=0xffffffff8[0-9a-f]{7} cr2=0xdeadb000$/);
      expect(serial).toContain(READY);
      const ram = new GuestRam(guest.ramPath);
      try {
        expect(readInspectRecord(ram, inspectPhys).fault_switch).toBe(1n);
      } finally {
        ram.close();
      }
    });
  });

  it('triple: the VM resets, and with -no-reboot QEMU exits', async () => {
    await withGuest({ memoryMiB: 128, fault: 'triple' }, async (guest) => {
      await guest.waitForSerial('fault switch: triple', 20_000);
      expect(await guest.waitForExit(10_000)).toBe(0);
      expect(guest.serial()).not.toContain('EXCEPTION');
    });
  });

  it('double: a stack overflow becomes a double fault handled on its IST stack', async () => {
    await withGuest({ memoryMiB: 128, fault: 'double' }, async (guest) => {
      const serial = await guest.waitForSerial('name=double-fault', 20_000);
      await guest.waitForSerial('cr2=', 2_000);
      const line = serial.split(/\r?\n/).find((l) => l.startsWith('EXCEPTION')) ?? '';
      expect(line).toMatch(/^EXCEPTION vector=8 name=double-fault error=0x0 rip=0xffffffff8[0-9a-f]{7} cr2=0xfffffe7ffffffff8$/);
    });
  });

  it('spin: keeps the CPU busy instead of halting', async () => {
    await withGuest({ memoryMiB: 128, fault: 'spin' }, async (guest) => {
      await guest.waitForSerial('fault switch: spin', 20_000);
      const before = guest.cpuSeconds();
      expect(await guest.waitForExit(1_500)).toBeNull();
      expect(guest.cpuSeconds() - before).toBeGreaterThan(0.4);
    });
  });

  it('none: the idle kernel halts (uses almost no CPU)', async () => {
    await withGuest({ memoryMiB: 128 }, async (guest) => {
      await guest.waitForSerial(READY, 20_000);
      const before = guest.cpuSeconds();
      expect(await guest.waitForExit(1_500)).toBeNull();
      expect(guest.cpuSeconds() - before).toBeLessThan(0.3);
    });
  });
});

describe('bootloader failures', () => {
  it('says "no long mode" on a 32-bit CPU', async () => {
    await withGuest({ memoryMiB: 64, cpu: 'qemu32' }, async (guest) => {
      await guest.waitForSerial('no long mode', 20_000);
    });
  });
});
