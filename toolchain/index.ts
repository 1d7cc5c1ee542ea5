// The toolchain library: workspace manifest, build driver, image assembler, ELF reader, doctor.
export { MANIFEST_FILE, ManifestError, SECTOR_SIZE, imageDefines, kernelElfPath, loadManifest, validateManifest } from './manifest';
export type { BootloaderSpec, ImagePiece, ImageSpec, KernelSpec, Manifest, ManifestProblem, QemuSpec } from './manifest';
export { buildWorkspace } from './build';
export type { BuildArtifacts, BuildOptions, BuildOutcome, BuildStep } from './build';
export { KERNEL_STRIPPED } from './build-cache';
export { cleanWorkspace, type CleanResult } from './clean';
export { ImageError, assembleImage, layoutImage, type ImageInputs, type ImageProblem } from './image';
export { ElfError, PT_LOAD, R_X86_64_RELATIVE, readElf, stripElf } from './elf';
export type { ElfFile, ElfHeader, ElfRelocation, ElfSymbol, ProgramHeader, SectionHeader } from './elf';
export { checkTool, runDoctor, type DoctorReport, type ToolStatus } from './doctor';
export { MissingToolError, installCommand, locateTool, missingToolError, type ToolName } from './tools';
export { parseNasmOutput } from './diagnostics/nasm';
export { diagnosticsFromRustc, parseCargoLine, type CargoEvent } from './diagnostics/rustc';
export { runTool, type RunOptions, type RunResult } from './run-tool';
