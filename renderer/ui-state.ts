// Remembers open tabs, the active tab and pane sizes through main (`ui.loadState`/`ui.saveState`),
// saved a moment after the last change.
import type { LongmodeApi, UiState } from '../main/common/contract';
import { defaultPaneSizes, type PaneSizes } from './layout/splitters';

export class UiStateKeeper {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: LongmodeApi, private readonly current: () => UiState) {}

  async load(): Promise<UiState> {
    try {
      return await this.api.call('ui.loadState', {});
    } catch {
      return { openTabs: [], layout: {} };
    }
  }

  changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.api.call('ui.saveState', { state: this.current() }).catch(() => undefined), 500);
  }
}

export function paneSizesFrom(layout: UiState['layout']): PaneSizes {
  const size = (key: keyof PaneSizes) => (typeof layout[key] === 'number' ? (layout[key] as number) : defaultPaneSizes[key]);
  return { explorer: size('explorer'), side: size('side'), bottom: size('bottom') };
}
