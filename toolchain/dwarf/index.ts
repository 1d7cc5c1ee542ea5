// DWARF line tables: file:line <-> address for the kernel ELF.
export { DwarfError } from './byte-cursor';
export { readLineUnits, type LineRow, type LineSections, type LineUnit } from './line-program';
export { LineTable, type LineAddresses, type LineLocation } from './line-table';
