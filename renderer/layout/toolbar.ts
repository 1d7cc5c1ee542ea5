// The toolbar: Build, Boot, Pause, Continue, Stop, Restart, plus the build progress bar.
import type { VmState } from '../../main/common/contract';
import { h } from './dom';

export interface ToolbarActions {
  build(): void;
  boot(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  restart(): void;
}

export class Toolbar {
  readonly buttons: Record<'build' | 'boot' | 'pause' | 'continue' | 'stop' | 'restart', HTMLButtonElement>;
  private readonly progress: HTMLProgressElement;
  private readonly progressLabel: HTMLElement;

  constructor(host: HTMLElement, actions: ToolbarActions) {
    const button = (label: string, icon: string, title: string, onclick: () => void, cls = '') =>
      h('button', { class: `tool ${cls}`, title, onclick }, h('span', { class: 'icon', 'aria-hidden': 'true' }, icon), label);
    this.buttons = {
      build: button('Build', '⚒', 'Build (Ctrl+B)', actions.build),
      boot: button('Boot', '▶', 'Boot (F5)', actions.boot, 'primary'),
      pause: button('Pause', '‖', 'Pause the guest', actions.pause),
      continue: button('Continue', '▷', 'Continue the guest', actions.resume),
      stop: button('Stop', '■', 'Stop the guest (Shift+F5)', actions.stop),
      restart: button('Restart', '↻', 'Restart the guest', actions.restart),
    };
    this.progress = h('progress', { class: 'build-progress', max: 1, 'aria-label': 'Build progress', hidden: true });
    this.progressLabel = h('span', { class: 'progress-label' });
    host.append(
      h('span', { class: 'brand' }, 'Longmode'),
      this.buttons.build,
      h('span', { class: 'separator' }),
      this.buttons.boot,
      this.buttons.pause,
      this.buttons.continue,
      this.buttons.stop,
      this.buttons.restart,
      h('span', { class: 'progress-box' }, this.progress, this.progressLabel),
    );
    this.setVmState('idle', false);
  }

  setVmState(state: VmState, building: boolean): void {
    const live = state === 'running' || state === 'paused' || state === 'faulted' || state === 'booting';
    this.buttons.build.disabled = building;
    this.buttons.boot.disabled = building || state === 'booting' || state === 'building';
    this.buttons.pause.disabled = state !== 'running';
    this.buttons.continue.disabled = state !== 'paused';
    this.buttons.stop.disabled = !live;
    this.buttons.restart.disabled = !(live || state === 'exited');
  }

  /** fraction undefined hides the bar. */
  setProgress(fraction: number | undefined, label = ''): void {
    this.progress.hidden = fraction === undefined;
    if (fraction !== undefined) this.progress.value = fraction;
    this.progressLabel.textContent = label;
  }
}
