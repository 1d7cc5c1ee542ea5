// Guest physical memory read straight from the RAM file QEMU shares (memory-backend-file,share=on).
// Reads use positioned reads on one open descriptor: no copies of the whole file, no round trips.
import { closeSync, openSync, readSync } from 'node:fs';
import type { PhysReader } from './inspect';
import { cachedRamView } from './ram-cached-view';

const FOUR_GIB = 0x1_0000_0000n;
/** The legacy VGA window: device memory on the `pc` machine, never backed by the RAM file. */
const VGA_WINDOW = { start: 0xa0000n, end: 0xc0000n };

/**
 * Where the `pc` machine puts guest RAM: below the PCI hole up to `lowMemory`, the rest from
 * 4 GiB. Up to 3.5 GiB of RAM, physical address = file offset.
 */
export function lowMemorySize(ramSize: bigint): bigint {
  return ramSize >= 0xe000_0000n ? 0xc000_0000n : ramSize;
}

export class RamFile implements PhysReader {
  private fd: number | undefined;
  private readonly low: bigint;

  constructor(
    readonly path: string,
    /** bytes of guest RAM (the file's size) */
    readonly ramSize: bigint,
  ) {
    this.fd = openSync(path, 'r');
    this.low = lowMemorySize(ramSize);
  }

  /** One past the highest physical address backed by RAM. */
  get size(): bigint {
    return this.ramSize > this.low ? FOUR_GIB + (this.ramSize - this.low) : this.ramSize;
  }

  /** `len` bytes at physical `addr`, or undefined when any of them is not RAM (a hole, device memory, beyond the end). */
  read(addr: bigint, len: number): Uint8Array | undefined {
    const out = new Uint8Array(len);
    return this.readInto(addr, out) ? out : undefined;
  }

  /** Fills `out` from physical `addr`; false when the range is not all RAM. */
  readInto(addr: bigint, out: Uint8Array): boolean {
    if (this.fd === undefined) throw new Error('the guest RAM file is closed (the VM has stopped)');
    const offset = this.fileOffset(addr, out.length);
    if (offset === undefined) return false;
    let done = 0;
    while (done < out.length) {
      const n = readSync(this.fd, out, done, out.length - done, offset + done);
      if (n <= 0) return false;
      done += n;
    }
    return true;
  }

  /** Reads a little-endian u64, or undefined outside RAM. */
  readU64(addr: bigint): bigint | undefined {
    const bytes = this.read(addr, 8);
    return bytes && new DataView(bytes.buffer).getBigUint64(0, true);
  }

  /**
   * A cached reader for one inspection of a paused guest (see ram-cached-view.ts): walking
   * thousands of scattered free-list frames costs a syscall each otherwise. It does not see later
   * guest writes: take a new one after the guest ran.
   */
  cachedView(): PhysReader {
    return cachedRamView(this);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private fileOffset(addr: bigint, len: number): number | undefined {
    const end = addr + BigInt(len);
    if (addr < 0n || len < 0) return undefined;
    if (addr < VGA_WINDOW.end && end > VGA_WINDOW.start) return undefined;
    if (end <= this.low) return Number(addr);
    if (addr >= FOUR_GIB && end <= FOUR_GIB + (this.ramSize - this.low)) return Number(this.low + (addr - FOUR_GIB));
    return undefined;
  }
}
