// Just enough ELF64 for the seed-os tests: program headers, a symbol's address, and the
// stripped copy the disk image holds (no section headers, nothing after the last PT_LOAD).

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: bigint;
  paddr: bigint;
  filesz: number;
  memsz: number;
}

export const PT_LOAD = 1;

function checkElf64(elf: Buffer): void {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) {
    throw new Error('not a 64-bit ELF file: build the kernel with cargo first');
  }
}

export function programHeaders(elf: Buffer): ProgramHeader[] {
  checkElf64(elf);
  const offset = Number(elf.readBigUInt64LE(0x20));
  const size = elf.readUInt16LE(0x36);
  const count = elf.readUInt16LE(0x38);
  return Array.from({ length: count }, (_, i) => {
    const at = offset + i * size;
    return {
      type: elf.readUInt32LE(at),
      flags: elf.readUInt32LE(at + 4),
      offset: Number(elf.readBigUInt64LE(at + 8)),
      vaddr: elf.readBigUInt64LE(at + 16),
      paddr: elf.readBigUInt64LE(at + 24),
      filesz: Number(elf.readBigUInt64LE(at + 32)),
      memsz: Number(elf.readBigUInt64LE(at + 40)),
    };
  });
}

/** The value of `name` in .symtab, or undefined. */
export function symbolAddress(elf: Buffer, name: string): bigint | undefined {
  checkElf64(elf);
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  const section = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      type: elf.readUInt32LE(at + 4),
      offset: Number(elf.readBigUInt64LE(at + 24)),
      size: Number(elf.readBigUInt64LE(at + 32)),
      link: elf.readUInt32LE(at + 40),
    };
  };
  for (let i = 0; i < shnum; i++) {
    const symtab = section(i);
    if (symtab.type !== 2) continue;
    const strtab = section(symtab.link);
    for (let at = symtab.offset; at < symtab.offset + symtab.size; at += 24) {
      const nameStart = strtab.offset + elf.readUInt32LE(at);
      const nameEnd = elf.indexOf(0, nameStart);
      if (elf.toString('latin1', nameStart, nameEnd) === name) return elf.readBigUInt64LE(at + 8);
    }
  }
  return undefined;
}

/** Physical address of a virtual address inside one of the PT_LOAD segments. */
export function loadedPhysical(elf: Buffer, vaddr: bigint): bigint {
  const segment = programHeaders(elf).find(
    (p) => p.type === PT_LOAD && vaddr >= p.vaddr && vaddr < p.vaddr + BigInt(p.memsz),
  );
  if (!segment) throw new Error(`0x${vaddr.toString(16)} is in no PT_LOAD segment of the kernel`);
  return vaddr - segment.vaddr + segment.paddr;
}

/** The copy the disk image holds: section headers dropped, cut after the last PT_LOAD's bytes. */
export function strippedForImage(elf: Buffer): Buffer {
  const end = Math.max(...programHeaders(elf).filter((p) => p.type === PT_LOAD).map((p) => p.offset + p.filesz));
  const copy = Buffer.from(elf.subarray(0, end));
  copy.writeBigUInt64LE(0n, 0x28); // e_shoff
  copy.writeUInt16LE(0, 0x3c); // e_shnum
  copy.writeUInt16LE(0, 0x3e); // e_shstrndx
  return copy;
}
