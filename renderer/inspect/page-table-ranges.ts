// The merged mappings of a walk as a filterable, searchable, virtualized table.
import type { MappingRange } from '../../main/common/contract';
import { h } from '../layout/dom';
import { addr, big, parseAddress, size } from './format';
import { createVirtualList } from './virtual-list';

export type SpaceFilter = 'all' | 'kernel' | 'user';
export interface RangeFilters {
  space: SpaceFilter;
  writableOnly: boolean;
  executableOnly: boolean;
}

const ROW_HEIGHT = 22;

export function filterRanges(mappings: readonly MappingRange[], f: RangeFilters): MappingRange[] {
  if (f.space === 'all' && !f.writableOnly && !f.executableOnly) return mappings as MappingRange[];
  return mappings.filter((m) => (f.space === 'all' || (f.space === 'user') === m.user) && (!f.writableOnly || m.writable) && (!f.executableOnly || !m.nx));
}

/** Index of the range holding `address` (ranges sorted by virt, as the walker emits them), or -1. */
export function findRange(ranges: readonly MappingRange[], address: bigint): number {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = big(ranges[mid].virt);
    if (address < start) hi = mid - 1;
    else if (address >= start + big(ranges[mid].size)) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export class RangeTable {
  readonly element: HTMLElement;
  private all: readonly MappingRange[] = [];
  private readonly filters: RangeFilters = { space: 'all', writableOnly: false, executableOnly: false };
  private readonly count = h('span', { class: 'inspect-muted', 'aria-live': 'polite' });
  private readonly searchNote = h('span', { class: 'inspect-muted' });
  private readonly list = createVirtualList<MappingRange>({
    rowHeight: ROW_HEIGHT,
    label: 'Mappings',
    renderRow: (m) => this.row(m),
  });

  constructor(private readonly open: (m: MappingRange) => void) {
    const space = h('select', { 'aria-label': 'Address space filter' }, h('option', { value: 'all' }, 'all'), h('option', { value: 'kernel' }, 'kernel'), h('option', { value: 'user' }, 'user'));
    space.addEventListener('change', () => ((this.filters.space = space.value as SpaceFilter), this.refilter()));
    const toggle = (label: string, key: 'writableOnly' | 'executableOnly') => {
      const box = h('input', { type: 'checkbox' });
      box.addEventListener('change', () => ((this.filters[key] = box.checked), this.refilter()));
      return h('label', {}, box, label);
    };
    const search = h('input', { type: 'search', placeholder: 'find address…', 'aria-label': 'Find address', class: 'inspect-input' });
    search.addEventListener('keydown', (e) => e.key === 'Enter' && this.find(search.value));
    this.element = h(
      'div',
      { class: 'inspect-ranges' },
      h('div', { class: 'inspect-bar' }, space, toggle('writable', 'writableOnly'), toggle('executable', 'executableOnly'), search, this.searchNote, this.count),
      h('div', { class: 'pt-row pt-head', role: 'row' }, ...['virtual', 'physical', 'size', 'page', 'flags'].map((t) => h('span', { role: 'columnheader' }, t))),
      this.list.element,
    );
  }

  setMappings(mappings: readonly MappingRange[]): void {
    this.all = mappings;
    this.refilter();
  }

  get shown(): readonly MappingRange[] {
    return this.list.items;
  }

  find(text: string): number {
    const address = parseAddress(text);
    if (address === undefined) {
      this.searchNote.textContent = 'not an address';
      return -1;
    }
    const index = findRange(this.list.items, address);
    this.searchNote.textContent = index < 0 ? 'not mapped (with these filters)' : '';
    if (index >= 0) this.list.reveal(index);
    return index;
  }

  private refilter(): void {
    const shown = filterRanges(this.all, this.filters);
    this.list.setItems(shown);
    this.count.textContent = shown.length === this.all.length ? `${shown.length} ranges` : `${shown.length} of ${this.all.length} ranges`;
  }

  private row(m: MappingRange): HTMLElement {
    const flags = [m.writable ? 'RW' : 'RO', m.user ? 'U' : 'S', m.nx ? 'NX' : 'X', m.global ? 'G' : ''].filter(Boolean).join(' ');
    const row = h(
      'div',
      { class: `pt-row${m.user ? ' user' : ''}`, title: 'Open in the hex view', tabindex: -1 },
      h('span', { role: 'cell', class: 'mono' }, addr(m.virt)),
      h('span', { role: 'cell', class: 'mono' }, addr(m.phys)),
      h('span', { role: 'cell' }, size(m.size)),
      h('span', { role: 'cell' }, m.pageSize),
      h('span', { role: 'cell', class: 'mono' }, flags),
    );
    row.addEventListener('click', () => this.open(m));
    return row;
  }

  dispose(): void {
    this.list.dispose();
  }
}

/** A walk of `count` 4 KiB mappings that never merge (alternating permissions), for the responsiveness test. */
export function syntheticMappings(count: number): MappingRange[] {
  const out: MappingRange[] = new Array(count);
  const base = 0xffff_8000_0000_0000n;
  for (let i = 0; i < count; i++) {
    const virt = base + BigInt(i) * 0x1000n;
    out[i] = { virt: '0x' + virt.toString(16), phys: '0x' + (0x10_0000 + ((i * 7919) % 32768) * 0x1000).toString(16), size: '0x1000', pageSize: '4K', writable: i % 2 === 0, user: i % 3 === 0, nx: i % 5 !== 0, global: false };
  }
  return out;
}
