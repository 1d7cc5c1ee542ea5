// Reads seed-os's state from a guest RAM file (physical address = file offset, pc machine with
// at most 2 GiB): the LONGMODE_INSPECT record, the boot info, page tables and the free list.

import { closeSync, openSync, readSync } from 'node:fs';

export const ADDRESS_MASK = 0x000f_ffff_ffff_f000n;
const PRESENT = 1n;
const HUGE = 1n << 7n;

export class GuestRam {
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
  }

  close(): void {
    closeSync(this.fd);
  }

  bytes(phys: bigint, length: number): Buffer {
    const buffer = Buffer.alloc(length);
    readSync(this.fd, buffer, 0, length, Number(phys));
    return buffer;
  }

  u64(phys: bigint): bigint {
    return this.bytes(phys, 8).readBigUInt64LE(0);
  }

  u32(phys: bigint): number {
    return this.bytes(phys, 4).readUInt32LE(0);
  }

  /** Walks the 4-level tables at `pml4`: the physical address of `virt`, or undefined. */
  translate(pml4: bigint, virt: bigint): bigint | undefined {
    let table = pml4;
    for (const shift of [39n, 30n, 21n, 12n]) {
      const entry = this.u64(table + ((virt >> shift) & 511n) * 8n);
      if ((entry & PRESENT) === 0n) return undefined;
      const size = 1n << shift;
      if (shift === 12n || ((shift === 30n || shift === 21n) && (entry & HUGE) !== 0n)) {
        return (entry & ADDRESS_MASK & ~(size - 1n)) + (virt & (size - 1n));
      }
      table = entry & ADDRESS_MASK;
    }
    return undefined;
  }
}

export const INSPECT_FIELDS = [
  'phase', 'boot_info_phys', 'free_list_head_phys', 'free_frame_count', 'heap_regions_phys',
  'heap_region_count', 'recursive_index', 'kernel_high_base', 'heap_high_base', 'stack_high_base',
  'stack_size', 'kernel_phys_start', 'kernel_phys_end', 'pml4_phys', 'kernel_link_base',
  'heap_regions_virt', 'low_kernel_unmapped', 'phase2_entry_virt', 'fault_switch',
] as const;

export type InspectRecord = { magic: string; version: number; size: number } & Record<(typeof INSPECT_FIELDS)[number], bigint>;

export function readInspectRecord(ram: GuestRam, phys: bigint): InspectRecord {
  const raw = ram.bytes(phys, 168);
  const record = { magic: raw.toString('latin1', 0, 8), version: raw.readUInt32LE(8), size: raw.readUInt32LE(12) } as InspectRecord;
  INSPECT_FIELDS.forEach((field, i) => (record[field] = raw.readBigUInt64LE(16 + 8 * i)));
  return record;
}

export interface E820Entry {
  base: bigint;
  length: bigint;
  type: number;
}

export interface BootInfo {
  magic: string;
  kernelStart: bigint;
  kernelEnd: bigint;
  size: bigint;
  e820: E820Entry[];
}

export function readBootInfo(ram: GuestRam, phys: bigint): BootInfo {
  const count = ram.u32(phys + 8n);
  const e820 = Array.from({ length: count }, (_, i) => {
    const at = phys + 80n + 24n * BigInt(i);
    return { base: ram.u64(at), length: ram.u64(at + 8n), type: ram.u32(at + 16n) };
  });
  return {
    magic: ram.bytes(phys, 8).toString('latin1'),
    kernelStart: ram.u64(phys + 16n),
    kernelEnd: ram.u64(phys + 24n),
    size: 80n + 24n * BigInt(count),
    e820,
  };
}

/** Follows the free list from `head`; stops at `limit` frames (a cycle) or a non-aligned link. */
export function walkFreeList(ram: GuestRam, head: bigint, limit: number): { frames: bigint[]; terminator: bigint } {
  const frames: bigint[] = [];
  let next = head;
  while (next !== 0xdeadbeefn && frames.length <= limit && (next & 0xfffn) === 0n) {
    frames.push(next);
    next = ram.u64(next);
  }
  return { frames, terminator: next };
}
