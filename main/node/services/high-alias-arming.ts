// Kernel breakpoints before the kernel has said where its high half is. Phase 2 runs the kernel's
// code at a high alias (link address + delta) that the kernel publishes in its inspection record
// (kernel_high_base) during phase 1. A breakpoint set before that (e.g. at boot) would only cover
// the link-time address, so this arms it in two silent stops: a temporary breakpoint at the ELF
// entry (the record is in RAM from then on), then a write watchpoint on kernel_high_base; when the
// kernel stores it, the breakpoints are resolved again with their high aliases and the guest runs on.
import type { StopReply } from '../../../emulator/gdb/client';
import type { GuestHandle, InspectionContext } from './inspection-context';

/** offset of kernel_high_base in LONGMODE_INSPECT (samples/seed-os/README.md) */
const KERNEL_HIGH_BASE_FIELD = 72n;

export interface ArmingHooks {
  /** some breakpoint is in kernel sources (only those need the high alias) */
  wantsHighAliases(): boolean;
  /** the delta is known now: resolve and insert again */
  armed(guest: GuestHandle): Promise<void>;
}

type Stage = 'idle' | 'entry' | 'watch' | 'done';

export class HighAliasArming {
  private stage: Stage = 'idle';
  private address = 0n;
  private work: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: InspectionContext,
    private readonly hooks: ArmingHooks,
  ) {}

  /** A new session: nothing is armed in it. */
  reset(): void {
    this.stage = 'idle';
  }

  /** Kernel breakpoints are wanted, the kernel exports its record, and its high base is not known yet. */
  needed(guest: GuestHandle): boolean {
    if (this.stage !== 'idle' || !this.hooks.wantsHighAliases()) return false;
    try {
      if (this.ctx.kernel(guest).recordPhys === undefined) return false;
    } catch {
      return false;
    }
    return this.ctx.highDelta(guest) === 0n;
  }

  /** Inserts the first trap: the ELF entry if the kernel has not started, else the watchpoint. */
  async start(guest: GuestHandle): Promise<void> {
    const started = (this.ctx.tryRecord(guest)?.phase ?? 0) > 0;
    if (started) return this.watch(guest);
    this.address = this.ctx.kernel(guest).elf.header.entry;
    await guest.qemu.gdb.insertBreakpoint(this.address, 'hardware').catch(() => guest.qemu.gdb.insertBreakpoint(this.address, 'software'));
    this.stage = 'entry';
  }

  /** Resolves when the arming work of the last stop is done (before anyone resumes the guest). */
  settled(): Promise<void> {
    return this.work;
  }

  /**
   * Looks at a stop: 'silent' when only arming caused it (the caller resumes the guest without
   * announcing it), 'other' when something else stopped the guest. Call it synchronously from the
   * stop listener, so that `settled()` covers its work.
   */
  onStop(guest: GuestHandle, stop: StopReply, settle: () => Promise<void>, isUserBreakpoint: (address: bigint) => boolean): Promise<'silent' | 'other'> {
    if (this.stage !== 'entry' && this.stage !== 'watch') return Promise.resolve('other');
    const result = this.handle(guest, stop, settle, isUserBreakpoint);
    this.work = result.then(() => undefined, () => undefined);
    return result.catch(() => 'other' as const);
  }

  private async handle(guest: GuestHandle, stop: StopReply, settle: () => Promise<void>, isUserBreakpoint: (address: bigint) => boolean): Promise<'silent' | 'other'> {
    await settle();
    const gdb = guest.qemu.gdb;
    if (this.stage === 'entry') {
      const rip = await gdb.readRegister('rip');
      if (rip !== this.address) return 'other';
      if (!isUserBreakpoint(this.address)) {
        await gdb.removeBreakpoint(this.address, 'hardware').catch(() => gdb.removeBreakpoint(this.address, 'software').catch(() => undefined));
      }
      await this.watch(guest);
      return isUserBreakpoint(rip) ? 'other' : 'silent';
    }
    const watched = /watch:([0-9a-f]+)/i.exec(stop.raw);
    if (!watched || BigInt(`0x${watched[1]}`) !== this.address) return 'other';
    if (this.ctx.highDelta(guest) === 0n) return 'silent'; // another store to the field: keep watching
    await gdb.request(`z2,${this.address.toString(16)},8`).catch(() => undefined);
    this.stage = 'done';
    await this.hooks.armed(guest);
    return 'silent';
  }

  private async watch(guest: GuestHandle): Promise<void> {
    const record = this.ctx.kernel(guest).elf.findSymbol('LONGMODE_INSPECT');
    if (!record) return void (this.stage = 'done');
    this.address = record.value + KERNEL_HIGH_BASE_FIELD;
    const reply = await guest.qemu.gdb.request(`Z2,${this.address.toString(16)},8`);
    this.stage = reply === 'OK' ? 'watch' : 'done';
  }
}
