// The emulator layer: QEMU sessions (QMP, gdb stub, shared RAM file) and live guest inspection.
export { QemuSession, type SessionEvents, type SessionOptions, type SessionState, type SessionStatus } from './session';
export { RamFile, lowMemorySize } from './ram-file';
export { QmpClient, QmpError } from './qmp/client';
export type { QmpCommands, QmpEvent, QmpRunState } from './qmp/types';
export { GdbClient, parseStopReply, type BreakpointKind, type GdbRegisters, type StopReply } from './gdb/client';
export type { RegisterInfo } from './gdb/target-description';
export { FAULT_SWITCHES, qemuArgs, parseMemorySize, sessionPaths, type FaultSwitch, type SessionPaths } from './qemu/args';
export { cleanStaleSessionDirs, createSessionDir, defaultSessionRoot } from './qemu/session-dir';
export { faultFromQemuLog, faultFromSerial, exceptionName } from './fault-report';
export { parseSnapshotList, type SnapshotInfo } from './snapshots';
export { VGA_TEXT_BYTES, VGA_TEXT_PHYS, type VgaCursor } from './vga-device';
export * from './inspect';
