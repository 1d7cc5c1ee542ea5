// A bounded little-endian cursor over a DWARF section: every read checks the end it was given
// and throws a DwarfError naming the section offset, never a RangeError.
export class DwarfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DwarfError';
  }
}

export class ByteCursor {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    public offset: number,
    /** one past the last byte this cursor may read */
    public end: number,
    private readonly what: string,
  ) {
    if (end > bytes.length) throw this.error(`${what} claims ${end - offset} bytes but the section has only ${bytes.length - offset}`);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get atEnd(): boolean {
    return this.offset >= this.end;
  }

  error(message: string): DwarfError {
    return new DwarfError(`${this.what} is malformed at offset 0x${this.offset.toString(16)}: ${message} (rebuild the kernel with debug info, or report a Longmode bug)`);
  }

  private need(n: number): number {
    if (this.offset + n > this.end) throw this.error(`needs ${n} more bytes past the end of its unit`);
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.need(1));
  }
  i8(): number {
    return this.view.getInt8(this.need(1));
  }
  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }
  /** a u64 that must fit a JS number exactly (offsets, lengths) */
  u64Number(): number {
    const value = this.u64();
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error(`value 0x${value.toString(16)} is too large`);
    return Number(value);
  }
  skip(n: number): void {
    this.need(n);
  }

  uleb(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    throw this.error('a LEB128 number is longer than 10 bytes');
  }

  /** unsigned LEB128 as a bigint (addresses) */
  ulebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
    throw this.error('a LEB128 number is longer than 10 bytes');
  }

  sleb(): number {
    let result = 0;
    let scale = 1;
    let byte = 0;
    for (let i = 0; i < 10; i++) {
      byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return byte & 0x40 ? result - scale : result;
    }
    throw this.error('a LEB128 number is longer than 10 bytes');
  }

  cstring(): string {
    const start = this.offset;
    let i = start;
    while (i < this.end && this.bytes[i] !== 0) i++;
    if (i >= this.end) throw this.error('a string has no terminating NUL');
    this.offset = i + 1;
    return new TextDecoder().decode(this.bytes.subarray(start, i));
  }
}

/** The NUL-terminated string at `offset` of a string section (.debug_str, .debug_line_str). */
export function stringAt(section: Uint8Array | undefined, offset: number, name: string): string {
  if (!section) throw new DwarfError(`the kernel ELF refers to ${name} but has no such section`);
  if (offset >= section.length) throw new DwarfError(`a ${name} offset 0x${offset.toString(16)} lies past the section's end (0x${section.length.toString(16)})`);
  let end = offset;
  while (end < section.length && section[end] !== 0) end++;
  return new TextDecoder().decode(section.subarray(offset, end));
}
