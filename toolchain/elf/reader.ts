// A strict ELF64 little-endian reader. Truncated or malformed input raises ElfError with a message
// a person can act on; the work done is bounded by the file's size whatever its counts claim.
import { ElfBytes, ElfError, StringTable } from './bytes';
import {
  PT_LOAD, SHT_DYNSYM, SHT_NOBITS, SHT_RELA, SHT_STRTAB, SHT_SYMTAB, elfTypeNames, nameOf,
  programTypeNames, relocationTypeNames, sectionTypeNames, symbolBindNames, symbolTypeNames,
} from './names';
import type { ElfFile, ElfHeader, ElfRelocation, ElfSymbol, ProgramHeader, SectionHeader } from './types';

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const RELA_SIZE = 24;

export function readElf(bytes: Uint8Array): ElfFile {
  const file = new ElfBytes(bytes);
  const header = readHeader(file);
  const programHeaders = readProgramHeaders(file, header);
  const sections = readSections(file, header);
  const tables = readTables(file, sections);
  return makeElfFile(file, header, programHeaders, sections, tables);
}

function readHeader(file: ElfBytes): ElfHeader {
  if (file.length < 4 || file.bytes[0] !== 0x7f || file.bytes[1] !== 0x45 || file.bytes[2] !== 0x4c || file.bytes[3] !== 0x46) {
    throw new ElfError('not an ELF file (it does not start with 0x7f "ELF")');
  }
  if (file.length < EHDR_SIZE) {
    throw new ElfError(`the ELF header is truncated: the file is ${file.length} bytes, the header needs 64`);
  }
  const elfClass = file.bytes[4];
  if (elfClass === 1) throw new ElfError('this is a 32-bit ELF file: Longmode reads ELF64 (build the kernel for x86_64)');
  if (elfClass !== 2) throw new ElfError(`unknown ELF class ${elfClass} (expected 2, ELF64)`);
  if (file.bytes[5] !== 1) throw new ElfError('this ELF file is big-endian: Longmode reads little-endian x86-64 files');
  if (file.bytes[6] !== 1) throw new ElfError(`unknown ELF version ${file.bytes[6]} (expected 1)`);
  const type = file.u16(16, 'e_type');
  const header: ElfHeader = {
    type,
    typeName: nameOf(elfTypeNames, type),
    machine: file.u16(18, 'e_machine'),
    entry: file.u64(24, 'e_entry'),
    phoff: file.u64(32, 'e_phoff'),
    shoff: file.u64(40, 'e_shoff'),
    flags: file.u32(48, 'e_flags'),
    ehsize: file.u16(52, 'e_ehsize'),
    phentsize: file.u16(54, 'e_phentsize'),
    phnum: file.u16(56, 'e_phnum'),
    shentsize: file.u16(58, 'e_shentsize'),
    shnum: file.u16(60, 'e_shnum'),
    shstrndx: file.u16(62, 'e_shstrndx'),
  };
  return header;
}

function readProgramHeaders(file: ElfBytes, header: ElfHeader): ProgramHeader[] {
  if (header.phnum === 0) return [];
  if (header.phentsize < PHDR_SIZE) {
    throw new ElfError(`e_phentsize is ${header.phentsize}, ELF64 program headers are 56 bytes: the header is corrupt`);
  }
  const base = file.range(header.phoff, BigInt(header.phnum) * BigInt(header.phentsize), 'the program header table');
  const result: ProgramHeader[] = [];
  for (let index = 0; index < header.phnum; index++) {
    const at = base + index * header.phentsize;
    const what = `program header ${index}`;
    const type = file.u32(at, what);
    const ph: ProgramHeader = {
      index,
      type,
      typeName: nameOf(programTypeNames, type),
      flags: file.u32(at + 4, what),
      offset: file.u64(at + 8, what),
      vaddr: file.u64(at + 16, what),
      paddr: file.u64(at + 24, what),
      filesz: file.u64(at + 32, what),
      memsz: file.u64(at + 40, what),
      align: file.u64(at + 48, what),
    };
    if (ph.type === PT_LOAD) {
      if (ph.filesz > ph.memsz) throw new ElfError(`${what} (LOAD) has p_filesz larger than p_memsz: the file is corrupt`);
      file.range(ph.offset, ph.filesz, `the data of ${what} (LOAD)`);
    }
    result.push(ph);
  }
  return result;
}

function readSections(file: ElfBytes, header: ElfHeader): SectionHeader[] {
  if (header.shoff === 0n) return [];
  if (header.shentsize < SHDR_SIZE) {
    throw new ElfError(`e_shentsize is ${header.shentsize}, ELF64 section headers are 64 bytes: the header is corrupt`);
  }
  let count = header.shnum;
  let shstrndx = header.shstrndx;
  if (count === 0 || shstrndx === 0xffff) {
    // Extended numbering: section 0 holds the real count (sh_size) and string-table index (sh_link).
    const first = file.range(header.shoff, BigInt(SHDR_SIZE), 'section header 0');
    if (count === 0) {
      const big = file.u64(first + 32, 'section header 0');
      if (big > BigInt(Math.floor(file.length / SHDR_SIZE))) throw new ElfError('the section count in section header 0 is larger than the file allows');
      count = Number(big);
    }
    if (shstrndx === 0xffff) shstrndx = file.u32(first + 40, 'section header 0');
  }
  const base = file.range(header.shoff, BigInt(count) * BigInt(header.shentsize), 'the section header table');
  const raw: (SectionHeader & { nameOffset: number })[] = [];
  for (let index = 0; index < count; index++) {
    const at = base + index * header.shentsize;
    const what = `section header ${index}`;
    const type = file.u32(at + 4, what);
    const section = {
      index,
      name: '',
      nameOffset: file.u32(at, what),
      type,
      typeName: nameOf(sectionTypeNames, type),
      flags: file.u64(at + 8, what),
      addr: file.u64(at + 16, what),
      offset: file.u64(at + 24, what),
      size: file.u64(at + 32, what),
      link: file.u32(at + 40, what),
      info: file.u32(at + 44, what),
      addralign: file.u64(at + 48, what),
      entsize: file.u64(at + 56, what),
    };
    if (type !== SHT_NOBITS && type !== 0) file.range(section.offset, section.size, `the data of ${what}`);
    raw.push(section);
  }
  if (shstrndx !== 0) {
    if (shstrndx >= count) throw new ElfError(`e_shstrndx is ${shstrndx} but there are only ${count} sections: the header is corrupt`);
    const strtab = raw[shstrndx];
    if (strtab.type !== SHT_STRTAB) throw new ElfError(`e_shstrndx points at section ${shstrndx}, which is not a string table`);
    const names = new StringTable(file.bytes, Number(strtab.offset), Number(strtab.size), 'the section-name table');
    for (const s of raw) s.name = s.index === 0 && s.nameOffset === 0 ? '' : names.name(s.nameOffset);
  }
  return raw.map(({ nameOffset: _unused, ...section }) => section);
}

interface Tables {
  symbols: ElfSymbol[];
  relocations: ElfRelocation[];
}

function readTables(file: ElfBytes, sections: SectionHeader[]): Tables {
  // Symbol and relocation entries together may not exceed twice what the file could hold
  // without overlap: hostile headers that point many tables at the same bytes fail fast.
  let entryBudget = 2 * Math.floor(file.length / SYM_SIZE) + 16;
  const spend = (n: number) => {
    entryBudget -= n;
    if (entryBudget < 0) throw new ElfError('the symbol and relocation tables overlap implausibly: the file is corrupt');
  };
  const symbolTables = new Map<number, ElfSymbol[]>();
  const symbols: ElfSymbol[] = [];
  for (const s of sections) {
    if (s.type !== SHT_SYMTAB && s.type !== SHT_DYNSYM) continue;
    const table = readSymbolTable(file, sections, s, spend);
    symbolTables.set(s.index, table);
    symbols.push(...table.slice(1));
  }
  const relocations: ElfRelocation[] = [];
  for (const s of sections) {
    if (s.type !== SHT_RELA) continue;
    if (s.link !== 0 && !symbolTables.has(s.link)) {
      throw new ElfError(`relocation section ${s.name || s.index} links to section ${s.link}, which is not a symbol table`);
    }
    relocations.push(...readRelocations(file, s, symbolTables.get(s.link), spend));
  }
  return { symbols, relocations };
}

function entryCount(s: SectionHeader, entrySize: number, kind: string): number {
  if (s.entsize !== BigInt(entrySize)) {
    throw new ElfError(`${kind} section ${s.name || s.index} has entries of ${s.entsize} bytes, ELF64 uses ${entrySize}`);
  }
  if (s.size % BigInt(entrySize) !== 0n) {
    throw new ElfError(`${kind} section ${s.name || s.index} is ${s.size} bytes, not a whole number of entries`);
  }
  return Number(s.size / BigInt(entrySize));
}

function readSymbolTable(file: ElfBytes, sections: SectionHeader[], s: SectionHeader, spend: (n: number) => void): ElfSymbol[] {
  const count = entryCount(s, SYM_SIZE, 'symbol table');
  spend(count);
  const strtab = sections[s.link];
  if (!strtab || strtab.type !== SHT_STRTAB) {
    throw new ElfError(`symbol table ${s.name || s.index} links to section ${s.link}, which is not a string table`);
  }
  const names = new StringTable(file.bytes, Number(strtab.offset), Number(strtab.size), strtab.name || `section ${strtab.index}`);
  const base = Number(s.offset);
  const table: ElfSymbol[] = [];
  for (let i = 0; i < count; i++) {
    const at = base + i * SYM_SIZE;
    const what = `symbol ${i} of ${s.name}`;
    const info = file.u8(at + 4, what);
    table.push({
      name: names.name(file.u32(at, what)),
      value: file.u64(at + 8, what),
      size: file.u64(at + 16, what),
      type: nameOf(symbolTypeNames, info & 0xf),
      bind: nameOf(symbolBindNames, info >> 4),
      sectionIndex: file.u16(at + 6, what),
      table: s.name,
    });
  }
  return table;
}

function readRelocations(file: ElfBytes, s: SectionHeader, symbols: ElfSymbol[] | undefined, spend: (n: number) => void): ElfRelocation[] {
  const count = entryCount(s, RELA_SIZE, 'relocation');
  spend(count);
  const base = Number(s.offset);
  const result: ElfRelocation[] = [];
  for (let i = 0; i < count; i++) {
    const at = base + i * RELA_SIZE;
    const what = `relocation ${i} of ${s.name}`;
    const info = file.u64(at + 8, what);
    const symbolIndex = Number(info >> 32n);
    const type = Number(info & 0xffffffffn);
    if (symbolIndex !== 0 && (!symbols || symbolIndex >= symbols.length)) {
      throw new ElfError(`${what} refers to symbol ${symbolIndex}, which does not exist`);
    }
    result.push({
      section: s.name,
      offset: file.u64(at, what),
      type,
      typeName: nameOf(relocationTypeNames, type),
      symbolIndex,
      symbol: symbolIndex !== 0 ? symbols?.[symbolIndex].name : undefined,
      addend: file.i64(at + 16, what),
    });
  }
  return result;
}

function makeElfFile(file: ElfBytes, header: ElfHeader, programHeaders: ProgramHeader[], sections: SectionHeader[], tables: Tables): ElfFile {
  const loads = programHeaders.filter((p) => p.type === PT_LOAD);
  let byName: Map<string, ElfSymbol> | undefined;
  const loadHolding = (vaddr: bigint, size: 'filesz' | 'memsz') =>
    loads.find((p) => vaddr >= p.vaddr && vaddr - p.vaddr < p[size]);
  return {
    header,
    programHeaders,
    sections,
    ...tables,
    findSymbol(name) {
      if (!byName) {
        byName = new Map();
        const ordered = [...tables.symbols].sort((a, b) => Number(a.table === '.dynsym') - Number(b.table === '.dynsym'));
        for (const sym of ordered) if (sym.sectionIndex !== 0 && sym.name && !byName.has(sym.name)) byName.set(sym.name, sym);
      }
      return byName.get(name);
    },
    symbolAt(vaddr) {
      return tables.symbols.find(
        (s) => (s.type === 'FUNC' || s.type === 'OBJECT') && s.sectionIndex !== 0 && vaddr >= s.value && vaddr - s.value < s.size,
      );
    },
    section(name) {
      return sections.find((s) => s.name === name);
    },
    virtToFileOffset(vaddr) {
      const p = loadHolding(vaddr, 'filesz');
      return p ? Number(p.offset + (vaddr - p.vaddr)) : undefined;
    },
    physOf(vaddr) {
      const p = loadHolding(vaddr, 'memsz');
      return p ? p.paddr + (vaddr - p.vaddr) : undefined;
    },
    readVirtual(vaddr, length) {
      const p = loadHolding(vaddr, 'filesz');
      if (!p || length < 0 || vaddr - p.vaddr + BigInt(length) > p.filesz) return undefined;
      const at = Number(p.offset + (vaddr - p.vaddr));
      return new Uint8Array(file.bytes.subarray(at, at + length));
    },
  };
}
