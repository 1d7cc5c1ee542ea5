// The narrow shapes the services need from toolchain/ and emulator/. The adapters
// (toolchain-adapter.ts, emulator-adapter.ts) fit the real modules to these; tests use the real ones.
import type { QemuSession } from '../../../emulator/session';
import type { BuildProgress, BuildResult, GuestFaultSwitch, PageTableWalk, RegisterSet, VgaFrame, VmStatus, WorkspaceInfo } from '../../common/contract';

export interface BuildHooks {
  signal: AbortSignal;
  onProgress(progress: BuildProgress): void;
  onOutput(text: string): void;
}

export interface BuildBackend {
  /** Builds the workspace (nasm, cargo, image). Diagnostic paths are workspace-relative. */
  build(workspace: string, hooks: BuildHooks): Promise<BuildResult>;
  /** The workspace's name and manifest problems (a missing or invalid longmode.json). */
  describe(workspace: string): Promise<Pick<WorkspaceInfo, 'name' | 'manifestProblems'> & { qemu?: { memory?: string; args?: string[] } }>;
}

export interface BootRequest {
  image: string; // absolute
  kernelElf?: string; // absolute, for symbols (fault source lines, inspection record)
  memory?: string;
  extraArgs?: string[];
  paused: boolean;
  /** the sample OS's fault switch (-fw_cfg opt/longmode/fault) */
  fault?: GuestFaultSwitch;
}

export interface VmSession {
  /** the emulator's own session, for areas that need more than this interface (inspection, debugging) */
  readonly qemu?: QemuSession;
  status(): VmStatus;
  onStatus(listener: (status: VmStatus) => void): () => void;
  onSerial(listener: (text: string) => void): () => void;
  pause(): Promise<void>;
  resume(): Promise<void>;
  reset(): Promise<void>;
  /** Stops QEMU and waits for it to exit; safe to call twice. */
  stop(): Promise<void>;
  writeSerial(data: string): Promise<void>;
  readVga(): Promise<VgaFrame>;
  registers(): Promise<RegisterSet>;
  /** Walks the live page tables; the guest must be paused. */
  pageTables(): Promise<PageTableWalk>;
}

/** What a QEMU started during the build needs; the image comes when the build is done. */
export interface PrepareRequest extends Omit<BootRequest, 'image' | 'kernelElf'> {
  /** absolute; its manifest gives the image's size */
  workspace: string;
}

/** A QEMU waiting (CPU stopped) for the image being built. */
export interface PreparedBoot {
  /** Hands it the built image; undefined (QEMU stopped) when it cannot take it: start a fresh session then. */
  boot(image: string): Promise<VmSession | undefined>;
  /** Stops it (the build failed or was cancelled). */
  discard(): Promise<void>;
}

export interface VmBackend {
  start(request: BootRequest): Promise<VmSession>;
  /** Starts QEMU ahead of the build; undefined when that is not possible (e.g. the manifest is invalid). */
  prepare?(request: PrepareRequest): Promise<PreparedBoot | undefined>;
}
