// The shape of a parsed ELF64 file. Addresses, offsets and sizes are bigint (64-bit values);
// counts and indices are numbers.

export interface ElfHeader {
  type: number;
  typeName: string; // 'EXEC', 'DYN', …
  machine: number; // 62 = x86-64
  entry: bigint;
  phoff: bigint;
  shoff: bigint;
  flags: number;
  ehsize: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

export interface ProgramHeader {
  index: number;
  type: number;
  typeName: string; // 'LOAD', 'GNU_STACK', …
  flags: number; // PF_X 1, PF_W 2, PF_R 4
  offset: bigint;
  vaddr: bigint;
  paddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

export interface SectionHeader {
  index: number;
  name: string;
  type: number;
  typeName: string;
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
}

export interface ElfSymbol {
  name: string;
  value: bigint;
  size: bigint;
  type: string; // 'FUNC', 'OBJECT', 'NOTYPE', …
  bind: string; // 'LOCAL', 'GLOBAL', 'WEAK', …
  sectionIndex: number; // 0 = undefined symbol
  table: string; // '.symtab' or '.dynsym' (the section's name)
}

export interface ElfRelocation {
  section: string; // the RELA section, e.g. '.rela.dyn'
  offset: bigint; // r_offset: where to patch (a virtual address in executables)
  type: number;
  typeName: string; // 'R_X86_64_RELATIVE', …
  symbolIndex: number;
  symbol?: string;
  addend: bigint;
}

export interface ElfFile {
  header: ElfHeader;
  programHeaders: ProgramHeader[];
  sections: SectionHeader[];
  symbols: ElfSymbol[];
  relocations: ElfRelocation[];
  /** A defined symbol by exact name (.symtab before .dynsym). */
  findSymbol(name: string): ElfSymbol | undefined;
  /** The function or object symbol whose [value, value+size) holds vaddr. */
  symbolAt(vaddr: bigint): ElfSymbol | undefined;
  section(name: string): SectionHeader | undefined;
  /** File offset of a virtual address backed by file bytes of a PT_LOAD segment. */
  virtToFileOffset(vaddr: bigint): number | undefined;
  /** Physical load address of a virtual address inside a PT_LOAD segment (p_paddr + delta). */
  physOf(vaddr: bigint): bigint | undefined;
  /** Bytes at a virtual address from the file (undefined when not wholly file-backed). */
  readVirtual(vaddr: bigint, length: number): Uint8Array | undefined;
}
