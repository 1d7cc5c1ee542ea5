// A read-only view of a paused guest's RAM for one inspection: reads are served from copies of the
// RAM file, so walking thousands of scattered frames costs no syscall each. Two caches:
// - 64 KiB chunks for ordinary reads (page tables, records, heap regions);
// - the first u64 of every 4 KiB frame (readFrameWord), taken 1 MiB at a time through one reused
//   buffer: a free-list walk touches nearly every frame but needs 8 bytes of each, so this holds
//   RAM/512 bytes instead of a copy of RAM.
// It does not see later guest writes: take a new one after the guest ran.
import type { PhysReader } from './inspect';

const CHUNK = 0x1_0000;
const BLOCK = 0x10_0000;
const FRAME = 0x1000;
const FRAMES_PER_BLOCK = BLOCK / FRAME;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export interface RamSource {
  readonly size: bigint;
  read(addr: bigint, len: number): Uint8Array | undefined;
  /** fills `out` from physical `addr`; false when the range is not all RAM */
  readInto(addr: bigint, out: Uint8Array): boolean;
}

/** what a 1 MiB block's entry in the frame-word table holds */
const UNREAD = 0;
const WORDS = 1;
const NOT_RAM = 2;

export function cachedRamView(ram: RamSource): PhysReader {
  const chunks = new Map<number, Uint8Array | null>();
  const chunkOf = (index: number): Uint8Array | null => {
    let chunk = chunks.get(index);
    if (chunk === undefined) {
      const bytes = new Uint8Array(CHUNK); // measured: faster here than Buffer.allocUnsafe
      chunk = ram.readInto(BigInt(index * CHUNK), bytes) ? bytes : null;
      chunks.set(index, chunk);
    }
    return chunk;
  };
  const read = (addr: bigint, len: number): Uint8Array | undefined => {
    if (addr < 0n || addr >= MAX_SAFE || len < 0) return ram.read(addr, len);
    const at = Number(addr);
    const offset = at % CHUNK;
    if (offset + len > CHUNK) return ram.read(addr, len);
    const chunk = chunkOf((at - offset) / CHUNK);
    return chunk ? chunk.subarray(offset, offset + len) : ram.read(addr, len);
  };

  const blockCount = Number((ram.size + BigInt(BLOCK - 1)) / BigInt(BLOCK));
  let blockStates: Uint8Array | undefined; // allocated on the first frame-word read
  let frameWords: BigUint64Array | undefined;
  let scratch: Buffer | undefined;
  const fillBlock = (block: number): number => {
    scratch ??= Buffer.allocUnsafe(BLOCK);
    if (!ram.readInto(BigInt(block * BLOCK), scratch)) return (blockStates![block] = NOT_RAM);
    const first = block * FRAMES_PER_BLOCK;
    for (let i = 0; i < FRAMES_PER_BLOCK; i++) frameWords![first + i] = scratch.readBigUInt64LE(i * FRAME);
    return (blockStates![block] = WORDS);
  };
  const readFrameWord = (frame: bigint): bigint | undefined => {
    if (frame >= 0n && frame < ram.size && (frame & BigInt(FRAME - 1)) === 0n) {
      blockStates ??= new Uint8Array(blockCount);
      frameWords ??= new BigUint64Array(blockCount * FRAMES_PER_BLOCK);
      const index = Number(frame) / FRAME;
      const block = Math.floor(index / FRAMES_PER_BLOCK);
      const state = blockStates[block] === UNREAD ? fillBlock(block) : blockStates[block];
      if (state === WORDS) return frameWords[index];
    }
    const bytes = read(frame, 8);
    return bytes && new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  };

  return { size: ram.size, read, readFrameWord };
}
