// The status bar: connection, VM state, build state, error and warning counts, cursor position.
import type { VmStatus } from '../../main/common/contract';
import type { ConnectionState } from '../transport/connection';
import { h } from './dom';

export class StatusBar {
  private readonly vm = h('span', { class: 'status-vm', 'data-state': 'idle' }, 'VM: idle');
  private readonly build = h('span', { class: 'status-build' }, '');
  private readonly counts = h('button', { class: 'status-counts', title: 'Show the Problems list' }, '');
  private readonly connection = h('span', { class: 'status-connection' }, '');
  private readonly position = h('span', { class: 'status-position' }, '');

  constructor(host: HTMLElement, showProblems: () => void) {
    this.counts.addEventListener('click', showProblems);
    host.append(this.vm, this.build, this.counts, h('span', { class: 'spacer' }), this.position, this.connection);
    this.setCounts(0, 0);
  }

  setVm(status: VmStatus): void {
    this.vm.dataset.state = status.state;
    const detail = status.fault?.message ?? status.detail;
    this.vm.textContent = `VM: ${status.state}` + (detail ? ` — ${detail}` : '');
    this.vm.title = [detail, status.qemuPid && `QEMU process ${status.qemuPid}`].filter(Boolean).join('\n');
  }

  setBuild(text: string, finished: number): void {
    this.build.textContent = text;
    this.build.dataset.finished = String(finished);
  }

  setCounts(errors: number, warnings: number): void {
    this.counts.textContent = `⊗ ${errors}  ⚠ ${warnings}`;
    this.counts.setAttribute('aria-label', `${errors} errors, ${warnings} warnings`);
    this.counts.dataset.errors = String(errors);
  }

  setConnection(state: ConnectionState, mode: string): void {
    this.connection.dataset.state = state;
    this.connection.textContent = state === 'connected' ? mode : state === 'connecting' ? 'connecting…' : 'disconnected: reconnecting…';
  }

  setPosition(text: string): void {
    this.position.textContent = text;
  }
}
