// The boot-info structure the seed-os bootloader hands to the kernel (samples/seed-os/README.md).
import type { PhysReader } from './phys-reader';
import { magicText, readOrThrow } from './phys-reader';
import { InspectError } from './errors';
import { hex } from './hex';

export const BOOT_INFO_MAGIC = 'LMBOOTI1';
export const BOOT_INFO_HEADER_BYTES = 80;
export const E820_ENTRY_BYTES = 24;
export const E820_MAX_ENTRIES = 128;

export type E820Kind = 'usable' | 'reserved' | 'acpi-reclaimable' | 'acpi-nvs' | 'bad' | 'unknown';

export interface E820Entry {
  base: bigint;
  length: bigint;
  type: number;
  kind: E820Kind;
  extAttributes: number;
}

export interface BootInfo {
  phys: bigint;
  bootDrive: number;
  kernelPhysStart: bigint;
  kernelPhysEnd: bigint;
  kernelEntry: bigint;
  pml4Phys: bigint;
  pageTablesPhysStart: bigint;
  pageTablesPhysEnd: bigint;
  loaderPhysStart: bigint;
  loaderPhysEnd: bigint;
  e820: E820Entry[];
}

export function e820Kind(type: number): E820Kind {
  switch (type) {
    case 1: return 'usable';
    case 2: return 'reserved';
    case 3: return 'acpi-reclaimable';
    case 4: return 'acpi-nvs';
    case 5: return 'bad';
    default: return 'unknown';
  }
}

export function parseBootInfo(mem: PhysReader, phys: bigint): BootInfo {
  const header = readOrThrow(mem, phys, BOOT_INFO_HEADER_BYTES, 'the boot-info structure');
  const magic = magicText(header, 0, 8);
  if (magic !== BOOT_INFO_MAGIC) {
    throw new InspectError(
      `no boot info at ${hex(phys)}: its magic is "${magic}", expected "${BOOT_INFO_MAGIC}" ` +
        '(the bootloader has not written it yet, or the address in the inspection record is wrong)',
    );
  }
  const count = header.getUint32(8, true);
  if (count > E820_MAX_ENTRIES) {
    throw new InspectError(`the boot info at ${hex(phys)} claims ${count} E820 entries, more than the ${E820_MAX_ENTRIES} the format allows: it is corrupt`);
  }
  const u64 = (offset: number) => header.getBigUint64(offset, true);
  const table = readOrThrow(mem, phys + BigInt(BOOT_INFO_HEADER_BYTES), count * E820_ENTRY_BYTES, `the boot info's ${count} E820 entries`);
  const e820: E820Entry[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * E820_ENTRY_BYTES;
    const type = table.getUint32(at + 16, true);
    e820.push({
      base: table.getBigUint64(at, true),
      length: table.getBigUint64(at + 8, true),
      type,
      kind: e820Kind(type),
      extAttributes: table.getUint32(at + 20, true),
    });
  }
  return {
    phys,
    bootDrive: header.getUint32(12, true),
    kernelPhysStart: u64(16),
    kernelPhysEnd: u64(24),
    kernelEntry: u64(32),
    pml4Phys: u64(40),
    pageTablesPhysStart: u64(48),
    pageTablesPhysEnd: u64(56),
    loaderPhysStart: u64(64),
    loaderPhysEnd: u64(72),
    e820,
  };
}

/** Usable E820 ranges (type 1), in the shape walkFreeList's `usable` option takes. */
export function usableRanges(boot: BootInfo): { base: bigint; length: bigint }[] {
  return boot.e820.filter((e) => e.kind === 'usable').map((e) => ({ base: e.base, length: e.length }));
}
