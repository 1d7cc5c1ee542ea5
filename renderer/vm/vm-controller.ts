// One-click boot and run control: Boot saves dirty files and asks main to boot (main builds first
// when the sources changed); Pause, Continue, Stop, Restart; the state drives toolbar and status bar.
import type { LongmodeApi, VmStatus } from '../../main/common/contract';
import { errorText } from '../layout/dom';
import type { SerialConsole } from './serial-console';

export interface VmView {
  setStatus(status: VmStatus): void;
  showSerial(): void;
  error(message: string): void;
}

export class VmController {
  private status: VmStatus = { state: 'idle' };
  private readonly listeners = new Set<(status: VmStatus) => void>();

  constructor(
    private readonly api: LongmodeApi,
    private readonly view: VmView,
    private readonly serial: SerialConsole,
    private readonly saveAll: () => Promise<boolean>,
  ) {
    api.on('vm.state', (status) => this.update(status));
  }

  get current(): VmStatus {
    return this.status;
  }

  onStatus(listener: (status: VmStatus) => void): void {
    this.listeners.add(listener);
  }

  /** Page load or reconnect: pick up whatever the VM is doing now, with its serial history. */
  async reattach(): Promise<void> {
    try {
      this.update(await this.api.call('vm.status', {}));
      await this.serial.reattach();
    } catch (error) {
      this.view.error(`could not read the VM's state: ${errorText(error)}`);
    }
  }

  async boot(): Promise<void> {
    if (!(await this.saveAll())) return this.view.error('some files could not be saved; resolve that first, then boot');
    this.serial.clear();
    this.view.showSerial();
    await this.run('boot', () => this.api.call('vm.boot', {}));
  }

  pause = () => this.run('pause', () => this.api.call('vm.pause', {}));
  resume = () => this.run('continue', () => this.api.call('vm.continue', {}));
  stop = () => this.run('stop', () => this.api.call('vm.stop', {}));

  async restart(): Promise<void> {
    if (!(await this.saveAll())) return this.view.error('some files could not be saved; resolve that first, then restart');
    this.serial.clear();
    this.view.showSerial();
    await this.run('restart', () => this.api.call('vm.restart', {}));
  }

  private async run(what: string, call: () => Promise<VmStatus>): Promise<void> {
    try {
      this.update(await call());
    } catch (error) {
      this.view.error(`${what}: ${errorText(error)}`);
    }
  }

  private update(status: VmStatus): void {
    this.status = status;
    this.view.setStatus(status);
    for (const listener of this.listeners) listener(status);
  }
}
