// One guest at a time: boot (build first if the sources changed), run control, serial with
// history for reattaching clients, VGA frames while watched, registers and page tables.
import type { GuestFaultSwitch, PageTableWalk, RegisterSet, VgaFrame, VmStatus } from '../../common/contract';
import type { QemuSession } from '../../../emulator/session';
import type { Emit } from './emit';
import type { BuildService } from './build-service';
import type { PreparedBoot, PrepareRequest, VmBackend, VmSession } from './backends';
import { SerialHistory } from './serial-history';
import { SettleTimer } from './settle-timer';
import { SpareGuest } from './spare-guest';
import { ServiceError } from './service-error';
import { VgaPoller } from './vga-poller';

/**
 * When the deferred work of a boot starts (stopping the guest it replaced, starting the spare QEMU
 * for the next boot: both take CPU that the build and the new guest's start need first): once the
 * new guest has printed nothing on serial for 100 ms, 0.2 s after its start at the earliest, 2 s at the latest.
 */
const AFTER_BOOT = { quietMs: 100, minMs: 200, maxMs: 2000 };

export interface VmConfig {
  memory?: string;
  extraArgs?: string[];
}

export class VmService {
  private session: VmSession | undefined;
  /** the unstripped kernel ELF of the running guest (symbols, DWARF) */
  private kernelElf: string | undefined;
  private detach: (() => void)[] = [];
  private current: VmStatus = { state: 'idle' };
  private readonly serial = new SerialHistory();
  private readonly watchers = new Set<string>();
  private readonly poller: VgaPoller;
  private booting: Promise<VmStatus> | undefined;
  private readonly spare: SpareGuest | undefined;
  /** guests a new boot replaced: paused at once, stopped once the new one is up */
  private retired: VmSession[] = [];
  private readonly afterBoot = new SettleTimer(AFTER_BOOT);

  constructor(
    private readonly backend: VmBackend,
    private readonly build: BuildService,
    private readonly config: () => Promise<VmConfig>,
    private readonly emit: Emit,
  ) {
    const prepare = backend.prepare?.bind(backend);
    this.spare = prepare && new SpareGuest(prepare);
    this.poller = new VgaPoller(
      () => this.requireSession().readVga(),
      (frame) => this.emit('vm.vga', frame),
    );
  }

  status(): VmStatus {
    return this.current;
  }

  /** The running session, if any (inspection and debugging build on it). */
  get activeSession(): VmSession | undefined {
    return this.session;
  }

  /** The running QEMU and its kernel ELF, for inspection and debugging. */
  guest(): { qemu: QemuSession; kernelElf?: string } | undefined {
    const qemu = this.session?.qemu;
    return qemu && { qemu, kernelElf: this.kernelElf };
  }

  /** `fault`: the sample OS's fault switch for this boot (restart keeps none). */
  async boot(paused = false, fault?: GuestFaultSwitch): Promise<VmStatus> {
    if (this.booting) throw new ServiceError('busy', 'the guest is already booting; wait for it to start');
    this.booting = this.bootOnce(paused, fault);
    try {
      return await this.booting;
    } finally {
      this.booting = undefined;
    }
  }

  async pause(): Promise<VmStatus> {
    await this.requireSession().pause();
    await this.poller.refresh();
    return this.current;
  }

  async continue(): Promise<VmStatus> {
    await this.requireSession().resume();
    return this.current;
  }

  async stop(): Promise<VmStatus> {
    this.afterBoot.cancel();
    await Promise.all([this.endSession(), this.stopRetired(), this.spare?.discard()]);
    return this.current;
  }

  /** Resets the running guest; when QEMU is gone (exited, never booted) boots again instead. */
  async restart(): Promise<VmStatus> {
    const session = this.session;
    if (!session || session.status().state === 'exited') return this.boot(false);
    this.serial.clear();
    this.poller.invalidate();
    await session.reset();
    return this.current;
  }

  async serialInput(data: string): Promise<{ ok: true }> {
    await this.requireSession().writeSerial(data);
    return { ok: true };
  }

  serialHistory(): { text: string; offset: number } {
    return this.serial.snapshot();
  }

  vga(): Promise<VgaFrame> {
    return this.requireSession().readVga();
  }

  registers(): Promise<RegisterSet> {
    return this.requireSession().registers();
  }

  pageTables(): Promise<PageTableWalk> {
    const session = this.requireSession();
    if (session.status().state === 'running') {
      throw new ServiceError('guest-running', 'the guest is running: pause it to walk the page tables');
    }
    return session.pageTables();
  }

  watchVga(client: string, enabled: boolean): { ok: true } {
    if (enabled) {
      this.watchers.add(client);
      this.poller.invalidate(); // the new watcher gets a frame even if the screen is unchanged
      if (this.session && this.current.state !== 'running') void this.poller.refresh();
    } else this.watchers.delete(client);
    this.updatePolling();
    return { ok: true };
  }

  clientGone(client: string): void {
    this.watchers.delete(client);
    this.updatePolling();
  }

  /** Stops the guest (shutdown, workspace switch). */
  async dispose(): Promise<void> {
    await this.booting?.catch(() => undefined);
    this.afterBoot.cancel();
    await Promise.all([this.endSession(), this.stopRetired(), this.spare?.discard()]);
  }

  private async bootOnce(paused: boolean, fault: GuestFaultSwitch | undefined): Promise<VmStatus> {
    const upToDate = this.build.upToDate();
    if (upToDate) {
      await this.endSession();
      this.resetViews();
      this.setStatus({ state: 'booting' });
      const ready = await (await this.prepareAhead(paused, fault))?.boot(upToDate.image).catch(() => undefined);
      if (ready) return this.attachSession(ready, upToDate.kernelElf, false);
      return this.startSession(upToDate, paused, fault);
    }
    // Overlapped with the build: pausing the previous guest (silently: the next state is
    // `building`) and starting QEMU, paused on a private disk that gets the image afterwards.
    const stopped = this.retireSession();
    this.resetViews();
    this.setStatus({ state: 'building' });
    const buildDone = this.build.run();
    const prepared = this.prepareAhead(paused, fault);
    const discard = async () => {
      await (await prepared)?.discard();
      await stopped;
      await this.stopRetired();
    };
    const result = await buildDone.catch(async (err: Error) => {
      await discard();
      this.setStatus({ state: 'idle', detail: err.message });
      throw err;
    });
    if (!result.ok || !result.image) {
      await discard();
      const why = result.cancelled ? 'the build was cancelled' : 'the build failed: see the Problems list';
      this.setStatus({ state: 'idle', detail: why });
      throw new ServiceError('failed', `cannot boot: ${why}`);
    }
    const built = { image: this.build.absolute(result.image), kernelElf: result.kernelElf && this.build.absolute(result.kernelElf) };
    await stopped;
    this.setStatus({ state: 'booting' });
    const early = await (await prepared)?.boot(built.image).catch(() => undefined);
    if (early) return this.attachSession(early, built.kernelElf, false);
    return this.startSession(built, paused, fault);
  }

  /** The spare QEMU, or one started now for the coming image; never rejects (undefined: boot the normal way afterwards). */
  private async prepareAhead(paused: boolean, fault: GuestFaultSwitch | undefined): Promise<PreparedBoot | undefined> {
    // a paused boot is a debugging boot (breakpoints are armed before the first instruction):
    // it takes the plain path, which the debugger's tests cover; speed matters for the plain F5
    if (!this.spare || paused) return undefined;
    try {
      return await this.spare.take(await this.prepareRequest(fault));
    } catch {
      return undefined;
    }
  }

  private async prepareRequest(fault?: GuestFaultSwitch): Promise<PrepareRequest> {
    const config = await this.config();
    return { workspace: this.build.absolute('.'), memory: config.memory, extraArgs: config.extraArgs, paused: false, fault };
  }

  private async startSession(built: { image: string; kernelElf?: string }, paused: boolean, fault: GuestFaultSwitch | undefined): Promise<VmStatus> {
    const config = await this.config();
    let session: VmSession;
    try {
      session = await this.backend.start({ image: built.image, kernelElf: built.kernelElf, memory: config.memory, extraArgs: config.extraArgs, paused, fault });
    } catch (err) {
      this.setStatus({ state: 'idle', detail: (err as Error).message });
      throw new ServiceError('failed', `QEMU did not start: ${(err as Error).message}`);
    }
    return this.attachSession(session, built.kernelElf, paused);
  }

  /** After any but a paused (debugging) boot, a spare QEMU is started for the next one. */
  private attachSession(session: VmSession, kernelElf: string | undefined, paused: boolean): VmStatus {
    this.session = session;
    this.scheduleAfterBoot(session, !paused);
    this.kernelElf = kernelElf;
    this.detach = [
      session.onStatus((status) => this.setStatus(status)),
      session.onSerial((text) => {
        this.emit('vm.serial', { text, offset: this.serial.append(text) });
        this.poller.nudge();
        this.afterBoot.activity(); // still starting up
      }),
    ];
    this.setStatus(session.status());
    return this.current;
  }

  /** Once the new guest is past its start: stop the guests it replaced, then start a spare QEMU (not after a debugging boot). */
  private scheduleAfterBoot(session: VmSession, spare: boolean): void {
    this.afterBoot.arm(() => {
      void this.stopRetired().then(async () => {
        if (spare && this.session === session && this.spare) this.spare.refill(await this.prepareRequest());
      }).catch(() => undefined);
    });
  }

  /** Like detachSession, but only pauses QEMU: it is stopped after the next boot (or a failed build). */
  private retireSession(): Promise<void> {
    const session = this.forgetSession();
    if (!session) return Promise.resolve();
    this.retired.push(session);
    return session.status().state === 'running' ? session.pause().catch(() => undefined) : Promise.resolve();
  }

  private async stopRetired(): Promise<void> {
    await Promise.all(this.retired.splice(0).map((session) => session.stop().catch(() => undefined)));
  }

  private resetViews(): void {
    this.serial.clear();
    this.poller.invalidate();
  }

  /** Forgets the session without reporting its exit; resolves once QEMU is stopped. */
  private async detachSession(): Promise<void> {
    await this.forgetSession()?.stop().catch(() => undefined);
  }

  /** Stops listening to the session and polling it; returns it (to stop or retire). */
  private forgetSession(): VmSession | undefined {
    const session = this.session;
    this.session = undefined;
    this.poller.set(false);
    for (const off of this.detach.splice(0)) off();
    return session;
  }

  private async endSession(): Promise<void> {
    if (!this.session) return;
    await this.detachSession();
    this.setStatus({ state: 'exited', detail: 'stopped' });
  }

  private requireSession(): VmSession {
    if (!this.session) throw new ServiceError('no-vm', 'no guest is running: press Boot (F5) first');
    return this.session;
  }

  private setStatus(reported: VmStatus): void {
    const qemuPid = reported.state === 'idle' || reported.state === 'exited' ? undefined : this.session?.qemu?.pid;
    const status = qemuPid === undefined ? reported : { ...reported, qemuPid };
    const changed = status.state !== this.current.state || status.detail !== this.current.detail || status.fault !== this.current.fault || status.qemuPid !== this.current.qemuPid;
    this.current = status;
    if (changed) this.emit('vm.state', status);
    this.updatePolling();
    if (status.state === 'paused' || status.state === 'faulted') void this.poller.refresh().catch(() => undefined);
  }

  private updatePolling(): void {
    this.poller.set(this.session !== undefined && this.watchers.size > 0 && this.current.state === 'running');
  }
}

