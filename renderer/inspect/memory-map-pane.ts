// The "Memory map" pane: physical memory as a bar on a piecewise-log scale (the first megabyte
// and the gigabytes both readable), E820 kinds coloured, kernel/boot info/page tables/heap/free
// frames overlaid, a table of segments with exact addresses, and free-list anomalies flagged.
import type { LongmodeApi, MemoryMapView } from '../../main/common/contract';
import { h } from '../layout/dom';
import { addr, big, errorText, size } from './format';

export interface RefreshablePane {
  element: HTMLElement;
  refresh(): Promise<void>;
  dispose(): void;
}

/** Width weight of a segment: grows with log2 of its size, so 4 KiB and 1 GiB both stay visible. */
export function segmentWeight(length: bigint): number {
  return 1 + Math.max(0, Math.log2(Number(length) / 4096));
}

export function mountMemoryMapPane(container: HTMLElement, api: LongmodeApi): RefreshablePane {
  const summary = h('div', { class: 'inspect-status', role: 'status' });
  const bar = h('div', { class: 'memmap-bar', role: 'img', 'aria-label': 'Physical memory bar' });
  const detail = h('div', { class: 'memmap-detail mono', 'aria-live': 'polite' }, 'Hover or click the bar for exact addresses.');
  const anomalies = h('ul', { class: 'inspect-anomalies' });
  const tbody = h('tbody');
  const element = h(
    'section',
    { class: 'inspect-pane memory-map', role: 'region', 'aria-label': 'Memory map' },
    summary,
    bar,
    detail,
    legend(),
    anomalies,
    h('div', { class: 'inspect-scroll' }, h('table', { class: 'inspect-table', 'aria-label': 'Physical memory segments' }, h('thead', {}, h('tr', {}, ...['start', 'end', 'size', 'E820', 'contents'].map((c) => h('th', {}, c)))), tbody)),
  );
  container.append(element);

  const render = (map: MemoryMapView) => {
    summary.replaceChildren(
      h('span', { class: 'free-frames' }, `Free frames: ${map.freeFrames.count}`),
      ` · usable ${size(map.totals.usableBytes)} · free ${size(map.totals.freeBytes)} · RAM ${size(map.ramSize)} · phase ${map.phase}`,
    );
    const describe = (s: MemoryMapView['segments'][number]) => `${addr(s.base)}–${addr(big(s.base) + big(s.length))} (${size(s.length)}) ${s.kind}${s.labels.length ? ': ' + s.labels.join(', ') : ''}`;
    bar.replaceChildren(
      ...map.segments.map((s) => {
        const top = s.labels.find((l) => l !== 'free') ?? (s.labels.includes('free') ? 'free' : undefined);
        const cell = h('div', { class: `memmap-seg kind-${s.kind}${top ? ` label-${top}` : ''}`, title: describe(s), tabindex: 0 });
        cell.style.flexGrow = String(segmentWeight(big(s.length)));
        const show = () => (detail.textContent = describe(s));
        cell.addEventListener('mouseenter', show);
        cell.addEventListener('click', show);
        cell.addEventListener('focus', show);
        return cell;
      }),
    );
    anomalies.replaceChildren(...map.anomalies.map((a) => h('li', { class: 'inspect-error' }, `⚠ ${a.message}`)));
    tbody.replaceChildren(
      ...map.segments.map((s) =>
        h('tr', {}, h('td', { class: 'mono' }, addr(s.base)), h('td', { class: 'mono' }, addr(big(s.base) + big(s.length))), h('td', {}, size(s.length)), h('td', {}, s.kind), h('td', {}, s.labels.join(', '))),
      ),
    );
  };

  return {
    element,
    async refresh() {
      try {
        render(await api.call('inspect.memoryMap', {}));
      } catch (e) {
        summary.textContent = errorText(e);
      }
    },
    dispose() {},
  };
}

function legend(): HTMLElement {
  const items: [string, string][] = [['kind-usable', 'usable'], ['kind-reserved', 'reserved'], ['kind-acpi-reclaimable', 'ACPI'], ['label-kernel', 'kernel'], ['label-page-tables', 'page tables'], ['label-heap', 'heap'], ['label-free', 'free frames'], ['label-loader', 'loader / boot info']];
  return h('div', { class: 'memmap-legend' }, ...items.map(([cls, text]) => h('span', {}, h('i', { class: `swatch ${cls}` }), text)));
}
