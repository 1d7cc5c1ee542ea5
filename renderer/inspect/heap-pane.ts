// The "Heap regions" pane: each contiguous heap region as a block with its virtual range, size
// and the physical frames behind it (checked against the live page walk), in growth order.
import type { LongmodeApi } from '../../main/common/contract';
import { h } from '../layout/dom';
import { addr, big, errorText, size } from './format';
import type { RefreshablePane } from './memory-map-pane';

export function mountHeapPane(container: HTMLElement, api: LongmodeApi): RefreshablePane {
  const status = h('div', { class: 'inspect-status', role: 'status' });
  const blocks = h('ol', { class: 'heap-blocks', 'aria-label': 'Heap regions in the order the heap grew' });
  const element = h('section', { class: 'inspect-pane heap', role: 'region', 'aria-label': 'Heap regions' }, status, blocks);
  container.append(element);
  return {
    element,
    async refresh() {
      try {
        const heap = await api.call('inspect.heap', {});
        const total = heap.regions.reduce((sum, r) => sum + big(r.length), 0n);
        status.textContent = `${heap.regions.length} regions · ${size(total)} · heap base ${addr(heap.heapHighBase)}`;
        blocks.replaceChildren(
          ...heap.regions.map((r) => {
            const end = big(r.virt) + big(r.length);
            const flagged = !r.verified;
            return h(
              'li',
              { class: `heap-block${flagged ? ' flagged' : ''}` },
              h('div', { class: 'heap-title' }, `Region ${r.index}`, flagged ? h('span', { class: 'badge bad' }, 'not fully mapped as recorded') : h('span', { class: 'badge ok' }, 'mapped')),
              h('div', { class: 'mono' }, `virt ${addr(r.virt)}–${addr(end)}`),
              h('div', { class: 'mono' }, `phys ${addr(r.phys)}–${addr(big(r.phys) + big(r.length))}`),
              h('div', {}, `${size(r.length)} · ${r.pages} pages · ${r.pagesMatching} backed by their recorded frames${r.writable === undefined ? '' : ` · ${r.writable ? 'RW' : 'RO'} ${r.nx ? 'NX' : 'X'}`}`),
              r.problem ? h('div', { class: 'inspect-error' }, r.problem) : undefined,
              ...r.mismatches.map((m) => h('div', { class: 'inspect-error mono' }, `${addr(m.virt)}: expected ${addr(m.expected)}, ${m.actual ? `maps ${addr(m.actual)}` : 'unmapped'}`)),
            );
          }),
        );
      } catch (e) {
        status.textContent = errorText(e);
      }
    },
    dispose() {},
  };
}
