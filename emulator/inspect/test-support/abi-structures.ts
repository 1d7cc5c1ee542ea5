// Writes the seed-os boot-info structure and LONGMODE_INSPECT record into test memory, laid out
// exactly as the tables in samples/seed-os/README.md say.
import type { GuestMemory } from './page-tables';

export interface BootInfoFields {
  magic?: string;
  e820: { base: bigint; length: bigint; type: number; ext?: number }[];
  e820CountOverride?: number;
  bootDrive?: number;
  kernelPhysStart: bigint;
  kernelPhysEnd: bigint;
  kernelEntry: bigint;
  pml4Phys: bigint;
  pageTablesPhysStart: bigint;
  pageTablesPhysEnd: bigint;
  loaderPhysStart: bigint;
  loaderPhysEnd: bigint;
}

function writeAscii(view: DataView, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
}

export function writeBootInfo(mem: GuestMemory, phys: bigint, f: BootInfoFields): void {
  const view = new DataView(mem.bytes.buffer, Number(phys));
  writeAscii(view, 0, f.magic ?? 'LMBOOTI1');
  view.setUint32(8, f.e820CountOverride ?? f.e820.length, true);
  view.setUint32(12, f.bootDrive ?? 0x80, true);
  const u64s = [f.kernelPhysStart, f.kernelPhysEnd, f.kernelEntry, f.pml4Phys, f.pageTablesPhysStart, f.pageTablesPhysEnd, f.loaderPhysStart, f.loaderPhysEnd];
  u64s.forEach((v, i) => view.setBigUint64(16 + i * 8, v, true));
  f.e820.forEach((e, i) => {
    const at = 80 + i * 24;
    view.setBigUint64(at, e.base, true);
    view.setBigUint64(at + 8, e.length, true);
    view.setUint32(at + 16, e.type, true);
    view.setUint32(at + 20, e.ext ?? 1, true);
  });
}

/** Field values by README offset; anything not given is 0. */
export interface RecordFields {
  magic?: string;
  version?: number;
  size?: number;
  u64?: Partial<Record<
    | 'phase' | 'bootInfoPhys' | 'freeListHeadPhys' | 'freeFrameCount' | 'heapRegionsPhys' | 'heapRegionCount'
    | 'recursiveIndex' | 'kernelHighBase' | 'heapHighBase' | 'stackHighBase' | 'stackSize' | 'kernelPhysStart'
    | 'kernelPhysEnd' | 'pml4Phys' | 'kernelLinkBase' | 'heapRegionsVirt' | 'lowKernelUnmapped' | 'phase2EntryVirt' | 'faultSwitch',
    bigint
  >>;
}

export const RECORD_OFFSETS = {
  phase: 16, bootInfoPhys: 24, freeListHeadPhys: 32, freeFrameCount: 40, heapRegionsPhys: 48, heapRegionCount: 56,
  recursiveIndex: 64, kernelHighBase: 72, heapHighBase: 80, stackHighBase: 88, stackSize: 96, kernelPhysStart: 104,
  kernelPhysEnd: 112, pml4Phys: 120, kernelLinkBase: 128, heapRegionsVirt: 136, lowKernelUnmapped: 144,
  phase2EntryVirt: 152, faultSwitch: 160,
} as const;

export function writeInspectRecord(mem: GuestMemory, phys: bigint, f: RecordFields): void {
  const view = new DataView(mem.bytes.buffer, Number(phys));
  writeAscii(view, 0, f.magic ?? 'LMINSPCT');
  view.setUint32(8, f.version ?? 1, true);
  view.setUint32(12, f.size ?? 168, true);
  for (const [name, value] of Object.entries(f.u64 ?? {})) {
    view.setBigUint64(RECORD_OFFSETS[name as keyof typeof RECORD_OFFSETS], value as bigint, true);
  }
}

export function writeHeapRegions(mem: GuestMemory, phys: bigint, regions: { virt: bigint; len: bigint; phys: bigint }[]): void {
  regions.forEach((r, i) => {
    mem.writeU64(phys + BigInt(i * 24), r.virt);
    mem.writeU64(phys + BigInt(i * 24 + 8), r.len);
    mem.writeU64(phys + BigInt(i * 24 + 16), r.phys);
  });
}

/** Chains the frames into a free list (each frame's first u64 → the next), ending with `end`. */
export function writeFreeList(mem: GuestMemory, frames: bigint[], end = 0xdeadbeefn): void {
  frames.forEach((frame, i) => mem.writeU64(frame, i + 1 < frames.length ? frames[i + 1] : end));
}
