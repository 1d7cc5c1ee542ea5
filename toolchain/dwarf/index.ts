// DWARF line tables: file:line <-> address for the kernel ELF (with inlined call sites).
export { DwarfError } from './byte-cursor';
export { readLineUnits, type LineRow, type LineSections, type LineUnit } from './line-program';
export { readInlinedCalls, type InfoSections, type InlinedCall } from './inline-calls';
export { LineTable, type LineAddresses, type LineLocation } from './line-table';
