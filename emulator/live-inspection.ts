// Live inspection of a paused guest: the pure functions of ./inspect over the session's RAM file,
// registers from the gdb stub, and the kernel ELF for the inspection record.
import { readFileSync } from 'node:fs';
import { readElf, PT_LOAD } from '../toolchain';
import type { QemuSession } from './session';
import {
  buildMemoryMap, decodeVgaText, INSPECT_RECORD_SYMBOL, inspectRecordPhys, parseBootInfo, parseInspectRecord,
  readHeapRegions, usableRanges, walkFreeList, walkPageTables,
  type BootInfo, type FreeListReport, type HeapRegionReport, type InspectRecord, type MemoryMap, type PageWalk, type VgaScreen,
} from './inspect';

const EFER_NXE = 1n << 11n;

/** Walks the live page tables from CR3 (the guest must be paused). */
export async function readPageWalk(session: QemuSession): Promise<PageWalk> {
  const regs = await session.registers();
  return walkPageTables(session.ram.cachedView(), regs.cr3, { nxe: (regs.efer & EFER_NXE) !== 0n });
}

/** The VGA text screen with its cursor (works while the guest runs). */
export async function readVgaScreen(session: QemuSession): Promise<VgaScreen> {
  const [bytes, cursor] = await Promise.all([session.readVgaText(), session.readVgaCursor()]);
  return decodeVgaText(bytes, cursor);
}

export class NoInspectRecordError extends Error {}

/** The physical address of LONGMODE_INSPECT from the kernel ELF (symbol → PT_LOAD segment). */
export function inspectRecordPhysFromElf(elfPath: string | undefined): bigint {
  if (!elfPath) {
    throw new NoInspectRecordError(`this needs the kernel's ${INSPECT_RECORD_SYMBOL} record: pass the kernel ELF with --elf (or boot a workspace)`);
  }
  const elf = readElf(new Uint8Array(readFileSync(elfPath)));
  const symbol = elf.findSymbol(INSPECT_RECORD_SYMBOL);
  if (!symbol) {
    throw new NoInspectRecordError(`${elfPath} has no ${INSPECT_RECORD_SYMBOL} symbol: this kernel does not publish the inspection record (pagetables, vga and registers still work)`);
  }
  const segments = elf.programHeaders.filter((p) => p.type === PT_LOAD);
  const phys = inspectRecordPhys(symbol.value, segments);
  if (phys === undefined) throw new NoInspectRecordError(`${INSPECT_RECORD_SYMBOL} (0x${symbol.value.toString(16)}) lies in no loadable segment of ${elfPath}`);
  return phys;
}

export interface KernelState {
  record: InspectRecord;
  boot: BootInfo;
  walk: PageWalk;
  freeList: FreeListReport;
  heap: HeapRegionReport[];
  memoryMap: MemoryMap;
}

/** Everything the inspection record leads to, read from a paused guest. */
export async function readKernelState(session: QemuSession, elfPath: string | undefined): Promise<KernelState> {
  const mem = session.ram.cachedView();
  const record = parseInspectRecord(mem, inspectRecordPhysFromElf(elfPath));
  const boot = parseBootInfo(mem, record.bootInfoPhys);
  const walk = await readPageWalk(session);
  const freeList = walkFreeList(mem, record.freeListHeadPhys, { expectedCount: record.freeFrameCount, usable: usableRanges(boot) });
  const heap = readHeapRegions(mem, record, walk);
  const memoryMap = buildMemoryMap(boot, freeList, record, { heap, walk });
  return { record, boot, walk, freeList, heap, memoryMap };
}
