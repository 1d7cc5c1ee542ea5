// Debugging: breakpoints by source line (kernel: DWARF, both the link-time and the high-half
// address; bootloader: the NASM listings), continue, step, step over a line, run to a line, and
// "break at phase 2". Every stop it causes is announced as a `vm.stopped` event with the source
// line, so panes and the editor follow. Breakpoints outlive the session: a new guest gets them
// all again (the renderer boots paused and re-sends them), and a reset keeps them in QEMU.
import type { GdbRegisters, StopReply } from '../../../emulator/gdb/client';
import { hex } from '../../../emulator/inspect/hex';
import type { SessionStatus } from '../../../emulator/session';
import type { ResolvedBreakpoint, SourceLocation, StopReason, VmStatus, VmStopped } from '../../common/contract';
import { BreakpointResolver } from './breakpoint-resolver';
import { HighAliasArming } from './high-alias-arming';
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
  private quietPauses = 0;
  private readonly resolver: BreakpointResolver;
  private readonly arming: HighAliasArming;

  constructor(
    private readonly ctx: InspectionContext,
    private readonly inspect: InspectService,
  ) {
    this.resolver = new BreakpointResolver(ctx);
    void this.resolver.refreshBootLines();
    this.arming = new HighAliasArming(ctx, {
      wantsHighAliases: () => [...this.byFile.keys()].some((file) => !BreakpointResolver.isAssembly(file)),
      armed: (guest) => this.reresolve(guest),
    });
  }

  async setBreakpoints(args: { file: string; lines: number[] }): Promise<{ breakpoints: ResolvedBreakpoint[] }> {
    const live = this.ctx.deps.guest();
    const guest = live && live.qemu.state !== 'exited' ? live : undefined;
    if (guest) await this.attach(guest);
    const resolved = await this.resolver.resolve(guest, args.file, args.lines);
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
      let before = await gdb.readRegisters();
      const startRsp = before.rsp;
      const from = this.where(guest, before.rip);
      for (let i = 0; i < STEP_OVER_LIMIT; i++) {
        await gdb.step();
        await settle(guest);
        let now = await gdb.readRegisters();
        const ret = await this.returnAddressOfCall(guest, before, now);
        if (ret !== undefined) {
          await this.runTo(guest, [ret]);
          now = await gdb.readRegisters();
        }
        before = now;
        if (!from) break;
        // a new line of the same file, or back in the caller; code inlined from elsewhere steps on
        const here = this.where(guest, now.rip);
        const returned = now.rsp > startRsp;
        if (here && ((here.file === from.file && here.line !== from.line) || returned)) break;
      }
      return 'step';
    });
  }

  async runToLine(args: { file: string; line: number }): Promise<VmStopped> {
    const guest = this.ctx.guest();
    await this.attach(guest);
    const [target] = await this.resolver.resolve(guest, args.file, [args.line]);
    if (!target.verified) throw new ServiceError('not-found', `${args.file}:${args.line} has no code to run to: ${target.message}`);
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
    return this.driven(guest, async () => {
      // pausing inside the driven operation: its stop is part of this one, not a stop of its own
      if (qemu.state === 'running' || qemu.state === 'booting') await qemu.pause();
      await this.sync(guest);
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
    return { source: this.where(guest, parseHex(args.address, 'address')) };
  }

  // ---------- internals ----------

  /** The source line of an address: kernel (DWARF) or bootloader (NASM listing). */
  private where(guest: GuestHandle, address: bigint): SourceLocation | undefined {
    return this.resolver.locate(guest, address);
  }

  /**
   * Once per session: the stop and state listeners, and every file's breakpoints resolved again
   * for this guest (a new build may have moved them).
   */
  private async attach(guest: GuestHandle): Promise<void> {
    if (this.attachedTo === guest.qemu) return;
    this.attachedTo = guest.qemu;
    this.inserted = new Set();
    this.arming.reset();
    guest.qemu.gdb.on('stop', (stop) => void this.onStop(guest, stop));
    guest.qemu.on('state', (status) => void this.onState(guest, status));
    await this.resolver.refreshBootLines();
    await this.reresolve(guest);
  }

  private async reresolve(guest: GuestHandle): Promise<void> {
    for (const [file, bps] of this.byFile) this.byFile.set(file, await this.resolver.resolve(guest, file, bps.map((b) => b.line)));
    await this.sync(guest);
  }

  /** Inserts the wanted breakpoints and removes stale ones (and watches for the high half while the kernel has not published it). */
  private async sync(guest: GuestHandle): Promise<void> {
    await this.attach(guest);
    const wanted = new Set([...this.byFile.values()].flat().flatMap((b) => b.addresses.map(BigInt)));
    const running = guest.qemu.state === 'running';
    const changes = [...wanted].some((a) => !this.inserted.has(a)) || [...this.inserted].some((a) => !wanted.has(a));
    const arm = this.arming.needed(guest);
    if (!changes && !arm) return;
    // a gdb packet would stop it anyway; this short pause is no stop to announce
    if (running) this.quietPauses++;
    try {
      if (running) await guest.qemu.pause();
      for (const address of this.inserted) if (!wanted.has(address)) await this.remove(guest, address);
      for (const address of wanted) if (!this.inserted.has(address)) await this.insert(guest, address);
      if (arm) await this.arming.start(guest);
      if (running) await guest.qemu.resume();
    } finally {
      if (running) this.quietPauses--;
    }
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

  /** A guest a newer boot replaced (paused until it is stopped) says nothing about the current one. */
  private isCurrent(guest: GuestHandle): boolean {
    return this.ctx.deps.guest()?.qemu === guest.qemu;
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
      await this.arming.settled();
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

  /**
   * After one step: the return address when that step was a call (one push of the address just
   * after the instruction, and a jump elsewhere), else undefined. Pushes and jumps are not calls.
   * The width follows the CPU mode (16-bit real mode with SS base 0, 32-bit, 64-bit).
   */
  private async returnAddressOfCall(guest: GuestHandle, before: GdbRegisters, now: GdbRegisters): Promise<bigint | undefined> {
    const width = ((before.cr0 ?? 1n) & 1n) === 0n ? 2 : ((before.efer ?? 0n) & (1n << 10n)) === 0n ? 4 : 8;
    const stackWidth = width === 2 ? 0xffffn : width === 4 ? 0xffff_ffffn : (1n << 64n) - 1n;
    if (((before.rsp - now.rsp) & stackWidth) !== BigInt(width)) return undefined;
    const bytes = await guest.qemu.readMemory(now.rsp & stackWidth, width).catch(() => undefined);
    if (!bytes) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, width);
    const ret = width === 2 ? BigInt(view.getUint16(0, true)) : width === 4 ? BigInt(view.getUint32(0, true)) : view.getBigUint64(0, true);
    const fallThrough = ret > before.rip && ret <= before.rip + 15n;
    return fallThrough && now.rip !== ret ? ret : undefined;
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
    if (!this.isCurrent(guest) || guest.qemu.state === 'exited' || stop.raw.startsWith('W') || stop.raw.startsWith('X')) return;
    const ours = this.driving || this.quietPauses > 0; // decided when the stop arrived, not after the awaits below
    const armingStop = await this.arming.onStop(guest, stop, () => settle(guest), (address) => this.isUserBreakpoint(address));
    if (ours || this.driving) return;
    if (armingStop === 'silent') {
      // only arming the high-half breakpoints stopped it: run on as if nothing happened
      await guest.qemu.resume().catch(() => undefined);
      return;
    }
    await settle(guest);
    // QEMU 7.2 names no reason (no swbreak): a stop on an inserted address is a breakpoint hit
    const rip = await guest.qemu.gdb.readRegister('rip').catch(() => undefined);
    if (rip === undefined) return;
    const reason: StopReason = stop.reason === 'swbreak' || stop.reason === 'hwbreak' || this.inserted.has(rip) ? 'breakpoint' : guest.qemu.state === 'faulted' ? 'fault' : 'pause';
    await this.announce(guest, reason, rip).catch(() => undefined);
  }

  /**
   * A reset (Restart) lets the guest run and then marks the session running; a breakpoint hit
   * during that (stage 1, stage 2) leaves QEMU stopped under a session that says "running".
   * QMP knows: a stopped CPU is reported as paused again.
   */
  private async onState(guest: GuestHandle, status: SessionStatus): Promise<void> {
    if (!this.isCurrent(guest) || status.state !== 'running' || this.inserted.size === 0) return;
    const reply = (await guest.qemu.qmp.execute('query-status').catch(() => undefined)) as { running?: boolean } | undefined;
    if (reply && reply.running === false && guest.qemu.state === 'running') await guest.qemu.pause().catch(() => undefined);
  }

  private async announce(guest: GuestHandle, reason: StopReason, knownRip?: bigint): Promise<VmStopped> {
    // the gdb stop reply can arrive before QMP's STOP event: read rip straight from the stub
    const rip = knownRip ?? (await guest.qemu.gdb.readRegister('rip'));
    const stopped: VmStopped = { reason, rip: hex(rip ?? 0n), source: rip === undefined ? undefined : this.where(guest, rip) };
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
