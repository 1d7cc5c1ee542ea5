// A dismissible banner under the toolbar for errors and warnings a person can act on.
import { h, setChildren } from './dom';

export class Notice {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly element: HTMLElement) {}

  show(message: string, kind: 'error' | 'warning' | 'info'): void {
    clearTimeout(this.timer);
    this.element.dataset.kind = kind;
    setChildren(this.element, h('span', { class: 'notice-text' }, message), h('button', { class: 'icon-button', 'aria-label': 'Dismiss', onclick: () => this.hide() }, '×'));
    this.element.hidden = false;
    if (kind !== 'error') this.timer = setTimeout(() => this.hide(), 8000);
  }

  hide(): void {
    this.element.hidden = true;
  }
}
