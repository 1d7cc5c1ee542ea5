// The bottom panel: one tab strip over "Build output", "Problems" and "Serial console".
import { h } from './dom';

export type BottomTab = 'build' | 'problems' | 'serial';

const titles: Record<BottomTab, string> = { build: 'Build output', problems: 'Problems', serial: 'Serial console' };

export class BottomPanel {
  readonly regions: Record<BottomTab, HTMLElement>;
  private readonly tabs: Record<BottomTab, HTMLButtonElement>;
  private readonly listeners = new Set<(tab: BottomTab) => void>();
  private current: BottomTab = 'build';

  constructor(host: HTMLElement) {
    const strip = h('div', { class: 'panel-tabs', role: 'tablist', 'aria-label': 'Panels' });
    const body = h('div', { class: 'panel-body' });
    this.tabs = {} as Record<BottomTab, HTMLButtonElement>;
    this.regions = {} as Record<BottomTab, HTMLElement>;
    for (const tab of Object.keys(titles) as BottomTab[]) {
      const button = h('button', { class: 'panel-tab', role: 'tab', id: `tab-${tab}`, 'aria-controls': `panel-${tab}`, onclick: () => this.show(tab) }, titles[tab]);
      const badge = h('span', { class: 'badge', hidden: true });
      button.append(badge);
      this.tabs[tab] = button;
      this.regions[tab] = h('section', { class: `panel panel-${tab}`, id: `panel-${tab}`, role: 'region', 'aria-label': titles[tab] });
      strip.append(button);
      body.append(this.regions[tab]);
    }
    host.append(strip, body);
    this.show('build');
  }

  get active(): BottomTab {
    return this.current;
  }

  show(tab: BottomTab): void {
    this.current = tab;
    for (const name of Object.keys(titles) as BottomTab[]) {
      this.tabs[name].setAttribute('aria-selected', String(name === tab));
      this.regions[name].hidden = name !== tab;
    }
    for (const listener of this.listeners) listener(tab);
  }

  setBadge(tab: BottomTab, text: string): void {
    const badge = this.tabs[tab].querySelector('.badge') as HTMLElement;
    badge.textContent = text;
    badge.hidden = text === '';
  }

  onShow(listener: (tab: BottomTab) => void): void {
    this.listeners.add(listener);
  }
}
