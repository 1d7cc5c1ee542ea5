// The editor's tabs: file name, a dirty dot, a close button; the active one is selected.
import { h, setChildren } from '../layout/dom';

export interface TabInfo {
  path: string;
  dirty: boolean;
  conflict: boolean;
}

export class TabStrip {
  readonly element = h('div', { class: 'editor-tabs', role: 'tablist', 'aria-label': 'Open files' });

  constructor(
    private readonly select: (path: string) => void,
    private readonly close: (path: string) => void,
  ) {}

  render(tabs: TabInfo[], active: string | undefined): void {
    setChildren(
      this.element,
      ...tabs.map((tab) => {
        const name = tab.path.split('/').pop() ?? tab.path;
        const el = h(
          'div',
          {
            class: 'editor-tab' + (tab.dirty ? ' dirty' : '') + (tab.conflict ? ' conflict' : ''),
            role: 'tab',
            title: tab.path,
            'data-path': tab.path,
            'aria-selected': String(tab.path === active),
            onmousedown: (e: MouseEvent) => {
              if (e.button === 1) this.close(tab.path);
            },
            onclick: () => this.select(tab.path),
          },
          h('span', { class: 'tab-name' }, name),
          h('span', { class: 'tab-dirty', 'aria-label': tab.dirty ? 'unsaved changes' : undefined }, tab.dirty ? '●' : ''),
          h('button', {
            class: 'tab-close',
            'aria-label': `Close ${name}`,
            onclick: (e: MouseEvent) => {
              e.stopPropagation();
              this.close(tab.path);
            },
          }, '×'),
        );
        return el;
      }),
    );
  }
}
