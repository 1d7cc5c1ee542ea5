// Bounds-checked little-endian reads over an ELF file: every failure is an ElfError that says
// what was being read, never a raw RangeError.

export class ElfError extends Error {
  override name = 'ElfError';
}

export class ElfBytes {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Checks that [offset, offset+size) lies in the file and returns offset as a number. */
  range(offset: bigint, size: bigint, what: string): number {
    if (offset < 0n || size < 0n || offset + size > BigInt(this.bytes.length)) {
      throw new ElfError(
        `${what} lies outside the file (bytes 0x${offset.toString(16)}..0x${(offset + size).toString(16)}, ` +
          `file is 0x${this.bytes.length.toString(16)} bytes): the file is truncated or corrupt`,
      );
    }
    return Number(offset);
  }

  u8(offset: number, what: string): number {
    this.range(BigInt(offset), 1n, what);
    return this.view.getUint8(offset);
  }
  u16(offset: number, what: string): number {
    this.range(BigInt(offset), 2n, what);
    return this.view.getUint16(offset, true);
  }
  u32(offset: number, what: string): number {
    this.range(BigInt(offset), 4n, what);
    return this.view.getUint32(offset, true);
  }
  u64(offset: number, what: string): bigint {
    this.range(BigInt(offset), 8n, what);
    return this.view.getBigUint64(offset, true);
  }
  i64(offset: number, what: string): bigint {
    this.range(BigInt(offset), 8n, what);
    return this.view.getBigInt64(offset, true);
  }
}

/**
 * Reads NUL-terminated names out of one string table. Work is bounded: a name must end inside
 * the table, and the bytes decoded over all names may not exceed a budget proportional to the
 * table (hostile files that point thousands of symbols into one huge unterminated run fail fast).
 */
export class StringTable {
  private readonly cache = new Map<number, string>();
  private budget: number;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(
    private readonly bytes: Uint8Array,
    private readonly start: number,
    private readonly size: number,
    private readonly label: string,
  ) {
    this.budget = 16 * size + 65536;
  }

  name(offset: number): string {
    const cached = this.cache.get(offset);
    if (cached !== undefined) return cached;
    if (offset >= this.size) {
      throw new ElfError(`name offset 0x${offset.toString(16)} is past the end of ${this.label} (0x${this.size.toString(16)} bytes)`);
    }
    const from = this.start + offset;
    const length = this.bytes.subarray(from, this.start + this.size).indexOf(0);
    const end = from + length;
    if (length < 0) {
      throw new ElfError(`a name in ${this.label} at offset 0x${offset.toString(16)} is not NUL-terminated`);
    }
    this.budget -= end - from;
    if (this.budget < 0) {
      throw new ElfError(`the names in ${this.label} overlap implausibly often: the file is corrupt`);
    }
    const text = this.decoder.decode(this.bytes.subarray(from, end));
    this.cache.set(offset, text);
    return text;
  }
}
