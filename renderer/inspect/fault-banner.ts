// The fault banner: when the guest takes an exception or triple-faults, shows vector, error code,
// CR2 and RIP, and jumps to the source line (from the fault report or the kernel's DWARF lines).
import type { FaultReport, LongmodeApi, SourceLocation } from '../../main/common/contract';
import { h } from '../layout/dom';

export interface FaultBanner {
  element: HTMLElement;
  show(fault: FaultReport): Promise<void>;
  hide(): void;
  readonly source: SourceLocation | undefined;
}

export function createFaultBanner(api: LongmodeApi, openSource?: (location: SourceLocation) => void): FaultBanner {
  const text = h('span', { class: 'fault-text' });
  const where = h('button', { class: 'tool fault-source', hidden: true });
  const element = h('div', { class: 'fault-banner', role: 'alert', 'aria-label': 'Guest fault', hidden: true }, h('strong', {}, 'Guest fault'), text, where);
  let source: SourceLocation | undefined;
  where.addEventListener('click', () => source && openSource?.(source));
  return {
    element,
    get source() {
      return source;
    },
    async show(fault) {
      const parts = [
        fault.name ?? (fault.kind === 'triple-fault' ? 'Triple fault' : 'Exception'),
        fault.vector === undefined ? '' : `vector ${fault.vector}`,
        fault.errorCode ? `error ${fault.errorCode}` : '',
        fault.cr2 ? `CR2 ${fault.cr2}` : '',
        fault.rip ? `RIP ${fault.rip}` : '',
      ].filter(Boolean);
      text.textContent = parts.join(' · ');
      element.hidden = false;
      source = fault.source;
      if (!source && fault.rip) source = (await api.call('debug.locate', { address: fault.rip }).catch(() => ({ source: undefined }))).source;
      where.hidden = !source;
      if (source) {
        where.textContent = `${source.file}:${source.line}`;
        openSource?.(source);
      }
    },
    hide() {
      element.hidden = true;
      source = undefined;
    },
  };
}
