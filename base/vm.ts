// The state of a guest as every layer names it.
import type { Hex } from './hex';

export type VmState = 'idle' | 'building' | 'booting' | 'running' | 'paused' | 'faulted' | 'exited';

export interface VmStatus {
  state: VmState;
  detail?: string;
  fault?: FaultReport;
  /** the guest's QEMU process, while there is one (for perf, strace or a gdb of your own) */
  qemuPid?: number;
}

export interface FaultReport {
  kind: 'exception' | 'triple-fault' | 'exited';
  vector?: number;
  name?: string; // e.g. "Page fault"
  errorCode?: Hex;
  rip?: Hex;
  cr2?: Hex;
  source?: { file: string; line: number }; // from the kernel ELF's DWARF lines when known
  message: string;
}

/** The sample OS's fault switches (`-fw_cfg name=opt/longmode/fault,string=…`). */
export type GuestFaultSwitch = 'page' | 'triple' | 'spin' | 'double';

export interface RegisterSet {
  [name: string]: Hex; // rax … r15, rip, rflags, cs … gs, fs_base, gs_base, cr0, cr2, cr3, cr4, efer
}
