// The kernel copy that goes into the disk image: ELF header, program headers and the file bytes
// up to the end of the last PT_LOAD; no section headers (the bootloader reads PT_LOAD only).
import { ElfError } from './bytes';
import { PT_LOAD } from './names';
import { readElf } from './reader';

export function stripElf(bytes: Uint8Array): Uint8Array {
  const elf = readElf(bytes);
  const loads = elf.programHeaders.filter((p) => p.type === PT_LOAD);
  if (loads.length === 0) throw new ElfError('the kernel ELF has no PT_LOAD segment: there is nothing for the bootloader to load');
  const phEnd = elf.header.phoff + BigInt(elf.header.phnum * elf.header.phentsize);
  let end = phEnd > 64n ? phEnd : 64n;
  for (const p of loads) if (p.offset + p.filesz > end) end = p.offset + p.filesz;
  const copy = new Uint8Array(bytes.subarray(0, Number(end))); // a copy even when given a Node Buffer
  const view = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
  view.setBigUint64(40, 0n, true); // e_shoff
  view.setUint16(60, 0, true); // e_shnum
  view.setUint16(62, 0, true); // e_shstrndx
  return copy;
}
