// One QEMU kept started for the next plain boot: spawned paused, guest RAM already faulted in, no
// disk yet. Pressing Boot after an edit then spends the build's time on the build alone: spawning
// QEMU and preallocating its RAM (about 0.15 s of CPU at 128 MiB, on the cores cargo needs) happen
// while the user reads and types instead. It holds its guest's RAM while it waits, so it is kept
// only for guests of up to SPARE_MAX_MEMORY.
import { parseMemorySize } from '../../../emulator/qemu/args';
import type { PreparedBoot, PrepareRequest } from './backends';

export const SPARE_MAX_MEMORY = 512n << 20n;
const DEFAULT_MEMORY = '128M';

interface Spare {
  key: string;
  boot: Promise<PreparedBoot | undefined>;
}

export class SpareGuest {
  private spare: Spare | undefined;

  constructor(private readonly prepare: (request: PrepareRequest) => Promise<PreparedBoot | undefined>) {}

  /** The spare when it was started for the same request, else a QEMU started now for it. */
  take(request: PrepareRequest): Promise<PreparedBoot | undefined> {
    const spare = this.spare;
    this.spare = undefined;
    if (spare?.key === keyOf(request)) return spare.boot;
    if (spare) discardLater(spare);
    return this.prepare(request).catch(() => undefined);
  }

  /** Starts a spare for the next plain boot like `request` (unless there is one already). */
  refill(request: PrepareRequest): void {
    const next: PrepareRequest = { ...request, paused: false, fault: undefined };
    if (!fitsSpare(next.memory) || this.spare?.key === keyOf(next)) return;
    if (this.spare) discardLater(this.spare);
    this.spare = { key: keyOf(next), boot: this.prepare(next).catch(() => undefined) };
  }

  /** Stops the spare (the user stopped the guest, the workspace closes); resolves once it is gone. */
  async discard(): Promise<void> {
    const spare = this.spare;
    this.spare = undefined;
    await (await spare?.boot)?.discard();
  }
}

function keyOf(request: PrepareRequest): string {
  const { workspace, memory = DEFAULT_MEMORY, extraArgs = [], paused, fault } = request;
  return JSON.stringify([workspace, memory, extraArgs, paused, fault ?? null]);
}

function fitsSpare(memory: string | undefined): boolean {
  try {
    return parseMemorySize(memory ?? DEFAULT_MEMORY) <= SPARE_MAX_MEMORY;
  } catch {
    return false; // QEMU will report the size it cannot use
  }
}

function discardLater(spare: Spare): void {
  void spare.boot.then((boot) => boot?.discard()).catch(() => undefined);
}
