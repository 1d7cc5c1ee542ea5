// A list that renders only the rows in view (fixed row height), so a million rows scroll as
// smoothly as ten. Rows are built by the caller; the list recycles nothing and keeps no state
// about them, which keeps it simple and fast enough for table rows.
import { h } from '../layout/dom';

export interface VirtualList<T> {
  element: HTMLElement;
  setItems(items: readonly T[]): void;
  /** Scrolls so the row is visible and marks it as selected. */
  reveal(index: number): void;
  readonly items: readonly T[];
  dispose(): void;
}

export function createVirtualList<T>(opts: {
  rowHeight: number;
  label: string;
  renderRow(item: T, index: number): HTMLElement;
  /** extra rows above and below the visible ones */
  overscan?: number;
}): VirtualList<T> {
  const spacer = h('div', { class: 'vlist-spacer' });
  const rows = h('div', { class: 'vlist-rows', role: 'rowgroup' });
  const element = h('div', { class: 'vlist', role: 'table', 'aria-label': opts.label, tabindex: 0 }, spacer, rows);
  let items: readonly T[] = [];
  let selected = -1;
  let frame = 0;
  const overscan = opts.overscan ?? 8;

  const render = () => {
    frame = 0;
    const height = element.clientHeight || 400;
    const first = Math.max(0, Math.floor(element.scrollTop / opts.rowHeight) - overscan);
    const last = Math.min(items.length, Math.ceil((element.scrollTop + height) / opts.rowHeight) + overscan);
    const children: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const row = opts.renderRow(items[i], i);
      row.style.transform = `translateY(${i * opts.rowHeight}px)`;
      row.setAttribute('role', 'row');
      row.setAttribute('aria-rowindex', String(i + 1));
      if (i === selected) row.setAttribute('aria-selected', 'true');
      children.push(row);
    }
    rows.replaceChildren(...children);
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };
  element.addEventListener('scroll', render); // scroll events come once per frame: draw at once
  const resize = new ResizeObserver(schedule);
  resize.observe(element);

  return {
    element,
    get items() {
      return items;
    },
    setItems(next) {
      items = next;
      selected = -1;
      spacer.style.height = `${items.length * opts.rowHeight}px`;
      element.setAttribute('aria-rowcount', String(items.length));
      render();
    },
    reveal(index) {
      selected = index;
      const top = index * opts.rowHeight;
      if (top < element.scrollTop || top + opts.rowHeight > element.scrollTop + element.clientHeight) {
        element.scrollTop = Math.max(0, top - element.clientHeight / 3);
      }
      render();
    },
    dispose() {
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
