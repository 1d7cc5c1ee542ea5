// The emulator layer's inspection functions: pure functions over guest bytes, no processes.
export { InspectError } from './errors';
export { hex, describeSize, withHexBigints, type Hexed } from './hex';
export { bufferReader, readFrameWord, readU64, type PhysReader } from './phys-reader';
// page tables
export * from './paging-entry';
export * from './paging-types';
export { canonicalVirt, isCanonical, tableIndices, physFromCr3 } from './paging-address';
export { walkPageTables } from './paging-walk';
export { translate, translationToJson, type Translation, type TranslationStep, type TranslationStopReason } from './paging-translate';
export { diffWalks, type WalkDiff, type WalkRange, type ChangedRange } from './paging-diff';
export { pageWalkToJson, type PageTableWalkJson } from './paging-json';
// VGA text
export { CP437, cp437Code } from './cp437';
export * from './vga';
// the kernel's inspection ABI
export * from './bootinfo';
export * from './record';
export * from './freelist';
export * from './heap';
export * from './memmap';
export * from './registers';
// plain-text tables for the CLI
export * from './format';
