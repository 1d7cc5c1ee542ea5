// Debugging: breakpoints by source line (DWARF, both the link-time and the high-half address),
// continue, step, step over a line, run to a line, and "break at phase 2". Every stop it causes
// is announced as a `vm.stopped` event with the source line, so panes and the editor follow.
import type { StopReply } from '../../../emulator/gdb/client';
import { hex } from '../../../emulator/inspect/hex';
import type { ResolvedBreakpoint, StopReason, VmStatus, VmStopped } from '../../common/contract';
import type { InspectService } from './inspect-service';
import { InspectionContext, parseHex, type GuestHandle } from './inspection-context';
import { ServiceError } from './service-error';

const RUN_TIMEOUT_MS = 30_000;
const STEP_OVER_LIMIT = 20_000;
/** the record's phase2_entry_virt field (samples/seed-os/README.md) */
const PHASE2_ENTRY_FIELD = 152n;

export class DebugService {
  /** workspace-relative file → resolved breakpoints */
  private readonly byFile = new Map<string, ResolvedBreakpoint[]>();
  /** addresses inserted in the current session */
  private inserted = new Set<bigint>();
  private attachedTo: unknown;
  /** set while this service drives the guest itself (its own stops are reported once, at the end) */
  private driving = false;

  constructor(
    private readonly ctx: InspectionContext,
    private readonly inspect: InspectService,
  ) {}

  async setBreakpoints(args: { file: string; lines: number[] }): Promise<{ breakpoints: ResolvedBreakpoint[] }> {
    const guest = this.ctx.deps.guest();
    const resolved = guest ? this.resolve(guest, args.file, args.lines) : args.lines.map((line) => ({ line, addresses: [], verified: false, message: 'set when the guest boots' }));
    this.byFile.set(args.file, resolved);
    if (guest) await this.sync(guest);
    return { breakpoints: resolved };
  }

  async continue(): Promise<VmStatus> {
    const guest = this.ctx.guest();
    await this.sync(guest);
    await this.stepOffBreakpoint(guest);
    await guest.qemu.resume();
    return guest.qemu.status();
  }

  async step(): Promise<VmStopped> {
    const guest = this.ctx.paused('step one instruction');
    await this.sync(guest);
    return this.driven(guest, async () => {
      await guest.qemu.gdb.step();
      await settle(guest);
      return 'step';
    });
  }

  async stepOver(): Promise<VmStopped> {
    const guest = this.ctx.paused('step over a line');
    await this.sync(guest);
    return this.driven(guest, async () => {
      const gdb = guest.qemu.gdb;
      const start = await gdb.readRegisters();
      const from = this.ctx.locate(guest, start.rip);
      for (let i = 0; i < STEP_OVER_LIMIT; i++) {
        await gdb.step();
        await settle(guest);
        const now = await gdb.readRegisters();
        if (now.rsp < start.rsp) {
          // entered a call: run to its return address
          const ret = new DataView((await guest.qemu.readMemory(now.rsp, 8)).buffer).getBigUint64(0, true);
          await this.runTo(guest, [ret]);
          continue;
        }
        const here = this.ctx.locate(guest, (await gdb.readRegisters()).rip);
        if (!from || !here || here.file !== from.file || here.line !== from.line) break;
      }
      return 'step';
    });
  }

  async runToLine(args: { file: string; line: number }): Promise<VmStopped> {
    const guest = this.ctx.guest();
    const [target] = this.resolve(guest, args.file, [args.line]);
    if (!target.verified) throw new ServiceError('not-found', `${args.file}:${args.line} has no code in the kernel: ${target.message}`);
    await this.sync(guest);
    return this.driven(guest, async () => {
      await this.runTo(guest, target.addresses.map(BigInt));
      return 'breakpoint';
    });
  }

  /**
   * From the start of the kernel: resets the guest if the kernel already ran, stops at the ELF
   * entry (captured as "kernel entry"), then at the phase-2 entry the kernel publishes in its
   * inspection record (captured as "phase 2").
   */
  async breakAtPhase2(): Promise<VmStopped> {
    const guest = this.ctx.guest();
    const kernel = this.ctx.kernel(guest);
    if (kernel.recordPhys === undefined) throw new ServiceError('unavailable', 'the kernel does not export LONGMODE_INSPECT, so Longmode cannot tell where phase 2 starts');
    const qemu = guest.qemu;
    if (qemu.state === 'running' || qemu.state === 'booting') await qemu.pause();
    await this.sync(guest);
    return this.driven(guest, async () => {
      const entry = kernel.elf.header.entry;
      const started = (this.ctx.tryRecord(guest)?.phase ?? 0) > 0 || qemu.state === 'faulted';
      await this.insert(guest, entry);
      try {
        await this.runUntil(guest, async () => (await qemu.gdb.readRegister('rip')) === entry, `the kernel entry ${hex(entry)}`, started ? () => qemu.reset() : undefined);
      } finally {
        await this.remove(guest, entry);
      }
      const regs = await qemu.registers();
      this.inspect.remember(guest, 'kernel entry', await this.inspect.walk(guest), regs.rip);
      // the kernel writes phase2_entry_virt just before it jumps: watch that store
      const field = kernel.elf.findSymbol('LONGMODE_INSPECT')!.value + PHASE2_ENTRY_FIELD;
      await this.watch(guest, field, true);
      try {
        await this.runUntil(guest, async () => this.ctx.record(guest).phase2EntryVirt !== 0n, 'the store of the phase-2 entry address');
      } finally {
        await this.watch(guest, field, false);
      }
      await this.runTo(guest, [this.ctx.record(guest).phase2EntryVirt]);
      const at = await qemu.registers();
      this.inspect.remember(guest, 'phase 2', await this.inspect.walk(guest), at.rip);
      return 'breakpoint';
    });
  }

  locate(args: { address: string }) {
    const guest = this.ctx.guest();
    return { source: this.ctx.locate(guest, parseHex(args.address, 'address')) };
  }

  // ---------- internals ----------

  private resolve(guest: GuestHandle, file: string, lines: number[]): ResolvedBreakpoint[] {
    let table;
    try {
      table = this.ctx.lines(guest);
    } catch (err) {
      return lines.map((line) => ({ line, addresses: [], verified: false, message: (err as Error).message }));
    }
    const delta = this.ctx.highDelta(guest);
    const absolute = `${this.ctx.deps.workspace}/${file}`;
    return lines.map((line) => {
      const found = table.addressesOf(absolute, line);
      if (!found) return { line, addresses: [], verified: false, message: 'no code for this line in the kernel ELF (not compiled, or optimised away)' };
      const addresses = found.addresses.flatMap((a) => (delta ? [a, a + delta] : [a]));
      return { line: found.line, addresses: addresses.map(hex), verified: true };
    });
  }

  /** Inserts the wanted breakpoints and removes stale ones; attaches the stop listener once per session. */
  private async sync(guest: GuestHandle): Promise<void> {
    if (this.attachedTo !== guest.qemu) {
      this.attachedTo = guest.qemu;
      this.inserted = new Set();
      guest.qemu.gdb.on('stop', (stop) => void this.onStop(guest, stop));
      for (const [file, bps] of this.byFile) this.byFile.set(file, this.resolve(guest, file, bps.map((b) => b.line)));
    }
    const wanted = new Set([...this.byFile.values()].flat().flatMap((b) => b.addresses.map(BigInt)));
    const running = guest.qemu.state === 'running';
    const changes = [...wanted].some((a) => !this.inserted.has(a)) || [...this.inserted].some((a) => !wanted.has(a));
    if (!changes) return;
    if (running) await guest.qemu.pause(); // a gdb packet would stop it anyway
    for (const address of this.inserted) if (!wanted.has(address)) await this.remove(guest, address);
    for (const address of wanted) if (!this.inserted.has(address)) await this.insert(guest, address);
    if (running) await guest.qemu.resume();
  }

  private async insert(guest: GuestHandle, address: bigint): Promise<void> {
    if (this.inserted.has(address) && this.isUserBreakpoint(address)) return;
    await guest.qemu.gdb.insertBreakpoint(address, 'hardware').catch(() => guest.qemu.gdb.insertBreakpoint(address, 'software'));
    this.inserted.add(address);
  }

  private async remove(guest: GuestHandle, address: bigint): Promise<void> {
    if (this.isUserBreakpoint(address)) return; // a temporary stop on a user breakpoint keeps it
    await guest.qemu.gdb.removeBreakpoint(address, 'hardware').catch(() => guest.qemu.gdb.removeBreakpoint(address, 'software').catch(() => undefined));
    this.inserted.delete(address);
  }

  private isUserBreakpoint(address: bigint): boolean {
    for (const bps of this.byFile.values()) for (const b of bps) if (b.addresses.some((a) => BigInt(a) === address)) return true;
    return false;
  }

  private async watch(guest: GuestHandle, address: bigint, on: boolean): Promise<void> {
    const reply = await guest.qemu.gdb.request(`${on ? 'Z' : 'z'}2,${address.toString(16)},8`);
    if (reply !== 'OK' && on) throw new ServiceError('failed', `QEMU refused a write watchpoint at ${hex(address)} (${reply || 'unsupported'}); cannot find the phase-2 entry`);
  }

  /** Continues with temporary breakpoints at `addresses` until one is reached. */
  private async runTo(guest: GuestHandle, addresses: bigint[]): Promise<void> {
    for (const a of addresses) await this.insert(guest, a);
    try {
      await this.runUntil(guest, async () => addresses.includes(await guest.qemu.gdb.readRegister('rip')), addresses.map(hex).join(' or '));
    } finally {
      for (const a of addresses) await this.remove(guest, a);
    }
  }

  /**
   * Resumes (or `start`s) the guest and waits for stops until `reached` says so: stops on other
   * breakpoints or stray stop replies (a reset, a QMP stop) resume it again.
   */
  private async runUntil(guest: GuestHandle, reached: () => Promise<boolean>, what: string, start?: () => Promise<void>): Promise<void> {
    const qemu = guest.qemu;
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    const timedOut = async () => {
      await qemu.pause().catch(() => undefined);
      return new ServiceError('failed', `the guest did not reach ${what} within ${RUN_TIMEOUT_MS / 1000} s: it is paused now`);
    };
    for (let first = true; ; first = false) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw await timedOut();
      if (!first || !start) await this.stepOffBreakpoint(guest);
      const stopped = qemu.gdb.nextStop(remaining);
      if (first && start) await start();
      else await qemu.resume();
      try {
        await stopped;
      } catch {
        throw await timedOut();
      }
      await settle(guest);
      if (qemu.state === 'faulted') throw new ServiceError('failed', `the guest faulted before reaching ${what}: ${qemu.status().fault?.message ?? ''}`);
      if (await reached()) return;
    }
  }

  /** QEMU stops again at a breakpoint under the current instruction: step over it first. */
  private async stepOffBreakpoint(guest: GuestHandle): Promise<void> {
    if (guest.qemu.state !== 'paused' || this.inserted.size === 0) return;
    const { rip } = await guest.qemu.registers();
    if (!this.inserted.has(rip)) return;
    const wasDriving = this.driving;
    this.driving = true;
    try {
      await guest.qemu.gdb.step();
      await settle(guest);
    } finally {
      this.driving = wasDriving;
    }
  }

  /** Runs an operation that stops the guest; reports one `vm.stopped` for it. */
  private async driven(guest: GuestHandle, work: () => Promise<StopReason>): Promise<VmStopped> {
    if (this.driving) throw new ServiceError('busy', 'a debug operation is already running: wait for it to stop');
    this.driving = true;
    let reason: StopReason;
    try {
      reason = await work();
    } finally {
      this.driving = false;
    }
    return this.announce(guest, guest.qemu.state === 'faulted' ? 'fault' : reason);
  }

  private async onStop(guest: GuestHandle, stop: StopReply): Promise<void> {
    if (this.driving || guest.qemu.state === 'exited' || stop.raw.startsWith('W') || stop.raw.startsWith('X')) return;
    await settle(guest);
    // QEMU 7.2 names no reason (no swbreak): a stop on an inserted address is a breakpoint hit
    const rip = await guest.qemu.gdb.readRegister('rip').catch(() => undefined);
    if (rip === undefined) return;
    const reason: StopReason = stop.reason === 'swbreak' || stop.reason === 'hwbreak' || this.inserted.has(rip) ? 'breakpoint' : guest.qemu.state === 'faulted' ? 'fault' : 'pause';
    await this.announce(guest, reason, rip).catch(() => undefined);
  }

  private async announce(guest: GuestHandle, reason: StopReason, knownRip?: bigint): Promise<VmStopped> {
    // the gdb stop reply can arrive before QMP's STOP event: read rip straight from the stub
    const rip = knownRip ?? (await guest.qemu.gdb.readRegister('rip'));
    const stopped: VmStopped = { reason, rip: hex(rip ?? 0n), source: rip === undefined ? undefined : this.ctx.locate(guest, rip) };
    this.ctx.deps.emit('vm.stopped', stopped);
    return stopped;
  }
}

/**
 * After a gdb stop reply the CPU is stopped, but the session learns it from QMP's STOP event,
 * which can come later (or be swallowed while the session restarts the machine): wait a little,
 * then tell the session with a (harmless) QMP stop.
 */
async function settle(guest: GuestHandle): Promise<void> {
  const stale = () => guest.qemu.state === 'running' || guest.qemu.state === 'booting';
  if (!stale()) return;
  await guest.qemu.waitForState('paused', 300).catch(() => undefined);
  if (stale()) await guest.qemu.pause();
}
