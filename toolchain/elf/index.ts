export { ElfError } from './bytes';
export { readElf } from './reader';
export { stripElf } from './strip';
export { PT_LOAD, R_X86_64_RELATIVE } from './names';
export type { ElfFile, ElfHeader, ElfRelocation, ElfSymbol, ProgramHeader, SectionHeader } from './types';
