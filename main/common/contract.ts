// The one contract between the renderer and main: every call and every event, as types only.
// Both transports (Electron IPC and the browser-mode WebSocket) carry it generically:
//   call:  { kind: 'call', id, method, args }  ->  { kind: 'result', id, ok: true, value } | { kind: 'result', id, ok: false, error }
//   event: { kind: 'event', event, payload }
// 64-bit guest values travel as lowercase hex strings ("0x…"), never as JS numbers.
// Domain types that other layers share live in base/ and are re-exported here.
import type { Hex } from '../../base/hex';
import type { BuildProgress, BuildResult, Diagnostic } from '../../base/diagnostics';
import type { GuestFaultSwitch, RegisterSet, VmStatus } from '../../base/vm';
import type { VgaFrame } from '../../base/vga';
import type { MappingRange, PageTableWalk } from '../../base/paging';
export type { Hex } from '../../base/hex';
export type { BuildProgress, BuildResult, Diagnostic, Severity } from '../../base/diagnostics';
export type { FaultReport, GuestFaultSwitch, RegisterSet, VmState, VmStatus } from '../../base/vm';
export type { VgaFrame } from '../../base/vga';
export type { MappingRange, PageTableWalk } from '../../base/paging';
export type { BootMedia, BootSpec, Firmware, SymbolFile } from '../../base/boot';

// ---------- workspace and files ----------
export interface WorkspaceInfo {
  root: string; // absolute path, for display
  name: string;
  manifestProblems: { path: string; message: string }[];
}
export interface FileEntry {
  path: string; // workspace-relative, '/'-separated
  kind: 'file' | 'dir';
  children?: FileEntry[];
}
export interface FileContent {
  path: string;
  text: string;
  version: string; // opaque (mtime+size); saveFile refuses a stale expectedVersion
}

// ---------- hot exit ----------
export interface BufferBackup {
  path: string; // workspace-relative
  text: string;
  /** the disk version the unsaved edits started from; absent for a file that was not on disk */
  baseVersion?: string;
  savedAt: string; // ISO time
}

// ---------- UI state and menus ----------
export interface UiState {
  openTabs: string[]; // workspace-relative paths
  activeTab?: string;
  /** pane sizes and visibility, keyed by the renderer's own names */
  layout: { [key: string]: number | string | boolean };
  /** gutter breakpoints: workspace-relative file → 1-based lines */
  breakpoints?: { [file: string]: number[] };
}
export type MenuCommand =
  | 'file.save'
  | 'file.saveAll'
  | 'file.newFile'
  | 'build.run'
  | 'vm.boot'
  | 'vm.pause'
  | 'vm.continue'
  | 'vm.stop'
  | 'vm.restart'
  | 'debug.toggleBreakpoint'
  | 'debug.stepOver'
  | 'debug.step'
  | 'debug.runToCursor'
  | 'debug.breakAtPhase2'
  | 'view.explorer'
  | 'view.problems'
  | 'view.buildOutput'
  | 'view.serial'
  | 'view.vga'
  | 'help.about';

// ---------- inspection and debugging ----------
export type AddressSpace = 'virtual' | 'physical';
export type E820KindName = 'usable' | 'reserved' | 'acpi-reclaimable' | 'acpi-nvs' | 'bad' | 'unknown';
export interface PhysRangeView {
  base: Hex;
  length: Hex;
}
export interface MemoryMapView {
  /** one past the highest RAM address */
  ramSize: Hex;
  phase: number;
  e820: (PhysRangeView & { type: number; kind: E820KindName })[];
  /** kernel, boot info, loader, page tables, heap frames, free frames */
  overlays: (PhysRangeView & { label: 'kernel' | 'boot-info' | 'loader' | 'boot-page-tables' | 'page-tables' | 'heap' | 'free'; detail: string })[];
  /** the physical space cut at every boundary */
  segments: (PhysRangeView & { kind: E820KindName | 'unlisted'; labels: string[] })[];
  freeFrames: { count: number; expectedCount?: Hex; terminated: boolean; head: Hex };
  totals: { usableBytes: Hex; freeBytes: Hex; freeFrames: number };
  anomalies: { kind: string; message: string; base?: Hex; length?: Hex }[];
}
export interface HeapRegionView {
  index: number;
  virt: Hex;
  length: Hex;
  phys: Hex;
  pages: number;
  pagesMatching: number;
  /** every page maps to its recorded frame */
  verified: boolean;
  mismatches: { virt: Hex; expected: Hex; actual?: Hex }[];
  writable?: boolean;
  nx?: boolean;
  problem?: string;
}
export interface HeapView {
  heapHighBase: Hex;
  regions: HeapRegionView[];
}
export interface PageTableEntryView {
  index: number;
  raw: Hex;
  flags: string[];
  /** next table or page frame */
  target: Hex;
  leaf: boolean;
  /** canonical virtual base this entry covers */
  virt: Hex;
  /** the entry points back at a table on its own path */
  recursive?: boolean;
  reservedBits?: Hex;
}
export interface PageTableNodeView {
  table: Hex;
  level: 1 | 2 | 3 | 4;
  levelName: string;
  virtBase: Hex;
  /** present entries only */
  entries: PageTableEntryView[];
}
export interface TranslationView {
  virt: Hex;
  cr3: Hex;
  steps: { level: number; levelName: string; table: Hex; index: number; entryAddr: Hex; raw: Hex; flags: string[]; target: Hex; leaf: boolean }[];
  phys?: Hex;
  pageSize?: '4K' | '2M' | '1G';
  pageVirt?: Hex;
  pagePhys?: Hex;
  permissions?: { writable: boolean; user: boolean; nx: boolean; global: boolean };
  stop?: { level?: number; reason: string; message: string };
}
export interface MemoryBytes {
  address: Hex;
  space: AddressSpace;
  /** the bytes, base64; unreadable bytes are 0 and their pages listed in `unmapped` */
  base64: string;
  /** base addresses of the 4 KiB pages in the range that are unmapped (virtual) or not RAM (physical) */
  unmapped: Hex[];
}
export interface WalkCapture {
  name: string;
  takenAt: string; // ISO time
  rip: Hex;
  mappings: number;
}
export interface WalkDiffView {
  before: string;
  after: string;
  added: MappingRange[];
  removed: MappingRange[];
  changed: { virt: Hex; size: Hex; before: MappingRange; after: MappingRange; changes: string[] }[];
  unchangedBytes: Hex;
}
export interface ControlBitsView {
  value: Hex;
  set: string[];
  unknown: Hex;
}
export interface RegistersView {
  registers: RegisterSet;
  cr0?: ControlBitsView;
  cr4?: ControlBitsView;
  efer?: ControlBitsView;
  mode?: string;
}
export interface SourceLocation {
  file: string; // workspace-relative
  line: number;
}
export interface ResolvedBreakpoint {
  line: number;
  /** every address the line starts at, with the high-half alias when the kernel runs there */
  addresses: Hex[];
  verified: boolean;
  /** not resolved yet because no guest runs: set when it boots */
  pending?: boolean;
  message?: string;
}
export type StopReason = 'breakpoint' | 'step' | 'pause' | 'fault';
export interface VmStopped {
  reason: StopReason;
  rip: Hex;
  source?: SourceLocation;
  detail?: string;
}
export interface SnapshotEntry {
  name: string;
  date: string;
  vmClock: string;
  size: string;
}

// ---------- the calls ----------
export interface Calls {
  'workspace.info': { args: Record<string, never>; result: WorkspaceInfo };
  'fs.tree': { args: Record<string, never>; result: FileEntry };
  'fs.read': { args: { path: string }; result: FileContent };
  'fs.write': { args: { path: string; text: string; expectedVersion?: string }; result: { version: string } };
  'fs.create': { args: { path: string; kind: 'file' | 'dir' }; result: { ok: true } };
  'fs.rename': { args: { from: string; to: string }; result: { ok: true } };
  'fs.delete': { args: { path: string }; result: { ok: true } };
  'build.run': { args: Record<string, never>; result: BuildResult };
  'build.cancel': { args: Record<string, never>; result: { ok: true } };
  /** `fault`: the sample OS's fault switch for this boot (-fw_cfg opt/longmode/fault), to try fault reporting */
  'vm.boot': { args: { paused?: boolean; fault?: GuestFaultSwitch }; result: VmStatus };
  'vm.status': { args: Record<string, never>; result: VmStatus };
  'vm.pause': { args: Record<string, never>; result: VmStatus };
  'vm.continue': { args: Record<string, never>; result: VmStatus };
  'vm.stop': { args: Record<string, never>; result: VmStatus };
  'vm.restart': { args: Record<string, never>; result: VmStatus };
  'vm.serialInput': { args: { data: string }; result: { ok: true } };
  /** This boot's serial output so far (the last MiB); `offset` is where `text` starts in the stream. */
  'vm.serialHistory': { args: Record<string, never>; result: { text: string; offset: number } };
  'vm.vga': { args: Record<string, never>; result: VgaFrame };
  'vm.registers': { args: Record<string, never>; result: RegisterSet };
  'vm.pageTables': { args: Record<string, never>; result: PageTableWalk };
  /** A client says whether its VGA pane is visible; frames are polled only while one is and the VM runs. */
  'vm.watchVga': { args: { enabled: boolean }; result: { ok: true } };
  /** The remembered open tabs and pane layout of this workspace (Electron: user-data dir; browser: .longmode/). */
  'ui.loadState': { args: Record<string, never>; result: UiState };
  'ui.saveState': { args: { state: UiState }; result: { ok: true } };
  // hot exit: dirty buffers are backed up outside the workspace's sources until saved or reverted
  'backup.write': { args: { path: string; text: string; baseVersion?: string }; result: { ok: true } };
  /** every backed-up buffer of this workspace (the renderer restores them, marked dirty, on start) */
  'backup.list': { args: Record<string, never>; result: BufferBackup[] };
  'backup.discard': { args: { path: string }; result: { ok: true } };
  // inspection and debugging: calls that read guest state need a paused guest
  'inspect.memoryMap': { args: Record<string, never>; result: MemoryMapView };
  'inspect.heap': { args: Record<string, never>; result: HeapView };
  'inspect.pageTables': { args: Record<string, never>; result: PageTableWalk };
  /** the present entries of one table (for the lazily expanded tree); no `table`: the PML4 of CR3 */
  'inspect.pageTableNode': { args: { table?: Hex; level?: number; virtBase?: Hex }; result: PageTableNodeView };
  'inspect.translate': { args: { address: Hex }; result: TranslationView };
  /** at most 64 KiB */
  'inspect.readMemory': { args: { address: Hex; length: number; space: AddressSpace }; result: MemoryBytes };
  'inspect.registers': { args: Record<string, never>; result: RegistersView };
  'inspect.captureWalk': { args: { name: string }; result: WalkCapture };
  'inspect.captures': { args: Record<string, never>; result: WalkCapture[] };
  /** `after` omitted: the live tables */
  'inspect.diffWalks': { args: { before: string; after?: string }; result: WalkDiffView };
  /** replaces the breakpoints of one file */
  'debug.setBreakpoints': { args: { file: string; lines: number[] }; result: { breakpoints: ResolvedBreakpoint[] } };
  /** resumes, stepping off a breakpoint at the current instruction first */
  'debug.continue': { args: Record<string, never>; result: VmStatus };
  'debug.step': { args: Record<string, never>; result: VmStopped };
  'debug.stepOver': { args: Record<string, never>; result: VmStopped };
  'debug.runToLine': { args: { file: string; line: number }; result: VmStopped };
  /** from the start: stops at the kernel entry (captured as "kernel entry"), then at the phase-2 entry (captured as "phase 2") */
  'debug.breakAtPhase2': { args: Record<string, never>; result: VmStopped };
  /** the source line of a kernel address (DWARF), if any */
  'debug.locate': { args: { address: Hex }; result: { source?: SourceLocation } };
  'snapshot.save': { args: { name: string }; result: SnapshotEntry[] };
  'snapshot.load': { args: { name: string }; result: VmStatus };
  'snapshot.list': { args: Record<string, never>; result: SnapshotEntry[] };
}
export type CallName = keyof Calls;
export type CallArgs<M extends CallName> = Calls[M]['args'];
export type CallResult<M extends CallName> = Calls[M]['result'];

// ---------- the events ----------
export interface Events {
  'build.progress': BuildProgress;
  'build.output': { text: string }; // ANSI-coloured console text
  'build.diagnostics': { diagnostics: Diagnostic[] };
  'build.done': BuildResult;
  'vm.state': VmStatus;
  /** `offset`: where `text` starts in this boot's serial stream (a reattaching client drops what its history already had). */
  'vm.serial': { text: string; offset: number };
  'vm.vga': VgaFrame;
  'fs.changed': { path: string; kind: 'changed' | 'created' | 'deleted'; version?: string };
  /** A native menu item or accelerator (Electron) the renderer should act on. */
  'menu.command': { command: MenuCommand };
  /** The open workspace changed (Electron: File > Open Folder…); reload the tree and close tabs. */
  'workspace.changed': WorkspaceInfo;
  // inspection and debugging
  /** the guest stopped (breakpoint, step, pause, fault): panes refresh */
  'vm.stopped': VmStopped;
  'snapshot.changed': { snapshots: SnapshotEntry[]; restored?: string };
}
export type EventName = keyof Events;

// ---------- errors ----------
export type ErrorCode =
  | 'bad-request' // unknown method or arguments of the wrong shape
  | 'outside-workspace' // absolute path, `..` escape, or a symlink resolving outside
  | 'not-found'
  | 'already-exists'
  | 'conflict' // fs.write with a stale expectedVersion: nothing was written
  | 'busy' // a build is already running
  | 'no-vm' // no guest is running
  | 'guest-running' // the call needs a paused guest
  | 'failed' // the tool or guest failed; the message says why
  | 'unavailable' // a part of Longmode this call needs is missing
  | 'internal';
export interface CallError {
  message: string;
  code?: ErrorCode | string;
}

// ---------- the wire ----------
export type WireMessage =
  | { kind: 'call'; id: number; method: CallName; args: unknown }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: CallError }
  | { kind: 'event'; event: EventName; payload: unknown };

/** What the renderer sees as `window.longmode` (Electron preload) or builds over the WebSocket. */
export interface LongmodeApi {
  call<M extends CallName>(method: M, args: CallArgs<M>): Promise<CallResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
