// Builds x86-64 page tables in a buffer, for the walker's tests and benchmarks.
import { bufferReader, type PhysReader } from '../phys-reader';
import { canonicalVirt, tableIndices } from '../paging-address';

export const F = {
  P: 1n, RW: 2n, US: 4n, PWT: 8n, PCD: 16n, A: 32n, D: 64n, PS: 128n, G: 256n, PAT_LARGE: 1n << 12n, NX: 1n << 63n,
} as const;

/** Intermediate tables get these flags unless told otherwise (the leaf decides). */
export const TABLE_FLAGS = F.P | F.RW | F.US;

export function entry(addr: bigint, flags: bigint): bigint {
  return addr | flags;
}

/** Canonical virtual address from the four indices (PML4 first) and an offset. */
export function virtOf(i4: number, i3: number, i2: number, i1: number, offset = 0n): bigint {
  return canonicalVirt((BigInt(i4) << 39n) | (BigInt(i3) << 30n) | (BigInt(i2) << 21n) | (BigInt(i1) << 12n) | offset);
}

export class GuestMemory {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private nextFrame: bigint;

  constructor(size = 1 << 20, firstFreeFrame = 0x1000n) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.nextFrame = firstFreeFrame;
  }

  /** A zeroed 4 KiB frame, allocated upwards. */
  allocFrame(): bigint {
    const frame = this.nextFrame;
    if (frame + 0x1000n > BigInt(this.bytes.length)) throw new Error('test memory is full: make it bigger');
    this.nextFrame += 0x1000n;
    return frame;
  }

  setEntry(table: bigint, index: number, value: bigint): void {
    this.view.setBigUint64(Number(table) + index * 8, value, true);
  }

  getEntry(table: bigint, index: number): bigint {
    return this.view.getBigUint64(Number(table) + index * 8, true);
  }

  writeU64(addr: bigint, value: bigint): void {
    this.view.setBigUint64(Number(addr), value, true);
  }

  reader(): PhysReader {
    return bufferReader(this.bytes);
  }
}

type LeafSize = '4K' | '2M' | '1G';
const LEAF_LEVEL: Record<LeafSize, number> = { '1G': 3, '2M': 2, '4K': 1 };

/** A PML4 plus map(): creates missing intermediate tables the way a kernel would. */
export class PageTableBuilder {
  readonly pml4: bigint;

  constructor(readonly mem = new GuestMemory(), readonly tableFlags = TABLE_FLAGS) {
    this.pml4 = mem.allocFrame();
  }

  /** Maps one page; `flags` are the leaf's (P is added). PS is added for 2M/1G pages. */
  map(virt: bigint, phys: bigint, size: LeafSize, flags: bigint = F.RW): void {
    const leafLevel = LEAF_LEVEL[size];
    const indices = tableIndices(virt);
    let table = this.pml4;
    for (let level = 4; level > leafLevel; level--) {
      table = this.childTable(table, indices[4 - level]);
    }
    const leafFlags = F.P | flags | (size === '4K' ? 0n : F.PS);
    this.mem.setEntry(table, indices[4 - leafLevel], entry(phys, leafFlags));
  }

  /** Maps `count` consecutive pages of `size` starting at virt → phys. */
  mapRange(virt: bigint, phys: bigint, count: number, size: LeafSize, flags: bigint = F.RW): void {
    const step = size === '4K' ? 0x1000n : size === '2M' ? 0x20_0000n : 0x4000_0000n;
    for (let i = 0n; i < BigInt(count); i++) this.map(virt + i * step, phys + i * step, size, flags);
  }

  /** The table an entry points to, created with tableFlags if missing. */
  childTable(table: bigint, index: number): bigint {
    const existing = this.mem.getEntry(table, index);
    if (existing & F.P) return existing & 0x000f_ffff_ffff_f000n;
    const child = this.mem.allocFrame();
    this.mem.setEntry(table, index, entry(child, this.tableFlags));
    return child;
  }

  /** The table at a path of indices below the PML4 (creating it), e.g. tableAt(1, 0) is a PD. */
  tableAt(...indices: number[]): bigint {
    let table = this.pml4;
    for (const index of indices) table = this.childTable(table, index);
    return table;
  }

  reader(): PhysReader {
    return this.mem.reader();
  }
}
