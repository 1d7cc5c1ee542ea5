// The kernel's LONGMODE_INSPECT record (samples/seed-os/README.md, "The inspection ABI").
import type { PhysReader } from './phys-reader';
import { magicText, readOrThrow } from './phys-reader';
import { InspectError } from './errors';
import { hex } from './hex';

export const INSPECT_RECORD_MAGIC = 'LMINSPCT';
export const INSPECT_RECORD_VERSION = 1;
export const INSPECT_RECORD_MIN_BYTES = 168;
export const INSPECT_RECORD_SYMBOL = 'LONGMODE_INSPECT';
/** free_list_head_phys when the list is empty, and the value in the last free frame */
export const FREE_LIST_END = 0xdeadbeefn;
const NO_RECURSIVE_INDEX = 0xffff_ffff_ffff_ffffn;

export type RecordFaultSwitch = 'none' | 'page-fault' | 'triple-fault' | 'spin' | 'double-fault' | 'unknown';

export interface InspectRecord {
  phys: bigint;
  version: number;
  size: number;
  /** 0 not yet initialised, 1 bootloader's tables, 2 the kernel's own tables */
  phase: number;
  bootInfoPhys: bigint;
  freeListHeadPhys: bigint;
  freeFrameCount: bigint;
  heapRegionsPhys: bigint;
  heapRegionCount: bigint;
  /** PML4 index of the recursive entry; undefined before phase 2 */
  recursiveIndex: number | undefined;
  kernelHighBase: bigint;
  heapHighBase: bigint;
  stackHighBase: bigint;
  stackSize: bigint;
  kernelPhysStart: bigint;
  kernelPhysEnd: bigint;
  pml4Phys: bigint;
  kernelLinkBase: bigint;
  heapRegionsVirt: bigint;
  lowKernelUnmapped: boolean;
  phase2EntryVirt: bigint;
  faultSwitch: RecordFaultSwitch;
  faultSwitchValue: bigint;
}

/** The record's physical address from its ELF symbol and the PT_LOAD segments (sym - p_vaddr + p_paddr). */
export function inspectRecordPhys(
  symbolVirt: bigint,
  segments: { vaddr: bigint; paddr: bigint; memsz: bigint }[],
): bigint | undefined {
  const segment = segments.find((s) => symbolVirt >= s.vaddr && symbolVirt < s.vaddr + s.memsz);
  return segment && symbolVirt - segment.vaddr + segment.paddr;
}

export function parseInspectRecord(mem: PhysReader, phys: bigint): InspectRecord {
  const view = readOrThrow(mem, phys, INSPECT_RECORD_MIN_BYTES, `the ${INSPECT_RECORD_SYMBOL} record`);
  const magic = magicText(view, 0, 8);
  if (magic !== INSPECT_RECORD_MAGIC) {
    throw new InspectError(
      `no inspection record at ${hex(phys)}: its magic is "${magic}", expected "${INSPECT_RECORD_MAGIC}" ` +
        `(is this the kernel ELF that is running, and does it export ${INSPECT_RECORD_SYMBOL}?)`,
    );
  }
  const version = view.getUint32(8, true);
  if (version !== INSPECT_RECORD_VERSION) {
    throw new InspectError(
      `the inspection record at ${hex(phys)} has version ${version}; this Longmode reads version ${INSPECT_RECORD_VERSION}: rebuild the kernel against the current inspection ABI`,
    );
  }
  const size = view.getUint32(12, true);
  if (size < INSPECT_RECORD_MIN_BYTES) {
    throw new InspectError(`the inspection record at ${hex(phys)} says it is ${size} bytes, less than the ${INSPECT_RECORD_MIN_BYTES} version 1 needs: it is corrupt or truncated`);
  }
  const u64 = (offset: number) => view.getBigUint64(offset, true);
  const recursive = u64(64);
  const faultSwitchValue = u64(160);
  return {
    phys,
    version,
    size,
    phase: Number(u64(16)),
    bootInfoPhys: u64(24),
    freeListHeadPhys: u64(32),
    freeFrameCount: u64(40),
    heapRegionsPhys: u64(48),
    heapRegionCount: u64(56),
    recursiveIndex: recursive === NO_RECURSIVE_INDEX || recursive > 511n ? undefined : Number(recursive),
    kernelHighBase: u64(72),
    heapHighBase: u64(80),
    stackHighBase: u64(88),
    stackSize: u64(96),
    kernelPhysStart: u64(104),
    kernelPhysEnd: u64(112),
    pml4Phys: u64(120),
    kernelLinkBase: u64(128),
    heapRegionsVirt: u64(136),
    lowKernelUnmapped: u64(144) === 1n,
    phase2EntryVirt: u64(152),
    faultSwitch: faultSwitchName(faultSwitchValue),
    faultSwitchValue,
  };
}

const FAULT_SWITCH_NAMES: RecordFaultSwitch[] = ['none', 'page-fault', 'triple-fault', 'spin', 'double-fault'];

function faultSwitchName(value: bigint): RecordFaultSwitch {
  return value < BigInt(FAULT_SWITCH_NAMES.length) ? FAULT_SWITCH_NAMES[Number(value)] : 'unknown';
}
