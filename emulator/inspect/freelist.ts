// The frame allocator's free list, walked in guest RAM: each free frame's first u64 is the
// physical address of the next; the last holds 0xdeadbeef. Bounded, never throws.
import type { PhysReader } from './phys-reader';
import { readFrameWord } from './phys-reader';
import { FREE_LIST_END } from './record';
import { hex } from './hex';

export interface PhysRange {
  base: bigint;
  length: bigint;
}

export type FreeListAnomalyKind = 'cycle' | 'null-pointer' | 'misaligned' | 'outside-usable' | 'outside-ram' | 'count-mismatch' | 'budget';

export interface FreeListAnomaly {
  kind: FreeListAnomalyKind;
  message: string;
  /** the bad pointer, the frame that holds it (undefined for the head), and its position in the list */
  pointer?: bigint;
  holder?: bigint;
  position?: number;
}

export interface FreeListReport {
  head: bigint;
  /** frames walked before the terminator or the first anomaly */
  count: number;
  expectedCount?: bigint;
  /** the free frames, sorted and merged into ranges */
  ranges: PhysRange[];
  /** true when the walk reached 0xdeadbeef */
  terminated: boolean;
  anomalies: FreeListAnomaly[];
}

export interface FreeListOptions {
  /** the record's free_frame_count */
  expectedCount?: bigint | number;
  /** usable memory (E820 type 1): a frame outside it is an anomaly */
  usable?: PhysRange[];
  /** frames to follow before giving up (default: RAM size / 4 KiB + 1, which a cycle-free list cannot exceed) */
  maxFrames?: number;
}

const FRAME = 0x1000n;
const FRAME_BYTES = 0x1000;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** above this many frames of RAM, positions are kept in a Map instead of a table indexed by frame */
const MAX_POSITION_TABLE_FRAMES = 1 << 24;

/** Where each frame already walked sits in the list (frame → position), to find cycles. */
class FramePositions {
  private readonly table?: Uint32Array;
  private readonly map?: Map<number, number>;

  constructor(ramBytes: bigint) {
    const frames = ramBytes / FRAME + 1n;
    if (frames <= BigInt(MAX_POSITION_TABLE_FRAMES)) this.table = new Uint32Array(Number(frames));
    else this.map = new Map();
  }

  /** the position of a frame walked before; `frame` is 4 KiB-aligned and inside RAM */
  get(frame: number): number | undefined {
    if (this.map) return this.map.get(frame);
    const stored = this.table![frame / FRAME_BYTES];
    return stored === 0 ? undefined : stored - 1;
  }

  set(frame: number, position: number): void {
    if (this.map) this.map.set(frame, position);
    else this.table![frame / FRAME_BYTES] = position + 1;
  }
}

export function walkFreeList(mem: PhysReader, head: bigint, opts: FreeListOptions = {}): FreeListReport {
  const maxFrames = opts.maxFrames ?? Number(mem.size / FRAME) + 1;
  const positions = new FramePositions(mem.size);
  const frames: bigint[] = [];
  const anomalies: FreeListAnomaly[] = [];
  const usable = opts.usable?.map((r) => ({ base: r.base, end: r.base + r.length }));
  let lastUsable = usable?.[0];
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
    // Frames are recorded only once their next pointer was read, so each one lies inside RAM.
    const frame = pointer >= 0n && pointer < mem.size ? Number(pointer) : undefined;
    const seenAt = frame === undefined || frame % FRAME_BYTES !== 0 ? undefined : positions.get(frame);
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
    if (usable && !(lastUsable && pointer >= lastUsable.base && pointer + FRAME <= lastUsable.end)) {
      lastUsable = usable.find((r) => pointer >= r.base && pointer + FRAME <= r.end);
      if (!lastUsable) {
        bad('outside-usable', `${from()} is ${hex(pointer)}, outside usable memory (E820 type 1)`);
        break;
      }
    }
    const next = readFrameWord(mem, pointer);
    if (next === undefined) {
      bad('outside-ram', `${from()} is ${hex(pointer)}, outside guest RAM (${hex(mem.size)} bytes)`);
      break;
    }
    positions.set(frame!, frames.length);
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
export function mergeFrames(frames: bigint[]): PhysRange[] {
  if (frames.some((f) => f < 0n || f > MAX_SAFE)) return mergeSorted([...frames].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  // As numbers (exact here): sorting and merging them is far faster than comparing bigints.
  const sorted = new Float64Array(frames.length);
  for (let i = 0; i < frames.length; i++) sorted[i] = Number(frames[i]);
  if (!isAscending(sorted)) sorted.sort();
  const ranges: PhysRange[] = [];
  let base = 0;
  let end = -1;
  for (const frame of sorted) {
    if (frame === end) {
      end += FRAME_BYTES;
      continue;
    }
    if (end >= 0) ranges.push({ base: BigInt(base), length: BigInt(end - base) });
    base = frame;
    end = frame + FRAME_BYTES;
  }
  if (end >= 0) ranges.push({ base: BigInt(base), length: BigInt(end - base) });
  return ranges;
}

function mergeSorted(sorted: bigint[]): PhysRange[] {
  const ranges: PhysRange[] = [];
  for (const frame of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last.base + last.length === frame) last.length += FRAME;
    else ranges.push({ base: frame, length: FRAME });
  }
  return ranges;
}

function isAscending(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i - 1] > values[i]) return false;
  return true;
}
