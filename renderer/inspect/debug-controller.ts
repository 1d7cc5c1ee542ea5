// The debugger from the editor's side: sends each file's gutter breakpoints (on every change and
// to every new guest: a boot with breakpoints starts the guest paused, sends them, then lets it
// run), follows the guest's stops (current line), and runs continue / step / step over / run to cursor.
import type { CallArgs, LongmodeApi, SourceLocation, VmStatus } from '../../main/common/contract';
import type { BreakpointStore } from '../editor/breakpoints';
import { errorText } from './format';

const RUNNING_SETTLES_MS = 200;

export interface DebugView {
  /** highlight where the guest stopped; undefined clears it */
  showCurrentLine(at: SourceLocation | undefined): void;
  error(message: string): void;
}

export class DebugController {
  /** the guest is stopped by the debugger (breakpoint, step): Continue steps off the breakpoint */
  private stoppedByDebugger = false;
  private readonly sending = new Map<string, Promise<void>>();
  private clearTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: LongmodeApi,
    private readonly store: BreakpointStore,
    private readonly view: DebugView,
  ) {
    store.onChange((file, change) => change === 'lines' && void this.send(file));
    api.on('vm.stopped', (stop) => {
      this.stoppedByDebugger = stop.reason === 'breakpoint' || stop.reason === 'step';
      view.showCurrentLine(stop.reason === 'pause' ? undefined : stop.source);
    });
    api.on('vm.state', (status) => this.stateChanged(status));
  }

  get stopped(): boolean {
    return this.stoppedByDebugger;
  }

  /** Sends one file's breakpoints (the newest set wins; sends for one file never overlap). */
  send(file: string): Promise<void> {
    const previous = this.sending.get(file) ?? Promise.resolve();
    const next = previous.then(async () => {
      const lines = this.store.lines(file);
      try {
        const { breakpoints } = await this.api.call('debug.setBreakpoints', { file, lines });
        this.store.applyResolution(file, lines, breakpoints);
      } catch (e) {
        this.view.error(`could not set the breakpoints of ${file}: ${errorText(e)}`);
      }
    });
    this.sending.set(file, next);
    return next;
  }

  async sendAll(): Promise<void> {
    await Promise.all(this.store.fileNames().map((file) => this.send(file)));
  }

  /**
   * `vm.boot` with breakpoints: the guest starts paused, gets every breakpoint (the bootloader's
   * too, which run before any client could react), then runs.
   */
  async bootArmed(args: CallArgs<'vm.boot'>): Promise<VmStatus> {
    if (!this.store.hasAny()) return this.api.call('vm.boot', args);
    const status = await this.api.call('vm.boot', { ...args, paused: true });
    await this.sendAll();
    return args.paused ? status : this.api.call('vm.continue', {});
  }

  /** Continue: off the breakpoint the debugger stopped at, or a plain resume after Pause. */
  async continue(resume: () => Promise<void>): Promise<void> {
    if (!this.stoppedByDebugger) return resume();
    await this.run('continue', () => this.api.call('debug.continue', {}));
  }

  step = () => this.run('step', () => this.api.call('debug.step', {}));
  stepOver = () => this.run('step over', () => this.api.call('debug.stepOver', {}));
  runToLine = (file: string, line: number) => this.run('run to cursor', () => this.api.call('debug.runToLine', { file, line }));
  breakAtPhase2 = () => this.run('break at phase 2', () => this.api.call('debug.breakAtPhase2', {}));

  private async run(what: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (e) {
      this.view.error(`${what}: ${errorText(e)}`);
    }
  }

  /**
   * A step runs the guest for an instruction, so QEMU reports running → paused around it, and those
   * events can come just after the stop itself: "running" clears the current line only when it lasts.
   */
  private stateChanged(status: VmStatus): void {
    clearTimeout(this.clearTimer);
    if (status.state === 'paused' || status.state === 'faulted') return;
    const clear = () => {
      this.stoppedByDebugger = false;
      this.view.showCurrentLine(undefined);
    };
    if (status.state === 'running' || status.state === 'booting') this.clearTimer = setTimeout(clear, RUNNING_SETTLES_MS);
    else clear();
  }
}
