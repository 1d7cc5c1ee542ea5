// The free-list walk as first written (Map of bigint positions, bigint sort): the reference the
// faster walkFreeList must agree with, report for report (freelist.property.test.ts).
import type { PhysReader } from '../phys-reader';
import type { FreeListAnomaly, FreeListAnomalyKind, FreeListOptions, FreeListReport, PhysRange } from '../freelist';
import { readU64 } from '../phys-reader';
import { FREE_LIST_END } from '../record';
import { hex } from '../hex';

const FRAME = 0x1000n;

export function referenceWalkFreeList(mem: PhysReader, head: bigint, opts: FreeListOptions = {}): FreeListReport {
  const maxFrames = opts.maxFrames ?? Number(mem.size / FRAME) + 1;
  const positions = new Map<bigint, number>();
  const frames: bigint[] = [];
  const anomalies: FreeListAnomaly[] = [];
  let terminated = false;
  let pointer = head;
  let holder: bigint | undefined;
  const from = () => (holder === undefined ? 'the list head' : `the next pointer in frame ${hex(holder)} (position ${frames.length - 1})`);
  const bad = (kind: FreeListAnomalyKind, message: string) =>
    anomalies.push({ kind, message, pointer, holder, position: frames.length });

  for (;;) {
    if (pointer === FREE_LIST_END) {
      terminated = true;
      break;
    }
    if (frames.length >= maxFrames) {
      bad('budget', `stopped after ${maxFrames} frames (maxFrames) without reaching the 0xdeadbeef terminator`);
      break;
    }
    const seenAt = positions.get(pointer);
    if (seenAt !== undefined) {
      bad('cycle', `the free list loops: ${from()} points back to frame ${hex(pointer)} at position ${seenAt}`);
      break;
    }
    if (pointer === 0n) {
      bad('null-pointer', `${from()} is 0: the list must end with 0xdeadbeef`);
      break;
    }
    if ((pointer & (FRAME - 1n)) !== 0n) {
      bad('misaligned', `${from()} is ${hex(pointer)}, not 4 KiB-aligned`);
      break;
    }
    if (opts.usable && !opts.usable.some((r) => pointer >= r.base && pointer + FRAME <= r.base + r.length)) {
      bad('outside-usable', `${from()} is ${hex(pointer)}, outside usable memory (E820 type 1)`);
      break;
    }
    const next = readU64(mem, pointer);
    if (next === undefined) {
      bad('outside-ram', `${from()} is ${hex(pointer)}, outside guest RAM (${hex(mem.size)} bytes)`);
      break;
    }
    positions.set(pointer, frames.length);
    frames.push(pointer);
    holder = pointer;
    pointer = next;
  }

  const report: FreeListReport = { head, count: frames.length, ranges: mergeFrames(frames), terminated, anomalies };
  if (opts.expectedCount !== undefined) {
    report.expectedCount = BigInt(opts.expectedCount);
    if (report.expectedCount !== BigInt(frames.length)) {
      anomalies.push({
        kind: 'count-mismatch',
        message: `the kernel counts ${report.expectedCount} free frames but the list ${terminated ? 'holds' : 'could be walked for'} ${frames.length}`,
      });
    }
  }
  return report;
}

/** Sorted, merged ranges of 4 KiB frames. */
function mergeFrames(frames: bigint[]): PhysRange[] {
  const sorted = [...frames].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ranges: PhysRange[] = [];
  for (const frame of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last.base + last.length === frame) last.length += FRAME;
    else ranges.push({ base: frame, length: FRAME });
  }
  return ranges;
}
