// Guest physical memory as the inspection functions see it: a size and bounded reads.
// The QEMU side implements it over the shared RAM file; tests and snapshots use bufferReader.
import { InspectError } from './errors';
import { hex } from './hex';

export interface PhysReader {
  readonly size: bigint;
  /** `len` bytes at physical `addr`, or undefined when any of them lies outside RAM. */
  read(addr: bigint, len: number): Uint8Array | undefined;
  /**
   * The first u64 of the 4 KiB frame at `frame` (same result as reading its 8 bytes), for readers
   * with a faster path for it: a free-list walk reads one from nearly every frame of RAM.
   */
  readFrameWord?(frame: bigint): bigint | undefined;
}

/** Guest RAM held in a buffer whose first byte is at physical `base`. Reads are views, not copies. */
export function bufferReader(buf: Uint8Array, base = 0n): PhysReader {
  const length = BigInt(buf.length);
  return {
    size: length,
    read(addr: bigint, len: number): Uint8Array | undefined {
      if (!Number.isInteger(len) || len < 0) return undefined;
      const offset = addr - base;
      if (offset < 0n || offset + BigInt(len) > length) return undefined;
      const start = Number(offset);
      return buf.subarray(start, start + len);
    },
  };
}

export function readU64(mem: PhysReader, addr: bigint): bigint | undefined {
  const bytes = mem.read(addr, 8);
  return bytes && new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
}

/** The first u64 of the frame at 4 KiB-aligned `frame`, through the reader's fast path when it has one. */
export function readFrameWord(mem: PhysReader, frame: bigint): bigint | undefined {
  return mem.readFrameWord ? mem.readFrameWord(frame) : readU64(mem, frame);
}

/** Reads `len` bytes or throws an InspectError naming `what` and the address. */
export function readOrThrow(mem: PhysReader, addr: bigint, len: number, what: string): DataView {
  const bytes = mem.read(addr, len);
  if (!bytes) {
    throw new InspectError(
      `${what} at ${hex(addr)} (${len} bytes) lies outside guest RAM (${hex(mem.size)} bytes): ` +
        'check that the address is physical and that the guest has booted far enough to write it',
    );
  }
  return new DataView(bytes.buffer, bytes.byteOffset, len);
}

/** ASCII text of a fixed-size magic field (non-printable bytes shown as \xNN). */
export function magicText(view: DataView, offset: number, len: number): string {
  let text = '';
  for (let i = 0; i < len; i++) {
    const byte = view.getUint8(offset + i);
    text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return text;
}
