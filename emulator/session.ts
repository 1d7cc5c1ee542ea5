// A QEMU session: spawns the VM, attaches QMP and the gdb stub, maps guest RAM through the shared
// file, tracks the run state (every transition is a `state` event) and cleans up after itself.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rm } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { FaultReport } from '../base/vm';
import { TypedEmitter } from './events';
import { faultFromQemuLog, faultFromSerial } from './fault-report';
import { GdbClient, type GdbRegisters } from './gdb/client';
import { parseMemorySize, qemuArgs, sessionPaths, type FaultSwitch, type SessionPaths } from './qemu/args';
import { cleanStaleSessionDirs, createSessionDir, defaultSessionRoot } from './qemu/session-dir';
import { QmpClient } from './qmp/client';
import type { QmpEvent } from './qmp/types';
import { RamFile } from './ram-file';
import * as snapshots from './snapshots';
import { readVgaCursor, readVgaTextBytes, type VgaCursor } from './vga-device';

export type SessionState = 'booting' | 'running' | 'paused' | 'faulted' | 'exited';

export interface SessionStatus {
  state: SessionState;
  detail?: string;
  fault?: FaultReport;
}

export interface SessionEvents {
  state: SessionStatus;
  serial: string;
  exit: { code: number | null; signal: NodeJS.Signals | null };
}

/** A disk of `bytes` zeros in the session folder (`paths.disk`), to be filled in before the CPU first runs. */
export interface PrivateDisk {
  privateBytes: number;
}

export interface SessionOptions {
  /** the raw disk image, or a session-private empty one (opened with snapshot=on: never written by QEMU) */
  image: string | PrivateDisk;
  memory?: string;
  extraArgs?: string[];
  /** start with the CPU stopped (state `paused`) */
  paused?: boolean;
  /** the sample OS's fault switch (-fw_cfg opt/longmode/fault) */
  fault?: FaultSwitch;
  qemuPath?: string;
  /** where the private session folder goes (default: /dev/shm, else the OS temp folder) */
  tmpRoot?: string;
  /** how much serial output `serialText()` keeps (default 1 MiB of text) */
  serialHistoryChars?: number;
}

const REBOOT_WINDOW_MS = 5000; // SeaBIOS's second reset comes within ~100 ms idle; seconds under load
const BIOS_RESET_SETTLE_MS = 150;
/** how many times a restart continues a CPU that was paused again right after it continued it */
const RESTART_CONT_RETRIES = 3;
const QEMU_MISSING = 'qemu-system-x86_64 not found: install it with `sudo apt-get install qemu-system-x86` or pass its path';
type QemuProcess = ChildProcessByStdio<Writable, Readable, Readable>;

export class QemuSession extends TypedEmitter<SessionEvents> {
  private current: SessionStatus = { state: 'booting' };
  private serialHistory = '';
  private stderrText = '';
  private exited: Promise<void>;
  private stopping?: Promise<void>;
  /** how much of QEMU's log has been looked at for triple faults */
  private logChecked = 0;
  private restarting = false;
  private readonly removeExitHook: () => void;
  readonly ram: RamFile;

  private constructor(
    readonly paths: SessionPaths,
    private readonly process: QemuProcess,
    readonly qmp: QmpClient,
    readonly gdb: GdbClient,
    ramSize: bigint,
    private readonly historyLimit: number,
  ) {
    super();
    this.ram = new RamFile(paths.ram, ramSize);
    this.exited = new Promise((resolve) => process.once('exit', () => resolve()));
    process.once('exit', (code, signal) => this.onExit(code, signal));
    process.stdout.setEncoding('utf8');
    process.stdout.on('data', (text: string) => this.onSerial(text));
    qmp.on('event', (e) => this.onQmpEvent(e));
    const hook = () => this.killNow();
    globalThis.process.once('exit', hook);
    this.removeExitHook = () => globalThis.process.off('exit', hook);
  }

  /** Starts QEMU on `image`. Resolves once QMP and the gdb stub answer and the RAM file is open. */
  static async start(opts: SessionOptions): Promise<QemuSession> {
    if (typeof opts.image === 'string' && !existsSync(opts.image)) {
      throw new Error(`disk image ${opts.image} does not exist: build the workspace first (longmode build)`);
    }
    const memory = opts.memory ?? '128M';
    const ramSize = parseMemorySize(memory);
    const root = opts.tmpRoot ?? defaultSessionRoot();
    // also the OS temp folder, where sessions went before /dev/shm was the default
    for (const dir of new Set([root, opts.tmpRoot ?? tmpdir()])) cleanStaleSessionDirs(dir);
    const paths = sessionPaths(createSessionDir(root));
    const image = typeof opts.image === 'string' ? opts.image : createEmptyDisk(paths.disk, opts.image.privateBytes);
    const args = qemuArgs({ image, memory, dir: paths, fault: opts.fault, extraArgs: opts.extraArgs });
    const child = spawn(opts.qemuPath ?? 'qemu-system-x86_64', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (t: string) => (stderr = (stderr + t).slice(-8000)));
    let spawnError: Error | undefined;
    let exitedEarly = false;
    child.once('error', (err: NodeJS.ErrnoException) => (spawnError = err.code === 'ENOENT' ? new Error(QEMU_MISSING) : err));
    child.once('exit', () => (exitedEarly = true));
    const alive = () => !spawnError && !exitedEarly;
    let qmp: QmpClient | undefined;
    let gdb: GdbClient | undefined;
    try {
      qmp = await QmpClient.connect(paths.qmp, { isAlive: alive });
      gdb = await GdbClient.connect(paths.gdb, { isAlive: alive });
    } catch (err) {
      qmp?.close();
      child.kill('SIGKILL');
      rmSync(paths.dir, { recursive: true, force: true });
      if (spawnError) throw spawnError;
      const why = stderr.trim() ? `QEMU said: ${stderr.trim()}` : (err as Error).message;
      throw new Error(`QEMU failed to start: ${why}`);
    }
    const session = new QemuSession(paths, child, qmp, gdb, ramSize, opts.serialHistoryChars ?? 1 << 20);
    session.stderrText = stderr;
    child.stderr.on('data', (t: string) => (session.stderrText = (session.stderrText + t).slice(-8000)));
    session.emit('state', session.current);
    if (opts.paused) session.setState({ state: 'paused', detail: 'started paused' });
    else await session.resume();
    return session;
  }

  get state(): SessionState {
    return this.current.state;
  }

  status(): SessionStatus {
    return this.current;
  }

  get pid(): number {
    return this.process.pid!;
  }

  async pause(): Promise<void> {
    this.assertAlive('pause');
    await this.qmp.execute('stop');
    if (this.current.state === 'running' || this.current.state === 'booting') this.setState({ state: 'paused' });
  }

  async resume(): Promise<void> {
    this.assertAlive('resume');
    if (this.current.fault?.kind === 'triple-fault') {
      throw new Error('the guest triple-faulted: reset it (or stop the VM) instead of resuming');
    }
    await this.continueCpu();
    if (this.current.state !== 'faulted') this.setState({ state: 'running' });
  }

  /**
   * QMP `cont`, once the gdb stub has answered what was asked of it while the guest was stopped:
   * a byte reaching the stub after the CPU runs again would pause it at once (QEMU's gdbstub).
   */
  private async continueCpu(): Promise<void> {
    await Promise.race([this.gdb.whenIdle(), delay(this.gdb.timeoutMs)]);
    await this.qmp.execute('cont');
  }

  /**
   * While a restart waits for the BIOS's own reset: a pause that took effect just after the restart
   * continued the CPU (QEMU says "paused", not a breakpoint's "debug"; seen in CI) is continued
   * again; otherwise the BIOS would reboot later, after -no-reboot is back, and look like a fault.
   */
  private continueAfterStrayPause(): () => void {
    let retries = RESTART_CONT_RETRIES;
    return this.qmp.on('event', (e) => {
      if (e.event !== 'STOP' || retries <= 0) return;
      retries--;
      void (async () => {
        const status = (await this.qmp.execute('query-status')) as { status?: string };
        if (status.status === 'paused') await this.continueCpu();
      })().catch(() => undefined);
    });
  }

  /** Resets the machine and lets it run from the BIOS again (also after a fault). */
  async reset(): Promise<void> {
    this.assertAlive('reset');
    this.serialHistory = '';
    this.current = { state: 'booting', detail: 'reset' };
    this.emit('state', this.current);
    await this.restartMachine();
    this.setState({ state: 'running' });
  }

  private async restartMachine(): Promise<void> {
    // -no-reboot turns every reset into a shutdown, so allow resets while this one settles:
    // after a warm reset SeaBIOS reboots the machine once more by itself (0xcf9, then a deliberate
    // triple fault). Triple faults are caught again once that has happened (or after the window).
    this.restarting = true;
    try {
      await this.qmp.execute('set-action', { reboot: 'reset' });
      const resetDone = this.qmp.waitForEvent('RESET', 5000);
      await this.qmp.execute('system_reset');
      await resetDone;
      const biosReset = this.qmp.waitForEvent('RESET', REBOOT_WINDOW_MS, (e) => e.data?.guest === true).catch(() => undefined);
      const stopListener = this.continueAfterStrayPause();
      try {
        await this.continueCpu();
        if (await biosReset) await delay(BIOS_RESET_SETTLE_MS);
      } finally {
        stopListener();
      }
      await this.qmp.execute('set-action', { reboot: 'shutdown' });
      this.logChecked = logSize(this.paths.log);
    } finally {
      this.restarting = false;
    }
  }

  /** Quits QEMU (QMP quit, SIGKILL after `graceMs`), removes the session folder. Safe to call twice. */
  stop(graceMs = 2000): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.isExited()) {
        this.qmp.execute('quit', undefined, graceMs).catch(() => undefined);
        const timedOut = await Promise.race([this.exited.then(() => false), delay(graceMs).then(() => true)]);
        if (timedOut) {
          this.killNow();
          await this.exited;
        }
      }
      // off the event loop: freeing a large RAM file takes a while (about 17 ms for 128 MiB)
      this.closeHandles();
      await rm(this.paths.dir, { recursive: true, force: true });
    })();
    return this.stopping;
  }

  writeSerial(text: string): void {
    this.assertAlive('send serial input');
    this.process.stdin.write(text);
  }

  /** The serial output so far (the last `serialHistoryChars`). */
  serialText(): string {
    return this.serialHistory;
  }

  /** Resolves when `text` has appeared on serial (also if it already had); rejects with the serial tail. */
  waitForSerial(text: string, timeoutMs: number): Promise<void> {
    if (this.serialHistory.includes(text)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const finish = (err?: Error) => {
        clearTimeout(timer);
        offSerial();
        offExit();
        err ? reject(err) : resolve();
      };
      const tail = () => this.serialHistory.slice(-2000);
      const timer = setTimeout(
        () => finish(new Error(`'${text}' did not appear on serial within ${timeoutMs} ms. Serial output so far:\n${tail()}`)),
        timeoutMs,
      );
      const offSerial = this.on('serial', () => this.serialHistory.includes(text) && finish());
      const offExit = this.on('exit', () => finish(new Error(`QEMU exited before '${text}' appeared on serial. Serial output:\n${tail()}${this.stderrHint()}`)));
    });
  }

  /** Resolves when the session reaches `state`; rejects after timeoutMs. */
  waitForState(state: SessionState, timeoutMs: number): Promise<SessionStatus> {
    if (this.current.state === state) return Promise.resolve(this.current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (off(), reject(new Error(`the VM did not become ${state} within ${timeoutMs} ms (it is ${this.current.state})`))), timeoutMs);
      const off = this.on('state', (s) => {
        if (s.state !== state) return;
        clearTimeout(timer);
        off();
        resolve(s);
      });
    });
  }

  /** The 80×25 text buffer at 0xB8000 (4000 bytes: character, attribute). Works while running. */
  readVgaText(): Promise<Uint8Array> {
    this.assertAlive('read the VGA buffer');
    return readVgaTextBytes(this.qmp, `${this.paths.dir}/vga.bin`);
  }

  /** The hardware text cursor (CRTC registers). */
  readVgaCursor(): Promise<VgaCursor> {
    this.assertAlive('read the VGA cursor');
    return readVgaCursor(this.qmp);
  }

  /** All registers by name (rax … r15, rip, rflags, segments, fs_base, gs_base, cr0-cr4, cr8, efer, …). */
  async registers(): Promise<GdbRegisters> {
    this.assertStopped('read registers');
    return this.gdb.readRegisters();
  }

  /** Guest memory through the gdb stub: virtual (current CR3) or physical. For RAM, prefer `ram`. */
  readMemory(addr: bigint, length: number, opts: { physical?: boolean } = {}): Promise<Uint8Array> {
    this.assertStopped('read guest memory through the gdb stub');
    return this.gdb.readMemory(addr, length, opts);
  }

  saveSnapshot(name: string): Promise<void> {
    this.assertAlive('save a snapshot');
    return snapshots.saveSnapshot(this.qmp, name);
  }

  /** Restores a snapshot; the run state is what it was before the call (QEMU resumes a running VM). */
  async loadSnapshot(name: string): Promise<void> {
    this.assertAlive('restore a snapshot');
    const wasFaulted = this.current.state === 'faulted';
    await snapshots.loadSnapshot(this.qmp, name);
    if (wasFaulted) {
      const { running } = await this.qmp.execute('query-status');
      this.setState({ state: running ? 'running' : 'paused', detail: `restored snapshot ${name}` });
    }
  }

  listSnapshots(): Promise<snapshots.SnapshotInfo[]> {
    this.assertAlive('list snapshots');
    return snapshots.listSnapshots(this.qmp);
  }

  deleteSnapshot(name: string): Promise<void> {
    this.assertAlive('delete a snapshot');
    return snapshots.deleteSnapshot(this.qmp, name);
  }

  /** The display as PNG bytes (text or graphics mode). */
  async screendumpPng(): Promise<Uint8Array> {
    this.assertAlive('take a screenshot');
    const file = `${this.paths.dir}/screen.png`;
    await this.qmp.execute('screendump', { filename: file, format: 'png' });
    return new Uint8Array(readFileSync(file));
  }

  private setState(next: SessionStatus): void {
    if (next.state === this.current.state && next.fault === this.current.fault && next.detail === this.current.detail) return;
    if (this.current.state === 'exited') return;
    this.current = next;
    this.emit('state', next);
  }

  private onSerial(text: string): void {
    const before = this.serialHistory.length;
    this.serialHistory = (this.serialHistory + text).slice(-this.historyLimit);
    this.emit('serial', text);
    if (this.current.state === 'faulted') return;
    // Look at complete lines that this chunk finished (a line may span chunks).
    const from = Math.max(0, Math.min(before, this.serialHistory.length - text.length) - 200);
    const recent = this.serialHistory.slice(from);
    const complete = recent.slice(0, recent.lastIndexOf('\n') + 1);
    const fault = faultFromSerial(complete);
    if (fault) this.setState({ state: 'faulted', detail: fault.message, fault });
  }

  private onQmpEvent(e: QmpEvent): void {
    if (this.restarting) return;
    switch (e.event) {
      case 'RESET':
        if (e.data?.guest === true) this.checkLogForTripleFault(true);
        break;
      case 'STOP':
        if (this.current.state === 'running' || this.current.state === 'booting') this.setState({ state: 'paused' });
        break;
      case 'RESUME':
        if (this.current.state === 'paused') this.setState({ state: 'running' });
        break;
      case 'SHUTDOWN':
        this.onShutdown(String(e.data?.reason ?? ''));
        break;
    }
  }

  private onShutdown(reason: string): void {
    if (reason === 'guest-reset') {
      // -no-reboot stopped a reset: a triple fault (QEMU logged it) or a reboot the guest asked for.
      if (this.checkLogForTripleFault(false)) return;
      this.setState({ state: 'booting', detail: 'the guest rebooted' });
      this.restartMachine().then(
        () => this.setState({ state: 'running' }),
        () => undefined,
      );
    } else if (reason === 'guest-panic') {
      const fault: FaultReport = { kind: 'exited', message: 'the guest reported a panic to QEMU' };
      this.setState({ state: 'faulted', detail: fault.message, fault });
    } else if (reason === 'guest-shutdown') {
      void this.stop();
    }
  }

  /** Reports a triple fault QEMU logged since the last check; `stopVm` when QEMU already rebooted the guest. */
  private checkLogForTripleFault(stopVm: boolean): boolean {
    const log = readRange(this.paths.log, this.logChecked, 256 * 1024);
    this.logChecked = logSize(this.paths.log);
    if (!/^Triple fault/m.test(log)) return false;
    const fault = faultFromQemuLog(log);
    if (stopVm) this.qmp.execute('stop').catch(() => undefined);
    this.setState({ state: 'faulted', detail: fault.message, fault });
    return true;
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const fault = this.current.fault;
    const detail = signal ? `QEMU was killed (${signal})` : `QEMU exited with code ${code}${this.stderrHint()}`;
    this.setState({ state: 'exited', detail, fault });
    if (!this.stopping) this.cleanUp(); // it crashed or was killed: nothing is left to wait for
    this.emit('exit', { code, signal });
  }

  private cleanUp(): void {
    this.closeHandles();
    rmSync(this.paths.dir, { recursive: true, force: true });
  }

  private closeHandles(): void {
    this.removeExitHook();
    this.gdb.close();
    this.qmp.close();
    this.ram.close();
  }

  private killNow(): void {
    if (this.isExited()) return;
    try {
      process.kill(this.process.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  private isExited(): boolean {
    return this.process.exitCode !== null || this.process.signalCode !== null;
  }

  private stderrHint(): string {
    const text = this.stderrText.trim();
    return text ? ` (QEMU said: ${text.slice(-500)})` : '';
  }

  private assertAlive(action: string): void {
    if (this.current.state === 'exited') throw new Error(`cannot ${action}: the VM has exited; boot it again`);
  }

  private assertStopped(action: string): void {
    this.assertAlive(action);
    if (this.current.state === 'running' || this.current.state === 'booting') {
      throw new Error(`cannot ${action} while the guest is running: pause it first`);
    }
  }
}

/** A sparse file of `bytes` zeros (QEMU opens it at spawn; its bytes are written before the CPU runs). */
function createEmptyDisk(path: string, bytes: number): string {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return path;
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function logSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The text of a file from `from` to its end, at most the last `max` bytes ('' when missing). */
function readRange(path: string, from: number, max: number): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(from, size - max);
    const buf = Buffer.alloc(Math.max(0, size - start));
    readSync(fd, buf, 0, buf.length, start);
    return buf.toString('latin1');
  } finally {
    closeSync(fd);
  }
}
